package io.vigil.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The demo's data access: plain JDBC, a few statements per page. */
final class Clinic {

  private final DataSource dataSource;

  Clinic(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void createSchema() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE owners (id INT PRIMARY KEY, name VARCHAR(80), city VARCHAR(80))");
      s.execute("CREATE TABLE pets (id INT PRIMARY KEY, owner_id INT REFERENCES owners(id), name VARCHAR(80))");
      s.execute("CREATE TABLE visits (id INT AUTO_INCREMENT PRIMARY KEY, pet_id INT REFERENCES pets(id),"
          + " description VARCHAR(200), visited_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
      try (PreparedStatement owner = c.prepareStatement("INSERT INTO owners (id, name, city) VALUES (?, ?, ?)");
          PreparedStatement pet = c.prepareStatement("INSERT INTO pets (id, owner_id, name) VALUES (?, ?, ?)")) {
        String[][] owners = {{"George Franklin", "Madison"}, {"Betty Davis", "Sun Prairie"},
            {"Eduardo Rodriquez", "McFarland"}, {"Harold Davis", "Windsor"}, {"Peter McTavish", "Madison"}};
        String[] pets = {"Leo", "Basil", "Rosy", "Jewel", "Iggy"};
        for (int i = 0; i < owners.length; i++) {
          owner.setInt(1, i + 1);
          owner.setString(2, owners[i][0]);
          owner.setString(3, owners[i][1]);
          owner.addBatch();
          pet.setInt(1, i + 1);
          pet.setInt(2, i + 1);
          pet.setString(3, pets[i]);
          pet.addBatch();
        }
        owner.executeBatch();
        pet.executeBatch();
      }
    }
  }

  List<String> owners() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, city FROM owners ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getInt(1) + " " + rs.getString(2) + " (" + rs.getString(3) + ")");
      }
    }
    return names;
  }

  /** Null when there is no such owner. */
  List<String> ownerWithPets(int id) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      String name;
      try (PreparedStatement s = c.prepareStatement("SELECT name FROM owners WHERE id = ?")) {
        s.setInt(1, id);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          name = rs.getString(1);
        }
      }
      List<String> lines = new ArrayList<>();
      lines.add(name);
      try (PreparedStatement s = c.prepareStatement("SELECT name FROM pets WHERE owner_id = ?")) {
        s.setInt(1, id);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            lines.add("pet: " + rs.getString(1));
          }
        }
      }
      return lines;
    }
  }

  /** One indexed SELECT by primary key; null when there is no such owner. */
  String ownerName(int id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT name FROM owners WHERE id = ?")) {
      s.setInt(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  void addVisit(int petId, String description) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO visits (pet_id, description) VALUES (?, ?)")) {
      s.setInt(1, petId);
      s.setString(2, description);
      s.executeUpdate();
    }
  }

  List<String> recentVisits() throws SQLException {
    List<String> visits = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT p.name, v.description FROM visits v JOIN pets p ON p.id = v.pet_id"
            + " ORDER BY v.id DESC LIMIT 10")) {
      while (rs.next()) {
        visits.add(rs.getString(1) + ": " + rs.getString(2));
      }
    }
    return visits;
  }

  long countVisits() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM visits")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
