package dev.ferry.pipelines.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.fill.FillNullsStatement;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Chunk;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** The plan is a value: each step returns a new one, and each side is one kind, never a null. */
class JobPlanTest {
  private static final JobSource TABLE =
      new JobSource.Relation(SourceRelation.table(List.of("shop", "orders"), List.of("id")));

  @Test
  void everyStepReturnsANewPlanAndLeavesTheOldOne() {
    JobPlan source = JobPlan.of(TABLE, null, null);
    PTransform<PCollection<Chunk>, PCollection<Chunk>> step = new PTransform<>() {
      @Override
      public PCollection<Chunk> expand(PCollection<Chunk> input) {
        return input;
      }
    };
    JobPlan fill = source.withStep("KeepCellsToFill", step)
        .withStatement(FillNullsStatement.INSTANCE).withKind("fill");

    assertTrue(source.afterMap().isEmpty());
    assertNull(source.kind());
    assertTrue(source.statement().insertsRows());
    assertEquals(List.of("KeepCellsToFill"), List.copyOf(fill.afterMap().keySet()));
    assertSame(step, fill.afterMap().get("KeepCellsToFill"));
    assertEquals("fill", fill.kind());
    assertThrows(UnsupportedOperationException.class, () -> fill.afterMap().clear());
  }

  @Test
  void aSideIsAskedForTheKindItIs() {
    JobPlan table = JobPlan.of(TABLE, null, null);
    assertFalse(table.readsCollection());
    assertEquals(List.of("id"), table.sourceKeyColumns());
    assertEquals("shop.orders", table.relation().displayName());
    assertEquals("no target described",
        assertThrows(IllegalStateException.class, table::table).getMessage());

    JobPlan collection = JobPlan.of(new JobSource.Collection(CollectionSource.of(
        new MongoEndpoint("mongodb://localhost:27017/shop", null, null), "orders")), null, null);
    assertTrue(collection.readsCollection());
    assertEquals(List.of("_id"), collection.sourceKeyColumns());
    assertEquals("orders is a collection, not a table or query",
        assertThrows(IllegalStateException.class, collection::relation).getMessage());
  }
}
