package dev.ferry.schema;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The order to load tables in so that every parent is loaded before its children.
 *
 * <p>Tables that reference each other in a cycle (A references B, B references A, possibly through
 * others) cannot be ordered; they are loaded one after the other at the point where all their
 * outside parents are loaded, and the foreign keys inside the cycle, like self-references, must
 * wait until the whole group is loaded. ferry adds all foreign keys after the load anyway; the
 * order still matters for anything that checks references during the load. Ties keep the input
 * order, so the result is stable.
 */
public final class LoadOrder {
  private final List<String> tables;
  private final List<List<String>> cycles;
  private final List<ForeignKeyDef> deferredForeignKeys;

  private LoadOrder(
      List<String> tables, List<List<String>> cycles, List<ForeignKeyDef> deferredForeignKeys) {
    this.tables = List.copyOf(tables);
    this.cycles = cycles.stream().map(List::copyOf).toList();
    this.deferredForeignKeys = List.copyOf(deferredForeignKeys);
  }

  /** Orders the schema's tables by their foreign keys; references to other schemas are ignored. */
  public static LoadOrder of(SourceSchema schema) {
    List<TableDef> tableDefs = schema.tables();
    Map<String, Integer> index = new HashMap<>();
    for (TableDef t : tableDefs) {
      index.put(t.name(), index.size());
    }
    List<List<Integer>> parents = new ArrayList<>();
    for (TableDef t : tableDefs) {
      Set<Integer> p = new LinkedHashSet<>();
      for (ForeignKeyDef fk : t.foreignKeys()) {
        Integer parent = parentIndex(schema, index, fk);
        if (parent != null && !fk.isSelfReference()) {
          p.add(parent);
        }
      }
      parents.add(List.copyOf(p));
    }
    int[] component = new StronglyConnected(parents).components();
    return build(schema, index, parents, component);
  }

  /** The position of the referenced table, or null when it is not in the schema. */
  private static Integer parentIndex(
      SourceSchema schema, Map<String, Integer> index, ForeignKeyDef fk) {
    return fk.referencedSchema().equals(schema.name()) ? index.get(fk.referencedTable()) : null;
  }

  private static LoadOrder build(
      SourceSchema schema, Map<String, Integer> index, List<List<Integer>> parents, int[] comp) {
    List<TableDef> tableDefs = schema.tables();
    int count = 0;
    for (int c : comp) {
      count = Math.max(count, c + 1);
    }
    List<List<Integer>> members = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      members.add(new ArrayList<>());
    }
    for (int t = 0; t < comp.length; t++) {
      members.get(comp[t]).add(t);
    }
    // Kahn's algorithm over the groups, taking the group with the earliest table first.
    int[] waitingFor = new int[count];
    List<Set<Integer>> children = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      children.add(new LinkedHashSet<>());
    }
    for (int t = 0; t < comp.length; t++) {
      for (int p : parents.get(t)) {
        if (comp[p] != comp[t] && children.get(comp[p]).add(comp[t])) {
          waitingFor[comp[t]]++;
        }
      }
    }
    PriorityQueue<Integer> ready =
        new PriorityQueue<>(Comparator.comparingInt(c -> members.get(c).get(0)));
    for (int c = 0; c < count; c++) {
      if (waitingFor[c] == 0) {
        ready.add(c);
      }
    }
    List<String> order = new ArrayList<>();
    List<List<String>> cycles = new ArrayList<>();
    while (!ready.isEmpty()) {
      int c = ready.poll();
      List<String> names = members.get(c).stream().map(t -> tableDefs.get(t).name()).toList();
      order.addAll(names);
      if (names.size() > 1) {
        cycles.add(names);
      }
      for (int child : children.get(c)) {
        if (--waitingFor[child] == 0) {
          ready.add(child);
        }
      }
    }
    List<ForeignKeyDef> deferred = new ArrayList<>();
    for (int t = 0; t < comp.length; t++) {
      for (ForeignKeyDef fk : tableDefs.get(t).foreignKeys()) {
        Integer parent = parentIndex(schema, index, fk);
        if (parent != null && comp[parent] == comp[t]) {
          deferred.add(fk);
        }
      }
    }
    return new LoadOrder(order, cycles, deferred);
  }

  /** Every table, parents before children. */
  public List<String> tables() {
    return tables;
  }

  /** The groups of tables that reference each other in a cycle, each in load order. */
  public List<List<String>> cycles() {
    return cycles;
  }

  /**
   * Foreign keys that cannot hold while their tables load: self-references and references inside a
   * cycle. They must be added after the load.
   */
  public List<ForeignKeyDef> deferredForeignKeys() {
    return deferredForeignKeys;
  }

  /** Tarjan's strongly connected components, iterative so deep chains cannot overflow. */
  private static final class StronglyConnected {
    private final List<List<Integer>> edges;
    private final int[] order;
    private final int[] low;
    private final int[] component;
    private final boolean[] onStack;
    private final Deque<Integer> stack = new ArrayDeque<>();
    private int counter;
    private int components;

    StronglyConnected(List<List<Integer>> edges) {
      this.edges = edges;
      int n = edges.size();
      order = new int[n];
      low = new int[n];
      component = new int[n];
      onStack = new boolean[n];
      Arrays.fill(order, -1);
    }

    int[] components() {
      for (int v = 0; v < edges.size(); v++) {
        if (order[v] < 0) {
          visit(v);
        }
      }
      return component;
    }

    private void visit(int root) {
      Deque<int[]> work = new ArrayDeque<>(); // {vertex, next edge position}
      open(root);
      work.push(new int[] {root, 0});
      while (!work.isEmpty()) {
        int[] frame = work.peek();
        int v = frame[0];
        List<Integer> next = edges.get(v);
        if (frame[1] < next.size()) {
          int w = next.get(frame[1]++);
          if (order[w] < 0) {
            open(w);
            work.push(new int[] {w, 0});
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], order[w]);
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          int parent = work.peek()[0];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] == order[v]) {
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            component[w] = components;
          } while (w != v);
          components++;
        }
      }
    }

    private void open(int v) {
      order[v] = counter;
      low[v] = counter;
      counter++;
      stack.push(v);
      onStack[v] = true;
    }
  }
}
