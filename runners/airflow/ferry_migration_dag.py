"""Migrate one table with ferry: profile -> backfill -> reconcile.

Each step is one ferry job run by ``FerryJobOperator``, a ``BeamRunJavaPipelineOperator``
(package ``apache-airflow-providers-apache-beam``; for Dataflow also
``apache-airflow-providers-google``) that starts
``java -cp <jar> <ferry entry point> --runner=<runner> --command=<step> --flag=value ...``.
The task fails when ferry's verdict is not 0:

* profile:   0 ok, 1 failed, 2 invalid spec
* backfill:  0 ok, 1 failed (retry resumes where it stopped), 2 invalid spec,
             3 more dead letters than ``maxDeadLetters``
* reconcile: 0 the target holds the source (within ``tolerance``), 4 differences,
             1 failed, 2 invalid spec

so a reconcile that finds differences fails its task and the DAG run, on every runner. On
DirectRunner and Flink the verdict is the process's exit code. On Dataflow the operator stops
reading the launcher once it printed "Submitted job: <id>" (it takes the job id for its link,
for cancelling the job when the task is killed, and to wait for the job), so the launcher also
leaves its exit code in a verdict file on this worker, which the task reads after the job ended.

Parameters (``params``; trigger with "Trigger DAG w/ config" to override any of them):

========================  ================================================================
``spec``                  job spec YAML, readable by the worker that runs the task
                          (required; the same spec for all three steps)
``job``                   job name; default: the spec's ``job``
``jar``                   ferry-direct.jar, ferry-flink.jar or ferry-dataflow.jar, matching
                          ``runner`` (a gs:// path is downloaded first)
``runner``                DirectRunner, FlinkRunner or DataflowRunner
``java_options``          options of the launcher's JVM, e.g. ``-Xmx8g`` (given to java as
                          ``JDK_JAVA_OPTIONS``); on DirectRunner the whole job runs in it.
                          On Dataflow better left empty: java then notes the variable on
                          stderr, and the operator reads stderr to its end before it sees the
                          job id (no link or cancel until the launcher ends)
``source_table``          override the spec's source table (``--sourceTable``)
``target_table``          override the spec's target table (``--targetTable``)
``partitions``            key ranges to plan (``--partitions``); 0 = the spec's
``restart``               backfill: forget saved progress and copy everything again; only on
                          the first try of a DAG run, a retry resumes
``fast_path``             reconcile: compare per-bucket checksums first (big, mostly equal tables)
``tolerance``             reconcile: accepted share of differing keys (0.001 = 0.1%)
``sample``                reconcile: check this many random keys instead of all; 0 = all
``report_dir``            where the profile report, backfill summary and reconcile report
                          (JSON) are written; on Dataflow a gs:// path works
``flink_master``          FlinkRunner: host:port of the JobManager's REST endpoint,
                          or [local]
``parallelism``           FlinkRunner: parallelism; 0 = the cluster's default
``gcp_project``           DataflowRunner: project ID
``gcp_region``            DataflowRunner: region, e.g. europe-west1
``temp_location``         DataflowRunner: gs://bucket/path for temporary files
``extra_options``         more pipeline options, e.g. {"maxDeadLetters": 10,
                          "usePublicIps": false}
========================  ================================================================

Secrets never go into params (they are shown in the UI and stored in the metadata database):
the spec names them as ``${env:VAR}`` or ``${file:PATH}``, and the worker provides them.

Boolean options: the operator turns True into ``--flag`` and drops False, so the DAG passes a
False of ``extra_options`` as the string ``"false"`` (``--usePublicIps=false``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import tempfile
import time
from datetime import datetime, timedelta, timezone

try:  # Airflow 3
    from airflow.sdk import DAG, Param
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models.param import Param
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.beam.operators.beam import BeamRunJavaPipelineOperator

# The bundles' entry points take the job as --command=<step>: the operator puts --runner first,
# so a command word cannot lead. ferry (Direct, Flink) adds the DirectRunner's defaults itself;
# ferry-dataflow.jar's FerryDataflow checks the Dataflow options and credentials offline first.
FERRY_MAIN = "dev.ferry.pipelines.cli.Ferry"
DATAFLOW_MAIN = "dev.ferry.runners.dataflow.FerryDataflow"

REPORT_FLAGS = {"profile": "report", "backfill": "summaryFile", "reconcile": "report"}

EXIT_CODES = {
    1: "the job failed",
    2: "invalid spec or options",
    3: "more dead letters than maxDeadLetters",
    4: "the reconcile found differences beyond the tolerance",
    5: "a database refused the login (user or password); not retried",
}
# Exit codes a retry cannot fix: the task fails at once, without its retries.
NOT_RETRIED = {5}


def is_dataflow(runner: str) -> bool:
    return str(runner).lower() == "dataflowrunner"


def ferry_main_class(params: dict) -> str:
    """The class the operator runs."""
    return DATAFLOW_MAIN if is_dataflow(params["runner"]) else FERRY_MAIN


def ferry_options(params: dict, step: str, try_number: int = 1) -> dict:
    """The pipeline options of ``step``'s ``try_number``-th try: only what is set."""
    options: dict = {"command": step, "spec": params["spec"]}

    def put(flag, value):
        if value not in (None, "", 0, False):
            options[flag] = value

    put("job", params.get("job"))
    put("sourceTable", params.get("source_table"))
    put("targetTable", params.get("target_table"))
    if step != "reconcile":
        put("partitions", params.get("partitions"))
    if params.get("report_dir"):
        job = params.get("job") or "ferry"
        options[REPORT_FLAGS[step]] = f"{params['report_dir'].rstrip('/')}/{job}-{step}.json"
    # A retry must resume from the checkpoints, not copy everything again.
    if step == "backfill" and params.get("restart") and (try_number or 1) <= 1:
        options["restart"] = True
    if step == "reconcile":
        put("fastPath", bool(params.get("fast_path")))
        put("tolerance", params.get("tolerance"))
        put("sample", params.get("sample"))

    runner = params["runner"]
    if runner == "FlinkRunner":
        put("flinkMaster", params.get("flink_master"))
        put("parallelism", params.get("parallelism"))
        if params.get("flink_master") not in (None, "", "[local]", "[auto]"):
            options["filesToStage"] = params["jar"]  # ship the bundle to the cluster
        # What ferry-flink.jar adds for `java -jar`; not for a --command given among flags.
        options.setdefault("fasterCopy", True)
        options.setdefault("useDataStreamForBatch", True)
    elif is_dataflow(runner):
        # project, region and job name come from dataflow_config, which the operator turns
        # into flags
        put("tempLocation", params.get("temp_location"))

    for flag, value in (params.get("extra_options") or {}).items():
        if value is None or value == "":
            continue
        # the operator drops False: "false" survives as --flag=false
        options[flag] = "false" if value is False else value
    return options


def dataflow_job_name(params: dict, step: str) -> str:
    """A Dataflow job name (lowercase letters, digits, hyphens) for ``step`` of this job."""
    job = re.sub(r"[^a-z0-9]+", "-", str(params.get("job") or "job").lower()).strip("-")
    return f"ferry-{job or 'job'}-{step}"


def ferry_dataflow_config(params: dict, step: str) -> dict | None:
    """The operator's Dataflow configuration; None for other runners (no Google provider)."""
    if not is_dataflow(params["runner"]):
        return None
    return {
        "project_id": params.get("gcp_project") or None,
        "location": params.get("gcp_region") or None,
        "job_name": dataflow_job_name(params, step),
        "append_job_name": True,  # a unique suffix per try
    }


@contextlib.contextmanager
def _java_options(options: str):
    """JDK_JAVA_OPTIONS for the java the operator starts (it inherits this environment)."""
    if not options:
        yield
        return
    before = os.environ.get("JDK_JAVA_OPTIONS")
    os.environ["JDK_JAVA_OPTIONS"] = f"{before} {options}" if before else options
    try:
        yield
    finally:
        if before is None:
            del os.environ["JDK_JAVA_OPTIONS"]
        else:
            os.environ["JDK_JAVA_OPTIONS"] = before


def _read_verdict(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def _ended(pid: int) -> bool:
    """Whether the launcher process ``pid`` (a child of this task's process) has ended."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)  # also reaps it: nobody else waits for it
        return done == pid
    except ChildProcessError:  # not our child, or reaped already
        try:
            os.kill(pid, 0)
            return False
        except ProcessLookupError:
            return True
        except PermissionError:
            return False


class FerryJobOperator(BeamRunJavaPipelineOperator):
    """``BeamRunJavaPipelineOperator`` for ferry's jobs, whose verdict fails the task.

    * ``java_options``: options of the launcher's JVM (``JDK_JAVA_OPTIONS``), e.g. ``-Xmx8g``.
    * On Dataflow, the launcher's exit code is read from its verdict file after the Dataflow
      job ended (the operator itself stopped reading the launcher at "Submitted job"), and the
      task fails unless it is 0.
    * ``dataflow_config`` is only used on Dataflow: Direct and Flink tasks need no Google
      provider.
    """

    template_fields = (*BeamRunJavaPipelineOperator.template_fields, "java_options")

    def __init__(self, *, java_options: str = "", verdict_poll_seconds: float = 5.0, **kwargs):
        # The verdict is read by this process after the job: a deferred task would lose it.
        kwargs.setdefault("deferrable", False)
        super().__init__(**kwargs)
        self.java_options = java_options
        self.verdict_poll_seconds = verdict_poll_seconds
        self._verdict_file: str | None = None

    def _cast_dataflow_config(self):
        if is_dataflow(self.runner):
            super()._cast_dataflow_config()

    def execute(self, context):
        if not is_dataflow(self.runner):
            with _java_options(self.java_options):
                return super().execute(context)
        with tempfile.TemporaryDirectory(prefix="ferry-verdict-") as tmp:
            verdict_file = self._verdict_file = os.path.join(tmp, "verdict.json")
            self.pipeline_options = {**(self.pipeline_options or {}), "verdictFile": verdict_file}
            try:
                with _java_options(self.java_options):
                    result = super().execute(context)
                verdict = self._wait_for_verdict(verdict_file)
            finally:
                self._show_launcher_log(verdict_file + ".log")
        code = verdict.get("exitCode")
        self.log.info("ferry %s exited with %s", verdict.get("command"), code)
        if code != 0:
            failure = AirflowFailException if code in NOT_RETRIED else AirflowException
            raise failure(
                f"ferry {verdict.get('command')} exited with {code}: "
                f"{EXIT_CODES.get(code, 'see the launcher log and the report')}")
        return result

    def _show_launcher_log(self, path: str) -> None:
        """The launcher's console, which it writes to a file while the operator watches it."""
        with contextlib.suppress(FileNotFoundError), open(path, encoding="utf-8",
                                                          errors="replace") as f:
            for line in f:
                self.log.info("%s", line.rstrip("\n"))

    def _wait_for_verdict(self, path: str) -> dict:
        while True:
            verdict = _read_verdict(path)
            if verdict is None:
                raise AirflowException(
                    f"the launcher left no verdict in {path}: is the jar older than this DAG?")
            if verdict.get("state") == "finished":
                return verdict
            pid = verdict["pid"]
            if _ended(pid):
                verdict = _read_verdict(path)  # it may have finished just before it ended
                if verdict and verdict.get("state") == "finished":
                    return verdict
                raise AirflowException(f"the launcher (pid {pid}) ended without a verdict")
            time.sleep(self.verdict_poll_seconds)

    def on_kill(self) -> None:
        super().on_kill()  # cancels the Dataflow job
        verdict = _read_verdict(self._verdict_file) if self._verdict_file else None
        if verdict and verdict.get("state") == "running":
            with contextlib.suppress(ProcessLookupError):
                os.kill(verdict["pid"], signal.SIGTERM)


with DAG(
    dag_id="ferry_migration",
    description="ferry: profile, backfill and reconcile one table",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    max_active_runs=1,  # two backfills of one job would only wait on each other's rows
    render_template_as_native_obj=True,  # options stay dicts, booleans stay booleans
    user_defined_macros={
        "ferry_options": ferry_options,
        "ferry_main_class": ferry_main_class,
        "ferry_dataflow_config": ferry_dataflow_config,
    },
    params={
        "spec": Param("/opt/ferry/specs/orders.yaml", type="string", minLength=1),
        "job": Param("", type="string"),
        "jar": Param("/opt/ferry/ferry-direct.jar", type="string", minLength=1),
        "runner": Param("DirectRunner", enum=["DirectRunner", "FlinkRunner", "DataflowRunner"]),
        "java_options": Param("", type="string"),
        "source_table": Param("", type="string"),
        "target_table": Param("", type="string"),
        "partitions": Param(0, type="integer", minimum=0),
        "restart": Param(False, type="boolean"),
        "fast_path": Param(False, type="boolean"),
        "tolerance": Param(0, type="number", minimum=0, maximum=1),
        "sample": Param(0, type="integer", minimum=0),
        "report_dir": Param("", type="string"),
        "flink_master": Param("", type="string"),
        "parallelism": Param(0, type="integer", minimum=0),
        "gcp_project": Param("", type="string"),
        "gcp_region": Param("", type="string"),
        "temp_location": Param("", type="string"),
        "extra_options": Param({}, type="object"),
    },
    tags=["ferry", "migration"],
) as dag:
    steps = {}
    for step, retries in (("profile", 0), ("backfill", 2), ("reconcile", 0)):
        steps[step] = FerryJobOperator(
            task_id=step,
            jar="{{ params.jar }}",
            runner="{{ params.runner }}",
            job_class="{{ ferry_main_class(params) }}",
            pipeline_options="{{ ferry_options(params, '" + step + "', ti.try_number) }}",
            dataflow_config="{{ ferry_dataflow_config(params, '" + step + "') }}",
            java_options="{{ params.java_options }}",
            # A failed backfill resumes from its checkpoints, so retrying it is cheap and safe;
            # a profile or reconcile that failed says something a retry would not change.
            retries=retries,
            retry_delay=timedelta(minutes=2),
        )
    steps["profile"] >> steps["backfill"] >> steps["reconcile"]
