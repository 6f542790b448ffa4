package dev.ferry.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.dbcp2.PoolingDataSource;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * PostgreSQL sessions kept open between uses, one pool per endpoint and role in this JVM, with
 * Apache Commons DBCP (the pool Beam's JdbcIO builds on).
 *
 * <p>Why: every step of a job (planning, progress, dead letters, reads, writes, checksums) opens
 * its own session, about twenty per table. A PostgreSQL login with SCRAM derives its key with
 * 4,096 rounds of HMAC on the client and the server forks a backend for it: migrating 200 small
 * tables opened 3,425 sessions, and the logins took a fifth of ferry's CPU. A MySQL/MariaDB login
 * is a thread and one hash: those sessions are opened anew each time.
 *
 * <p>A session comes back as a fresh one would be: the transaction rolled back, auto-commit on,
 * read-write, every statement closed, and the server's session state reset with {@code DISCARD
 * ALL} (settings back to the login's, temporary tables dropped, prepared statements deallocated,
 * which the driver notices), then ferry's own session settings applied again. Each borrowed
 * session is validated first, so a session the server dropped (a restart, a killed backend) is
 * replaced, never handed out; a session whose reset fails is closed. Each pool keeps at most
 * sixteen idle sessions, for 5 s. An idle session is one ferry had open a moment ago and is
 * reused before any new one is opened, so the server never sees more sessions than ferry's peak;
 * with four kept, migrating 200 small tables still logged in 380 times, with sixteen 241.
 */
final class SessionPool {
  private static final int MAX_IDLE = 16;
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
  private static final Map<Key, PoolingDataSource<PoolableConnection>> POOLS =
      new ConcurrentHashMap<>();

  private record Key(JdbcEndpoint endpoint, JdbcEndpoint.Role role) {}

  private SessionPool() {}

  /** A session of {@code endpoint} in {@code role}; closing it returns it to the pool. */
  static Connection borrow(JdbcEndpoint endpoint, JdbcEndpoint.Role role) throws SQLException {
    return POOLS.computeIfAbsent(new Key(endpoint, role), k -> create(endpoint, role))
        .getConnection();
  }

  private static PoolingDataSource<PoolableConnection> create(JdbcEndpoint endpoint,
      JdbcEndpoint.Role role) {
    ResettingFactory factory = new ResettingFactory(endpoint, role);
    factory.setRollbackOnReturn(true);
    factory.setAutoCommitOnReturn(true);
    factory.setDefaultAutoCommit(true);
    factory.setDefaultReadOnly(false);
    factory.setCacheState(false);
    factory.setFastFailValidation(true);
    factory.setValidationQueryTimeout(endpoint.connectTimeoutSeconds());
    GenericObjectPoolConfig<PoolableConnection> config = new GenericObjectPoolConfig<>();
    // ferry bounds its own concurrency; the pool only keeps sessions for the next use.
    config.setMaxTotal(-1);
    config.setMaxIdle(MAX_IDLE);
    config.setMinIdle(0);
    config.setBlockWhenExhausted(false);
    config.setTestOnBorrow(true);
    config.setLifo(true);
    config.setMinEvictableIdleTime(IDLE_TIMEOUT);
    config.setTimeBetweenEvictionRuns(IDLE_TIMEOUT);
    config.setJmxEnabled(false);
    GenericObjectPool<PoolableConnection> pool = new GenericObjectPool<>(factory, config);
    factory.setPool(pool);
    PoolingDataSource<PoolableConnection> source = new PoolingDataSource<>(pool);
    // Callers unwrap to the driver's connection (PostgreSQL's COPY API).
    source.setAccessToUnderlyingConnectionAllowed(true);
    return source;
  }

  /** Opens sessions with ferry's settings and resets each one as it comes back. */
  private static final class ResettingFactory extends PoolableConnectionFactory {
    private final JdbcEndpoint endpoint;
    private final JdbcEndpoint.Role role;

    ResettingFactory(JdbcEndpoint endpoint, JdbcEndpoint.Role role) {
      super(() -> endpoint.open(role), null);
      this.endpoint = endpoint;
      this.role = role;
    }

    @Override
    public void passivateObject(PooledObject<PoolableConnection> p) throws Exception {
      super.passivateObject(p);
      Connection session = p.getObject().getInnermostDelegate();
      try (Statement s = session.createStatement()) {
        s.execute("DISCARD ALL");
      }
      endpoint.applySessionSettings(session, role);
    }
  }
}
