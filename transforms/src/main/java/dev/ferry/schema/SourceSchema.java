package dev.ferry.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A MySQL or MariaDB schema (database) as {@link MySqlCatalog} read it.
 *
 * @param name the schema name
 * @param serverVersion the server's VERSION(), for example {@code 10.11.5-MariaDB}
 * @param tables the base tables, ordered by name
 */
public record SourceSchema(String name, String serverVersion, List<TableDef> tables) {
  public SourceSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(serverVersion, "serverVersion");
    tables = List.copyOf(tables);
  }

  public Optional<TableDef> table(String tableName) {
    return tables.stream().filter(t -> t.name().equals(tableName)).findFirst();
  }

  public boolean isMariaDb() {
    return serverVersion.contains("MariaDB");
  }
}
