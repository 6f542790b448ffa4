package dev.ferry.pipelines.job;

import dev.ferry.jdbc.SqlErrors;
import java.sql.SQLException;

/**
 * The process exit codes of every ferry command, in one place: schedulers decide from them
 * whether to retry, and the README documents them.
 */
public final class ExitCodes {
  /** Done, nothing beyond the limits. */
  public static final int OK = 0;
  /** Failed (a database error not about a row, a crash): retrying the same command resumes. */
  public static final int FAILED = 1;
  /** Invalid spec or flags: nothing ran; retrying cannot help. */
  public static final int INVALID = 2;
  /** Finished, but more rows are dead-lettered (and not accepted) than maxDeadLetters allows. */
  public static final int TOO_MANY_DEAD_LETTERS = 3;
  /** A reconcile (or a migrate's check) found differences beyond the tolerance. */
  public static final int DIFFERENCES = 4;
  /**
   * A database refused the login (wrong user or password, no access): retrying would only lock
   * the account sooner, so a scheduler should not retry.
   */
  public static final int AUTHENTICATION = 5;
  /** Sync and cutover: the source is not set up for change capture (the message says how). */
  public static final int SOURCE_NOT_READY = 6;
  /** Sync and cutover: a DDL change of a synced table stopped the stream before its rows. */
  public static final int DDL_STOPPED = 7;
  /** Cutover: the target did not catch up with the source in time (are the writes stopped?). */
  public static final int NOT_CAUGHT_UP = 8;

  private ExitCodes() {}

  /** The exit code of a run that failed with {@code failure}: {@link #AUTHENTICATION} or 1. */
  public static int forFailure(Throwable failure) {
    return isAuthenticationFailure(failure) ? AUTHENTICATION : FAILED;
  }

  /**
   * Whether a database refused the login: SQLState class 28 ("invalid authorization
   * specification": MariaDB/MySQL 28000, PostgreSQL 28000 and 28P01), anywhere in the causes.
   */
  public static boolean isAuthenticationFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException && SqlErrors.hasState((SQLException) t, "28")) {
        return true;
      }
    }
    return false;
  }
}
