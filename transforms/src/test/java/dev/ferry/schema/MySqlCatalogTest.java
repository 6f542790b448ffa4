package dev.ferry.schema;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MySqlCatalogTest {
  private static SourceSchema schema;
  private static TableDef allTypes;

  @BeforeAll
  static void readCatalog() {
    schema = SourceSchemaFixture.read();
    allTypes = schema.table("all_types").orElseThrow();
  }

  private static ColumnDef column(String name) {
    return allTypes.column(name).orElseThrow();
  }

  @Test
  void readsBaseTablesOfTheCurrentDatabase() {
    assertTrue(schema.isMariaDb());
    assertThat(
        schema.tables().stream().map(TableDef::name).toList(),
        containsInAnyOrder(
            "all_types",
            "legacy_latin1",
            "customer",
            "order",
            "My Table",
            "category",
            "dept",
            "employee",
            "parent_nu",
            "child_nu",
            "gapped",
            SourceSchemaFixture.LONG_NAME));
  }

  @Test
  void readsColumnTypesFlagsAndCharsets() {
    assertEquals("int(10) unsigned", column("id").columnType());
    assertTrue(column("id").unsigned());
    assertTrue(column("id").autoIncrement());
    assertFalse(column("id").nullable());
    assertTrue(column("padded").zerofill());
    assertTrue(column("ts").onUpdateCurrentTimestamp());
    assertFalse(column("dt3").onUpdateCurrentTimestamp());
    assertTrue(column("calc").generated());
    assertThat(column("status").labels(), contains("new", "paid", "it's"));
    assertThat(column("tags").labels(), contains("a", "b", "c"));
    assertThat(column("price").typeArguments(), contains("10", "2"));
    assertEquals(Optional.of("latin1"), schema.table("legacy_latin1").orElseThrow().charset());
    ColumnDef latin1Name = schema.table("legacy_latin1").orElseThrow().column("name").orElseThrow();
    assertEquals(Optional.of("latin1"), latin1Name.charset());
    assertEquals(Optional.of("utf8mb4"), column("vc").charset());
  }

  @Test
  void reportsMariaDbJsonColumnsAsJsonAndDropsTheirJsonValidCheck() {
    assertEquals("json", column("doc").dataType());
    assertEquals("longtext", column("lt").dataType());
    assertThat(allTypes.checks().stream().map(CheckDef::name).toList(), contains("price_positive"));
  }

  @Test
  void normalisesMariaDbDefaults() {
    assertEquals(Optional.of(ColumnDefault.literal("it's")), column("vc").defaultValue());
    assertEquals(Optional.of(ColumnDefault.literal("9.99")), column("price").defaultValue());
    assertEquals(Optional.of(ColumnDefault.bits("101")), column("bits").defaultValue());
    assertEquals(Optional.of(ColumnDefault.literal("0000-00-00")), column("d").defaultValue());
    assertEquals(
        Optional.of(ColumnDefault.expression("current_timestamp(3)")),
        column("dt3").defaultValue());
    assertEquals(Optional.of(ColumnDefault.expression("uuid()")), column("u").defaultValue());
    assertEquals(Optional.empty(), column("tiny_u").defaultValue());
  }

  @Test
  void readsKeysIndexesAndPrefixes() {
    assertThat(allTypes.primaryKey().orElseThrow().columnNames(), contains("id"));
    IndexDef unique = index(allTypes, "uq_vc_c");
    assertTrue(unique.unique());
    assertThat(
        unique.parts(), contains(new IndexPart("vc", 10, false), new IndexPart("c", 0, false)));
    assertThat(
        index(allTypes, "k_multi").parts(),
        contains(new IndexPart("int_s", 0, false), new IndexPart("price", 0, true)));
    assertEquals(IndexKind.FULLTEXT, index(allTypes, "ft_tx").kind());
    assertEquals(IndexKind.SPATIAL, index(allTypes, "sp_shape").kind());
    assertFalse(index(allTypes, "k_tx").unique());
  }

  @Test
  void readsForeignKeysWithTheirRules() {
    ForeignKeyDef orderCustomer = foreignKey("order", "fk_order_customer");
    assertThat(orderCustomer.columns(), contains("customer_id"));
    assertEquals("customer", orderCustomer.referencedTable());
    assertThat(orderCustomer.referencedColumns(), contains("id"));
    assertEquals(ReferentialAction.CASCADE, orderCustomer.onDelete());
    assertEquals(ReferentialAction.RESTRICT, orderCustomer.onUpdate());
    ForeignKeyDef myOrder = foreignKey("My Table", "fk My Order");
    assertEquals(ReferentialAction.SET_NULL, myOrder.onDelete());
    assertEquals(schema.name(), myOrder.referencedSchema());
    assertTrue(foreignKey("category", "fk_category_parent").isSelfReference());
    assertThat(schema.table("customer").orElseThrow().foreignKeys(), is(empty()));
  }

  @Test
  void readsTheNextAutoIncrementValueAboveDeletedRows() {
    assertEquals(Optional.of(6L), schema.table("gapped").orElseThrow().nextAutoIncrement());
  }

  private static IndexDef index(TableDef table, String name) {
    return table.indexes().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
  }

  private static ForeignKeyDef foreignKey(String table, String name) {
    return schema.table(table).orElseThrow().foreignKeys().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
