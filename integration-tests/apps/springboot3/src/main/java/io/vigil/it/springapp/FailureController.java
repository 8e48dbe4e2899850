package io.vigil.it.springapp;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Failures for the error-tracking IT, one kind per route: the same exception type escaping from
 * two places, an exception an {@code @ExceptionHandler} turns into a 500, and a statement on a
 * missing table whose {@code SQLException} the controller catches (the response is a 200), and
 * more kinds that only one test sends each, when it needs a failure new to the agent.
 * Messages carry ids and an email, as real ones do, so that grouping and templating show.
 */
@RestController
public class FailureController {

  /** A domain exception that the handler below answers; nothing escapes to the container. */
  static final class PaymentDeclinedException extends RuntimeException {
    PaymentDeclinedException(String message) {
      super(message);
    }
  }

  @GetMapping("/orders/{orderId}/checkout")
  public String checkout(@PathVariable("orderId") int orderId) {
    throw new IllegalStateException(
        "Order " + orderId + " of customer" + orderId + "@example.com cannot be checked out");
  }

  @GetMapping("/invoices/{invoiceId}")
  public String invoice(@PathVariable("invoiceId") int invoiceId) {
    throw new IllegalStateException("Invoice " + invoiceId + " is locked by 'billing-" + invoiceId + "'");
  }

  @GetMapping("/payments/{paymentId}")
  public String pay(@PathVariable("paymentId") int paymentId) {
    throw new PaymentDeclinedException("Payment " + paymentId + " declined, card ending 4242");
  }

  @ExceptionHandler(PaymentDeclinedException.class)
  public ResponseEntity<String> declined(PaymentDeclinedException e) {
    return ResponseEntity.internalServerError().body("payment failed\n");
  }

  /** Two more kinds of failure, new to the agent when the Sentry rate-limit test sends them. */
  @GetMapping("/inventory/{sku}")
  public String inventory(@PathVariable("sku") String sku) {
    throw new UnsupportedOperationException("Inventory of " + sku + " is read-only");
  }

  @GetMapping("/shipments/{shipmentId}")
  public String shipment(@PathVariable("shipmentId") int shipmentId) {
    int parcels = shipmentId - shipmentId;
    return "per parcel: " + (100 / parcels) + "\n";
  }

  /**
   * The Sentry test's own two kinds, a thrown exception and a caught JDBC error: no other test
   * sends them, so they open new groups (whose first event always goes to Sentry) whenever that
   * test runs.
   */
  @GetMapping("/carts/{cartId}/checkout")
  public String cartCheckout(@PathVariable("cartId") int cartId) {
    throw new IllegalStateException(
        "Cart " + cartId + " of customer" + cartId + "@example.com cannot be checked out");
  }

  @GetMapping("/audits/{auditId}")
  public String audit(@PathVariable("auditId") int auditId) {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:audits", "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT entry FROM audit_log WHERE id = " + auditId)) {
      return rows.next() ? rows.getString(1) : "empty\n";
    } catch (SQLException e) {
      return "audit unavailable\n";
    }
  }

  @GetMapping("/reports/{reportId}")
  public String report(@PathVariable("reportId") int reportId) {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:reports", "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT total FROM monthly_report WHERE id = " + reportId)) {
      return rows.next() ? rows.getString(1) : "empty\n";
    } catch (SQLException e) {
      return "report unavailable\n";
    }
  }
}
