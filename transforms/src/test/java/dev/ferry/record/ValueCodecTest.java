package dev.ferry.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
  private static Object roundTrip(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ValueCodec.write(value, new DataOutputStream(bytes));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    Object back = ValueCodec.read(in);
    assertEquals(-1, in.read(), "every byte written is read back");
    return back;
  }

  @Test
  void everyValueKindRoundTripsExactly() throws IOException {
    Object[] values = {
        null, Boolean.FALSE, Long.MAX_VALUE, Double.NaN, -0.0f,
        new BigDecimal("-0.000000000000000000000000000001"), new BigDecimal("1E+30"),
        UUID.randomUUID(), LocalDate.of(-4712, 1, 1), LocalTime.MIDNIGHT,
        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999),
        OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 1, ZoneOffset.UTC), new byte[0]};
    for (Object v : values) {
      Object back = roundTrip(v);
      assertArrayEquals(new Object[] {v}, new Object[] {back}, String.valueOf(v));
      if (v instanceof BigDecimal) {
        assertEquals(((BigDecimal) v).scale(), ((BigDecimal) back).scale());
      }
    }
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) roundTrip(-0.0f)));
  }

  @Test
  void textBeyondSixtyFourKilobytesAndOutsideTheBmpSurvives() throws IOException {
    String big = "😀ß".repeat(40_000);
    assertEquals(big, roundTrip(big));
  }

  @Test
  void instantsAreKeptInUtcWithTheSameInstant() throws IOException {
    OffsetDateTime local = OffsetDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneOffset.ofHours(2));
    OffsetDateTime back = (OffsetDateTime) roundTrip(local);
    assertEquals(ZoneOffset.UTC, back.getOffset());
    assertEquals(local.toInstant(), back.toInstant());
  }

  @Test
  void unknownTypesAndTagsAreRefused() {
    IOException unknownType = assertThrows(IOException.class,
        () -> ValueCodec.write(new StringBuilder(), new DataOutputStream(new ByteArrayOutputStream())));
    assertTrue(unknownType.getMessage().contains("StringBuilder"));
    IOException unknownTag = assertThrows(IOException.class,
        () -> ValueCodec.read(new DataInputStream(new ByteArrayInputStream(new byte[] {99}))));
    assertTrue(unknownTag.getMessage().contains("99"));
  }
}
