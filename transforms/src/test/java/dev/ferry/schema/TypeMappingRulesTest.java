package dev.ferry.schema;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules file format and first-match-wins order, without a database. */
class TypeMappingRulesTest {
  private static final TableDef TABLE =
      new TableDef(
          "t",
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty(),
          List.of(),
          List.of(),
          List.of());

  private static ColumnDef column(String dataType, String columnType, String extra) {
    return new ColumnDef(
        "c",
        dataType,
        columnType,
        true,
        Optional.empty(),
        extra,
        Optional.empty(),
        Optional.empty());
  }

  private static String target(TypeMappingRules rules, String dataType, String columnType) {
    ColumnDef column = column(dataType, columnType, "");
    return rules.ruleFor(TABLE, column).render(TABLE, column, MappingOptions.defaults(), "text");
  }

  @Test
  void theFirstMatchingDefaultRuleWins() {
    TypeMappingRules rules = TypeMappingRules.defaults();
    assertEquals("boolean", target(rules, "tinyint", "tinyint(1)"));
    assertEquals("smallint", target(rules, "tinyint", "tinyint(4)"));
    assertEquals("smallint", target(rules, "tinyint", "tinyint(1) unsigned"));
    assertEquals("numeric(20)", target(rules, "bigint", "bigint(20) unsigned"));
    assertEquals("bigint", target(rules, "bigint", "bigint(20)"));
    assertEquals("numeric(12,0)", target(rules, "decimal", "decimal(12,0)"));
    assertEquals("timestamp(0)", target(rules, "datetime", "datetime"));
    assertEquals("timestamp(6)", target(rules, "datetime", "datetime(6)"));
    assertEquals("varchar(255)", target(rules, "varchar", "varchar(255)"));
    assertEquals("bit(7)", target(rules, "bit", "bit(7)"));
    ColumnDef autoIncrement = column("bigint", "bigint(20) unsigned", "auto_increment");
    assertEquals("bigint", rules.ruleFor(TABLE, autoIncrement).to());
  }

  @Test
  void userRulesComeFirstUnlessTheyReplaceTheDefaults() {
    TypeMappingRules prepended =
        TypeMappingRules.defaults()
            .overriddenBy(load("rules:\n- {when: {type: year}, to: smallint}\n"));
    assertEquals("smallint", target(prepended, "year", "year(4)"));
    assertEquals("boolean", target(prepended, "tinyint", "tinyint(1)"));
    assertEquals(TypeMappingRules.defaults().rules().size() + 1, prepended.rules().size());

    TypeMappingRules replaced =
        TypeMappingRules.defaults()
            .overriddenBy(
                load("replaceDefaults: true\nrules:\n- {when: {type: year}, to: text}\n"));
    assertEquals(1, replaced.rules().size());
    ColumnMappingException e =
        assertThrows(
            ColumnMappingException.class,
            () -> replaced.ruleFor(TABLE, column("tinyint", "tinyint(1)", "")));
    assertEquals(
        "table 't', column 'c': no type-mapping rule matches type tinyint(1); add a"
            + " rule for it to your rules file",
        e.getMessage());
  }

  @Test
  void aMisspelledKeyIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load("rules:\n- {whne: {type: year}, to: smallint}\n"));
    assertThat(e.getMessage(), containsString("whne"));
  }

  @Test
  void anUnknownPlaceholderIsAnErrorNamingTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load("rules:\n- {name: sized, when: {type: char}, to: 'char({size})'}\n"));
    assertThat(e.getMessage(), containsString("rule 'sized': unknown placeholder {size}"));
  }

  @Test
  void anInvalidPatternIsAnErrorNamingTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load("rules:\n- {name: broken, when: {columnType: 'int(('}, to: integer}\n"));
    assertThat(e.getMessage(), containsString("rule 'broken': invalid columnType pattern"));
  }

  @Test
  void aRuleWithoutTargetOrAFileWithoutRulesIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> load("rules:\n- {when: {type: int}}\n"));
    assertThrows(IllegalArgumentException.class, () -> load("rules: []\n"));
  }

  @Test
  void aPlaceholderWithoutAValueNamesTableAndColumn() {
    TypeMappingRules rules = load("rules:\n- {when: {type: text}, to: 'varchar({length})'}\n");
    ColumnMappingException e =
        assertThrows(ColumnMappingException.class, () -> target(rules, "text", "text"));
    assertThat(e.getMessage(), containsString("table 't', column 'c'"));
  }

  private static TypeMappingRules load(String yaml) {
    return TypeMappingRules.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
