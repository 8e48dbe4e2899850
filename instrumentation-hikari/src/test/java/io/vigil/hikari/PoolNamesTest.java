package io.vigil.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class PoolNamesTest {

  @Test
  void databaseNameIsTakenFromCommonJdbcUrls() {
    assertEquals("shop", PoolNames.databaseFromUrl("jdbc:postgresql://db.internal:5432/shop?ssl=true&password=secret"));
    assertEquals("shop", PoolNames.databaseFromUrl("jdbc:postgresql://h1:5432,h2:5432/shop"));
    assertEquals("orders", PoolNames.databaseFromUrl("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1"));
    assertEquals("app", PoolNames.databaseFromUrl("jdbc:h2:file:/var/data/app;MODE=PostgreSQL"));
    assertEquals("test", PoolNames.databaseFromUrl("jdbc:h2:tcp://localhost:9092/~/test"));
    assertEquals("inventory", PoolNames.databaseFromUrl("jdbc:mysql://mysql:3306/inventory?useSSL=false"));
    assertEquals("billing", PoolNames.databaseFromUrl("jdbc:mariadb://maria/billing"));
    assertEquals("crm", PoolNames.databaseFromUrl("jdbc:sqlserver://sql:1433;encrypt=true;databaseName=crm;user=sa"));
    assertEquals("ORCLPDB1", PoolNames.databaseFromUrl("jdbc:oracle:thin:@//ora:1521/ORCLPDB1"));
    assertEquals("ORCL", PoolNames.databaseFromUrl("jdbc:oracle:thin:@ora:1521:ORCL"));
    assertEquals("mydb", PoolNames.databaseFromUrl("jdbc:derby:memory:mydb;create=true"));
  }

  @Test
  void urlsThatNameNoDatabaseGiveNone() {
    assertNull(PoolNames.databaseFromUrl(null));
    assertNull(PoolNames.databaseFromUrl("not-a-jdbc-url"));
    assertNull(PoolNames.databaseFromUrl("jdbc:h2:mem:"));
    assertNull(PoolNames.databaseFromUrl("jdbc:postgresql://db:5432/"));
    assertNull(PoolNames.databaseFromUrl("jdbc:mysql://db:3306"));
    // A missing '?' must not turn the password into the pool name.
    assertNull(PoolNames.databaseFromUrl("jdbc:mysql://db/shopuser=app&password=s3cr3t"));
    assertNull(PoolNames.databaseFromUrl("jdbc:postgresql://db/app:s3cr3t@shop"));
  }

  @Test
  void aConfiguredNameIsKeptAsItIs() {
    assertEquals("orders-primary", PoolNames.baseName("orders-primary", "jdbc:h2:mem:other", null));
    assertEquals("Main Pool", PoolNames.baseName("Main Pool", null, null));
  }

  @Test
  void aGeneratedNameIsReplacedByTheDatabase() {
    assertEquals("shop", PoolNames.baseName("HikariPool-7", "jdbc:postgresql://db/shop", null));
    assertEquals("petclinic", PoolNames.baseName("HikariPool-1", null, "petclinic"));
    assertEquals("h2", PoolNames.baseName("HikariPool-2", "jdbc:h2:mem:", null));
    assertEquals("pool", PoolNames.baseName(null, null, null));
  }

  @Test
  void derivedNamesAreCleanedAndBounded() {
    assertEquals("my_db", PoolNames.baseName("HikariPool-1", "jdbc:h2:mem:my db", null));
    String longName = String.join("", Collections.nCopies(100, "x"));
    assertEquals(64, PoolNames.baseName("HikariPool-1", "jdbc:h2:mem:" + longName, null).length());
  }

  @Test
  void namesAreUniqueAmongOpenPools() {
    assertEquals("shop", PoolNames.unique("shop", Collections.<String>emptyList()));
    assertEquals("shop-2", PoolNames.unique("shop", Arrays.asList("shop")));
    assertEquals("shop-3", PoolNames.unique("shop", Arrays.asList("shop", "shop-2")));
    // A closed pool's name is free again: the rebuilt pool keeps its series.
    assertEquals("shop-2", PoolNames.unique("shop", Arrays.asList("shop", "shop-3")));
  }
}
