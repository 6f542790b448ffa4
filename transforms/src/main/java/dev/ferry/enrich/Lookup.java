package dev.ferry.enrich;

import dev.ferry.map.LookupRule;
import dev.ferry.map.MappingException;
import dev.ferry.record.Column;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A {@link LookupRule} compiled against the layout of the rows it enriches and the columns of
 * its lookup table: positions resolved and names checked, so a mistake fails before any row is
 * read. {@link #apply} then fills one row from the lookup rows that match it.
 *
 * <p>Behaviour, whichever strategy delivers the matches:
 *
 * <ul>
 *   <li>A filled column the row already has keeps a non-NULL value; only NULL is filled. A
 *       column the row does not have is added.
 *   <li>No match (or a NULL in the row's {@code on} columns): the columns stay NULL, or with
 *       {@code required: true} the row is dead-lettered.
 *   <li>Several matches that agree on every filled column count as one. Matches that disagree
 *       are never resolved by picking one: the row is dead-lettered ({@code onMultiple:
 *       deadLetter}) or the job fails ({@code onMultiple: fail}), naming the lookup, the key and
 *       the columns.
 * </ul>
 */
public final class Lookup implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the lookup's rows meet the rows to enrich. */
  public enum Strategy {
    /** The whole lookup is handed to every worker as a map: for small lookups. */
    SIDE_INPUT,
    /** Rows and lookup rows are grouped by key (CoGroupByKey): for lookups of any size. */
    JOIN
  }

  private final String name;
  private final List<String> on;
  private final int[] onIndexes;
  private final List<String> keyColumns;
  private final List<String> valueColumns;
  private final List<String> outputNames;
  private final int[] outputIndexes;
  private final int inputSize;
  private final Layout output;
  private final boolean required;
  private final boolean failOnMultiple;

  private Lookup(LookupRule rule, Layout rows, Layout lookupColumns) {
    this.name = rule.displayName();
    this.on = List.copyOf(rule.on);
    this.onIndexes = rows.indexesOf(on);
    this.keyColumns = List.copyOf(rule.keyColumns());
    lookupColumns.indexesOf(keyColumns);
    this.valueColumns = new ArrayList<>();
    this.outputNames = new ArrayList<>();
    this.outputIndexes = new int[rule.columns.size()];
    this.inputSize = rows.size();
    List<Column> columns = new ArrayList<>(rows.columns());
    for (int i = 0; i < rule.columns.size(); i++) {
      LookupRule.Output out = rule.columns.get(i);
      if (out.name == null || out.name.isEmpty()) {
        throw new IllegalArgumentException(where() + "a filled column has no name");
      }
      if (outputNames.contains(out.name)) {
        throw new IllegalArgumentException(where() + "column '" + out.name + "' is filled twice");
      }
      Column source = lookupColumns.column(lookupColumns.indexOf(out.source()));
      valueColumns.add(source.name());
      outputNames.add(out.name);
      if (rows.has(out.name)) {
        outputIndexes[i] = rows.indexOf(out.name);
      } else {
        outputIndexes[i] = columns.size();
        columns.add(new Column(out.name, source.jdbcType(), source.typeName(), source.size(),
            source.scale(), true));
      }
    }
    this.output = new Layout(columns);
    this.required = rule.required;
    this.failOnMultiple = rule.onMultiple.equals("fail");
  }

  /**
   * Compiles {@code rule} for rows of layout {@code rows} and a lookup with the columns of
   * {@code lookupColumns}; fails naming the lookup and the reason.
   */
  public static Lookup compile(LookupRule rule, Layout rows, Layout lookupColumns) {
    check(rule);
    try {
      return new Lookup(rule, rows, lookupColumns);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String prefix = "lookup " + rule.displayName() + ": ";
      throw new IllegalArgumentException(message.startsWith(prefix) ? message : prefix + message,
          e);
    }
  }

  /** Checks what can be checked without the lookup's columns: fields present and consistent. */
  public static void check(LookupRule rule) {
    if ((rule.table == null) == (rule.collection == null)) {
      throw new IllegalArgumentException("a lookup needs either table or collection");
    }
    String where = "lookup " + rule.displayName() + ": ";
    if (rule.on.isEmpty()) {
      throw new IllegalArgumentException(where + "on: name the row's column(s) to look up");
    }
    if (rule.keyColumns().size() != rule.on.size()) {
      throw new IllegalArgumentException(where + "key has " + rule.keyColumns().size()
          + " column(s) but on has " + rule.on.size());
    }
    if (rule.columns.isEmpty()) {
      throw new IllegalArgumentException(where + "columns: name the column(s) to fill");
    }
    if (!Set.of("deadLetter", "fail").contains(rule.onMultiple)) {
      throw new IllegalArgumentException(where + "onMultiple must be deadLetter or fail, not '"
          + rule.onMultiple + "'");
    }
    if (!Set.of("auto", "sideInput", "join").contains(rule.strategy)) {
      throw new IllegalArgumentException(where + "strategy must be auto, sideInput or join, not '"
          + rule.strategy + "'");
    }
    if (!Set.of("source", "target").contains(rule.database)) {
      throw new IllegalArgumentException(where + "database must be source or target, not '"
          + rule.database + "'");
    }
    if (rule.sideInputMaxRows < 0) {
      throw new IllegalArgumentException(where + "sideInputMaxRows must not be negative");
    }
  }

  private String where() {
    return "lookup " + name + ": ";
  }

  public String name() {
    return name;
  }

  /** The lookup columns whose values form the join key, in the order of {@code on}. */
  public List<String> keyColumns() {
    return keyColumns;
  }

  /** The lookup columns read for the filled columns, in their order: a lookup row's values. */
  public List<String> valueColumns() {
    return valueColumns;
  }

  /** The enriched rows' columns: the input's, then the filled columns the input lacked. */
  public Layout outputLayout() {
    return output;
  }

  /** The join text of a row, or null when it cannot match (a NULL in {@code on}). */
  String keyOf(Object[] row) {
    Object[] key = new Object[onIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = row[onIndexes[i]];
    }
    return JoinKey.of(key);
  }

  /**
   * The row with its columns filled from {@code matches} (distinct lookup rows: the values of
   * {@link #valueColumns()}). Throws {@link MappingException} when the row is to be
   * dead-lettered, {@link IllegalStateException} when the job is to fail.
   */
  Object[] apply(Object[] row, Collection<Record> matches) throws MappingException {
    Object[] out = row.length == output.size() ? row.clone() : java.util.Arrays.copyOf(row,
        output.size());
    if (!anyNull(out)) {
      return out;
    }
    if (matches.size() > 1) {
      String message = where() + matches.size() + " rows match " + readableKey(row)
          + " with different values for " + outputNames + "; ferry does not pick one";
      if (failOnMultiple) {
        throw new IllegalStateException(message);
      }
      throw new MappingException(outputNames.get(0), message);
    }
    if (matches.isEmpty()) {
      if (required) {
        throw new MappingException(outputNames.get(0), where() + "no row matches "
            + readableKey(row) + " and " + outputNames + " is required");
      }
      return out;
    }
    Record match = matches.iterator().next();
    for (int i = 0; i < outputIndexes.length; i++) {
      if (out[outputIndexes[i]] == null) {
        out[outputIndexes[i]] = match.get(i);
      }
    }
    return out;
  }

  private boolean anyNull(Object[] row) {
    for (int i : outputIndexes) {
      if (row[i] == null) {
        return true;
      }
    }
    return false;
  }

  private String readableKey(Object[] row) {
    Object[] key = new Object[onIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = row[onIndexes[i]];
    }
    return KeyCodec.readable(on, key);
  }

  @Override
  public String toString() {
    return "lookup " + name + " on " + on + " -> " + outputNames;
  }
}
