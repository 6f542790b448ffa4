package dev.ferry.digest;

import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.KV;

/**
 * Turns rows in the compared layout (the target's columns, in the mapping's order) into their
 * canonical key and {@link RowDigest}. Both sides use the same instance, so a source row after
 * mapping and a target row are encoded by the same rules; see {@link CanonicalColumn} for the
 * encoding. The row hash is MD5 over the concatenated column encodings, which is what the SQL
 * form ({@link SqlCanonical}) computes inside a database.
 *
 * <p>Keys are encoded at full precision and without tolerance: a key identifies a row, it is
 * never "almost" equal.
 */
public final class RowCanonicalizer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Layout layout;
  private final CanonicalColumn[] columns;
  private final CanonicalColumn[] keyColumns;
  private final int[] keyIndexes;
  private final boolean anyTolerant;
  private final CanonicalRules rules;

  private RowCanonicalizer(Layout layout, CanonicalColumn[] columns, CanonicalColumn[] keyColumns,
      int[] keyIndexes, CanonicalRules rules) {
    this.layout = layout;
    this.columns = columns;
    this.keyColumns = keyColumns;
    this.keyIndexes = keyIndexes;
    boolean tolerant = false;
    for (CanonicalColumn c : columns) {
      tolerant |= c.tolerant();
    }
    this.anyTolerant = tolerant;
    this.rules = rules;
  }

  /**
   * @param compared the target's compared columns with the target's own types
   * @param targetDialect the target's engine, which decides how its types read
   * @param keys the target key columns, among {@code compared}
   * @param paddedColumns compared columns whose source column is a CHAR(n); with padding
   *     trimmed, their trailing spaces do not count on either side
   */
  public static RowCanonicalizer of(Layout compared, Dialect targetDialect, List<String> keys,
      CanonicalRules rules, Set<String> paddedColumns) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a comparison needs at least one key column");
    }
    CanonicalColumn[] columns = new CanonicalColumn[compared.size()];
    for (int i = 0; i < columns.length; i++) {
      Column c = compared.column(i);
      boolean trim = rules.trimCharPadding()
          && (ColumnKinds.isPaddedChar(c) || paddedColumns.contains(c.name()));
      columns[i] = new CanonicalColumn(c.name(), ColumnKinds.of(c, targetDialect), trim,
          rules.floatTolerance(), rules.timestampPrecision(), rules.sourceZone().getId());
    }
    int[] keyIndexes = compared.indexesOf(keys);
    CanonicalColumn[] keyColumns = new CanonicalColumn[keyIndexes.length];
    for (int i = 0; i < keyIndexes.length; i++) {
      CanonicalColumn c = columns[keyIndexes[i]];
      keyColumns[i] = new CanonicalColumn(c.name(), c.kind(), rules.trimCharPadding()
          && ColumnKinds.isPaddedChar(compared.column(keyIndexes[i])), 0,
          CanonicalRules.MAX_TIMESTAMP_PRECISION, rules.sourceZone().getId());
    }
    return new RowCanonicalizer(compared, columns, keyColumns, keyIndexes, rules);
  }

  /** The compared columns, in row order. */
  public Layout layout() {
    return layout;
  }

  public List<String> columnNames() {
    return layout.names();
  }

  public List<String> keyNames() {
    List<String> names = new ArrayList<>(keyIndexes.length);
    for (int k : keyIndexes) {
      names.add(layout.column(k).name());
    }
    return Collections.unmodifiableList(names);
  }

  /** Absolute tolerance for float columns; 0 when floats compare exactly. */
  public double floatTolerance() {
    return rules.floatTolerance();
  }

  public CanonicalRules rules() {
    return rules;
  }

  /** The canonical text of a row's key: equal keys have equal text on every engine. */
  public String key(Object[] row) {
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < keyIndexes.length; i++) {
      keyColumns[i].append(sb, row[keyIndexes[i]]);
    }
    return sb.toString();
  }

  /** The canonical key of key values given in key order (as {@link #decodeKey} returns). */
  public String keyOf(Object[] keyValues) {
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < keyColumns.length; i++) {
      keyColumns[i].append(sb, keyValues[i]);
    }
    return sb.toString();
  }

  /** The canonical text of a whole row, whose MD5 is the row hash. */
  public String canonicalRow(Object[] row) {
    StringBuilder sb = new StringBuilder(128);
    for (int i = 0; i < columns.length; i++) {
      columns[i].append(sb, row[i]);
    }
    return sb.toString();
  }

  /** A row's canonical key and digest; {@code range} and {@code bucketing} place it. */
  public KV<String, RowDigest> digest(Object[] row, int range, Bucketing bucketing) {
    if (row.length != columns.length) {
      throw new IllegalArgumentException("row has " + row.length + " values but "
          + columns.length + " columns are compared " + layout.names());
    }
    String key = key(row);
    StringBuilder sb = new StringBuilder(128);
    int[] columnHashes = new int[columns.length];
    double[] approx = anyTolerant ? new double[columns.length] : null;
    for (int i = 0; i < columns.length; i++) {
      int start = sb.length();
      columns[i].append(sb, row[i]);
      columnHashes[i] = Hashes.murmur32(sb, start, sb.length());
      if (approx != null) {
        approx[i] = columns[i].tolerant() ? columns[i].approx(row[i]) : Double.NaN;
      }
    }
    byte[] hash = Hashes.md5(sb.toString());
    return KV.of(key, new RowDigest(range, bucketing.bucketOf(key), Hashes.lane(hash, 1),
        Hashes.lane(hash, 2), columnHashes, approx, null));
  }

  /**
   * The digest of a source row that the mapping rejected at {@code column}: keyed by its key
   * values (in key order), with a hash no mapped row can have, so it never matches.
   */
  public KV<String, RowDigest> rejected(Object[] keyValues, int range, Bucketing bucketing,
      String column) {
    return rejected(keyOf(keyValues), range, bucketing, column);
  }

  /** As {@link #rejected(Object[], int, Bucketing, String)} with the key text given. */
  public KV<String, RowDigest> rejected(String key, int range, Bucketing bucketing,
      String column) {
    byte[] hash = Hashes.md5("!rejected:" + column + ":" + key);
    return KV.of(key, new RowDigest(range, bucketing.bucketOf(key), Hashes.lane(hash, 1),
        Hashes.lane(hash, 2), new int[columns.length], null, column == null ? "" : column));
  }

  /**
   * The canonical text of whole rows ({@link #canonicalRow}) as SQL on one side, or why the
   * engines cannot compute it alike.
   *
   * @param sideColumns for each compared column, the column on this side that holds its value
   * @param peerColumns the same for the other side
   */
  public SqlCanonical.Form sqlRow(Dialect dialect, List<Column> sideColumns, Dialect peerDialect,
      List<Column> peerColumns) {
    return sql(columns, dialect, sideColumns, peerDialect, peerColumns,
        rules.timestampPrecision());
  }

  /** The canonical key ({@link #key}) as SQL; {@code sideKeyColumns} in key order. */
  public SqlCanonical.Form sqlKey(Dialect dialect, List<Column> sideKeyColumns,
      Dialect peerDialect, List<Column> peerKeyColumns) {
    return sql(keyColumns, dialect, sideKeyColumns, peerDialect, peerKeyColumns,
        CanonicalRules.MAX_TIMESTAMP_PRECISION);
  }

  private SqlCanonical.Form sql(CanonicalColumn[] canon, Dialect dialect, List<Column> side,
      Dialect peerDialect, List<Column> peer, int precision) {
    List<String> texts = new ArrayList<>();
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < canon.length; i++) {
      SqlCanonical.Column1 c = SqlCanonical.column(canon[i], dialect, side.get(i), peerDialect,
          peer.get(i), rules, precision);
      if (c.problem != null) {
        return SqlCanonical.Form.none(c.problem);
      }
      texts.add(c.text);
      tags.append(c.tag);
    }
    return SqlCanonical.Form.of(dialect, texts, tags.toString());
  }

  /** Reads a canonical key back into key values of the target's kinds, in key order. */
  public Object[] decodeKey(String key) {
    Object[] values = new Object[keyColumns.length];
    int p = 0;
    for (int i = 0; i < values.length; i++) {
      int end = CanonicalColumn.elementEnd(key, p);
      char tag = key.charAt(p);
      values[i] = tag == CanonicalColumn.NULL ? null
          : keyColumns[i].decode(tag, key.substring(key.indexOf(':', p) + 1, end));
      p = end;
    }
    if (p != key.length()) {
      throw new IllegalArgumentException("not a canonical key of " + keyNames() + ": " + key);
    }
    return values;
  }

  @Override
  public String toString() {
    return "RowCanonicalizer" + Arrays.toString(columns);
  }
}
