package dev.ferry.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything the schema translation could not carry over exactly: dropped defaults, lossy types,
 * prefix and skipped indexes, foreign-key cycles. Each warning names its table and, where it
 * applies, its column.
 */
public final class Report {
  private final List<Warning> warnings;

  private Report(List<Warning> warnings) {
    this.warnings = List.copyOf(warnings);
  }

  public List<Warning> warnings() {
    return warnings;
  }

  public List<Warning> of(WarningKind kind) {
    return warnings.stream().filter(w -> w.kind() == kind).toList();
  }

  public List<Warning> forTable(String table) {
    return warnings.stream().filter(w -> w.table().equals(table)).toList();
  }

  public boolean isEmpty() {
    return warnings.isEmpty();
  }

  /** One warning per line. */
  @Override
  public String toString() {
    return warnings.stream().map(Warning::toString).collect(Collectors.joining("\n"));
  }

  /** Collects warnings while the DDL is generated. */
  static final class Builder {
    private final List<Warning> warnings = new ArrayList<>();

    void column(WarningKind kind, TableDef table, ColumnDef column, String message) {
      warnings.add(new Warning(kind, table.name(), Optional.of(column.name()), message));
    }

    void table(WarningKind kind, String table, String message) {
      warnings.add(new Warning(kind, table, Optional.empty(), message));
    }

    Report build() {
      return new Report(warnings);
    }
  }
}
