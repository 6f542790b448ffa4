package dev.ferry.write;

import dev.ferry.jdbc.Dialect;
import java.io.Serializable;

/**
 * The statement {@link WriteChunks} runs for each row, in batches, inside the chunk's
 * transaction: by default the table's idempotent upsert ({@link #upsert()}). Other statements
 * (the in-place fill's {@code UPDATE … WHERE column IS NULL}) get the same transaction,
 * checkpoint, retries and dead-letter isolation.
 */
public interface RowStatement extends Serializable {
  /** The SQL, with one parameter for each column of {@code table}. */
  String sql(Dialect dialect, TargetTable table);

  /** For each column of {@code table}, in order, the 1-based parameter it binds. */
  int[] parameters(TargetTable table);

  /** Whether rows may be bulk-inserted instead (PostgreSQL COPY); only true for upserts. */
  boolean insertsRows();

  /** The idempotent upsert of {@link UpsertSql}. */
  static RowStatement upsert() {
    return Upsert.INSTANCE;
  }

  /** {@link #upsert()}: parameters in column order. */
  enum Upsert implements RowStatement {
    INSTANCE;

    @Override
    public String sql(Dialect dialect, TargetTable table) {
      return UpsertSql.build(dialect, table);
    }

    @Override
    public int[] parameters(TargetTable table) {
      int[] positions = new int[table.columns().size()];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = i + 1;
      }
      return positions;
    }

    @Override
    public boolean insertsRows() {
      return true;
    }
  }
}
