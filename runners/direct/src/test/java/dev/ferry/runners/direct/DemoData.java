package dev.ferry.runners.direct;

import dev.ferry.testing.TestDatabase;

/**
 * The demo's legacy table: 100,000 customers with what real legacy data has — NULLs, unicode,
 * text damaged by a Latin-1/UTF-8 mix-up, zone-less timestamps crossing daylight-saving changes,
 * skewed ids (dense, then sparse up to a billion) — and a few rows the target will reject.
 */
final class DemoData {
  private DemoData() {}

  static void seedSource(TestDatabase source) {
    source.execute(
        "SET SESSION sql_mode = ''",
        "CREATE TABLE customers (id BIGINT PRIMARY KEY, email VARCHAR(255) NULL,"
            + " first_name VARCHAR(100), last_name VARCHAR(100), city VARCHAR(100), bio TEXT,"
            + " signup_at DATETIME NULL, is_active TINYINT(1) NOT NULL DEFAULT 1,"
            + " balance DECIMAL(12,2), country VARCHAR(3), last_login DATE NULL)"
            + " DEFAULT CHARSET=utf8mb4",
        "INSERT INTO customers SELECT"
            + " CASE WHEN seq <= 80000 THEN seq ELSE 80000 + (seq - 80000) * 50000 END,"
            + " CASE WHEN seq % 10 = 0 THEN NULL ELSE CONCAT('  User', seq, '@Example.COM ') END,"
            + " ELT(1 + seq % 6, 'Zoë', 'José', 'Łukasz', '李', 'Ana', 'Mette'),"
            + " ELT(1 + seq % 5, 'Müller', 'García', 'Nowak', '王', 'Smith'),"
            + " CASE WHEN seq % 7 = 0 THEN 'KÃ¶ln' WHEN seq % 7 = 1 THEN 'SÃ£o Paulo'"
            + "  ELSE ELT(1 + seq % 4, 'Berlin', 'Kraków', 'Zürich', '東京') END,"
            + " CASE WHEN seq % 3 = 0 THEN NULL ELSE REPEAT('Loves migrations 🚢. ', 1 + seq % 20)"
            + "  END,"
            + " TIMESTAMP('2023-01-01 00:00:00') + INTERVAL (seq * 5) MINUTE,"
            + " seq % 5 <> 0, (seq % 100000) / 7, ELT(1 + seq % 3, 'DE', 'PL', 'BR'),"
            + " CASE WHEN seq % 4 = 0 THEN NULL ELSE DATE('2024-01-01') + INTERVAL (seq % 300) DAY"
            + "  END"
            + " FROM seq_1_to_100000",
        // Rows the target rejects: a country code too long for char(2), a zero date.
        "UPDATE customers SET country = 'DEU' WHERE id IN (17, 4242)",
        "UPDATE customers SET last_login = '0000-00-00' WHERE id IN (999, 1999)");
  }

  static void createTarget(TestDatabase target) {
    target.execute("CREATE TABLE customers (customer_id bigint PRIMARY KEY,"
        + " email varchar(255), full_name varchar(200) NOT NULL, city text, bio text,"
        + " signed_up_at timestamptz, active boolean NOT NULL, balance numeric(12,2),"
        + " country char(2), last_login date, origin text NOT NULL)");
  }
}
