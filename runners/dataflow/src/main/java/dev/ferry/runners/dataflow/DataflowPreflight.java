package dev.ferry.runners.dataflow;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a job's Dataflow options before anything is contacted: project, region, temporary and
 * staging locations, job name, worker counts, and database URLs that Dataflow's workers could
 * never reach. Every problem is reported at once, each naming its flag and what to write
 * instead; nothing here talks to Google Cloud, so it also runs where no cloud is reachable.
 *
 * <p>DataflowRunner checks some of the same things itself, but only while submitting, one at a
 * time, and several of its checks need the network (the buckets, the project) or fall back to
 * the local {@code gcloud} configuration, so a job that works on one laptop fails on another.
 * ferry asks for every setting explicitly.
 */
public final class DataflowPreflight {
  // https://cloud.google.com/resource-manager/docs/creating-managing-projects: 6 to 30
  // lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen;
  // older projects may be domain-scoped ("example.com:my-project").
  private static final Pattern PROJECT =
      Pattern.compile("([a-z0-9.-]+\\.[a-z]{2,}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");
  private static final Pattern ZONE = Pattern.compile("([a-z]+-[a-z]+[0-9]+)-[a-z]");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
  private static final Pattern JOB_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,1022}[a-z0-9])?");

  private DataflowPreflight() {}

  /** True when these flags ask for the DataflowRunner (the default of ferry-dataflow.jar). */
  public static boolean forDataflow(List<String> args) {
    String runner = flags(args).get("runner");
    return runner == null || runner.equals("DataflowRunner")
        || runner.endsWith(".DataflowRunner");
  }

  /** Every problem with the Dataflow options among {@code args}; empty when they are usable. */
  public static List<String> check(List<String> args) {
    Map<String, String> f = flags(args);
    List<String> problems = new ArrayList<>();

    String project = f.get("project");
    if (blank(project)) {
      problems.add("--project is required: the ID of the Google Cloud project that runs the job"
          + " (e.g. --project=my-project-123); ferry does not fall back to gcloud's default");
    } else if (!PROJECT.matcher(project).matches()) {
      problems.add("--project=" + project + ": not a project ID (6 to 30 lowercase letters,"
          + " digits and hyphens, starting with a letter)" + (project.matches("[0-9]+")
          ? "; this looks like a project number, write the project ID"
          : "; write the ID, not the project's display name"));
    }

    String region = f.get("region");
    if (blank(region)) {
      problems.add("--region is required: the Dataflow region that runs the job, near both"
          + " databases (e.g. --region=europe-west1)");
    } else if (ZONE.matcher(region).matches()) {
      problems.add("--region=" + region + ": that is a zone; the region is "
          + ZONE.matcher(region).replaceAll("$1") + " (pin a zone with --workerZone)");
    } else if (!REGION.matcher(region).matches()) {
      problems.add("--region=" + region + ": not a Dataflow region such as us-central1 or"
          + " europe-west1");
    }

    String temp = f.get("tempLocation");
    String gcpTemp = f.get("gcpTempLocation");
    if (blank(temp) && blank(gcpTemp)) {
      problems.add("--tempLocation is required (or --gcpTempLocation): a gs://bucket/path where"
          + " Dataflow keeps temporary files and reconcile writes its results");
    }
    checkGcsPath(problems, "tempLocation", temp);
    checkGcsPath(problems, "gcpTempLocation", gcpTemp);
    checkGcsPath(problems, "stagingLocation", f.get("stagingLocation"));
    String template = f.get("templateLocation");
    if (template != null) {
      checkGcsPath(problems, "templateLocation", template);
    }

    String jobName = f.get("jobName");
    if (jobName != null && !JOB_NAME.matcher(jobName).matches()) {
      problems.add("--jobName=" + jobName + ": Dataflow job names are lowercase letters, digits"
          + " and hyphens, starting with a letter and not ending with a hyphen (e.g. "
          + suggestJobName(jobName) + ")");
    }

    Integer workers = positive(problems, f, "numWorkers");
    Integer maxWorkers = positive(problems, f, "maxNumWorkers");
    if (workers != null && maxWorkers != null && workers > maxWorkers) {
      problems.add("--numWorkers=" + workers + " is more than --maxNumWorkers=" + maxWorkers);
    }

    for (String flag : List.of("sourceUrl", "targetUrl")) {
      String host = jdbcHost(f.get(flag));
      if (host != null && isLoopback(host)) {
        problems.add("--" + flag + ": " + host + " is this machine; Dataflow's workers run in"
            + " Google Cloud and reach the database only by an address they can route to"
            + " (a private IP in the job's VPC network, or a Cloud SQL address)");
      }
    }
    return problems;
  }

  private static void checkGcsPath(List<String> problems, String flag, String value) {
    if (value == null) {
      return;
    }
    if (!value.startsWith("gs://")) {
      problems.add("--" + flag + "=" + value + ": must be a Cloud Storage path, gs://bucket/path;"
          + " Dataflow's workers cannot see this machine's files");
      return;
    }
    String rest = value.substring("gs://".length());
    String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      problems.add("--" + flag + "=" + value + ": '" + bucket + "' is not a bucket name (3 to 63"
          + " lowercase letters, digits, dots, hyphens and underscores)");
    }
  }

  private static Integer positive(List<String> problems, Map<String, String> f, String flag) {
    String value = f.get(flag);
    if (value == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add("--" + flag + "=" + value + ": must be a whole number of at least 1");
    return null;
  }

  /** The host of a JDBC URL such as jdbc:postgresql://host:5432/db; null if it has none. */
  static String jdbcHost(String url) {
    if (url == null || !url.startsWith("jdbc:")) {
      return null;
    }
    try {
      String host = URI.create(url.substring("jdbc:".length())).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1") || h.equals("0.0.0.0");
  }

  private static String suggestJobName(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
        .replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
    return s.isEmpty() ? "ferry-orders-backfill" : s;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** {@code --name=value} and bare {@code --name} (true) flags; the last one of a name wins. */
  static Map<String, String> flags(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args) {
      if (!a.startsWith("--")) {
        continue;
      }
      int eq = a.indexOf('=');
      if (eq < 0) {
        out.put(a.substring(2), "true");
      } else {
        out.put(a.substring(2, eq), a.substring(eq + 1));
      }
    }
    return out;
  }
}
