"""Stand-ins for the Airflow modules ferry_migration_dag.py imports, for checks without Airflow.

Airflow cannot be installed where ferry is built, so check_dag.py loads the DAG against these.
They mirror, in behaviour and signatures, what the DAG relies on in:

* apache-airflow-providers-apache-beam 6.1.x (``hooks/beam.py``, ``operators/beam.py``):
  ``beam_options_to_args`` (True -> ``--flag``, False dropped except ``usePublicIps``, which
  6.0.3+ turns into ``--usePublicIps=false``; lists repeated; dicts as JSON; None dropped);
  the hook's command ``java -cp <jar> <class> --runner=<runner> <options>``; its reading of
  the process: a stream with output is read to its end (so a line on stderr holds back the
  job id on stdout until the launcher exits), every line goes to the log and to the line
  callback, and once a Dataflow job id is known it returns at once, leaving the process running
  with its pipes open and unread; otherwise a non-zero exit fails the task. ``BeamRunJavaPipelineOperator``: its template
  fields, ``_cast_dataflow_config`` (which needs the Google provider's
  ``DataflowConfiguration``), the Dataflow options it adds (project, region, labels, jobName
  from ``build_dataflow_job_name``), ``wait_for_done`` on the job id, ``on_kill``.
* apache-airflow-providers-google (``hooks/dataflow.py``, ``operators/dataflow.py``):
  ``JOB_ID_PATTERN``, ``DataflowConfiguration``'s parameters, ``build_dataflow_job_name``.
* Airflow 2.x (``airflow.DAG``, ``airflow.models.param.Param``) or Airflow 3.x
  (``airflow.sdk.DAG``, ``airflow.sdk.Param``); templates rendered with Jinja's
  ``NativeEnvironment`` as with ``render_template_as_native_obj=True``.

Nothing happens on import: ``install()`` puts the modules into ``sys.modules``.
"""

from __future__ import annotations

import json
import logging
import re
import select
import subprocess
import sys
import types
import uuid

import jinja2.nativetypes

OPERATORS: list = []
# Launchers the hook stopped reading (it keeps no handle; the pipes stay open, unread).
ABANDONED: list = []
# What the stand-in Dataflow service did: ("wait_for_done", job_id, location), ("cancel", id).
DATAFLOW_CALLS: list = []
# Called with the job id when the operator waits for the Dataflow job; returns its final state.
DATAFLOW_JOB_ENDS = {"callback": lambda job_id: "JOB_STATE_DONE"}

JOB_ID_PATTERN = re.compile(
    r"Submitted job: (?P<job_id_java>[^\"\n\s]*)|Created job with id: \[(?P<job_id_python>[^\"\n\s]*)\]"
)


class AirflowException(Exception):
    pass


class AirflowFailException(AirflowException):
    """Airflow's failure that skips the task's remaining retries."""


# --- DAG, Param, BaseOperator ----------------------------------------------------------------

_DAG_STACK: list = []


class DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = []

    def __enter__(self):
        _DAG_STACK.append(self)
        return self

    def __exit__(self, *exc):
        _DAG_STACK.pop()
        return False


class Param:
    def __init__(self, default=None, **schema):
        self.value = default
        self.schema = schema


class BaseOperator:
    template_fields: tuple = ()

    def __init__(self, *, task_id, retries=0, retry_delay=None, **kwargs):
        if kwargs:
            raise TypeError(f"unexpected arguments {sorted(kwargs)}")
        self.task_id = task_id
        self.retries = retries
        self.retry_delay = retry_delay
        self.downstream = []
        self.log = logging.getLogger(f"airflow.task.{task_id}")
        self.dag = _DAG_STACK[-1] if _DAG_STACK else None
        if self.dag is not None:
            self.dag.tasks.append(self)
        OPERATORS.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other

    def render_template_fields(self, context):
        """Renders every template field in place, as Airflow does before ``execute``."""
        env = jinja2.nativetypes.NativeEnvironment()
        env.globals.update(self.dag.kwargs.get("user_defined_macros") or {})

        def render(value):
            if isinstance(value, str):
                return env.from_string(value).render(**context)
            if isinstance(value, dict):
                return {k: render(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(render(v) for v in value)
            return value

        for field in self.template_fields:
            setattr(self, field, render(getattr(self, field)))


# --- the Google provider (optional, as in a real installation) -------------------------------

_GOOGLE: dict = {}


class CheckJobRunning:
    IgnoreJob, FinishIfRunning, WaitForRun = 1, 2, 3


class DataflowConfiguration:
    def __init__(self, *, job_name="{{task.task_id}}", append_job_name=True, project_id=None,
                 location="us-central1", gcp_conn_id="google_cloud_default", poll_sleep=10,
                 impersonation_chain=None, drain_pipeline=False, cancel_timeout=5 * 60,
                 wait_until_finished=None, multiple_jobs=None,
                 check_if_running=CheckJobRunning.WaitForRun, service_account=None):
        self.job_name = job_name
        self.append_job_name = append_job_name
        self.project_id = project_id
        self.location = location
        self.gcp_conn_id = gcp_conn_id
        self.poll_sleep = poll_sleep
        self.impersonation_chain = impersonation_chain
        self.drain_pipeline = drain_pipeline
        self.cancel_timeout = cancel_timeout
        self.wait_until_finished = wait_until_finished
        self.multiple_jobs = multiple_jobs
        self.check_if_running = check_if_running
        self.service_account = service_account


class DataflowHook:
    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.project_id = None

    @staticmethod
    def build_dataflow_job_name(job_name, append_job_name=True):
        base = str(job_name).replace("_", "-")
        if not re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])?", base):
            raise ValueError(f"Invalid job_name ({base}); the name must consist of only the"
                             " characters [-a-z0-9], starting with a letter and ending with a"
                             " letter or number ")
        return f"{base}-{str(uuid.uuid4())[:8]}" if append_job_name else base

    def is_job_dataflow_running(self, name, variables, location=None):
        return False

    def wait_for_done(self, job_name, location, job_id=None, multiple_jobs=False,
                      project_id=None):
        DATAFLOW_CALLS.append(("wait_for_done", job_id, location))
        state = DATAFLOW_JOB_ENDS["callback"](job_id)
        if state != "JOB_STATE_DONE":
            raise AirflowException(f"Google Cloud Dataflow job {job_name} is in state {state}")

    def cancel_job(self, job_id=None, project_id=None, location=None, job_name=None):
        DATAFLOW_CALLS.append(("cancel", job_id))


def process_line_and_extract_dataflow_job_id_callback(on_new_job_id_callback):
    def process(line):
        matched = JOB_ID_PATTERN.search(line)
        if matched and on_new_job_id_callback:
            on_new_job_id_callback(matched.group("job_id_java") or matched.group("job_id_python"))

    return process


# --- the Beam provider -----------------------------------------------------------------------

def beam_options_to_args(options):
    args = []
    for attr, value in (options or {}).items():
        if isinstance(value, bool):
            if value:
                args.append(f"--{attr}")
            elif attr == "usePublicIps":
                args.append("--usePublicIps=false")
        elif isinstance(value, list):
            args.extend(f"--{attr}={v}" for v in value)
        elif isinstance(value, dict):
            args.append(f"--{attr}={json.dumps(value)}")
        elif value is None:
            continue
        else:
            args.append(f"--{attr}={value}")
    return args


def run_beam_command(cmd, log, process_line_callback=None, working_directory=None,
                     is_dataflow_job_id_exist_callback=None):
    proc = subprocess.Popen(cmd, cwd=working_directory, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, close_fds=True)
    job_id_known = is_dataflow_job_id_exist_callback or (lambda: False)

    def read_to_the_end(stream):
        # Like the provider: a stream that has something is read line by line until it ends
        # (the launcher exits) or a job id is known; the other stream waits meanwhile.
        for line in iter(stream.readline, b""):
            text = line.decode()
            if process_line_callback:
                process_line_callback(text)
            (log.info if stream is proc.stdout else log.warning)(text.rstrip("\n"))
            if job_id_known():
                return

    while True:
        ready, _, _ = select.select([proc.stderr, proc.stdout], [], [], 5)
        for stream in ready:
            read_to_the_end(stream)
            if job_id_known():
                ABANDONED.append(proc)
                return
        if proc.poll() is not None:
            break
    for stream in (proc.stderr, proc.stdout):
        read_to_the_end(stream)
    if proc.returncode != 0:
        raise AirflowException(f"Apache Beam process failed with return code {proc.returncode}")


class BeamHook:
    def __init__(self, runner):
        self.runner = runner
        self.log = logging.getLogger("airflow.providers.apache.beam.hooks.beam")

    def start_java_pipeline(self, variables, jar, job_class=None, process_line_callback=None,
                            is_dataflow_job_id_exist_callback=None):
        if "labels" in variables:
            variables["labels"] = json.dumps(variables["labels"], separators=(",", ":"))
        prefix = ["java", "-cp", jar, job_class] if job_class else ["java", "-jar", jar]
        cmd = [*prefix, f"--runner={self.runner}", *beam_options_to_args(variables)]
        run_beam_command(cmd, self.log, process_line_callback,
                         is_dataflow_job_id_exist_callback=is_dataflow_job_id_exist_callback)


class BeamRunJavaPipelineOperator(BaseOperator):
    template_fields = ("jar", "runner", "job_class", "pipeline_options",
                       "default_pipeline_options", "dataflow_config")

    def __init__(self, *, jar, runner="DirectRunner", job_class=None,
                 default_pipeline_options=None, pipeline_options=None,
                 gcp_conn_id="google_cloud_default", dataflow_config=None, deferrable=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.runner = runner
        self.default_pipeline_options = default_pipeline_options or {}
        self.pipeline_options = pipeline_options or {}
        self.dataflow_config = dataflow_config or {}
        self.gcp_conn_id = gcp_conn_id
        self.jar = jar
        self.job_class = job_class
        self.deferrable = deferrable
        self.dataflow_hook = None
        self.dataflow_job_id = None

    def _cast_dataflow_config(self):
        configuration = _GOOGLE.get("DataflowConfiguration")
        if configuration is None:  # the real module's name is undefined without the provider
            raise NameError("name 'DataflowConfiguration' is not defined")
        if isinstance(self.dataflow_config, dict):
            self.dataflow_config = configuration(**self.dataflow_config)
        else:
            self.dataflow_config = self.dataflow_config or configuration()
        if not self.dataflow_config.job_name:
            self.dataflow_config.job_name = self.task_id

    def execute(self, context):
        self._cast_dataflow_config()
        hook = BeamHook(runner=self.runner)
        options = dict(self.default_pipeline_options)
        if str(self.runner).lower() != "dataflowrunner":
            options.update(self.pipeline_options)
            hook.start_java_pipeline(variables=options, jar=self.jar, job_class=self.job_class)
            return None
        self.dataflow_hook = DataflowHook(gcp_conn_id=self.gcp_conn_id)
        job_name = DataflowHook.build_dataflow_job_name(self.dataflow_config.job_name,
                                                        self.dataflow_config.append_job_name)
        options["project"] = self.dataflow_config.project_id
        options["region"] = self.dataflow_config.location
        options.setdefault("labels", {}).update({"airflow-version": "v3-1-0"})
        options.update(self.pipeline_options)
        options["jobName"] = job_name

        def on_job_id(job_id):
            self.dataflow_job_id = job_id

        hook.start_java_pipeline(
            variables=options, jar=self.jar, job_class=self.job_class,
            process_line_callback=process_line_and_extract_dataflow_job_id_callback(on_job_id),
            is_dataflow_job_id_exist_callback=lambda: bool(self.dataflow_job_id))
        if job_name and self.dataflow_config.location:
            self.dataflow_hook.wait_for_done(job_name=job_name,
                                             location=self.dataflow_config.location,
                                             job_id=self.dataflow_job_id,
                                             project_id=self.dataflow_config.project_id)
        return {"dataflow_job_id": self.dataflow_job_id}

    def on_kill(self):
        if self.dataflow_hook and self.dataflow_job_id:
            self.dataflow_hook.cancel_job(job_id=self.dataflow_job_id)


# --- installing them -------------------------------------------------------------------------

def _module(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


def install(airflow_version: int = 3, google_provider: bool = True) -> None:
    """Replaces the Airflow modules in ``sys.modules`` by these stand-ins."""
    for name in [n for n in sys.modules if n == "airflow" or n.startswith("airflow.")]:
        del sys.modules[name]
    OPERATORS.clear()
    _GOOGLE.clear()
    if airflow_version >= 3:
        _module("airflow")  # DAG and Param moved to the Task SDK
        _module("airflow.sdk", DAG=DAG, Param=Param)
    else:
        _module("airflow", DAG=DAG)
        _module("airflow.models")
        _module("airflow.models.param", Param=Param)
    _module("airflow.exceptions", AirflowException=AirflowException,
            AirflowFailException=AirflowFailException)
    _module("airflow.providers")
    _module("airflow.providers.apache")
    _module("airflow.providers.apache.beam")
    _module("airflow.providers.apache.beam.hooks")
    _module("airflow.providers.apache.beam.hooks.beam", BeamHook=BeamHook,
            beam_options_to_args=beam_options_to_args, run_beam_command=run_beam_command)
    _module("airflow.providers.apache.beam.operators")
    _module("airflow.providers.apache.beam.operators.beam",
            BeamRunJavaPipelineOperator=BeamRunJavaPipelineOperator)
    if google_provider:
        _GOOGLE["DataflowConfiguration"] = DataflowConfiguration
        _module("airflow.providers.google")
        _module("airflow.providers.google.cloud")
        _module("airflow.providers.google.cloud.hooks")
        _module("airflow.providers.google.cloud.hooks.dataflow", DataflowHook=DataflowHook,
                JOB_ID_PATTERN=JOB_ID_PATTERN,
                process_line_and_extract_dataflow_job_id_callback=(
                    process_line_and_extract_dataflow_job_id_callback))
        _module("airflow.providers.google.cloud.operators")
        _module("airflow.providers.google.cloud.operators.dataflow",
                DataflowConfiguration=DataflowConfiguration, CheckJobRunning=CheckJobRunning)
