package dev.ferry.schema;

import dev.ferry.jdbc.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The PostgreSQL names of everything generated, quoted with {@link Dialect#POSTGRESQL}. Index and
 * enum type names get their table's name in front because PostgreSQL scopes them to the schema, not
 * the table. Names longer than PostgreSQL's 63 bytes are shortened with a hash suffix instead of
 * being cut silently, so two long names never collide.
 */
final class PostgresNames {
  static final int MAX_IDENTIFIER_BYTES = 63;
  private static final int HASH_CHARS = 8;

  private final Optional<String> schema;

  PostgresNames(Optional<String> schema) {
    this.schema = schema;
  }

  String table(String table) {
    return qualified(fit(table));
  }

  String column(String column) {
    return quote(fit(column));
  }

  String primaryKey(String table) {
    return quote(fit(table + "_pkey"));
  }

  String index(String table, String index) {
    return quote(fit(table + "_" + index));
  }

  String constraint(String name) {
    return quote(fit(name));
  }

  String enumType(String table, String column) {
    return qualified(fit(table + "_" + column));
  }

  String onUpdateFunction(String table) {
    return qualified(fit(table + "_on_update"));
  }

  String onUpdateTrigger(String table) {
    return quote(fit(table + "_on_update"));
  }

  static String quote(String identifier) {
    return Dialect.POSTGRESQL.quote(identifier);
  }

  /** The name as PostgreSQL will store it: unchanged when it fits in 63 bytes. */
  static String fit(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_IDENTIFIER_BYTES) {
      return name;
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    String hash = String.format("%08x", crc.getValue());
    int budget = MAX_IDENTIFIER_BYTES - HASH_CHARS - 1;
    StringBuilder prefix = new StringBuilder();
    int used = 0;
    for (int i = 0; i < name.length(); ) {
      int codePoint = name.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (used + size > budget) {
        break;
      }
      prefix.appendCodePoint(codePoint);
      used += size;
      i += Character.charCount(codePoint);
    }
    return prefix + "_" + hash;
  }

  private String qualified(String name) {
    List<String> parts = new ArrayList<>();
    schema.ifPresent(parts::add);
    parts.add(name);
    return Dialect.POSTGRESQL.quoteQualified(parts);
  }
}
