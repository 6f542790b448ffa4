package dev.ferry.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordMapperTest {
  private static final Layout SOURCE = new Layout(List.of(
      new Column("id", Types.BIGINT, "int8", 19, 0, false),
      new Column("first", Types.VARCHAR, "varchar", 50, 0, true),
      new Column("last", Types.VARCHAR, "varchar", 50, 0, true),
      new Column("email", Types.VARCHAR, "varchar", 50, 0, true),
      new Column("seen", Types.TIMESTAMP, "timestamp", 26, 6, true),
      new Column("amount", Types.VARCHAR, "varchar", 20, 0, true),
      new Column("legacy", Types.INTEGER, "int4", 10, 0, true)));

  private static MappingSpec yaml(String text) throws Exception {
    return MappingSpec.fromYaml(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void renameDropConcatOpsCastConstantDefault() throws Exception {
    RecordMapper m = RecordMapper.compile(yaml(String.join("\n",
        "drop: [legacy, first, last]",
        "columns:",
        "  - {name: customer_id, from: id}",
        "  - {name: email, ops: [trim, lower], default: unknown@example.com}",
        "  - {name: full_name, concat: [first, last], separator: ' '}",
        "  - {name: amount, cast: numeric}",
        "  - {name: origin, constant: crm}")), SOURCE);
    assertEquals(List.of("seen", "customer_id", "email", "full_name", "amount", "origin"),
        m.targetLayout().names());
    Object[] out = m.map(new Object[] {7L, "Ana", null, "  A@B.COM ", null, "2.50", 1L});
    assertArrayEquals(new Object[] {null, 7L, "a@b.com", "Ana", new BigDecimal("2.50"), "crm"},
        out);
    Object[] defaulted = m.map(new Object[] {8L, null, null, null, null, null, null});
    assertEquals("unknown@example.com", defaulted[2]);
    assertEquals(null, defaulted[3], "concat of NULLs only is NULL");
    assertEquals("id", "id");
    assertEquals("customer_id", m.outputFor("id"));
  }

  @Test
  void anEmptyMappingCopiesEveryColumnAndAnyRuleStillApplies() throws Exception {
    Object[] row = {7L, "Ana", "Lee", " A@B.COM ", null, "2.50", 1L};
    RecordMapper identity = RecordMapper.compile(yaml("passthrough: true"), SOURCE);
    assertEquals(SOURCE.names(), identity.targetLayout().names());
    assertArrayEquals(row.clone(), identity.map(row));
    RecordMapper oneRule = RecordMapper.compile(yaml("columns:\n  - {name: email, ops: [trim]}"),
        SOURCE);
    assertArrayEquals(new Object[] {7L, "Ana", "Lee", null, "2.50", 1L, "A@B.COM"},
        oneRule.map(row));
    RecordMapper dropped = RecordMapper.compile(yaml("drop: [legacy]"), SOURCE);
    assertEquals(6, dropped.map(row).length);
  }

  @Test
  void failedCastNamesTheColumn() throws Exception {
    RecordMapper m = RecordMapper.compile(yaml("columns:\n  - {name: amount, cast: numeric}"),
        SOURCE);
    MappingException e = assertThrows(MappingException.class,
        () -> m.map(new Object[] {1L, null, null, null, null, "12,5", null}));
    assertEquals("amount", e.column());
    assertTrue(e.getMessage().contains("'12,5'"), e.getMessage());
  }

  @Test
  void zoneConversionAcrossDaylightSavingChanges() throws Exception {
    RecordMapper m = RecordMapper.compile(yaml(
        "passthrough: false\ncolumns:\n  - {name: seen, fromZone: Europe/Berlin}"), SOURCE);
    // Winter: UTC+1. Summer: UTC+2.
    assertEquals(OffsetDateTime.parse("2024-01-15T11:00Z"), map(m, "2024-01-15T12:00"));
    assertEquals(OffsetDateTime.parse("2024-07-15T10:00Z"), map(m, "2024-07-15T12:00"));
    // 02:30 on the spring-forward night does not exist: rejected, never shifted silently.
    MappingException gap = assertThrows(MappingException.class,
        () -> map(m, "2024-03-31T02:30"));
    assertTrue(gap.getMessage().contains("does not exist in Europe/Berlin"), gap.getMessage());
    // 02:30 on the fall-back night happens twice: the earlier instant by default.
    assertEquals(OffsetDateTime.parse("2024-10-27T00:30Z"), map(m, "2024-10-27T02:30"));
    RecordMapper later = RecordMapper.compile(yaml("passthrough: false\ncolumns:\n"
        + "  - {name: seen, fromZone: Europe/Berlin, ambiguous: later}"), SOURCE);
    assertEquals(OffsetDateTime.parse("2024-10-27T01:30Z"), map(later, "2024-10-27T02:30"));
  }

  @Test
  void aLocalTimeInADaylightSavingGapFollowsTheGapPolicy() throws Exception {
    // shift: forward by the gap's length, as ZonedDateTime.ofLocal does: 02:30 is 03:30 CEST.
    RecordMapper shift = RecordMapper.compile(yaml("passthrough: false\ncolumns:\n"
        + "  - {name: seen, fromZone: Europe/Berlin, gap: shift}"), SOURCE);
    assertEquals(OffsetDateTime.parse("2024-03-31T01:30Z"), map(shift, "2024-03-31T02:30"));
    assertEquals(OffsetDateTime.parse("2024-07-15T10:00Z"), map(shift, "2024-07-15T12:00"));
    RecordMapper toNull = RecordMapper.compile(yaml("passthrough: false\ncolumns:\n"
        + "  - {name: seen, fromZone: Europe/Berlin, gap: \"null\"}"), SOURCE);
    assertNull(map(toNull, "2024-03-31T02:30"));
    RecordMapper reject = RecordMapper.compile(yaml("passthrough: false\ncolumns:\n"
        + "  - {name: seen, fromZone: Europe/Berlin, gap: reject}"), SOURCE);
    assertThrows(MappingException.class, () -> map(reject, "2024-03-31T02:30"));
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> RecordMapper.compile(yaml("columns:\n"
            + "  - {name: seen, fromZone: Europe/Berlin, gap: skip}"), SOURCE));
    assertTrue(wrong.getMessage().contains("gap must be shift, reject or null"),
        wrong.getMessage());
    // Unset, the policy leaves the mapping's fingerprint as it was (saved plans resume).
    String unset = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
        yaml("columns:\n  - {name: seen, fromZone: Europe/Berlin}"));
    assertFalse(unset.contains("\"gap\""), unset);
  }

  private static Object map(RecordMapper m, String local) throws MappingException {
    return m.map(new Object[] {1L, null, null, null, LocalDateTime.parse(local), null, null})[0];
  }

  @Test
  void repairsEncoding() throws Exception {
    RecordMapper m = RecordMapper.compile(yaml(
        "passthrough: false\ncolumns:\n  - {name: first, repairEncoding: true}"), SOURCE);
    assertEquals("Köln", m.map(new Object[] {1L, "KÃ¶ln", null, null, null, null, null})[0]);
  }

  @Test
  void mistakesFailAtCompileTimeWithTheRule() throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> RecordMapper.compile(yaml("columns:\n  - {name: x, from: nope}"), SOURCE));
    assertTrue(missing.getMessage().contains("mapping of column 'x'"), missing.getMessage());
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RecordMapper.compile(yaml("columns:\n  - {name: x, from: id, cast: money}"), SOURCE));
    assertThrows(IllegalArgumentException.class, () -> RecordMapper.compile(
        yaml("columns:\n  - {name: seen, fromZone: Mars/Olympus}"), SOURCE));
    assertThrows(IllegalArgumentException.class, () -> RecordMapper.compile(
        yaml("custom: com.example.DoesNotExist"), SOURCE));
    assertThrows(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class,
        () -> yaml("columns:\n  - {name: x, form: id}"));
  }

  /** A custom transform: upper-cases the email and rejects ids below zero. */
  public static final class Shout implements RowTransform {
    @Override
    public void apply(MappedRow row) {
      if ((Long) row.source("id") < 0) {
        throw new IllegalArgumentException("negative id");
      }
      row.set("email", ((String) row.get("email")).toUpperCase());
    }
  }

  @Test
  void customTransformByClassName() throws Exception {
    RecordMapper m = RecordMapper.compile(
        MappingSpec.identity().withCustom(Shout.class), SOURCE);
    assertEquals("A@B", m.map(new Object[] {1L, null, null, "a@b", null, null, null})[3]);
    MappingException e = assertThrows(MappingException.class,
        () -> m.map(new Object[] {-1L, null, null, "a@b", null, null, null}));
    assertTrue(e.getMessage().contains("negative id"));
  }
}
