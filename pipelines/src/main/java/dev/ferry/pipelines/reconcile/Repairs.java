package dev.ferry.pipelines.reconcile;

import dev.ferry.map.MapChunks;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.Counters;
import dev.ferry.progress.ProgressStore;
import dev.ferry.reconcile.KeyLookup;
import dev.ferry.reconcile.KeyOutcome;
import dev.ferry.reconcile.ReadRowsByKey;
import dev.ferry.reconcile.RepairSql;
import dev.ferry.reconcile.TargetDeletes;
import dev.ferry.write.WriteChunks;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reshuffle;

/**
 * Fixes what a reconcile found, only where it is safe to: missing and mismatched keys are copied
 * again from the source through the backfill's own mapping and upsert; rows are deleted from the
 * target only with {@code --deleteExtras} (extra keys, and all copies of a duplicated key before
 * its source row is copied again). Keys the repair cannot fix are counted per reason: rows the
 * mapping rejects, keys duplicated in the source, deletions not allowed.
 */
final class Repairs {
  private static final int KEYS_PER_CHUNK = 500;

  private final BackfillConfig config;
  private final ReconcileSettings settings;
  private final ReconcileSetup setup;
  private final List<String> recopy = new ArrayList<>();
  private final List<String> delete = new ArrayList<>();
  private final ReconcileReport.Repair report = new ReconcileReport.Repair();

  Repairs(BackfillConfig config, ReconcileSettings settings, ReconcileSetup setup,
      Findings findings) {
    this.config = config;
    this.settings = settings;
    this.setup = setup;
    for (KeyOutcome o : findings.all()) {
      plan(o);
    }
  }

  private void plan(KeyOutcome o) {
    if (o.rejectedColumn() != null) {
      notRepaired("the mapping rejects the source row");
      return;
    }
    switch (o.kind()) {
      case MISSING:
      case MISMATCHED:
        if (o.sourceRows() == 1) {
          recopy.add(o.key());
        }
        return;
      case EXTRA:
        if (settings.deleteExtras) {
          delete.add(o.key());
        } else {
          notRepaired("extra (pass --deleteExtras to delete)");
        }
        return;
      case DUPLICATE:
        if (o.sourceRows() > 1) {
          notRepaired("duplicated in the source");
        } else if (!settings.deleteExtras) {
          notRepaired("duplicated in the target (pass --deleteExtras to replace)");
        } else {
          delete.add(o.key());
          if (o.sourceRows() == 1) {
            recopy.add(o.key());
          }
        }
        return;
      default:
        throw new IllegalStateException("a match needs no repair: " + o);
    }
  }

  private void notRepaired(String reason) {
    report.notRepaired.merge(reason, 1L, Long::sum);
  }

  ReconcileReport.Repair run(PipelineOptions options, String runId) throws Exception {
    report.keysRecopied = recopy.size();
    report.keysDeleted = delete.size();
    if (settings.repairSqlFile != null) {
      writeSql(Path.of(settings.repairSqlFile));
      report.sqlFile = settings.repairSqlFile;
    }
    if (settings.repair) {
      report.rowsDeleted = TargetDeletes.delete(setup.targetSide, setup.canonicalizer, delete);
      if (!recopy.isEmpty()) {
        recopy(options, runId);
      }
      report.applied = true;
    }
    return report;
  }

  private void writeSql(Path file) throws Exception {
    RepairSql sql = new RepairSql(config.target.dialect(), setup.target.name(),
        setup.target.columns(), setup.target.keyColumns());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    KeyLookup lookup = new KeyLookup(setup.sourceSide);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("-- ferry reconcile repair for job " + config.job + ": " + recopy.size()
          + " keys to copy again, " + delete.size() + " keys to delete.\n"
          + "-- Review before running. Values come from the source, mapped as the backfill"
          + " maps them.\n");
      w.write(sql.begin());
      for (String key : delete) {
        w.write(sql.delete(setup.canonicalizer.decodeKey(key)));
      }
      for (int from = 0; from < recopy.size(); from += KEYS_PER_CHUNK) {
        List<String> batch = recopy.subList(from, Math.min(recopy.size(), from + KEYS_PER_CHUNK));
        for (Map.Entry<String, List<KeyLookup.Found>> e : lookup.compared(setup.canonicalizer,
            batch).entrySet()) {
          for (KeyLookup.Found f : e.getValue()) {
            if (f.values() != null) {
              w.write(sql.upsert(f.values()));
            }
          }
        }
      }
      w.write(sql.commit());
    }
  }

  private void recopy(PipelineOptions options, String runId) throws Exception {
    new ProgressStore(config.target, config.stateSchema).ensureTables();
    List<List<String>> batches = new ArrayList<>();
    for (int from = 0; from < recopy.size(); from += KEYS_PER_CHUNK) {
      batches.add(new ArrayList<>(recopy.subList(from, Math.min(recopy.size(),
          from + KEYS_PER_CHUNK))));
    }
    String step = "Repair." + setup.target.displayName().replaceAll("[^A-Za-z0-9_.]", "_");
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(step + ".Keys", Create.of(batches).withCoder(ListCoder.of(StringUtf8Coder.of())))
        .apply(step + ".Distribute", Reshuffle.viaRandomKey())
        .apply(step + ".Read", ReadRowsByKey.from(setup.sourceSide, setup.canonicalizer))
        .apply(step + ".Map", MapChunks.with(setup.mapper, setup.relation.keyColumns(),
            setup.relation.displayName()))
        .apply(step + ".Upsert", WriteChunks.into(config.target, setup.target,
                setup.mapper.sourceLayout(), setup.relation.keyColumns())
            .forJob(config.job, "reconcile-repair", runId)
            .withStateSchema(config.stateSchema));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    report.rowsWritten = Counters.total(result, WriteChunks.class, "rowsWritten");
    report.rowsDeadLettered = Counters.total(result, WriteChunks.class,
        "rowsDeadLettered");
  }
}
