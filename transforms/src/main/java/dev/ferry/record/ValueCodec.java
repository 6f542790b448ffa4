package dev.ferry.record;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Binary encoding of the value kinds a {@link Record} may hold: null, Boolean, Long, Double,
 * Float, BigDecimal, String, byte[], LocalDate, LocalTime, LocalDateTime, OffsetDateTime (kept
 * in UTC) and UUID. Each value carries a one-byte tag, so a column may hold different kinds
 * (a source can be loosely typed) and nothing depends on a schema being available at decode
 * time.
 */
public final class ValueCodec {
  private static final byte NULL = 0;
  private static final byte BOOLEAN = 1;
  private static final byte LONG = 2;
  private static final byte DOUBLE = 3;
  private static final byte FLOAT = 4;
  private static final byte DECIMAL = 5;
  private static final byte STRING = 6;
  private static final byte BYTES = 7;
  private static final byte DATE = 8;
  private static final byte TIME = 9;
  private static final byte TIMESTAMP = 10;
  private static final byte TIMESTAMPTZ = 11;
  private static final byte UUID_TAG = 12;

  private ValueCodec() {}

  public static void write(Object value, DataOutput out) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Boolean) {
      out.writeByte(BOOLEAN);
      out.writeBoolean((Boolean) value);
    } else if (value instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) value);
    } else if (value instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) value);
    } else if (value instanceof Float) {
      out.writeByte(FLOAT);
      out.writeFloat((Float) value);
    } else if (value instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) value;
      out.writeByte(DECIMAL);
      out.writeInt(d.scale());
      writeBytes(d.unscaledValue().toByteArray(), out);
    } else if (value instanceof String) {
      out.writeByte(STRING);
      writeString((String) value, out);
    } else if (value instanceof byte[]) {
      out.writeByte(BYTES);
      writeBytes((byte[]) value, out);
    } else if (value instanceof LocalDate) {
      out.writeByte(DATE);
      out.writeLong(((LocalDate) value).toEpochDay());
    } else if (value instanceof LocalTime) {
      out.writeByte(TIME);
      out.writeLong(((LocalTime) value).toNanoOfDay());
    } else if (value instanceof LocalDateTime) {
      LocalDateTime t = (LocalDateTime) value;
      out.writeByte(TIMESTAMP);
      out.writeLong(t.toEpochSecond(ZoneOffset.UTC));
      out.writeInt(t.getNano());
    } else if (value instanceof OffsetDateTime) {
      OffsetDateTime t = (OffsetDateTime) value;
      out.writeByte(TIMESTAMPTZ);
      out.writeLong(t.toEpochSecond());
      out.writeInt(t.getNano());
    } else if (value instanceof UUID) {
      UUID u = (UUID) value;
      out.writeByte(UUID_TAG);
      out.writeLong(u.getMostSignificantBits());
      out.writeLong(u.getLeastSignificantBits());
    } else {
      throw new IOException("ferry cannot encode a value of type " + value.getClass().getName());
    }
  }

  public static Object read(DataInput in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case BOOLEAN:
        return in.readBoolean();
      case LONG:
        return in.readLong();
      case DOUBLE:
        return in.readDouble();
      case FLOAT:
        return in.readFloat();
      case DECIMAL:
        int scale = in.readInt();
        return new BigDecimal(new BigInteger(readBytes(in)), scale);
      case STRING:
        return readString(in);
      case BYTES:
        return readBytes(in);
      case DATE:
        return LocalDate.ofEpochDay(in.readLong());
      case TIME:
        return LocalTime.ofNanoOfDay(in.readLong());
      case TIMESTAMP:
        return LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
      case TIMESTAMPTZ:
        long seconds = in.readLong();
        int nanos = in.readInt();
        return OffsetDateTime.ofInstant(
            java.time.Instant.ofEpochSecond(seconds, nanos), ZoneOffset.UTC);
      case UUID_TAG:
        return new UUID(in.readLong(), in.readLong());
      default:
        throw new IOException("corrupt ferry value encoding: unknown tag " + tag);
    }
  }

  // writeUTF is limited to 64 KiB, and text columns hold far more.
  static void writeString(String s, DataOutput out) throws IOException {
    writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
  }

  static String readString(DataInput in) throws IOException {
    return new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void writeBytes(byte[] bytes, DataOutput out) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
