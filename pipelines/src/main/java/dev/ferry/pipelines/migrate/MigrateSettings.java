package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.spec.QualifiedName;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.schema.MappingOptions;
import dev.ferry.schema.Naming;
import dev.ferry.schema.TypeMappingRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A migration's settings after the flags were checked: endpoints with their secrets resolved,
 * the mapping choices and rules loaded, table filters parsed. Built before anything connects, so a
 * wrong flag fails naming the flag and the reason.
 */
final class MigrateSettings {
  private static final String ORIGIN = "flags";
  /** Where ferry keeps its state unless --stateSchema says otherwise: not the application's. */
  static final String DEFAULT_STATE_SCHEMA = "ferry";
  /** Mapping files beside the user, never in a source tree. */
  private static final Path DEFAULT_MAPPINGS = Path.of("ferry-mappings");

  final JdbcEndpoint source;
  /** Absent only for a plan, which reads nothing but the source. */
  final Optional<JdbcEndpoint> target;
  final Optional<String> targetSchema;
  final List<String> stateSchema;
  /** True when --stateSchema was given: tables beside the state are then the user's choice. */
  final boolean stateSchemaChosen;
  final Set<String> include;
  final Set<String> exclude;
  final Set<String> reload;
  final MappingOptions mappingOptions;
  final TypeMappingRules rules;
  /** The parent of the per-database default directory, or the directory --mappingsDir names. */
  private final Optional<Path> mappingsDir;
  final boolean overwrite;
  final boolean planOnly;
  final long maxDeadLetters;
  final Optional<String> reportFile;

  private MigrateSettings(MigrateOptions o, Secrets secrets) {
    source = endpoint("source", o.getSourceUrl(), o.getSourceUser(), o.getSourcePasswordEnv(),
        o.getSourcePasswordFile(), secrets);
    if (source.dialect() != Dialect.MYSQL) {
      throw new SpecException(ORIGIN, "sourceUrl", "must be a MySQL or MariaDB database"
          + " (jdbc:mysql: or jdbc:mariadb:)");
    }
    target = o.getTargetUrl() == null ? Optional.empty()
        : Optional.of(endpoint("target", o.getTargetUrl(), o.getTargetUser(),
            o.getTargetPasswordEnv(), o.getTargetPasswordFile(), secrets));
    if (target.isPresent() && target.get().dialect() != Dialect.POSTGRESQL) {
      throw new SpecException(ORIGIN, "targetUrl", "must be a PostgreSQL database"
          + " (jdbc:postgresql:)");
    }
    Naming naming = o.getNaming() == null ? Naming.LOWER : naming(o.getNaming());
    // A schema written in double quotes keeps its spelling, as in PostgreSQL's own SQL.
    targetSchema = Optional.ofNullable(o.getTargetSchema()).map(s -> s.strip().startsWith("\"")
        ? single("targetSchema", s) : naming.apply(single("targetSchema", s)));
    stateSchema = List.of(o.getStateSchema() == null ? DEFAULT_STATE_SCHEMA
        : single("stateSchema", o.getStateSchema()));
    stateSchemaChosen = o.getStateSchema() != null;
    include = names(o.getTables());
    exclude = names(o.getExclude());
    reload = names(o.getReload());
    MappingOptions choices = mappingOptions(o).withNaming(naming)
        .withOnUpdateTriggers(!Boolean.FALSE.equals(o.getOnUpdateTriggers()));
    mappingOptions = targetSchema.map(choices::withTargetSchema).orElse(choices);
    rules = rules(o.getRulesFile());
    mappingsDir = Optional.ofNullable(o.getMappingsDir()).map(Path::of);
    overwrite = o.getOverwrite();
    planOnly = o.getPlanOnly();
    maxDeadLetters = o.getMaxDeadLetters() == null ? 0 : o.getMaxDeadLetters();
    if (maxDeadLetters < 0) {
      throw new SpecException(ORIGIN, "maxDeadLetters", "must not be negative");
    }
    positive("partitions", o.getPartitions());
    positive("batchSize", o.getBatchSize());
    reportFile = Optional.ofNullable(o.getReportFile());
  }

  /** @throws SpecException naming the flag when a flag is missing or invalid */
  static MigrateSettings from(MigrateOptions options, Secrets secrets) {
    return new MigrateSettings(options, secrets);
  }

  private static JdbcEndpoint endpoint(String side, String url, String user, String passwordEnv,
      String passwordFile, Secrets secrets) {
    if (url == null) {
      throw new SpecException(ORIGIN, side + "Url", "required (a JDBC URL)");
    }
    Secrets.refusePasswordInUrl(url, ORIGIN, side + "Url");
    if (passwordEnv != null && passwordFile != null) {
      throw new SpecException(ORIGIN, side + "PasswordEnv", "give either " + side
          + "PasswordEnv or " + side + "PasswordFile, not both");
    }
    String password = null;
    if (passwordEnv != null) {
      password = secrets.resolve("${env:" + passwordEnv + "}", ORIGIN, side + "PasswordEnv");
    } else if (passwordFile != null) {
      password = secrets.resolve("${file:" + passwordFile + "}", ORIGIN, side + "PasswordFile");
    }
    try {
      return new JdbcEndpoint(url, user, password);
    } catch (IllegalArgumentException e) {
      throw new SpecException(ORIGIN, side + "Url", e.getMessage());
    }
  }

  private static MappingOptions mappingOptions(MigrateOptions o) {
    MappingOptions options = MappingOptions.defaults();
    switch (o.getDatetimeAs()) {
      case "timestamp":
        break;
      case "timestamptz":
        options = options.withDatetimeType(MappingOptions.DatetimeType.TIMESTAMPTZ);
        break;
      default:
        throw new SpecException(ORIGIN, "datetimeAs", "must be timestamp or timestamptz, not '"
            + o.getDatetimeAs() + "'");
    }
    try {
      options = options.withSourceZone(ZoneId.of(o.getSourceZone()));
    } catch (DateTimeException e) {
      throw new SpecException(ORIGIN, "sourceZone", "'" + o.getSourceZone() + "' is not a time"
          + " zone (write a region such as Europe/Berlin, or an offset such as +02:00)");
    }
    switch (o.getEnumAs()) {
      case "check":
        break;
      case "type":
        options = options.withEnumStyle(MappingOptions.EnumStyle.POSTGRES_ENUM);
        break;
      default:
        throw new SpecException(ORIGIN, "enumAs", "must be check or type, not '"
            + o.getEnumAs() + "'");
    }
    return options;
  }

  private static Naming naming(String flag) {
    try {
      return Naming.fromFlag(flag);
    } catch (IllegalArgumentException e) {
      throw new SpecException(ORIGIN, "naming", e.getMessage());
    }
  }

  private static TypeMappingRules rules(String rulesFile) {
    if (rulesFile == null) {
      return TypeMappingRules.defaults();
    }
    Path path = Path.of(rulesFile);
    if (!Files.isRegularFile(path)) {
      throw new SpecException(ORIGIN, "rulesFile", "no such file: " + rulesFile);
    }
    try (InputStream in = Files.newInputStream(path)) {
      return TypeMappingRules.defaults().overriddenBy(TypeMappingRules.load(in));
    } catch (IllegalArgumentException e) {
      throw new SpecException(rulesFile, "rules", e.getMessage());
    } catch (IOException e) {
      throw new SpecException(ORIGIN, "rulesFile", "cannot read " + rulesFile + ": "
          + e.getMessage());
    }
  }

  /** A schema name: one identifier, written as it is or in double quotes. */
  private static String single(String flag, String text) {
    List<String> parts;
    try {
      parts = QualifiedName.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SpecException(ORIGIN, flag, e.getMessage());
    }
    if (parts.size() != 1) {
      throw new SpecException(ORIGIN, flag, "must be a single schema name, not '" + text + "'");
    }
    return parts.get(0);
  }

  private static Set<String> names(String commaSeparated) {
    Set<String> names = new LinkedHashSet<>();
    if (commaSeparated != null) {
      for (String name : commaSeparated.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    return Set.copyOf(names);
  }

  private static void positive(String flag, Integer value) {
    if (value != null && value < 1) {
      throw new SpecException(ORIGIN, flag, "must be at least 1, got " + value);
    }
  }

  /** The tables named in --tables, --exclude and --reload that the source does not have. */
  List<String> unknownTables(Set<String> sourceTables) {
    List<String> unknown = new ArrayList<>();
    for (Set<String> named : List.of(include, exclude, reload)) {
      named.stream().filter(t -> !sourceTables.contains(t)).forEach(unknown::add);
    }
    return unknown;
  }

  /** The directory of the mapping files of {@code database}. */
  Path mappingsDir(String database) {
    return mappingsDir.orElse(DEFAULT_MAPPINGS.resolve(database));
  }

  /** The target, which everything but a plan needs. */
  JdbcEndpoint requireTarget() {
    return target.orElseThrow(
        () -> new SpecException(ORIGIN, "targetUrl", "required (a jdbc:postgresql: URL)"));
  }

  boolean selected(String table) {
    return (include.isEmpty() || include.contains(table)) && !exclude.contains(table);
  }
}
