package dev.ferry.pipelines.reconcile;

import dev.ferry.digest.CanonicalRules;
import dev.ferry.pipelines.spec.SpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The reconcile flags after checking: typed, with defaults applied, nothing left to parse. */
final class ReconcileSettings {
  final CanonicalRules rules;
  final boolean fastPath;
  final int bucketRows;
  final long joinInLauncherBelow;
  final int checksumConnections;
  final Integer sample;
  final long sampleSeed;
  final double tolerance;
  final String reportFile;
  final String differencesFile;
  final int examples;
  final boolean repair;
  final String repairSqlFile;
  final boolean deleteExtras;
  final Set<String> sensitiveColumns;

  private ReconcileSettings(ReconcileOptions o, CanonicalRules rules, Set<String> sensitive) {
    this.rules = rules;
    this.fastPath = o.getFastPath();
    this.bucketRows = o.getBucketRows();
    this.joinInLauncherBelow = o.getJoinInLauncherBelow();
    this.checksumConnections = o.getChecksumConnections();
    this.sample = o.getSample();
    this.sampleSeed = o.getSampleSeed();
    this.tolerance = o.getTolerance();
    this.reportFile = o.getReport();
    this.differencesFile = o.getDifferencesFile() != null ? o.getDifferencesFile()
        : o.getReport() == null ? null : o.getReport().replaceAll("\\.json$", "")
            + ".differences.jsonl";
    this.examples = o.getExamples();
    this.repair = o.getRepair();
    this.repairSqlFile = o.getRepairSqlFile();
    this.deleteExtras = o.getDeleteExtras();
    this.sensitiveColumns = sensitive;
  }

  static ReconcileSettings from(ReconcileOptions o) {
    CanonicalRules rules;
    try {
      rules = CanonicalRules.exact().withFloatTolerance(o.getFloatTolerance());
    } catch (IllegalArgumentException e) {
      throw new SpecException("flags", "floatTolerance", e.getMessage());
    }
    try {
      rules = rules.withTimestampPrecision(o.getTimestampPrecision());
    } catch (IllegalArgumentException e) {
      throw new SpecException("flags", "timestampPrecision", e.getMessage());
    }
    try {
      rules = rules.withSourceZone(o.getSourceZone());
    } catch (IllegalArgumentException e) {
      throw new SpecException("flags", "sourceZone", e.getMessage());
    }
    rules = rules.withCharPaddingTrimmed(!o.getCompareCharPadding());
    if (!(o.getTolerance() >= 0 && o.getTolerance() <= 1)) {
      throw new SpecException("flags", "tolerance", "must be a share between 0 and 1, got "
          + o.getTolerance());
    }
    if (o.getSample() != null && o.getSample() < 1) {
      throw new SpecException("flags", "sample", "must be at least 1, got " + o.getSample());
    }
    if (o.getSample() != null && (o.getFastPath() || o.getRepair()
        || o.getRepairSqlFile() != null)) {
      throw new SpecException("flags", "sample", "a sample only measures the error rate; run"
          + " without --sample to use --fastPath, --repair or --repairSqlFile");
    }
    if (o.getBucketRows() < 1) {
      throw new SpecException("flags", "bucketRows", "must be at least 1, got "
          + o.getBucketRows());
    }
    if (o.getChecksumConnections() < 1) {
      throw new SpecException("flags", "checksumConnections", "must be at least 1, got "
          + o.getChecksumConnections());
    }
    if (o.getJoinInLauncherBelow() < 0) {
      throw new SpecException("flags", "joinInLauncherBelow", "must not be negative, got "
          + o.getJoinInLauncherBelow());
    }
    if (o.getExamples() < 0) {
      throw new SpecException("flags", "examples", "must not be negative");
    }
    if (o.getDeleteExtras() && !o.getRepair() && o.getRepairSqlFile() == null) {
      throw new SpecException("flags", "deleteExtras", "only applies to --repair or"
          + " --repairSqlFile");
    }
    return new ReconcileSettings(o, rules, list(o.getSensitiveColumns()));
  }

  private static Set<String> list(String commaSeparated) {
    if (commaSeparated == null) {
      return Set.of();
    }
    List<String> names = new ArrayList<>();
    for (String s : commaSeparated.split(",")) {
      if (!s.isBlank()) {
        names.add(s.trim());
      }
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(names));
  }
}
