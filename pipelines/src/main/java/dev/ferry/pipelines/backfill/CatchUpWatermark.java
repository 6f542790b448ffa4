package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.OpenTransactions;
import dev.ferry.plan.SourceRelation;
import dev.ferry.jdbc.ColumnReader;
import dev.ferry.record.Column;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watermark a backfill records for the next catch-up ({@code --since=last}), taken once,
 * before the first attempt reads anything, and kept with the plan so a resumed run records the
 * same one.
 *
 * <p>It is the catch-up column's maximum, set back for transactions that may still commit older
 * values: a transaction open while the watermark is taken can commit, after the backfill read
 * past its rows, a row whose column is earlier than the maximum, and a catch-up from the maximum
 * would never see it. So for a date or timestamp column the watermark is at most the start of the
 * oldest transaction open on the source (or the server's present, when there is none), minus
 * {@code marginSeconds} for clocks of writers that stamp rows themselves. When ferry's user cannot
 * see other sessions' transactions ({@link OpenTransactions}), it warns and sets the watermark back
 * from the present by the margin, which then has to exceed the longest transaction. Rows are
 * assumed stamped with a time no earlier than their transaction's start ({@code now()}, {@code
 * CURRENT_TIMESTAMP}), zone-less columns in UTC. A numeric catch-up column (a version counter)
 * cannot be related to transaction times: the maximum is kept and a warning names any open
 * transaction.
 */
final class CatchUpWatermark {
  private static final Logger LOG = LoggerFactory.getLogger(CatchUpWatermark.class);

  private CatchUpWatermark() {}

  /** The watermark as a {@link KeyCodec} text; null when the column holds no value yet. */
  static String capture(JdbcEndpoint source, SourceRelation relation, Layout layout,
      String column, int marginSeconds) throws SQLException {
    Dialect d = source.dialect();
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE)) {
      OpenTransactions open = OpenTransactions.on(c, d);
      Object max;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT max(" + d.quote(column) + ") FROM "
              + relation.fromClause(d))) {
        rs.next();
        Column col = layout.column(layout.indexOf(column));
        max = ColumnReader.forColumn(col.jdbcType(), col.typeName(), d).read(rs, 1);
      }
      if (max == null) {
        return null;
      }
      Instant bound = bound(open, marginSeconds, source, relation, column);
      Object watermark = max instanceof OffsetDateTime || max instanceof LocalDateTime
          || max instanceof LocalDate ? earlier(max, bound) : keptWithWarning(max, open, column);
      return KeyCodec.encode(new Object[] {watermark});
    }
  }

  private static Instant bound(OpenTransactions open, int marginSeconds, JdbcEndpoint source,
      SourceRelation relation, String column) {
    Instant from = open.now();
    if (!open.seesAll()) {
      LOG.warn("{}: ferry's user cannot see other sessions' transactions on {} (PostgreSQL:"
          + " grant pg_read_all_stats; MySQL/MariaDB: grant PROCESS); the catch-up watermark on"
          + " {} is set back {} s from now, so a transaction open longer than that and"
          + " committed after this run read past its rows would not be caught up (raise"
          + " since.marginSeconds)", relation.displayName(), source, column, marginSeconds);
    } else if (open.oldestStart() != null && open.oldestStart().isBefore(from)) {
      from = open.oldestStart();
      LOG.info("{}: a transaction open on the source since {} holds the catch-up watermark"
          + " back to its start (less {} s)", relation.displayName(), from, marginSeconds);
    }
    return from.minusSeconds(marginSeconds);
  }

  private static Object earlier(Object max, Instant bound) {
    if (max instanceof OffsetDateTime) {
      OffsetDateTime b = bound.atOffset(ZoneOffset.UTC);
      return ((OffsetDateTime) max).isAfter(b) ? b : max;
    }
    if (max instanceof LocalDateTime) {
      LocalDateTime b = LocalDateTime.ofInstant(bound, ZoneOffset.UTC);
      return ((LocalDateTime) max).isAfter(b) ? b : max;
    }
    LocalDate b = LocalDate.ofInstant(bound, ZoneOffset.UTC);
    return ((LocalDate) max).isAfter(b) ? b : max;
  }

  private static Object keptWithWarning(Object max, OpenTransactions open, String column) {
    if (open.oldestStart() != null || !open.seesAll()) {
      LOG.warn("catch-up column {} is not a date or time: its watermark ({}) cannot be set back"
          + " for transactions open on the source{}; one that commits lower values later is"
          + " not caught up", column, max, open.oldestStart() == null ? ""
          : " (the oldest since " + open.oldestStart() + ")");
    }
    return max;
  }
}
