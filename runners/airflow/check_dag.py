"""Offline check of ferry_migration_dag.py, without Airflow installed.

Loads the DAG against the stand-ins of airflow_standins.py (Airflow 2 and 3 layouts, with and
without the Google provider), renders each task's templates as Airflow would and runs it: the
stand-in Beam hook starts a stand-in ``java`` (a script put first on the PATH) that records its
command line and plays the launcher (exit codes, the "Submitted job" line, the verdict file).
Run by CI (runners/dataflow's AirflowDagTest):

    python3 runners/airflow/check_dag.py             # the checks; prints ``ok`` or raises
    python3 runners/airflow/check_dag.py --commands  # the command lines of the examples (JSON)

The examples' values are ones ferry's jars accept; AirflowDagTest runs the jar's own option
validation on the command lines that ``--commands`` prints.
"""

from __future__ import annotations

import json
import logging
import os
import pathlib
import sys
import tempfile
import types

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import airflow_standins as standins  # noqa: E402

JOB_ID = "2026-12-07_06_07_08-4242424242"

# A stand-in for `java`: records how it was started, then plays ferry's launcher.
FAKE_JAVA = r'''#!/usr/bin/env python3
import json, os, sys, time
play = json.loads(os.environ["FERRY_FAKE_JAVA"])
args = sys.argv[1:]
if os.environ.get("JDK_JAVA_OPTIONS"):  # as java does, before main
    print("NOTE: Picked up JDK_JAVA_OPTIONS: " + os.environ["JDK_JAVA_OPTIONS"], file=sys.stderr,
          flush=True)
with open(play["record"], "a", encoding="utf-8") as f:
    f.write(json.dumps({"argv": args, "java_options": os.environ.get("JDK_JAVA_OPTIONS")}) + "\n")
flags = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
verdict = flags.get("verdictFile")

def write_verdict(**fields):
    fields.update(pid=os.getpid(), command=flags.get("command"))
    with open(verdict + ".part", "w", encoding="utf-8") as f:
        json.dump(fields, f)
    os.replace(verdict + ".part", verdict)

if verdict:
    write_verdict(state="running")
    with open(verdict + ".log", "a", encoding="utf-8") as f:
        f.write("launcher: planned 16 ranges\n")
if play.get("submit"):
    print("14:02:03 INFO  Submitted job: " + play["job_id"], flush=True)
    # the launcher waits for the Dataflow job; the stand-in service says when it has ended,
    # unless the operator cannot see the job id before the launcher exits
    deadline = time.time() + 30
    while not play.get("job_ends_alone") and not os.path.exists(play["job_done"]):
        if time.time() > deadline:
            sys.exit(99)
        time.sleep(0.02)
    if play.get("vanish"):
        os._exit(1)
code = play.get("exit", 0)
if verdict:
    write_verdict(state="finished", exitCode=code)
sys.exit(code)
'''

# Examples with values ferry's jars accept (a real bucket name, a project ID, a region).
DATAFLOW = {"runner": "DataflowRunner", "jar": "/opt/ferry/ferry-dataflow.jar",
            "job": "orders", "gcp_project": "ferry-demo-123", "gcp_region": "europe-west1",
            "temp_location": "gs://ferry-demo-bucket/tmp",
            "report_dir": "gs://ferry-demo-bucket/reports",
            "source_table": "shop.orders",
            "extra_options": {"usePublicIps": False, "maxDeadLetters": 10,
                              "subnetwork": "regions/europe-west1/subnetworks/db"}}
DIRECT = {"runner": "DirectRunner", "jar": "/opt/ferry/ferry-direct.jar", "job": "orders",
          "report_dir": "/var/ferry/reports", "java_options": "-Xmx6g", "partitions": 32}


class Sandbox:
    """A temporary directory with the stand-in java first on the PATH."""

    def __init__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="ferry-check-dag-"))
        java = self.dir / "java"
        java.write_text(FAKE_JAVA, encoding="utf-8")
        java.chmod(0o755)
        self.record = self.dir / "java.jsonl"
        self.job_done = self.dir / "job-done"
        os.environ["PATH"] = f"{self.dir}{os.pathsep}{os.environ['PATH']}"

    def play(self, **play):
        self.record.unlink(missing_ok=True)
        self.job_done.unlink(missing_ok=True)
        os.environ["FERRY_FAKE_JAVA"] = json.dumps(
            {"record": str(self.record), "job_done": str(self.job_done), "job_id": JOB_ID,
             **play})
        standins.DATAFLOW_CALLS.clear()
        standins.DATAFLOW_JOB_ENDS["callback"] = self._job_ends

    def _job_ends(self, job_id):
        self.job_done.touch()
        return "JOB_STATE_DONE"

    def started(self):
        """How java was started: [{"argv": [...], "java_options": ...}]."""
        lines = self.record.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]


def load_dag(airflow_version=3, google_provider=True):
    standins.install(airflow_version, google_provider)
    path = HERE / "ferry_migration_dag.py"
    module = types.ModuleType("ferry_migration_dag")
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    for task in module.dag.tasks:
        task.verdict_poll_seconds = 0.01
    return module


def run_task(module, step, params, try_number=1):
    """Renders ``step``'s templates with ``params`` over the DAG's defaults and executes it."""
    task = next(t for t in module.dag.tasks if t.task_id == step)
    defaults = {k: p.value for k, p in module.dag.kwargs["params"].items()}
    context = {"params": {**defaults, **params}, "ti": types.SimpleNamespace(try_number=try_number),
               "task": task}
    task.render_template_fields(context)
    task.execute(context)
    return task


def fails(module, step, params, *messages):
    """Runs ``step``, which must fail saying one of ``messages``."""
    try:
        run_task(module, step, params)
    except standins.AirflowException as e:
        assert any(m in str(e) for m in messages), f"{step}: expected {messages} in: {e}"
        return
    raise AssertionError(f"{step} with {params} should have failed ({messages})")


def check_shape():
    for version in (3, 2):
        module = load_dag(version)
        dag = module.dag
        assert isinstance(dag, standins.DAG), f"Airflow {version}: {dag!r}"
        assert [t.task_id for t in dag.tasks] == ["profile", "backfill", "reconcile"]
        profile, backfill, reconcile = dag.tasks
        assert profile.downstream == [backfill] and backfill.downstream == [reconcile]
        assert backfill.retries == 2 and reconcile.retries == 0
        assert all(isinstance(t, standins.BeamRunJavaPipelineOperator) for t in dag.tasks)
        assert all(t.deferrable is False for t in dag.tasks)
        assert dag.kwargs["render_template_as_native_obj"] is True


def check_direct_and_flink(sandbox):
    # No Google provider: Direct and Flink tasks must not need it.
    module = load_dag(3, google_provider=False)
    sandbox.play(exit=0)
    run_task(module, "backfill", DIRECT)
    (start,) = sandbox.started()
    argv = start["argv"]
    assert argv[:3] == ["-cp", "/opt/ferry/ferry-direct.jar", "dev.ferry.pipelines.cli.Ferry"], argv
    # the bundle's entry point, so ferry adds the DirectRunner defaults itself
    assert argv[3:6] == ["--runner=DirectRunner", "--command=backfill",
                         "--spec=/opt/ferry/specs/orders.yaml"], argv
    assert "--summaryFile=/var/ferry/reports/orders-backfill.json" in argv, argv
    assert "--partitions=32" in argv and not any(a.startswith("--restart") for a in argv), argv
    assert start["java_options"] == "-Xmx6g", start

    # The process's exit code is the verdict: a reconcile with differences fails the task.
    module = load_dag(3, google_provider=False)
    sandbox.play(exit=4)
    fails(module, "reconcile", DIRECT, "return code 4")

    module = load_dag(2, google_provider=False)
    sandbox.play(exit=0)
    flink = {"runner": "FlinkRunner", "jar": "/opt/ferry/ferry-flink.jar",
             "flink_master": "flink-jm:8081", "parallelism": 4, "fast_path": True,
             "tolerance": 0.001}
    run_task(module, "reconcile", flink)
    argv = sandbox.started()[0]["argv"]
    for flag in ("--runner=FlinkRunner", "--command=reconcile", "--flinkMaster=flink-jm:8081",
                 "--filesToStage=/opt/ferry/ferry-flink.jar", "--parallelism=4", "--fastPath",
                 "--tolerance=0.001", "--fasterCopy", "--useDataStreamForBatch"):
        assert flag in argv, (flag, argv)


def check_restart_only_on_the_first_try(sandbox):
    for try_number, restarts in ((1, True), (2, False), (3, False)):
        module = load_dag()
        sandbox.play(exit=0)
        run_task(module, "backfill", dict(DIRECT, restart=True), try_number)
        argv = sandbox.started()[0]["argv"]
        assert ("--restart" in argv) == restarts, (try_number, argv)
    module = load_dag()
    sandbox.play(exit=0)
    run_task(module, "reconcile", dict(DIRECT, restart=True))
    assert "--restart" not in sandbox.started()[0]["argv"]


def check_dataflow(sandbox):
    # The launcher's exit code is the verdict also after the operator stopped reading it.
    for step, code, message in (("reconcile", 4, "differences"),
                                ("backfill", 3, "dead letters")):
        module = load_dag()
        sandbox.play(submit=True, exit=code)
        fails(module, step, DATAFLOW, message)
        assert ("wait_for_done", JOB_ID, "europe-west1") in standins.DATAFLOW_CALLS
        task = next(t for t in module.dag.tasks if t.task_id == step)
        assert task.dataflow_job_id == JOB_ID  # the link, and cancel on kill
        task.on_kill()
        assert ("cancel", JOB_ID) in standins.DATAFLOW_CALLS

    module = load_dag()
    sandbox.play(submit=True, exit=0)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    task_log = logging.getLogger("airflow.task.reconcile")
    task_log.addHandler(handler)
    task_log.setLevel(logging.INFO)
    task_log.propagate = False
    run_task(module, "reconcile", DATAFLOW)
    assert any("launcher: planned 16 ranges" in r.getMessage() for r in records), \
        "the launcher's log is shown in the task's log"

    # JVM options through the environment make java print a note on stderr: the operator then
    # reads stderr to its end and sees the job id only when the launcher exits, or fails on the
    # launcher's exit code first. Either way the verdict fails the task.
    module = load_dag()
    sandbox.play(submit=True, exit=4, job_ends_alone=True)
    fails(module, "reconcile", dict(DATAFLOW, java_options="-Xmx2g"), "exited with 4: the"
          " reconcile found differences", "failed with return code 4")
    assert sandbox.started()[0]["java_options"] == "-Xmx2g"

    module = load_dag()
    sandbox.play(submit=True, vanish=True)
    fails(module, "backfill", DATAFLOW, "ended without a verdict")

    # The options: False survives as "false", project/region/job name from dataflow_config.
    module = load_dag()
    sandbox.play(exit=0)
    run_task(module, "backfill", DATAFLOW)
    argv = sandbox.started()[0]["argv"]
    assert argv[2] == "dev.ferry.runners.dataflow.FerryDataflow", argv
    for flag in ("--runner=DataflowRunner", "--command=backfill", "--usePublicIps=false",
                 "--maxDeadLetters=10", "--project=ferry-demo-123", "--region=europe-west1",
                 "--tempLocation=gs://ferry-demo-bucket/tmp",
                 "--summaryFile=gs://ferry-demo-bucket/reports/orders-backfill.json"):
        assert flag in argv, (flag, argv)
    assert argv.count("--usePublicIps=false") == 1, argv
    assert any(a.startswith("--jobName=ferry-orders-backfill-") for a in argv), argv
    assert any(a.startswith("--verdictFile=") for a in argv), argv
    module = load_dag()
    defaults = {k: p.value for k, p in module.dag.kwargs["params"].items()}
    options = module.ferry_options({**defaults, **DATAFLOW}, "backfill")
    assert options["usePublicIps"] == "false", options  # also for providers that drop False


def commands(sandbox):
    """The command lines the DAG's examples start: [{"step", "runner", "argv"}]."""
    out = []
    for params in (DIRECT, DATAFLOW):
        for step in ("profile", "backfill", "reconcile"):
            module = load_dag()
            sandbox.play(exit=0)
            run_task(module, step, params)
            out.append({"step": step, "runner": params["runner"],
                        "argv": sandbox.started()[0]["argv"]})
    return out


def main():
    logging.basicConfig(level=logging.CRITICAL)
    sandbox = Sandbox()
    if sys.argv[1:] == ["--commands"]:
        print(json.dumps(commands(sandbox)))
        return
    check_shape()
    check_direct_and_flink(sandbox)
    check_restart_only_on_the_first_try(sandbox)
    check_dataflow(sandbox)
    print("ok")


if __name__ == "__main__":
    main()
