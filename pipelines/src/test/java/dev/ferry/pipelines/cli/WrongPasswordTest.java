package dev.ferry.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database that refuses the login (a wrong password on MariaDB, an unknown role on
 * PostgreSQL) ends every command with exit code 5, which schedulers are told not to retry,
 * not with 1 ("resume with the same command").
 */
class WrongPasswordTest {
  private static TestDatabase maria;
  private static TestDatabase postgres;

  @BeforeAll
  static void databases() {
    maria = EmbeddedDatabases.newMariaDb();
    maria.execute("CREATE TABLE orders (id INT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO orders VALUES (1, 'a')",
        "CREATE USER 'shop'@'%' IDENTIFIED BY 'right-password'",
        "GRANT ALL ON *.* TO 'shop'@'%'");
    postgres = EmbeddedDatabases.newPostgres();
  }

  private static String[] flags(String sourceUser, String targetUser) {
    return new String[] {"--job=orders", "--sourceUrl=" + maria.jdbcUrl(),
        "--sourceUser=" + sourceUser, "--sourcePasswordEnv=SRC_PW", "--sourceTable=orders",
        "--targetUrl=" + postgres.jdbcUrl(), "--targetUser=" + targetUser,
        "--targetTable=orders", "--createTarget"};
  }

  private static RunSummary backfill(String... args) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    return BackfillPipeline.run(PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(BackfillOptions.class), new Secrets(Map.of("SRC_PW", "wrong-password")));
  }

  @Test
  void aWrongSourcePasswordExitsWithItsOwnCode() {
    RunSummary s = backfill(flags("shop", postgres.user()));
    assertEquals(ExitCodes.AUTHENTICATION, s.exitCode, s.toConsole());
    assertTrue(s.toConsole().contains("retrying will not help"), s.toConsole());
    assertTrue(!s.toConsole().contains("wrong-password"), s.toConsole());
  }

  @Test
  void anUnknownTargetRoleExitsWithItsOwnCode() {
    RunSummary s = backfill(flags(maria.user(), "nobody_here"));
    assertEquals(ExitCodes.AUTHENTICATION, s.exitCode, s.toConsole());
  }

  @Test
  void reconcileToo() {
    PipelineOptionsFactory.register(ReconcileOptions.class);
    ReconcileReport r = ReconcilePipeline.run(PipelineOptionsFactory.fromArgs(
        flags("shop", postgres.user())).withValidation().as(ReconcileOptions.class),
        new Secrets(Map.of("SRC_PW", "wrong-password")));
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
