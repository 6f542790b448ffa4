package dev.ferry.map;

import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Conversions;
import dev.ferry.record.Layout;
import dev.ferry.record.ValueKind;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link MappingSpec} compiled against a source layout: every column name resolved to a
 * position and every type, zone and class checked, so that a mistake in the mapping fails before
 * any row is read. {@link #map} then turns one source row into one target row.
 */
public final class RecordMapper implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Layout source;
  private final Layout target;
  private final ColumnStep[] steps;
  private final String customClass;
  /** Every source column copied unchanged, in order: a row maps to itself. */
  private final boolean identity;
  private transient RowTransform custom;

  private RecordMapper(Layout source, Layout target, ColumnStep[] steps, String customClass,
      boolean identity) {
    this.source = source;
    this.target = target;
    this.steps = steps;
    this.customClass = customClass;
    this.identity = identity;
  }

  /** Compiles a mapping, failing with the rule and the reason when it does not fit the source. */
  public static RecordMapper compile(MappingSpec spec, Layout source) {
    Set<String> dropped = new HashSet<>(spec.drop);
    for (String d : spec.drop) {
      source.indexOf(d);
    }
    Set<String> ruled = new HashSet<>();
    Set<String> renamedAway = new HashSet<>();
    for (ColumnRule rule : spec.columns) {
      if (rule.name == null || rule.name.isEmpty()) {
        throw new IllegalArgumentException("a mapping column rule has no name");
      }
      if (!ruled.add(rule.name)) {
        throw new IllegalArgumentException("column '" + rule.name + "' is mapped twice");
      }
      String from = rule.sourceColumn();
      if (from != null && !from.equals(rule.name)) {
        renamedAway.add(from);
      }
    }
    List<Column> outColumns = new ArrayList<>();
    List<ColumnStep> steps = new ArrayList<>();
    if (spec.passthrough) {
      for (int i = 0; i < source.size(); i++) {
        Column c = source.column(i);
        if (!dropped.contains(c.name()) && !ruled.contains(c.name())
            && !renamedAway.contains(c.name())) {
          outColumns.add(c);
          steps.add(ColumnStep.copy(c.name(), i));
        }
      }
    }
    for (ColumnRule rule : spec.columns) {
      ColumnStep step = ColumnStep.compile(rule, source);
      steps.add(step);
      String from = rule.sourceColumn();
      outColumns.add(from != null && rule.cast == null && rule.fromZone == null
          ? renamed(source.column(source.indexOf(from)), rule.name)
          : new Column(rule.name, Types.OTHER, "", 0, 0, true));
    }
    if (outColumns.isEmpty()) {
      throw new IllegalArgumentException("the mapping produces no columns");
    }
    boolean identity = spec.passthrough && spec.columns.isEmpty() && spec.drop.isEmpty()
        && spec.custom == null;
    RecordMapper mapper = new RecordMapper(source, new Layout(outColumns),
        steps.toArray(new ColumnStep[0]), spec.custom, identity);
    mapper.customTransform();
    return mapper;
  }

  private static Column renamed(Column c, String name) {
    return new Column(name, c.jdbcType(), c.typeName(), c.size(), c.scale(), c.nullable());
  }

  /** Whether every row maps to itself: no rules, no dropped columns, no custom transform. */
  public boolean isIdentity() {
    return identity;
  }

  public Layout sourceLayout() {
    return source;
  }

  /** The mapped columns, in output order. */
  public Layout targetLayout() {
    return target;
  }

  /**
   * The output column that carries a source column's value (copied, renamed or converted), or
   * null when no single output column does. Used to find the target key from the source key.
   */
  public String outputFor(String sourceColumn) {
    int index = source.indexOf(sourceColumn);
    for (int i = 0; i < steps.length; i++) {
      if (steps[i].sourceIndex == index) {
        return target.column(i).name();
      }
    }
    return null;
  }

  /** Maps one source row; the result has the columns of {@link #targetLayout()}. */
  public Object[] map(Object[] row) throws MappingException {
    if (identity) {
      return row; // rows are never modified in place, so the target row can share the array
    }
    Object[] out = new Object[steps.length];
    for (int i = 0; i < steps.length; i++) {
      out[i] = steps[i].apply(row);
    }
    RowTransform transform = customTransform();
    if (transform != null) {
      try {
        transform.apply(new MappedRow(source, row, target, out));
      } catch (Exception e) {
        throw new MappingException(null, "custom transform " + customClass + ": " + e.getMessage());
      }
    }
    return out;
  }

  private RowTransform customTransform() {
    if (customClass == null) {
      return null;
    }
    if (custom == null) {
      try {
        custom = Class.forName(customClass).asSubclass(RowTransform.class)
            .getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalArgumentException(
            "custom transform " + customClass + " cannot be loaded: it must be a public class"
                + " implementing " + RowTransform.class.getName()
                + " with a public no-argument constructor (" + e + ")");
      }
    }
    return custom;
  }

  /** One output column's compiled rule. */
  private static final class ColumnStep implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int sourceIndex;
    private final Object constant;
    private final int[] concat;
    private final String separator;
    private final String[] ops;
    private final boolean repairEncoding;
    private final ValueKind cast;
    private final String zone;
    private final String ambiguous;
    private final String gap;
    private final Object defaultValue;
    private transient ZoneId zoneId;

    private ColumnStep(String name, int sourceIndex, Object constant, int[] concat,
        String separator, String[] ops, boolean repairEncoding, ValueKind cast, String zone,
        String ambiguous, String gap, Object defaultValue) {
      this.name = name;
      this.sourceIndex = sourceIndex;
      this.constant = constant;
      this.concat = concat;
      this.separator = separator;
      this.ops = ops;
      this.repairEncoding = repairEncoding;
      this.cast = cast;
      this.zone = zone;
      this.ambiguous = ambiguous;
      this.gap = gap;
      this.defaultValue = defaultValue;
    }

    static ColumnStep copy(String name, int index) {
      return new ColumnStep(name, index, null, null, "", new String[0], false, null, null,
          "earlier", "reject", null);
    }

    static ColumnStep compile(ColumnRule rule, Layout source) {
      String where = "mapping of column '" + rule.name + "': ";
      int sourceIndex = -1;
      int[] concat = null;
      int kinds = (rule.constant != null ? 1 : 0) + (rule.concat != null ? 1 : 0)
          + (rule.from != null ? 1 : 0);
      if (kinds > 1) {
        throw new IllegalArgumentException(where + "use only one of from, constant and concat");
      }
      try {
        if (rule.concat != null) {
          if (rule.concat.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one column");
          }
          concat = source.indexesOf(rule.concat);
        } else if (rule.constant == null) {
          sourceIndex = source.indexOf(rule.from != null ? rule.from : rule.name);
        }
        for (String op : rule.ops) {
          if (!Set.of("trim", "lower", "upper").contains(op)) {
            throw new IllegalArgumentException(
                "unknown op '" + op + "' (expected trim, lower or upper)");
          }
        }
        ValueKind cast = rule.cast == null ? null : ValueKind.parse(rule.cast);
        if (rule.fromZone != null) {
          ZoneId.of(rule.fromZone);
        }
        if (!Set.of("earlier", "later", "reject").contains(rule.ambiguous)) {
          throw new IllegalArgumentException(
              "ambiguous must be earlier, later or reject, not '" + rule.ambiguous + "'");
        }
        String gap = rule.gap == null ? "reject" : rule.gap;
        if (!Set.of("shift", "reject", "null").contains(gap)) {
          throw new IllegalArgumentException(
              "gap must be shift, reject or null, not '" + rule.gap + "'");
        }
        return new ColumnStep(rule.name, sourceIndex, normalize(rule.constant), concat,
            rule.separator == null ? "" : rule.separator, rule.ops.toArray(new String[0]),
            rule.repairEncoding, cast, rule.fromZone, rule.ambiguous, gap,
            normalize(rule.defaultValue));
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
    }

    // YAML scalars arrive as Integer/Double; ferry's value kinds are Long and BigDecimal.
    private static Object normalize(Object v) {
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
      if (v instanceof Double || v instanceof Float) {
        return new BigDecimal(v.toString());
      }
      if (v instanceof java.math.BigInteger) {
        return new BigDecimal((java.math.BigInteger) v);
      }
      return v;
    }

    Object apply(Object[] row) throws MappingException {
      Object v;
      if (concat != null) {
        v = concat(row);
      } else if (sourceIndex >= 0) {
        v = row[sourceIndex];
      } else {
        v = constant;
      }
      if (v != null && (ops.length > 0 || repairEncoding)) {
        if (!(v instanceof String)) {
          throw new MappingException(name, "column " + name + ": text operations need text, got "
              + v.getClass().getSimpleName() + " '" + v + "'");
        }
        String s = (String) v;
        for (String op : ops) {
          s = applyOp(op, s);
        }
        v = repairEncoding ? TextRepair.repairMojibake(s) : s;
      }
      if (cast != null) {
        try {
          v = Conversions.convert(v, cast);
        } catch (ConversionException e) {
          throw new MappingException(name, "column " + name + ": " + e.getMessage());
        }
      }
      if (zone != null && v != null) {
        v = toInstant(v);
      }
      return v == null ? defaultValue : v;
    }

    private Object concat(Object[] row) throws MappingException {
      StringBuilder sb = null;
      for (int index : concat) {
        Object part = row[index];
        if (part == null) {
          continue;
        }
        String text;
        try {
          text = (String) Conversions.convert(part, ValueKind.TEXT);
        } catch (ConversionException e) {
          throw new MappingException(name, "column " + name + ": " + e.getMessage());
        }
        sb = sb == null ? new StringBuilder(text) : sb.append(separator).append(text);
      }
      return sb == null ? null : sb.toString();
    }

    private static String applyOp(String op, String s) {
      switch (op) {
        case "trim":
          return s.strip();
        case "lower":
          return s.toLowerCase(Locale.ROOT);
        case "upper":
          return s.toUpperCase(Locale.ROOT);
        default:
          throw new IllegalStateException(op);
      }
    }

    private Object toInstant(Object v) throws MappingException {
      if (!(v instanceof LocalDateTime)) {
        throw new MappingException(name, "column " + name + ": fromZone needs a zone-less"
            + " timestamp, got " + v.getClass().getSimpleName() + " '" + v + "'");
      }
      if (zoneId == null) {
        zoneId = ZoneId.of(zone);
      }
      LocalDateTime local = (LocalDateTime) v;
      List<ZoneOffset> offsets = zoneId.getRules().getValidOffsets(local);
      if (offsets.isEmpty() && !gap.equals("shift")) {
        if (gap.equals("null")) {
          return null;
        }
        throw new MappingException(name, "column " + name + ": local time " + local
            + " does not exist in " + zone + " (skipped by a daylight-saving change; gap:"
            + " shift or null would keep the row)");
      }
      // In a gap, ofLocal moves the time forward by the gap's length.
      ZonedDateTime zoned = ZonedDateTime.ofLocal(local, zoneId, null);
      if (offsets.size() > 1) {
        if (ambiguous.equals("reject")) {
          throw new MappingException(name, "column " + name + ": local time " + local
              + " occurs twice in " + zone + " (daylight-saving overlap)");
        }
        zoned = ambiguous.equals("later")
            ? zoned.withLaterOffsetAtOverlap() : zoned.withEarlierOffsetAtOverlap();
      }
      return zoned.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }
  }
}
