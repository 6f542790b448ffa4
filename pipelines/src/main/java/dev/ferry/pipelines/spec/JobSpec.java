package dev.ferry.pipelines.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A job spec as written in YAML. Field names are the manual: see {@code pipelines/demo.yaml} and
 * the README. Unknown fields are errors, so a typo never silently falls back to a default.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class JobSpec {
  @JsonProperty public String job;
  @JsonProperty public Endpoint source;
  @JsonProperty public Endpoint target;

  /** Inline mapping (a {@link dev.ferry.map.MappingSpec}) or {@code {file: path}}. */
  @JsonProperty public JsonNode mapping;

  @JsonProperty public Integer partitions;
  @JsonProperty public Integer batchSize;
  @JsonProperty public Double maxRowsPerSecond;
  @JsonProperty public Long maxDeadLetters;
  @JsonProperty public Since since;
  @JsonProperty public String deadLetterFile;
  @JsonProperty public String summaryFile;

  /** {@code ferry fill} only: the columns filled in place where they are NULL. */
  @JsonProperty public Fill fill;

  /** One side of a job: where it is and what to read or write there. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static final class Endpoint {
    @JsonProperty public String url;
    @JsonProperty public String user;

    /** Only {@code ${env:NAME}} or {@code ${file:PATH}}; literal passwords are refused. */
    @JsonProperty public String password;

    /** JDBC: seconds a connection may take to open (default 30). */
    @JsonProperty public Integer connectTimeoutSeconds;

    /** JDBC: seconds an open connection may wait for one answer (default 0: no limit). */
    @JsonProperty public Integer socketTimeoutSeconds;

    @JsonProperty public String table;

    /** Source only: a trusted SQL query instead of a table. */
    @JsonProperty public String query;

    @JsonProperty public List<String> key = new ArrayList<>();

    /** Source only (MySQL): {@code reject} (default: dead-letter the row) or {@code null}. */
    @JsonProperty public String zeroDates;

    /** Target only: schema for the ferry_* state tables (created when missing). */
    @JsonProperty public String stateSchema;

    /**
     * Target only: create the table when it does not exist, from the source's columns as the
     * mapping leaves them (MySQL / MariaDB source table to PostgreSQL).
     */
    @JsonProperty public Boolean create;

    /** Target only: lower, snake or preserve (default) spelling of the mapping's columns. */
    @JsonProperty public String naming;

    /** MongoDB: the collection read or written (instead of a table). */
    @JsonProperty public String collection;

    /** MongoDB source: only documents matching this query (Extended JSON). */
    @JsonProperty public JsonNode filter;

    /** MongoDB source: a server-side projection (Extended JSON). */
    @JsonProperty public JsonNode projection;

    /** MongoDB source: field paths read as columns; default: the fields of a sample. */
    @JsonProperty public List<String> fields = new ArrayList<>();
  }

  /** Incremental catch-up: only rows whose {@code column} is at or after a value. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static final class Since {
    @JsonProperty public String column;

    /** {@code last} (the watermark of the last successful run) or a literal value. */
    @JsonProperty public String value;

    /**
     * Seconds the recorded watermark is set back before the oldest transaction open on the
     * source, or before the present when those cannot be seen (default 60).
     */
    @JsonProperty public Integer marginSeconds;
  }

  /** An in-place fill: which columns of the source table get a value where they are NULL. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static final class Fill {
    @JsonProperty public List<String> columns = new ArrayList<>();
  }
}
