package dev.ferry.pipelines.reconcile;

import dev.ferry.map.ColumnRule;
import dev.ferry.map.MappingSpec;
import dev.ferry.record.Layout;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which target columns a mapping fills by copying one source column unchanged (passthrough or
 * rename). Only such columns can be checksummed in the source database, where the mapping cannot
 * run.
 */
final class PlainMapping {
  private PlainMapping() {}

  /** Target column to source column, or null when any mapped column is not a plain copy. */
  static Map<String, String> of(MappingSpec spec, Layout source) {
    if (spec.custom != null) {
      return null;
    }
    Map<String, String> plain = new HashMap<>();
    Set<String> ruled = new HashSet<>();
    Set<String> renamedAway = new HashSet<>();
    for (ColumnRule rule : spec.columns) {
      if (!copies(rule)) {
        return null;
      }
      String from = rule.from != null ? rule.from : rule.name;
      plain.put(rule.name, from);
      ruled.add(rule.name);
      if (!from.equals(rule.name)) {
        renamedAway.add(from);
      }
    }
    if (spec.passthrough) {
      for (String name : source.names()) {
        if (!spec.drop.contains(name) && !ruled.contains(name) && !renamedAway.contains(name)) {
          plain.put(name, name);
        }
      }
    }
    return plain;
  }

  /**
   * True when each target column of {@code targetToSource} is filled by copying its source
   * column unchanged: no custom transform, and any rule for it is a plain copy or rename.
   */
  static boolean copiesUnchanged(MappingSpec spec, Map<String, String> targetToSource) {
    if (spec.custom != null) {
      return false;
    }
    for (ColumnRule rule : spec.columns) {
      String source = targetToSource.get(rule.name);
      if (source == null) {
        continue;
      }
      if (!copies(rule) || !source.equals(rule.from != null ? rule.from : rule.name)) {
        return false;
      }
    }
    return true;
  }

  /** A rule that copies or renames its column and does nothing else. */
  private static boolean copies(ColumnRule rule) {
    return rule.constant == null && rule.concat == null && rule.ops.isEmpty()
        && !rule.repairEncoding && rule.cast == null && rule.fromZone == null
        && rule.defaultValue == null;
  }
}
