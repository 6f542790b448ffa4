"""Offline check of ferry_migration_dag.py, without Airflow installed.

Loads the DAG file against minimal stand-ins for the Airflow and pendulum modules it imports,
then checks the task order, the job classes and the pipeline options each runner gets. Run by
CI (runners/dataflow's AirflowDagTest) as ``python3 runners/airflow/check_dag.py``; prints
``ok`` and exits 0, or raises.
"""

from __future__ import annotations

import pathlib
import sys
import types

OPERATORS = []


class _Dag:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Operator:
    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.downstream = []
        OPERATORS.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other


def _param(default=None, **schema):
    return default


def _stub(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module


_stub("pendulum", datetime=lambda *a, **k: None, duration=lambda **k: None)
_stub("airflow", DAG=_Dag)
_stub("airflow.models")
_stub("airflow.models.param", Param=_param)
_stub("airflow.providers")
_stub("airflow.providers.apache")
_stub("airflow.providers.apache.beam")
_stub("airflow.providers.apache.beam.operators")
_stub("airflow.providers.apache.beam.operators.beam", BeamRunJavaPipelineOperator=_Operator)

path = pathlib.Path(__file__).with_name("ferry_migration_dag.py")
dag_module = types.ModuleType("ferry_migration_dag")
dag_module.__file__ = str(path)
exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), dag_module.__dict__)

profile, backfill, reconcile = OPERATORS
assert [o.kwargs["task_id"] for o in OPERATORS] == ["profile", "backfill", "reconcile"]
assert profile.downstream == [backfill] and backfill.downstream == [reconcile]
assert backfill.kwargs["retries"] == 2 and reconcile.kwargs["retries"] == 0

dag_kwargs = dag_module.dag.kwargs
assert dag_kwargs["render_template_as_native_obj"] is True
params = dict(dag_kwargs["params"])
options = dag_module.ferry_options
job_class = dag_module.ferry_job_class

# DirectRunner defaults: only the spec; false booleans and zeros are dropped.
assert options(params, "backfill") == {"spec": "/opt/ferry/specs/orders.yaml"}, \
    options(params, "backfill")
assert job_class(params, "reconcile") == "dev.ferry.pipelines.reconcile.ReconcilePipeline"

# Booleans become bare flags (True), reports land per step.
p = dict(params, job="orders", restart=True, fast_path=True, tolerance=0.001,
         report_dir="/var/ferry/")
assert options(p, "backfill")["restart"] is True
assert "fastPath" not in options(p, "backfill")
assert options(p, "backfill")["summaryFile"] == "/var/ferry/orders-backfill.json"
assert options(p, "reconcile")["fastPath"] is True
assert options(p, "reconcile")["tolerance"] == 0.001
assert options(p, "reconcile")["report"] == "/var/ferry/orders-reconcile.json"
assert "restart" not in options(p, "reconcile")

# Flink: a remote master gets the jar staged; [local] does not.
f = dict(params, runner="FlinkRunner", jar="/opt/ferry/ferry-flink.jar",
         flink_master="flink-jm:8081", parallelism=4)
assert options(f, "backfill")["flinkMaster"] == "flink-jm:8081"
assert options(f, "backfill")["filesToStage"] == "/opt/ferry/ferry-flink.jar"
assert options(f, "backfill")["parallelism"] == 4
assert options(f, "backfill")["fasterCopy"] is True
assert options(f, "reconcile")["useDataStreamForBatch"] is True
assert "filesToStage" not in options(dict(f, flink_master="[local]"), "backfill")

# Dataflow: the preflight entry point, told which job to run.
d = dict(params, runner="DataflowRunner", temp_location="gs://b/tmp",
         extra_options={"maxDeadLetters": 10, "usePublicIps": False})
assert job_class(d, "backfill") == "dev.ferry.runners.dataflow.FerryDataflow"
assert options(d, "backfill")["command"] == "backfill"
assert options(d, "backfill")["tempLocation"] == "gs://b/tmp"
assert options(d, "backfill")["maxDeadLetters"] == 10
assert "usePublicIps" not in options(d, "backfill")

print("ok")
