"""Migrate one table with ferry: profile -> backfill -> reconcile.

Each step is one ferry job run by ``BeamRunJavaPipelineOperator`` (package
``apache-airflow-providers-apache-beam``), which starts
``java -cp <jar> <job class> --runner=<runner> --flag=value ...`` and fails the task when the
process exits non-zero. ferry's exit codes make that the right signal:

* profile:   0 ok, 1 failed, 2 invalid spec
* backfill:  0 ok, 1 failed (retry resumes where it stopped), 2 invalid spec,
             3 more dead letters than ``maxDeadLetters``
* reconcile: 0 the target holds the source (within ``tolerance``), 4 differences,
             1 failed, 2 invalid spec

so a reconcile that finds differences fails its task and the DAG run.

Parameters (``params``; trigger with "Trigger DAG w/ config" to override any of them):

========================  ================================================================
``spec``                  job spec YAML, readable by the worker that runs the task
                          (required; the same spec for all three steps)
``job``                   job name; default: the spec's ``job``
``jar``                   ferry-direct.jar, ferry-flink.jar or ferry-dataflow.jar, matching
                          ``runner`` (a gs:// path is downloaded first)
``runner``                DirectRunner, FlinkRunner or DataflowRunner
``source_table``          override the spec's source table (``--sourceTable``)
``target_table``          override the spec's target table (``--targetTable``)
``partitions``            key ranges to plan (``--partitions``); 0 = the spec's
``restart``               backfill: forget saved progress and copy everything again
``fast_path``             reconcile: compare per-bucket checksums first (big, mostly equal tables)
``tolerance``             reconcile: accepted share of differing keys (0.001 = 0.1%)
``sample``                reconcile: check this many random keys instead of all; 0 = all
``report_dir``            where the profile report, backfill summary and reconcile report
                          (JSON) are written; on Dataflow a gs:// path
``flink_master``          FlinkRunner: host:port of the JobManager's REST endpoint,
                          or [local]
``parallelism``           FlinkRunner: parallelism; 0 = the cluster's default
``gcp_project``           DataflowRunner: project ID
``gcp_region``            DataflowRunner: region, e.g. europe-west1
``temp_location``         DataflowRunner: gs://bucket/path for temporary files
``extra_options``         more pipeline options, e.g. {"maxDeadLetters": 10}
========================  ================================================================

Secrets never go into params (they are shown in the UI and stored in the metadata database):
the spec names them as ``${env:VAR}`` or ``${file:PATH}``, and the worker provides them.

Boolean options follow the operator's rule: True becomes ``--flag``, False is dropped, so
every ferry boolean defaults to false.
"""

from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.beam.operators.beam import BeamRunJavaPipelineOperator

JOB_CLASSES = {
    "profile": "dev.ferry.pipelines.profile.ProfilePipeline",
    "backfill": "dev.ferry.pipelines.backfill.BackfillPipeline",
    "reconcile": "dev.ferry.pipelines.reconcile.ReconcilePipeline",
}

# ferry-dataflow.jar's entry point checks the Dataflow options offline before it starts a job,
# and takes the job as --command=<name>.
DATAFLOW_ENTRY_POINT = "dev.ferry.runners.dataflow.FerryDataflow"

REPORT_FLAGS = {"profile": "report", "backfill": "summaryFile", "reconcile": "report"}


def ferry_job_class(params: dict, step: str) -> str:
    """The class the operator runs for ``step``."""
    if params["runner"] == "DataflowRunner":
        return DATAFLOW_ENTRY_POINT
    return JOB_CLASSES[step]


def ferry_options(params: dict, step: str) -> dict:
    """The pipeline options of ``step``: only what is set, booleans as True or absent."""
    options: dict = {"spec": params["spec"]}
    if params["runner"] == "DataflowRunner":
        options["command"] = step

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
    if step == "backfill":
        put("restart", bool(params.get("restart")))
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
        # What ferry-flink.jar's entry point (FerryFlink) adds; the operator calls job classes.
        options.setdefault("fasterCopy", True)
        options.setdefault("useDataStreamForBatch", True)
    elif runner == "DataflowRunner":
        # project and region come from dataflow_config, which the operator turns into flags
        put("tempLocation", params.get("temp_location"))

    for flag, value in (params.get("extra_options") or {}).items():
        if value is True or value not in (None, "", False):
            options[flag] = value
    return options


def dataflow_config(step: str) -> dict:
    return {
        "project_id": "{{ params.gcp_project }}",
        "location": "{{ params.gcp_region }}",
        "job_name": "ferry-{{ (params.job or 'job') | lower | replace('_', '-') }}-" + step,
        "append_job_name": True,
    }


with DAG(
    dag_id="ferry_migration",
    description="ferry: profile, backfill and reconcile one table",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    schedule=None,
    catchup=False,
    max_active_runs=1,  # two backfills of one job would only wait on each other's rows
    render_template_as_native_obj=True,  # options stay dicts, booleans stay booleans
    user_defined_macros={"ferry_options": ferry_options, "ferry_job_class": ferry_job_class},
    params={
        "spec": Param("/opt/ferry/specs/orders.yaml", type="string", minLength=1),
        "job": Param("", type="string"),
        "jar": Param("/opt/ferry/ferry-direct.jar", type="string", minLength=1),
        "runner": Param("DirectRunner", enum=["DirectRunner", "FlinkRunner", "DataflowRunner"]),
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
        steps[step] = BeamRunJavaPipelineOperator(
            task_id=step,
            jar="{{ params.jar }}",
            runner="{{ params.runner }}",
            job_class="{{ ferry_job_class(params, '" + step + "') }}",
            pipeline_options="{{ ferry_options(params, '" + step + "') }}",
            dataflow_config=dataflow_config(step),
            # A failed backfill resumes from its checkpoints, so retrying it is cheap and safe;
            # a profile or reconcile that failed says something a retry would not change.
            retries=retries,
            retry_delay=pendulum.duration(minutes=2),
        )
    steps["profile"] >> steps["backfill"] >> steps["reconcile"]
