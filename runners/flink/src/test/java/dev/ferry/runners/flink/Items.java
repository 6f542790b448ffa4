package dev.ferry.runners.flink;

import dev.ferry.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;

/**
 * The table the runner tests move: every kind of value a runner could get wrong when it
 * serializes rows between workers (NULLs, unicode, decimals, floats, zone-less and zoned
 * timestamps, JSON, bytes, UUIDs), and a fixed set of differences to inject into a target.
 */
final class Items {
  static final int ROWS = 3000;

  static final String DDL = "create table items(id bigint primary key, name text, qty int,"
      + " price numeric(12,2), ratio float8, active boolean, born date,"
      + " created timestamp, seen timestamptz, payload jsonb, blob bytea, uid uuid)";

  /** What {@link #inject} does, as the reconcile's differences file names it. */
  static final List<String> INJECTED = List.of(
      "extra {\"id\":100001}",
      "missing {\"id\":10}", "missing {\"id\":11}",
      "mismatched {\"id\":20} [name]", "mismatched {\"id\":21} [price]",
      "mismatched {\"id\":22} [created]", "mismatched {\"id\":23} [payload]");

  private Items() {}

  static void seed(TestDatabase source) {
    source.execute(DDL, "insert into items select g,"
        + " case when g % 17 = 0 then null else 'Łukasz Nguyễn 李 ' || g end,"
        + " case when g % 13 = 0 then null else (g * 7919) % 100000 - 500 end,"
        + " g * 1.25, g / 7.0, g % 2 = 0, date '1999-12-31' + g,"
        + " timestamp '2024-03-31 01:00' + g * interval '37 seconds' + interval '0.123456 s',"
        + " timestamptz '2024-10-27 00:00+00' + g * interval '1 minute',"
        + " jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g), 'é', 'ü'),"
        + " decode(md5(g::text), 'hex'), md5(g::text)::uuid"
        + " from generate_series(1, " + ROWS + ") g");
  }

  static void inject(TestDatabase target) {
    target.execute("delete from items where id in (10, 11)",
        "insert into items (id, name) values (100001, 'extra')",
        "update items set name = 'changed' where id = 20",
        "update items set price = price + 0.01 where id = 21",
        "update items set created = created + interval '1 microsecond' where id = 22",
        "update items set payload = payload || '{\"n\": -1}' where id = 23");
  }

  /** Every row of a database's items, in key order, as text that compares exactly. */
  static List<String> rows(TestDatabase db) {
    List<String> out = new ArrayList<>();
    for (List<Object> row : db.query("select id, name, qty, price::text, ratio::text, active,"
        + " born::text, created::text, seen::text, payload::text, encode(blob, 'hex'),"
        + " uid::text from items order by id")) {
      out.add(row.toString());
    }
    return out;
  }
}
