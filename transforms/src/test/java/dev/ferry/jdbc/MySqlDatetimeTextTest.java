package dev.ferry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class MySqlDatetimeTextTest {
  private static LocalDateTime parse(String text) {
    return MySqlDatetimeText.parse(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void parsesEveryFractionLength() {
    assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 58), parse("2024-02-29 23:59:58"));
    assertEquals(LocalDateTime.of(1, 1, 1, 0, 0, 0, 100_000_000), parse("0001-01-01 00:00:00.1"));
    assertEquals(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
        parse("9999-12-31 23:59:59.999999"));
    assertEquals(LocalDateTime.of(2020, 1, 2, 3, 4, 5, 120_000_000),
        parse("2020-01-02 03:04:05.120000"));
  }

  @Test
  void leavesZeroInvalidAndOddValuesToTheCarefulPath() {
    for (String odd : new String[] {"0000-00-00 00:00:00", "2024-00-15 10:00:00",
        "2024-05-00 10:00:00", "2023-02-29 10:00:00", "2024-04-31 00:00:00",
        "2024-01-01 24:00:00", "2024-01-01 10:60:00", "2024-01-01 10:00:60",
        "2024-01-01T10:00:00", "2024-01-01 10:00:00.", "2024-01-01 10:00:00.1234567",
        "2024-01-01", "2024-01-01 1a:00:00", "2024-01-01 10:00:00,5"}) {
      assertNull(parse(odd), odd);
    }
  }

  @Test
  void parsesDatesAndLeavesTheOddOnesToTheCarefulPath() {
    assertEquals(LocalDate.of(2024, 2, 29), date("2024-02-29"));
    assertEquals(LocalDate.of(1, 1, 1), date("0001-01-01"));
    assertEquals(LocalDate.of(9999, 12, 31), date("9999-12-31"));
    for (String odd : new String[] {"0000-00-00", "2024-00-15", "2024-05-00", "2023-02-29",
        "2024-04-31", "2024-13-01", "2024/01/01", "2024-1-01", "2024-01-01 00:00:00",
        "20x4-01-01", "-024-01-01"}) {
      assertNull(date(odd), odd);
    }
    // a binary-protocol DATE: year 2024 little-endian, month, day
    assertNull(MySqlDatetimeText.parseDate(new byte[] {(byte) 0xE8, 0x07, 2, 29}));
  }

  private static LocalDate date(String text) {
    return MySqlDatetimeText.parseDate(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void tellsTextFromBinaryProtocolValues() {
    assertTrue(MySqlDatetimeText.isText("2024-01-01".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(MySqlDatetimeText.isText("-838:59:59".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(MySqlDatetimeText.isText("12:30:00".getBytes(StandardCharsets.US_ASCII)));
    // binary DATETIME 2093-08-05 (year 0x082D: low byte '-'), binary TIME of 48 days
    assertFalse(MySqlDatetimeText.isText(new byte[] {0x2D, 0x08, 8, 5, 10, 0, 0}));
    assertFalse(MySqlDatetimeText.isText(new byte[] {0, 48, 0, 0, 0, 1, 2, 3}));
    assertFalse(MySqlDatetimeText.isText(new byte[] {'7'}));
  }
}
