package dev.ferry.pipelines.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.map.ColumnRule;
import dev.ferry.map.MappingSpec;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import dev.ferry.schema.Naming;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A job's mapping with its target column names spelled by the job's {@link Naming} ({@code
 * target.naming}), as {@code ferry migrate} spells the columns of the tables it creates: a column
 * the mapping passes through under a name the naming changes gets an explicit rename rule, and a
 * rule's name is spelled by the naming too. Every job that reads the spec (backfill, catch-up,
 * reconcile, fill) compiles the same renamed mapping, so they agree on the target's columns.
 * Columns added by lookups keep the names the lookup gives them.
 */
final class TargetNaming {
  private static final ObjectMapper COPY = new ObjectMapper();

  private TargetNaming() {}

  static MappingSpec apply(MappingSpec spec, Layout source, Naming naming) {
    if (naming == Naming.PRESERVE) {
      return spec;
    }
    MappingSpec named = COPY.convertValue(spec, MappingSpec.class);
    Set<String> taken = new HashSet<>(named.drop);
    for (ColumnRule rule : named.columns) {
      taken.add(rule.name);
      if (rule.from == null && rule.constant == null && rule.concat == null) {
        rule.from = rule.name;
      }
      if (rule.from != null) {
        taken.add(rule.from);
      }
      rule.name = naming.apply(rule.name);
    }
    if (named.passthrough) {
      List<String> passed = source.columns().stream().map(Column::name)
          .filter(c -> !taken.contains(c) && !naming.apply(c).equals(c)).toList();
      for (String column : passed) {
        named.columns.add(ColumnRule.named(naming.apply(column)).from(column));
      }
    }
    return named;
  }
}
