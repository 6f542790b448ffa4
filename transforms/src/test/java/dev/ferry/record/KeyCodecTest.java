package dev.ferry.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  @Test
  void everyKeyKindDecodesToTheSameValueAndClass() {
    Object[] key = {
        null, 42L, Long.MIN_VALUE, new BigDecimal("12345678901234567890.000100"), "é\u0000\"[]",
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), LocalDate.of(1, 1, 1),
        LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_789),
        OffsetDateTime.of(2024, 3, 31, 2, 30, 0, 1000, ZoneOffset.ofHours(2)),
        LocalTime.of(23, 59, 59, 999_999_999), true, -0.0d, Float.MIN_VALUE,
        new byte[] {0, (byte) 0xff, 0x7f}};
    Object[] back = KeyCodec.decode(KeyCodec.encode(key));
    assertArrayEquals(key, back);
    for (int i = 0; i < key.length; i++) {
      if (key[i] != null) {
        assertEquals(key[i].getClass(), back[i].getClass(), "kind of key part " + i);
      }
    }
  }

  @Test
  void decimalsKeepTheirScaleAndNegativeZeroItsSign() {
    Object[] back = KeyCodec.decode(KeyCodec.encode(new Object[] {new BigDecimal("1.50"), -0.0d}));
    assertEquals(2, ((BigDecimal) back[0]).scale());
    assertEquals(Double.doubleToRawLongBits(-0.0d), Double.doubleToRawLongBits((Double) back[1]));
  }

  @Test
  void unsupportedAndCorruptKeysAreRefusedWithTheirText() {
    IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class,
        () -> KeyCodec.encode(new Object[] {new StringBuilder("x")}));
    assertTrue(unsupported.getMessage().contains("StringBuilder"));
    IllegalArgumentException corrupt =
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.decode("[[\"long\""));
    assertTrue(corrupt.getMessage().contains("[[\"long\""));
    assertThrows(IllegalArgumentException.class, () -> KeyCodec.decode("[[\"money\",\"1\"]]"));
  }

  @Test
  void readableNamesEachKeyColumn() {
    assertEquals("{\"id\":42,\"tenant\":\"eu\"}",
        KeyCodec.readable(List.of("id", "tenant"), new Object[] {42L, "eu"}));
  }
}
