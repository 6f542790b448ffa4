package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.schema.ColumnConversion;
import dev.ferry.schema.MySqlObjects;
import dev.ferry.schema.MySqlViewSql;
import dev.ferry.schema.SourceObject;
import dev.ferry.schema.TableConversion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a migration creates once every table is loaded, besides constraints: the triggers that
 * emulate ON UPDATE CURRENT_TIMESTAMP (after the load, or the copy would stamp every row with the
 * time of the copy), and the source's views, translated ({@link MySqlViewSql}) and tried on the
 * target. A view PostgreSQL refuses is listed as not migrated with PostgreSQL's reason, and goes
 * into {@link NotMigratedFile} with the triggers and routines ferry never translates. Every
 * statement is idempotent, so each run does it again.
 */
final class AfterLoadObjects {
  private static final Logger LOG = LoggerFactory.getLogger(AfterLoadObjects.class);
  /** PostgreSQL: a trigger of that name already exists on the table. */
  private static final String DUPLICATE_OBJECT = "42710";

  private final MigrationPlan plan;
  private final MigrateSettings settings;
  private final JdbcEndpoint target;

  AfterLoadObjects(MigrationPlan plan, MigrateSettings settings, JdbcEndpoint target) {
    this.plan = plan;
    this.settings = settings;
    this.target = target;
  }

  /** Creates the triggers and views and records in {@code summary} what became of each object. */
  void create(MigrationSummary summary) throws SQLException {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      for (String sql : plan.ddl.onUpdateTriggers()) {
        try {
          s.execute(sql);
        } catch (SQLException e) {
          if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
            throw e;
          }
        }
      }
      summary.onUpdateTriggers = (int) plan.ddl.onUpdateTriggers().stream()
          .filter(sql -> sql.startsWith("CREATE TRIGGER")).count();
      if (settings.targetSchema.isPresent()) {
        // Unqualified names in the views resolve to the tables in --targetSchema.
        s.execute("SET search_path TO " + Dialect.POSTGRESQL.quote(settings.targetSchema.get())
            + ", public");
      }
      Map<SourceObject, String> refused = createViews(s);
      List<NotMigratedFile.Entry> left = new ArrayList<>();
      refused.forEach((view, reason) -> left.add(new NotMigratedFile.Entry(view, reason)));
      left.addAll(NotMigratedFile.untranslated(plan.objects));
      Map<SourceObject, String> reasons = new HashMap<>();
      left.forEach(e -> reasons.put(e.object(), e.reason()));
      summary.objects.clear();
      for (SourceObject o : plan.objects) {
        String reason = reasons.get(o);
        summary.objects.add(PlanCommand.objectResult(o, reason == null ? "created"
            : "not migrated", reason));
      }
      summary.notMigrated = left.size();
      summary.warnings = plan.ddl.report().warnings().size() + left.size();
      Path file = NotMigratedFile.write(plan.mappingsDir, plan.schema.name(), left);
      summary.notMigratedFile = file == null ? null : file.toString();
    }
  }

  /**
   * Creates each view, in rounds, since a view may read another one listed after it; returns the
   * views PostgreSQL refused with its reason.
   */
  private Map<SourceObject, String> createViews(Statement s) {
    Map<SourceObject, String> pending = new LinkedHashMap<>();
    plan.objects.stream().filter(o -> o.kind() == SourceObject.Kind.VIEW)
        .forEach(v -> pending.put(v, ""));
    UnaryOperator<String> names = identifiers();
    boolean progress = true;
    while (progress && !pending.isEmpty()) {
      progress = false;
      for (SourceObject view : List.copyOf(pending.keySet())) {
        if (view.definition().equals(MySqlObjects.UNREADABLE)) {
          pending.put(view, "the source did not show its definition to ferry's user (grant"
              + " SHOW VIEW)");
          continue;
        }
        String sql = createView(view, names);
        try {
          s.execute(sql);
          pending.remove(view);
          progress = true;
          LOG.info("view {} created in the target", view.name());
        } catch (SQLException e) {
          pending.put(view, "PostgreSQL refused the translated view: "
              + target.redact(e.getMessage()).lines().findFirst().orElse("") + "; tried: "
              + sql);
        } catch (IllegalArgumentException e) {
          pending.put(view, "cannot translate it: " + e.getMessage());
        }
      }
    }
    pending.keySet().forEach(v -> LOG.warn("{} not migrated: {}", v.describe(), pending.get(v)));
    return pending;
  }

  private String createView(SourceObject view, UnaryOperator<String> names) {
    List<String> name = new ArrayList<>();
    settings.targetSchema.ifPresent(name::add);
    name.add(plan.naming.apply(view.name()));
    return "CREATE OR REPLACE VIEW " + Dialect.POSTGRESQL.quoteQualified(name) + " AS "
        + MySqlViewSql.translate(view.definition(), plan.schema.name(), names);
  }

  /**
   * A source identifier in a view as the migration spelled it in PostgreSQL: a table's or
   * column's name from the schema translation (which may have shortened it), any other name (an
   * alias, another view) as --naming spells it.
   */
  private UnaryOperator<String> identifiers() {
    Map<String, String> names = new HashMap<>();
    for (TableConversion table : plan.ddl.conversions()) {
      for (ColumnConversion column : table.columns()) {
        names.putIfAbsent(column.sourceColumn(), column.targetColumn());
      }
    }
    for (TableConversion table : plan.ddl.conversions()) {
      names.put(table.sourceTable(), table.targetTable());
    }
    return name -> names.getOrDefault(name, plan.naming.apply(name));
  }
}
