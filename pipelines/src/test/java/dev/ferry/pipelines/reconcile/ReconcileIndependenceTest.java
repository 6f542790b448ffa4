package dev.ferry.pipelines.reconcile;

import static dev.ferry.pipelines.reconcile.ReconcileHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A proof that does not share the copy's blind spots: the target holds what a lossy copy
 * produced (latin1 bytes decoded by Java's Cp1252, which has no character for 0x81, 0x8D,
 * 0x8F, 0x90 and 0x9D; a MariaDB FLOAT read as the text protocol's 6 digits), and reconcile
 * must report those rows in both modes, because the servers' own canonical texts differ,
 * whatever ferry's reading of the rows concludes. (With reads that lost these values, the
 * servers' check alone reported them: "3 of them not seen by ferry's reading"; ServerRowCheck's
 * own test shows it needs no reading by ferry.)
 */
class ReconcileIndependenceTest {
  private static final byte[] C1_BYTES = HexFormat.of().parseHex("818d8f909d616263");
  private static final String UTF8_IN_LATIN1 = "Łódź Анна Ёлка";

  @Test
  void whatALossyCopyChangedIsReportedInBothModes() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    maria.execute("create table moj(id int primary key, v varchar(60) character set latin1,"
        + " f float, d double)",
        "insert into moj select seq, concat('row ', seq), seq / 4, seq / 3 from seq_1_to_300",
        "update moj set v = _latin1 x'" + HexFormat.of().formatHex(C1_BYTES) + "',"
            + " f = 1.234567e0 where id = 1",
        "update moj set v = convert(convert('" + UTF8_IN_LATIN1 + "' using utf8mb4) using"
            + " binary) where id = 3",
        "update moj set f = 158.35792541503906e0, d = 0.3333333432674408e0 where id = 5");
    pg.execute("create table moj(id int primary key, v varchar(60), f real, d float8)");
    ReconcileHarness h = new ReconcileHarness(maria, pg, "moj");
    h.backfill();
    // What the copy produced before reads were made lossless.
    Charset cp1252 = Charset.forName("windows-1252");
    pg.execute("update moj set v = '" + new String(C1_BYTES, cp1252) + "', f = 1.23457"
            + " where id = 1",
        "update moj set v = '" + new String(UTF8_IN_LATIN1.getBytes(StandardCharsets.UTF_8),
            cp1252).replace("'", "''") + "' where id = 3",
        "update moj set f = 158.358 where id = 5");

    TreeSet<String> lossy = expect("mismatched {\"id\":1} [v, f]", "mismatched {\"id\":3} [v]",
        "mismatched {\"id\":5} [f]");
    assertEquals(lossy, h.differences("full"));
    assertEquals(3L, h.report("full").get("serverCheck").get("keysDiffering").asLong());
    assertEquals(lossy, h.differences("fast", "--fastPath"));
    assertEquals(3L, h.report("fast").get("serverCheck").get("keysDiffering").asLong());
    JsonNode first = h.report("fast").get("serverCheck").get("examples").get(0);
    assertEquals("\\u0081\\u008D\\u008F\\u0090\\u009Dabc", first.get("source").get("v").asText(),
        "the source server's own decoding of the latin1 bytes, made visible");
    // 1.234567f is 5559995689074688 * 2^-52; the 6-digit 1.23457f is 5560009110847488 * 2^-52.
    assertEquals("5559995689074688p-52", first.get("source").get("f").asText());
    assertEquals("5560009110847488p-52", first.get("target").get("f").asText());
  }
}
