package dev.ferry.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of {@link TypeRule}s that decides the PostgreSQL type of every MySQL column: the
 * first rule whose {@code when} matches wins.
 *
 * <p>The defaults ship as the readable resource {@code dev/ferry/schema/mysql-to-postgresql.yaml},
 * which also documents the file format. A user file overrides them: its rules are tried first, or
 * replace the defaults entirely when the file says {@code replaceDefaults: true}.
 *
 * <pre>{@code
 * TypeMappingRules rules =
 *     TypeMappingRules.defaults().overriddenBy(TypeMappingRules.load(Files.newInputStream(path)));
 * }</pre>
 */
public final class TypeMappingRules {
  private static final String DEFAULTS_RESOURCE = "mysql-to-postgresql.yaml";

  private final List<TypeRule> rules;
  private final boolean replacesDefaults;

  TypeMappingRules(List<TypeRule> rules, boolean replacesDefaults) {
    this.rules = List.copyOf(rules);
    this.replacesDefaults = replacesDefaults;
  }

  /** ferry's default MySQL / MariaDB to PostgreSQL rules. */
  public static TypeMappingRules defaults() {
    return Defaults.RULES;
  }

  /**
   * The rules of one YAML file, exactly as written; see {@link #overriddenBy} to combine them with
   * the defaults. The stream is read but not closed.
   *
   * @throws IllegalArgumentException if the file is not valid YAML, has unknown keys, an invalid
   *     pattern or an unknown placeholder; the message names the rule
   */
  public static TypeMappingRules load(InputStream yaml) {
    return RuleFileParser.parse(yaml);
  }

  /**
   * These rules with {@code overrides} taking precedence: the override rules first, then these; or
   * the override rules alone when that file says {@code replaceDefaults: true}.
   */
  public TypeMappingRules overriddenBy(TypeMappingRules overrides) {
    if (overrides.replacesDefaults) {
      return overrides;
    }
    List<TypeRule> combined = new ArrayList<>(overrides.rules);
    combined.addAll(rules);
    return new TypeMappingRules(combined, replacesDefaults);
  }

  public List<TypeRule> rules() {
    return rules;
  }

  /** Whether this rule set, used as an override, replaces the rules it overrides. */
  public boolean replacesDefaults() {
    return replacesDefaults;
  }

  /**
   * The first rule that matches the column.
   *
   * @throws ColumnMappingException if no rule matches, naming the table, column and type
   */
  public TypeRule ruleFor(TableDef table, ColumnDef column) {
    for (TypeRule rule : rules) {
      if (rule.matches(table, column)) {
        return rule;
      }
    }
    throw new ColumnMappingException(
        table.name(),
        column.name(),
        "no type-mapping rule matches type "
            + column.columnType()
            + "; add a rule for it to your rules file");
  }

  /** Loaded once, on first use. */
  private static final class Defaults {
    static final TypeMappingRules RULES = loadDefaults();

    private static TypeMappingRules loadDefaults() {
      try (InputStream in = TypeMappingRules.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + DEFAULTS_RESOURCE);
        }
        return load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE, e);
      }
    }
  }
}
