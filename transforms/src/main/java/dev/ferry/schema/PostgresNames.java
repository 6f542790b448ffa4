package dev.ferry.schema;

import dev.ferry.jdbc.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The PostgreSQL names of everything generated, spelled by the migration's {@link Naming} and
 * quoted with {@link Dialect#POSTGRESQL}. Index and enum type names get their table's name in
 * front because PostgreSQL scopes them to the schema, not the table. Names longer than
 * PostgreSQL's 63 bytes are shortened with a hash suffix instead of being cut silently, so two
 * long names never collide.
 *
 * <p>The generator {@link #claim claims} every name it creates in the scope PostgreSQL keeps it
 * unique in; two source objects claiming one name are {@link #collisions() collisions}, and
 * names that differ from their source spelling are {@link #renames() renames}.
 */
final class PostgresNames {
  static final int MAX_IDENTIFIER_BYTES = 63;
  private static final int HASH_CHARS = 8;

  private final Optional<String> schema;
  private final Naming naming;
  /** Scope, then PostgreSQL name, to the source object that claimed it first. */
  private final Map<String, Map<String, String>> claimed = new HashMap<>();
  private final List<String> collisions = new ArrayList<>();
  private final List<Rename> renames = new ArrayList<>();

  PostgresNames(Optional<String> schema, Naming naming) {
    this.schema = schema;
    this.naming = naming;
  }

  Naming naming() {
    return naming;
  }

  /** The table's PostgreSQL name, unquoted and unqualified. */
  String tableName(String table) {
    return fit(naming.apply(table));
  }

  String table(String table) {
    return qualified(tableName(table));
  }

  /** The column's PostgreSQL name, unquoted. */
  String columnName(String column) {
    return fit(naming.apply(column));
  }

  String column(String column) {
    return quote(columnName(column));
  }

  String primaryKeyName(String table) {
    return fit(naming.apply(table) + "_pkey");
  }

  String primaryKey(String table) {
    return quote(primaryKeyName(table));
  }

  String indexName(String table, String index) {
    return fit(naming.apply(table) + "_" + naming.apply(index));
  }

  String index(String table, String index) {
    return quote(indexName(table, index));
  }

  String constraintName(String name) {
    return fit(naming.apply(name));
  }

  String constraint(String name) {
    return quote(constraintName(name));
  }

  String enumTypeName(String table, String column) {
    return fit(naming.apply(table) + "_" + naming.apply(column));
  }

  String enumType(String table, String column) {
    return qualified(enumTypeName(table, column));
  }

  String onUpdateFunction(String table) {
    return qualified(fit(naming.apply(table) + "_on_update"));
  }

  String onUpdateTrigger(String table) {
    return quote(fit(naming.apply(table) + "_on_update"));
  }

  /**
   * Records that {@code what} (for example {@code table 'Order'}) is called {@code name} in
   * {@code scope} (the schema's relations, its types, one table's columns or constraints); a
   * second, different claimant is a collision.
   */
  void claim(String scope, String name, String what) {
    String first = claimed.computeIfAbsent(scope, s -> new HashMap<>()).putIfAbsent(name, what);
    // In binary order: the catalog lists 'Order' and 'order' in either order (its collation
    // ties them), and the message must not change from run to run.
    boolean firstBefore = first == null || first.compareTo(what) <= 0;
    String collision = (firstBefore ? first : what) + " and " + (firstBefore ? what : first)
        + " both become " + quote(name);
    // a table's name is claimed as a relation and as a type: one collision, said once
    if (first != null && !first.equals(what) && !collisions.contains(collision)) {
      collisions.add(collision);
    }
  }

  /** Records a source identifier spelled differently in PostgreSQL. */
  void renamed(String kind, String source, String sourceName, String target) {
    if (!sourceName.equals(target)) {
      renames.add(new Rename(kind, source, target));
    }
  }

  List<String> collisions() {
    return collisions;
  }

  List<Rename> renames() {
    return renames;
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
