package dev.ferry.digest;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class ScratchProbeTest {
  @Test
  void probe() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    System.out.println(pg.query("select to_char('12:34:56.5'::time, 'HH24:MI:SS.US'), '12:34:56'::time::text, to_char('2024-03-31 02:30'::timestamp AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '{\"b\": 1.0, \"a\":[1, 2]}'::jsonb::text, current_setting('extra_float_digits'), 0.1::float4::text, (-0.0)::float8::text"));
  }
}
