package dev.ferry.schema;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One MariaDB database with a schema covering every type the default rules map, reserved-word and
 * mixed-case names, prefix and skipped indexes, a self reference, a two-table foreign-key cycle and
 * an AUTO_INCREMENT with gaps. Created once per JVM and only read by the tests.
 */
final class SourceSchemaFixture {
  /** 64 characters: MariaDB's limit, one more than PostgreSQL's 63 bytes. */
  static final String LONG_NAME = "long_name_" + "x".repeat(54);

  private static TestDatabase database;

  private SourceSchemaFixture() {}

  static synchronized TestDatabase mariaDb() {
    if (database == null) {
      TestDatabase db = EmbeddedDatabases.newMariaDb();
      db.execute(
          // zero-date defaults need a non-strict sql_mode; it holds for this connection only
          "SET SESSION sql_mode = ''",
          "CREATE TABLE all_types ("
              + " id int unsigned NOT NULL AUTO_INCREMENT,"
              + " flag tinyint(1) NOT NULL DEFAULT 1,"
              + " tiny tinyint DEFAULT -5,"
              + " tiny_u tinyint unsigned,"
              + " small smallint,"
              + " small_u smallint unsigned,"
              + " medium mediumint,"
              + " medium_u mediumint unsigned,"
              + " int_s int NOT NULL DEFAULT 0,"
              + " int_u int unsigned,"
              + " big bigint,"
              + " big_u bigint unsigned DEFAULT 18446744073709551615,"
              + " padded int(5) unsigned zerofill,"
              + " price decimal(10,2) NOT NULL DEFAULT 9.99,"
              + " ratio float,"
              + " score double DEFAULT 1.5,"
              + " bit1 bit(1) DEFAULT b'1',"
              + " bits bit(5) DEFAULT b'101',"
              + " d date DEFAULT '0000-00-00',"
              + " d_ok date DEFAULT '2020-02-29',"
              + " dt datetime DEFAULT '2020-01-02 03:04:05',"
              + " dt3 datetime(3) DEFAULT current_timestamp(3),"
              + " zero_dt datetime NOT NULL DEFAULT '0000-00-00 00:00:00',"
              + " ts timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),"
              + " ts6 timestamp(6) NULL,"
              + " t time DEFAULT '12:30:00',"
              + " t6 time(6),"
              + " y year DEFAULT 2024,"
              + " c char(3) DEFAULT 'ab',"
              + " vc varchar(100) DEFAULT 'it''s',"
              + " tt tinytext, tx text, mt mediumtext, lt longtext,"
              + " b binary(16), vb varbinary(200), tb tinyblob, bl blob, mb mediumblob,"
              + " lb longblob,"
              + " status enum('new','paid','it''s') NOT NULL DEFAULT 'new',"
              + " tags set('a','b','c') DEFAULT 'a,b',"
              + " doc json,"
              + " geo geometry, pt point, shape geometry NOT NULL,"
              + " u uuid DEFAULT uuid(),"
              + " ip inet6,"
              + " calc int AS (int_s + 1) VIRTUAL,"
              + " PRIMARY KEY (id),"
              + " CONSTRAINT price_positive CHECK (price >= 0),"
              + " UNIQUE KEY uq_vc_c (vc(10), c),"
              + " KEY k_tx (tx(20)),"
              + " KEY k_bl (bl(8)),"
              + " KEY k_multi (int_s, price DESC),"
              + " FULLTEXT KEY ft_tx (tx),"
              + " SPATIAL KEY sp_shape (shape)"
              + ") ENGINE=InnoDB",
          "CREATE TABLE legacy_latin1 (id int NOT NULL PRIMARY KEY,"
              + " name varchar(50) NOT NULL DEFAULT 'Müller', note text) CHARACTER SET latin1",
          "CREATE TABLE customer (id int NOT NULL AUTO_INCREMENT PRIMARY KEY,"
              + " email varchar(200) NOT NULL, UNIQUE KEY uq_email (email))",
          "CREATE TABLE `order` (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,"
              + " customer_id int NOT NULL, `Select` varchar(20), `group` int,"
              + " KEY `Order Customer` (customer_id),"
              + " CONSTRAINT fk_order_customer FOREIGN KEY (customer_id) REFERENCES customer (id)"
              + " ON DELETE CASCADE ON UPDATE RESTRICT)",
          "CREATE TABLE `My Table` (`Id` int NOT NULL PRIMARY KEY, order_id bigint,"
              + " `Mixed Case` varchar(10),"
              + " CONSTRAINT `fk My Order` FOREIGN KEY (order_id) REFERENCES `order` (id)"
              + " ON DELETE SET NULL)",
          "CREATE TABLE category (id int NOT NULL PRIMARY KEY, parent_id int,"
              + " CONSTRAINT fk_category_parent FOREIGN KEY (parent_id) REFERENCES category (id))",
          "CREATE TABLE dept (id int NOT NULL PRIMARY KEY, manager_id int, KEY (manager_id))",
          "CREATE TABLE employee (id int NOT NULL PRIMARY KEY, dept_id int,"
              + " CONSTRAINT fk_employee_dept FOREIGN KEY (dept_id) REFERENCES dept (id))",
          "ALTER TABLE dept ADD CONSTRAINT fk_dept_manager FOREIGN KEY (manager_id)"
              + " REFERENCES employee (id)",
          // InnoDB lets a foreign key reference non-unique columns; PostgreSQL does not
          "CREATE TABLE parent_nu (id int NOT NULL PRIMARY KEY, code int, KEY (code))",
          "CREATE TABLE child_nu (id int NOT NULL PRIMARY KEY, code int,"
              + " CONSTRAINT fk_child_code FOREIGN KEY (code) REFERENCES parent_nu (code))",
          "CREATE TABLE gapped (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, v varchar(10))",
          "INSERT INTO gapped (v) VALUES ('a'), ('b'), ('c'), ('d'), ('e')",
          "DELETE FROM gapped WHERE id IN (2, 4, 5)",
          "CREATE TABLE " + LONG_NAME + " (" + LONG_NAME + " int NOT NULL PRIMARY KEY)");
      database = db;
    }
    return database;
  }

  static SourceSchema read() {
    try (Connection c = mariaDb().connect()) {
      return MySqlCatalog.read(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the MariaDB catalog", e);
    }
  }
}
