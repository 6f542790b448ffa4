package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class BackfillSmokeTest {
  @Test
  void copies() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    src.execute("create table t(id bigint primary key, name text, payload json, ts timestamp)",
        "insert into t select g, 'n' || g, '{\"a\":1}', now() from generate_series(1, 10000) g");
    dst.execute("create table t(id bigint primary key, name text, payload jsonb, ts timestamptz)");
    BackfillOptions o = PipelineOptionsFactory.fromArgs(
        "--job=smoke", "--sourceUrl=" + src.jdbcUrl(), "--sourceUser=postgres", "--sourceTable=t",
        "--targetUrl=" + dst.jdbcUrl(), "--targetUser=postgres", "--partitions=4")
        .as(BackfillOptions.class);
    RunSummary s = BackfillPipeline.run(o, new Secrets(Map.of()));
    System.out.println(s.toConsole());
    assertEquals(0, s.exitCode, s.error);
    assertEquals(10000L, dst.count("t"));
  }
}
