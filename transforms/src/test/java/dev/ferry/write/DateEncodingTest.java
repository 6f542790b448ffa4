package dev.ferry.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dates go into COPY text by hand for the years 1 to 9999 and by PostgresTime otherwise. */
class DateEncodingTest {
  @Test
  void copyWritesEveryDateBackExactly() throws Exception {
    List<LocalDate> dates = List.of(LocalDate.of(1, 1, 1), LocalDate.of(9, 9, 9),
        LocalDate.of(99, 10, 31), LocalDate.of(999, 12, 1), LocalDate.of(1000, 1, 10),
        LocalDate.of(1970, 1, 1), LocalDate.of(2024, 2, 29), LocalDate.of(9999, 12, 31),
        LocalDate.of(10000, 1, 1), LocalDate.of(0, 12, 31), LocalDate.of(-43, 3, 15),
        LocalDate.MAX, LocalDate.MIN);
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE d (id bigint PRIMARY KEY, day date)");
    TargetTable table = CopyTargets.keyedById(db, "d");
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < dates.size(); i++) {
      rows.add(new Object[] {(long) i, dates.get(i)});
    }
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      PostgresCopyUpsert.open(c, table).insert(rows);
      c.commit();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, day FROM d ORDER BY id")) {
        for (int i = 0; i < dates.size(); i++) {
          assertTrue(rs.next());
          assertEquals(dates.get(i), rs.getObject(2, LocalDate.class), "date " + i);
        }
      }
    }
  }
}
