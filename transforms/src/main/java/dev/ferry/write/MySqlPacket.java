package dev.ferry.write;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL and MariaDB refuse any statement longer than {@code max_allowed_packet}; the driver
 * sends each value inside the statement text, escaped. A row that cannot fit is dead-lettered
 * with that reason instead of failing the whole job with a connection error.
 */
final class MySqlPacket {
  /** Statement text around the values: column names, keywords, the ON DUPLICATE clause. */
  private static final long OVERHEAD = 4096;

  private MySqlPacket() {}

  static long maxAllowed(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * About how long an upsert of these values is: exact for text and bytes (UTF-8 length plus
   * one escape byte per special character), a few bytes for anything else. Only rows with large
   * values are measured exactly.
   */
  static long statementBytes(Object[] row) {
    long n = OVERHEAD;
    for (Object v : row) {
      if (v instanceof String) {
        n += textBytes((String) v);
      } else if (v instanceof byte[]) {
        n += binaryBytes((byte[]) v);
      } else {
        n += 40;
      }
    }
    return n;
  }

  private static long textBytes(String s) {
    long n = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += escaped(c) ? 2 : 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static long binaryBytes(byte[] b) {
    long n = 10;
    for (byte x : b) {
      n += escaped((char) (x & 0xff)) ? 2 : 1;
    }
    return n;
  }

  private static boolean escaped(char c) {
    return c == 0 || c == '\n' || c == '\r' || c == '\\' || c == '\'' || c == '"' || c == 0x1a;
  }
}
