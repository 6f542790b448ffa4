package dev.ferry.reconcile;

import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MappingException;
import dev.ferry.map.RecordMapper;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import dev.ferry.record.ValueKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One side of a comparison: where its rows are, which columns are read, and how a read row
 * becomes a row of the compared layout (the target's mapped columns). The source side applies
 * the backfill's mapping, so a source row is compared with what it should have become; the
 * target side reads the compared columns as they are.
 *
 * <p>Two key orders matter. The <em>range key</em> orders the planned key ranges: the source key
 * on the source, and the target columns that the mapping copies the source key into on the
 * target. The <em>lookup key</em> finds a row by the compared (target) key: on the source, the
 * source columns copied into the target key, when the mapping copies them plainly.
 */
public final class ReconcileSide implements Serializable {
  private static final long serialVersionUID = 1L;
  // Kinds whose values both engines and BinaryKeyOrder sort alike.
  private static final Set<ValueKind> ORDERED = EnumSet.of(ValueKind.LONG, ValueKind.DECIMAL,
      ValueKind.TEXT, ValueKind.DATE, ValueKind.TIMESTAMP, ValueKind.TIMESTAMPTZ,
      ValueKind.BYTES);

  private final String role;
  private final JdbcEndpoint endpoint;
  private final SourceRelation relation;
  private final Layout readLayout;
  private final RecordMapper mapper;
  private final List<String> lookupKey;
  private final Map<String, String> plainColumns;
  private final boolean zeroDatesAsNull;
  private final boolean keyCopied;

  private ReconcileSide(String role, JdbcEndpoint endpoint, SourceRelation relation,
      Layout readLayout, RecordMapper mapper, List<String> lookupKey,
      Map<String, String> plainColumns, boolean zeroDatesAsNull, boolean keyCopied) {
    this.role = role;
    this.endpoint = endpoint;
    this.relation = relation;
    this.readLayout = readLayout;
    this.mapper = mapper;
    this.lookupKey = lookupKey;
    this.plainColumns = plainColumns;
    this.zeroDatesAsNull = zeroDatesAsNull;
    this.keyCopied = keyCopied;
  }

  /**
   * The source: {@code relation}'s key orders the ranges; {@code mapper} turns its rows into the
   * compared layout; {@code lookupKey} names, for each compared key column, the source column
   * copied into it (null when the mapping computes the key).
   */
  public static ReconcileSide source(JdbcEndpoint endpoint, SourceRelation relation,
      RecordMapper mapper, List<String> lookupKey) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(mapper, "mapper");
    for (String k : relation.keyColumns()) {
      mapper.sourceLayout().indexOf(k);
    }
    if (lookupKey != null) {
      for (String k : lookupKey) {
        mapper.sourceLayout().indexOf(k);
      }
    }
    return new ReconcileSide("source", endpoint, relation, mapper.sourceLayout(), mapper,
        lookupKey == null ? null : List.copyOf(lookupKey), null, false, false);
  }

  /**
   * The target table: its compared columns are read as they are; {@code rangeKey} are the
   * target columns holding the source's range key, {@code key} the compared key.
   */
  public static ReconcileSide target(JdbcEndpoint endpoint, List<String> table, Layout compared,
      List<String> rangeKey, List<String> key) {
    Objects.requireNonNull(endpoint, "endpoint");
    for (String k : rangeKey) {
      compared.indexOf(k);
    }
    for (String k : key) {
      compared.indexOf(k);
    }
    Map<String, String> identity = new HashMap<>();
    for (String name : compared.names()) {
      identity.put(name, name);
    }
    return new ReconcileSide("target", endpoint, SourceRelation.table(table, rangeKey), compared,
        null, List.copyOf(key), identity, false, true);
  }

  /**
   * Declares that every compared column is a plain copy of one column of this side (no
   * conversion, no text operation), named by {@code comparedToSide}; only then can checksums be
   * computed in SQL on this side.
   */
  public ReconcileSide withPlainColumns(Map<String, String> comparedToSide) {
    for (String sideColumn : comparedToSide.values()) {
      readLayout.indexOf(sideColumn);
    }
    return new ReconcileSide(role, endpoint, relation, readLayout, mapper, lookupKey,
        Map.copyOf(comparedToSide), zeroDatesAsNull, keyCopied);
  }

  /** MySQL zero dates read as NULL, as the backfill was told to load them. */
  public ReconcileSide withZeroDatesAsNull(boolean asNull) {
    return new ReconcileSide(role, endpoint, relation, readLayout, mapper, lookupKey,
        plainColumns, asNull, keyCopied);
  }

  /**
   * Declares that the mapping copies every range key column unchanged into the compared key
   * (no rule, conversion or custom transform touches it), so both sides sort their keys alike.
   */
  public ReconcileSide withKeyCopiedUnchanged() {
    return new ReconcileSide(role, endpoint, relation, readLayout, mapper, lookupKey,
        plainColumns, zeroDatesAsNull, true);
  }

  /**
   * True when both sides, each sorted by its range key in binary order, list the compared keys
   * in the same order, so that their ranges can be joined by merging the two sorted streams:
   * the range key is the compared key, copied unchanged, and each key column is of the same
   * ordered kind on both sides (and not CHAR(n)).
   */
  static boolean sortedAlike(ReconcileSide source, ReconcileSide target) {
    if (!source.keyCopied || !target.keyCopied
        || !target.relation.keyColumns().equals(target.lookupKey)) {
      return false;
    }
    List<Column> s = source.rangeKeyColumns();
    List<Column> t = target.rangeKeyColumns();
    for (int i = 0; i < s.size(); i++) {
      ValueKind kind = ColumnKinds.of(s.get(i), source.dialect());
      // CHAR(n) sorts without its padding in SQL but is read padded.
      if (kind != ColumnKinds.of(t.get(i), target.dialect()) || !ORDERED.contains(kind)
          || ColumnKinds.isPaddedChar(s.get(i)) || ColumnKinds.isPaddedChar(t.get(i))) {
        return false;
      }
    }
    return true;
  }

  public String role() {
    return role;
  }

  public JdbcEndpoint endpoint() {
    return endpoint;
  }

  public Dialect dialect() {
    return endpoint.dialect();
  }

  public SourceRelation relation() {
    return relation;
  }

  public String displayName() {
    return relation.displayName();
  }

  public Layout readLayout() {
    return readLayout;
  }

  public boolean zeroDatesAsNull() {
    return zeroDatesAsNull;
  }

  /** The range key's columns as this side describes them. */
  List<Column> rangeKeyColumns() {
    return columns(relation.keyColumns());
  }

  /** True when rows can be found by their compared key on this side. */
  public boolean hasLookupKey() {
    return lookupKey != null;
  }

  List<Column> lookupKeyColumns() {
    if (lookupKey == null) {
      throw new IllegalStateException(role + " " + displayName() + " cannot be searched by the"
          + " target key: the mapping computes the key instead of copying it");
    }
    return columns(lookupKey);
  }

  private List<Column> columns(List<String> names) {
    List<Column> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(readLayout.column(readLayout.indexOf(n)));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * For each compared column, this side's column that holds its value as is, or null when some
   * compared column is computed (then no SQL checksum is possible on this side).
   */
  public List<Column> plainColumnsFor(Layout compared) {
    if (plainColumns == null) {
      return null;
    }
    List<Column> out = new ArrayList<>(compared.size());
    for (String name : compared.names()) {
      String side = plainColumns.get(name);
      if (side == null) {
        return null;
      }
      out.add(readLayout.column(readLayout.indexOf(side)));
    }
    return out;
  }

  /** A row as read, turned into the compared layout. */
  Object[] toCompared(Object[] read) throws MappingException {
    return mapper == null ? read : mapper.map(read);
  }

  /**
   * The compared key of a row whose mapping failed, from the columns the lookup key copies; null
   * when the mapping computes the key.
   */
  Object[] comparedKeyOf(Object[] read) {
    if (lookupKey == null) {
      return null;
    }
    Object[] key = new Object[lookupKey.size()];
    for (int i = 0; i < key.length; i++) {
      key[i] = read[readLayout.indexOf(lookupKey.get(i))];
    }
    return key;
  }

  /** The source key of a row as read, for naming it in reports. */
  Object[] rangeKeyOf(Object[] read) {
    List<String> keys = relation.keyColumns();
    Object[] key = new Object[keys.size()];
    for (int i = 0; i < key.length; i++) {
      key[i] = read[readLayout.indexOf(keys.get(i))];
    }
    return key;
  }

  @Override
  public String toString() {
    return role + " " + displayName() + " at " + endpoint;
  }
}
