package dev.ferry.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversionsTest {
  private static String refusal(Object v, ValueKind kind) {
    return assertThrows(ConversionException.class, () -> Conversions.convert(v, kind))
        .getMessage();
  }

  @Test
  void nullStaysNullForEveryKind() throws ConversionException {
    for (ValueKind kind : ValueKind.values()) {
      assertNull(Conversions.convert(null, kind));
    }
  }

  @Test
  void numbersConvertOnlyWhenTheValueIsKept() throws ConversionException {
    assertEquals(3L, Conversions.convert(new BigDecimal("3.000"), ValueKind.LONG));
    assertEquals(-7L, Conversions.convert(" -7 ", ValueKind.LONG));
    assertEquals(1L, Conversions.convert(true, ValueKind.LONG));
    assertTrue(refusal(new BigDecimal("3.7"), ValueKind.LONG).contains("'3.7' to an integer"));
    assertTrue(refusal(1e30, ValueKind.LONG).contains("integer"));
    assertEquals(new BigDecimal("0.1"), Conversions.convert(0.1d, ValueKind.DECIMAL));
    assertTrue(refusal(Double.NaN, ValueKind.DECIMAL).contains("not a finite number"));
    // A float widens to its exact binary value, as both engines widen it.
    assertEquals(0.10000000149011612d, Conversions.convert(0.1f, ValueKind.DOUBLE));
    assertTrue(refusal(1e300, ValueKind.FLOAT).contains("out of range"));
    assertEquals(Float.POSITIVE_INFINITY,
        Conversions.convert(Double.POSITIVE_INFINITY, ValueKind.FLOAT));
  }

  @Test
  void booleansAcceptOnlyZeroAndOne() throws ConversionException {
    assertEquals(false, Conversions.convert(0L, ValueKind.BOOLEAN));
    assertEquals(true, Conversions.convert(new BigDecimal("1.0"), ValueKind.BOOLEAN));
    assertEquals(true, Conversions.convert(" Yes", ValueKind.BOOLEAN));
    assertTrue(refusal(2L, ValueKind.BOOLEAN).contains("only 0 and 1"));
    assertTrue(refusal("maybe", ValueKind.BOOLEAN).contains("'maybe' to a boolean"));
  }

  @Test
  void timesFollowTheDocumentedUtcRules() throws ConversionException {
    OffsetDateTime plusTwo = OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2));
    assertEquals(LocalDateTime.of(2024, 6, 1, 10, 0),
        Conversions.convert(plusTwo, ValueKind.TIMESTAMP));
    assertEquals(OffsetDateTime.of(2024, 6, 1, 10, 0, 0, 0, ZoneOffset.UTC),
        Conversions.convert("2024-06-01 10:00:00", ValueKind.TIMESTAMPTZ));
    assertEquals(OffsetDateTime.of(2024, 6, 1, 10, 0, 0, 0, ZoneOffset.UTC),
        Conversions.convert(plusTwo, ValueKind.TIMESTAMPTZ));
    assertEquals(LocalDate.of(2024, 6, 1),
        Conversions.convert(LocalDateTime.of(2024, 6, 1, 0, 0), ValueKind.DATE));
    assertEquals(LocalDate.of(2024, 6, 1), Conversions.convert("2024-06-01", ValueKind.DATE));
    assertTrue(refusal(LocalDateTime.of(2024, 6, 1, 0, 0, 1), ValueKind.DATE)
        .contains("time of day"));
    assertEquals(LocalTime.of(1, 2, 3), Conversions.convert("01:02:03", ValueKind.TIME));
    assertTrue(refusal("2024-02-30", ValueKind.DATE).contains("a date"));
  }

  @Test
  void textBytesAndUuids() throws ConversionException {
    assertEquals("12.50", Conversions.convert(new BigDecimal("12.50"), ValueKind.TEXT));
    assertArrayEquals("Ł".getBytes(StandardCharsets.UTF_8),
        (byte[]) Conversions.convert("Ł", ValueKind.BYTES));
    assertTrue(refusal(new byte[3], ValueKind.TEXT).contains("3 bytes"));
    UUID id = UUID.randomUUID();
    assertEquals(id, Conversions.convert(" " + id + " ", ValueKind.UUID));
    assertTrue(refusal("not-a-uuid", ValueKind.UUID).contains("a uuid"));
  }

  @Test
  void refusalsNeverCarryAWholeLargeValue() {
    String message = refusal("x".repeat(10_000), ValueKind.LONG);
    assertTrue(message.contains("(10000 characters)"), message);
    assertTrue(message.length() < 400, message);
  }
}
