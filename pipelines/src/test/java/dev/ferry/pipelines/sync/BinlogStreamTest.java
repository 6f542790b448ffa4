package dev.ferry.pipelines.sync;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which servers' binlogs sync reads: MariaDB's; MySQL proper is refused with the reason. */
class BinlogStreamTest {
  @Test
  void mariaDbIsAcceptedAndMySqlProperRefusedNamingItsVersion() {
    assertNull(BinlogStream.notMariaDb("10.11.5-MariaDB-log"));
    assertNull(BinlogStream.notMariaDb("11.4.2-MariaDB-ubu2404"));
    String mysql = BinlogStream.notMariaDb("8.4.3");
    assertTrue(mysql.contains("MySQL 8.4.3") && mysql.contains("MariaDB only"), mysql);
    assertTrue(BinlogStream.notMariaDb("8.0.36-log").contains("MySQL 8.0.36-log"));
  }
}
