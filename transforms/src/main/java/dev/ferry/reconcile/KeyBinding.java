package dev.ferry.reconcile;

import dev.ferry.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Binds key values as parameters the way each driver understands them. */
final class KeyBinding {
  private KeyBinding() {}

  static void bind(PreparedStatement ps, int index, Object value, Dialect dialect)
      throws SQLException {
    if (dialect == Dialect.MYSQL) {
      if (value instanceof UUID) {
        ps.setString(index, value.toString());
        return;
      }
      if (value instanceof OffsetDateTime) {
        // Sessions are UTC, so an instant is its UTC wall time.
        ps.setObject(index, ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC)
            .toLocalDateTime());
        return;
      }
    }
    ps.setObject(index, value);
  }
}
