package dev.ferry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadOrderTest {
  @Test
  void loadsParentsFirstAndReportsTheCycleOfTheFixture() {
    LoadOrder order = LoadOrder.of(SourceSchemaFixture.read());
    List<String> tables = order.tables();
    assertTrue(tables.indexOf("customer") < tables.indexOf("order"), tables.toString());
    assertTrue(tables.indexOf("order") < tables.indexOf("My Table"), tables.toString());
    assertTrue(tables.indexOf("parent_nu") < tables.indexOf("child_nu"), tables.toString());
    assertEquals(List.of(List.of("dept", "employee")), order.cycles());
    assertEquals(
        List.of("fk_category_parent", "fk_dept_manager", "fk_employee_dept"),
        order.deferredForeignKeys().stream().map(ForeignKeyDef::name).sorted().toList());
  }

  @Test
  void keepsTheInputOrderWhereForeignKeysAllowIt() {
    LoadOrder order =
        LoadOrder.of(
            schema(
                table("a_child", "z_parent"),
                table("b_free"),
                table("c_cycle1", "d_cycle2"),
                table("d_cycle2", "e_cycle3"),
                table("e_cycle3", "c_cycle1", "z_parent"),
                table("f_self", "f_self"),
                table("g_orphan", "not_migrated"),
                table("h_elsewhere", "other_schema.z_parent"),
                table("z_parent")));
    assertEquals(
        List.of(
            "b_free",
            "f_self",
            "g_orphan",
            "h_elsewhere",
            "z_parent",
            "a_child",
            "c_cycle1",
            "d_cycle2",
            "e_cycle3"),
        order.tables());
    assertEquals(List.of(List.of("c_cycle1", "d_cycle2", "e_cycle3")), order.cycles());
  }

  @Test
  void handlesLongChainsWithoutRecursion() {
    List<TableDef> chain = new ArrayList<>();
    int length = 20_000;
    for (int i = 0; i < length; i++) {
      chain.add(i == 0 ? table("t0") : table("t" + i, "t" + (i - 1)));
    }
    List<TableDef> reversed = new ArrayList<>(chain);
    java.util.Collections.reverse(reversed);
    List<String> order = LoadOrder.of(schema(reversed.toArray(TableDef[]::new))).tables();
    assertEquals("t0", order.get(0));
    assertEquals("t" + (length - 1), order.get(length - 1));
  }

  private static SourceSchema schema(TableDef... tables) {
    return new SourceSchema("s", "test", List.of(tables));
  }

  /** A table with a foreign key to each parent, written {@code table} or {@code schema.table}. */
  private static TableDef table(String name, String... parents) {
    List<ForeignKeyDef> fks = new ArrayList<>();
    for (String parent : parents) {
      String[] qualified = parent.contains(".") ? parent.split("\\.") : new String[] {"s", parent};
      fks.add(
          new ForeignKeyDef(
              "fk_" + name + "_" + parent,
              name,
              List.of("ref"),
              qualified[0],
              qualified[1],
              List.of("id"),
              ReferentialAction.NO_ACTION,
              ReferentialAction.NO_ACTION));
    }
    return new TableDef(
        name,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        List.of(),
        fks,
        List.of());
  }
}
