package dev.ferry.schema;

import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the values of one column are copied: where from, where to and what must happen to them on the
 * way. The data copy builds its per-table column mapping from these.
 *
 * @param sourceColumn the MySQL column name
 * @param targetColumn the PostgreSQL column name (the same unless it had to be shortened)
 * @param sourceType the MySQL COLUMN_TYPE
 * @param targetType the PostgreSQL type as declared
 * @param needs the conversions the values need; empty means copy as is
 * @param labels the ENUM or SET labels, in declaration order; empty for other columns
 * @param sourceZone the zone to use for {@link ConversionNeed#SOURCE_ZONE}, absent otherwise
 */
public record ColumnConversion(
    String sourceColumn,
    String targetColumn,
    String sourceType,
    String targetType,
    Set<ConversionNeed> needs,
    List<String> labels,
    Optional<ZoneId> sourceZone) {

  public ColumnConversion {
    Objects.requireNonNull(sourceColumn, "sourceColumn");
    Objects.requireNonNull(targetColumn, "targetColumn");
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(targetType, "targetType");
    EnumSet<ConversionNeed> ordered = EnumSet.noneOf(ConversionNeed.class);
    ordered.addAll(needs);
    needs = Collections.unmodifiableSet(ordered);
    labels = List.copyOf(labels);
    Objects.requireNonNull(sourceZone, "sourceZone");
  }

  public boolean needs(ConversionNeed need) {
    return needs.contains(need);
  }

  /** Whether the value can be copied without any conversion. */
  public boolean isPassThrough() {
    return needs.isEmpty();
  }
}
