package dev.ferry.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {
  @Test
  void aStateIsFoundAmongTheBatchsRowErrors() {
    BatchUpdateException batch = new BatchUpdateException("batch failed", "XX000", new int[0]);
    batch.setNextException(new SQLException("insert or update violates foreign key", "23503"));
    assertTrue(SqlErrors.hasState(batch, "23503"));
    assertTrue(SqlErrors.hasState(batch, "23"));
    assertFalse(SqlErrors.hasState(batch, "28"));
  }

  @Test
  void anErrorChainedToItselfEndsTheWalk() {
    SQLException self = new SQLException("loops", "08006");
    self.setNextException(self);
    assertFalse(SqlErrors.hasState(self, "23503"));
    assertTrue(SqlErrors.hasState(self, "08"));
  }
}
