package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.schema.TableConversion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The backfill flags a migration's load gives a table. */
class TableTaskLoadTest {
  private static final String TARGET = "jdbc:postgresql://localhost:5432/dst";

  @Test
  void loadChunksAreLargeWithoutBatchSize() {
    assertEquals(TableTask.LOAD_BATCH_SIZE, loadOptions().getBatchSize());
  }

  @Test
  void batchSizeFlagStillDecidesTheLoadChunks() {
    assertEquals(300, loadOptions("--batchSize=300").getBatchSize());
  }

  @Test
  void checkKeepsTheBackfillDefaultChunks() {
    MigrateOptions migrate = options();
    BackfillOptions check = OptionsCopy.of(migrate).as(BackfillOptions.class);
    task().configure(check, MigrateSettings.from(migrate, new Secrets(Map.of())), TARGET, false);
    assertEquals(null, check.getBatchSize());
  }

  private static BackfillOptions loadOptions(String... more) {
    MigrateOptions migrate = options(more);
    BackfillOptions load = OptionsCopy.of(migrate).as(BackfillOptions.class);
    task().configureLoad(load, MigrateSettings.from(migrate, new Secrets(Map.of())), TARGET,
        false);
    return load;
  }

  private static TableTask task() {
    return new TableTask("shop", "orders", List.of("orders"), "CREATE TABLE orders (id int)",
        List.of("id"), Optional.empty(), new TableConversion("orders", "orders", List.of()),
        Path.of("orders.yaml"), new TableTask.RowCount(1_000_000, true));
  }

  private static MigrateOptions options(String... more) {
    List<String> args = new ArrayList<>(List.of("--sourceUrl=jdbc:mysql://localhost:3306/shop",
        "--targetUrl=" + TARGET));
    args.addAll(List.of(more));
    PipelineOptionsFactory.register(MigrateOptions.class);
    PipelineOptionsFactory.register(BackfillOptions.class);
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(MigrateOptions.class);
  }
}
