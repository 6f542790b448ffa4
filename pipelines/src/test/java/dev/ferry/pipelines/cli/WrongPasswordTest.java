package dev.ferry.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that refuses the login (a wrong password: PostgreSQL's 28P01; an unknown role:
 * 28000, MariaDB's "Access denied" state) ends every command with exit code 5, which schedulers
 * are told not to retry, not with 1 ("resume with the same command"). The shared test servers
 * let anyone in, so this test starts a PostgreSQL server of its own that checks passwords.
 */
class WrongPasswordTest {
  private static EmbeddedPostgres checking;
  private static String url;
  private static TestDatabase maria;

  @BeforeAll
  static void databases(@TempDir Path dir) throws Exception {
    Path hba = Files.writeString(dir.resolve("pg_hba.conf"), String.join("\n",
        "local all all trust", "host all postgres 127.0.0.1/32 trust",
        "host all postgres ::1/128 trust", "host all all 127.0.0.1/32 md5",
        "host all all ::1/128 md5", ""));
    checking = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString()).start();
    try (Connection c = checking.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'md5'");
      s.execute("CREATE ROLE shop LOGIN PASSWORD 'right-password'");
    }
    url = "jdbc:postgresql://localhost:" + checking.getPort() + "/postgres";
    maria = EmbeddedDatabases.newMariaDb();
    maria.execute("CREATE TABLE orders (id INT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO orders VALUES (1, 'a')");
  }

  @AfterAll
  static void stop() throws Exception {
    checking.close();
  }

  private static String[] flags(String targetUser) {
    return new String[] {"--job=orders", "--sourceUrl=" + maria.jdbcUrl(),
        "--sourceUser=" + maria.user(), "--sourceTable=orders", "--targetUrl=" + url,
        "--targetUser=" + targetUser, "--targetPasswordEnv=PW", "--targetTable=orders",
        "--createTarget"};
  }

  private static RunSummary backfill(String... args) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    return BackfillPipeline.run(PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(BackfillOptions.class), new Secrets(Map.of("PW", "wrong-password")));
  }

  @Test
  void aWrongPasswordExitsWithItsOwnCode() {
    RunSummary s = backfill(flags("shop"));
    assertEquals(ExitCodes.AUTHENTICATION, s.exitCode, s.toConsole());
    assertTrue(s.toConsole().contains("retrying will not help"), s.toConsole());
    assertFalse(s.toConsole().contains("wrong-password"), s.toConsole());
  }

  @Test
  void anUnknownRoleExitsWithItsOwnCode() {
    RunSummary s = backfill(flags("nobody_here"));
    assertEquals(ExitCodes.AUTHENTICATION, s.exitCode, s.toConsole());
  }

  @Test
  void reconcileToo() {
    PipelineOptionsFactory.register(ReconcileOptions.class);
    ReconcileReport r = ReconcilePipeline.run(PipelineOptionsFactory.fromArgs(flags("shop"))
        .withValidation().as(ReconcileOptions.class),
        new Secrets(Map.of("PW", "wrong-password")));
    assertEquals(ExitCodes.AUTHENTICATION, r.exitCode, r.toConsole());
  }

  @Test
  void otherFailuresStayRetryable() {
    assertEquals(ExitCodes.FAILED, ExitCodes.forFailure(new RuntimeException(
        new java.sql.SQLException("connection refused", "08001"))));
    assertEquals(ExitCodes.AUTHENTICATION, ExitCodes.forFailure(new RuntimeException(
        new java.sql.SQLException("password authentication failed", "28P01"))));
  }
}
