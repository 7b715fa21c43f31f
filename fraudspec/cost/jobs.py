"""The monitoring jobs' lines: every variant's data-quality (and model-quality) runs, on Model
Monitor, Lambda or Glue.

Each variant is monitored on its own (its own schedules, reports and metrics), so a challenger's
runs cost what the champion's do; on Glue a run's length follows the rows its window holds, which
is the variant's share of the requests.
"""

from __future__ import annotations

from fraudspec.cost.lines import Line, requests_a_month, runs_a_month, usd
from fraudspec.cost.prices import PriceTable
from fraudspec.spec.model import Schedule, Spec, Variant

# render.monitoring.LAMBDA_MEMORY_MB, restated because importing render would load numpy into
# `fraudspec validate` (which prices the cost warnings); tests/cost holds the two equal.
LAMBDA_MEMORY_MB = 1024


def schedules(spec: Spec) -> list[tuple[str, Schedule]]:
    """One variant's monitoring jobs and their schedules."""
    monitoring = spec.monitoring
    jobs = [("data quality", monitoring.schedule)]
    if monitoring.model_quality is not None:
        jobs.append(("model quality", monitoring.model_quality.schedule))
    return jobs


def monitored_variants(spec: Spec) -> tuple[Variant, ...]:
    """The variants whose jobs run: every variant (challengers need the fraudspec engine, rule FS186)."""
    return spec.endpoint.variants if spec.monitoring.enabled else ()


def monitoring_lines(spec: Spec, prices: PriceTable) -> list[Line]:
    lines = []
    for variant in monitored_variants(spec):
        for what, schedule in schedules(spec):
            label = what if variant.role == "champion" else f"{what} ({variant.role} {variant.name})"
            runs = runs_a_month(schedule, prices)
            if spec.monitoring.engine == "sagemaker":
                lines.append(_model_monitor(spec, prices, label, schedule, runs))
            elif spec.monitoring.runner == "glue":
                lines.append(_glue(spec, prices, label, schedule, runs, variant))
            else:
                lines.append(_lambda(prices, label, schedule, runs))
    return lines


def _model_monitor(spec: Spec, prices: PriceTable, label: str, schedule: Schedule, runs: float) -> Line:
    minutes = prices.setting("sagemaker", "monitor_run_minutes")
    instance = spec.monitoring.job_instance_type
    rate = prices.instance_hour(instance)
    return Line("monitoring", f"{label}: Model Monitor {instance}",
                f"{runs:,.0f} runs x {minutes:g} min / 60 x {usd(rate)}/h",
                {"schedule": schedule.source, "runs": runs, "minutes_a_run": minutes, "usd_per_hour": rate},
                runs * minutes / 60 * rate)


def _lambda(prices: PriceTable, label: str, schedule: Schedule, runs: float) -> Line:
    seconds = prices.setting("lambda", "monitor_run_seconds")
    memory_gb = LAMBDA_MEMORY_MB / 1024
    rate, per_million = prices.price("lambda", "gb_second"), prices.price("lambda", "requests_per_million")
    return Line("monitoring", f"{label}: Lambda job",
                f"{runs:,.0f} runs x ({seconds:g} s x {memory_gb:g} GB x {usd(rate)}/GB-s "
                f"+ {usd(per_million)}/1M requests)",
                {"schedule": schedule.source, "runs": runs, "seconds_a_run": seconds, "memory_gb": memory_gb,
                 "usd_per_gb_second": rate}, runs * (seconds * memory_gb * rate + per_million / 1e6))


def _glue(spec: Spec, prices: PriceTable, label: str, schedule: Schedule, runs: float, variant: Variant) -> Line:
    """Glue bills every worker's DPUs for the run's seconds, at least a minute. The run reads the
    variant's captured lines of one window on the executors (every worker but the driver's) at the
    engine's measured rate per core (README, "Capacity and cost at volume"), after a start-up."""
    glue = spec.monitoring.glue
    dpus = prices.worker_dpus(glue.worker_type)
    cores = (glue.workers - 1) * dpus * prices.setting("glue", "vcpus_per_dpu")
    rate = prices.setting("glue", "lines_per_core_second")
    start = prices.setting("glue", "run_start_seconds")
    sampling = spec.capture.sampling_percent if spec.capture.enabled else 0
    lines = requests_a_month(spec, prices) * variant.weight * sampling / 100 / runs
    seconds = max(prices.setting("glue", "minimum_billed_seconds"), start + lines / (cores * rate))
    # Glue stops a run at the job's timeout (and bills it until then): the window is then not analysed.
    minutes = min(seconds / 60, glue.timeout_minutes)
    stopped = f", stopped at the {glue.timeout_minutes} min timeout" if minutes < seconds / 60 else ""
    dpu_hour = prices.price("glue", "dpu_hour")
    return Line("monitoring", f"{label}: Glue job {glue.workers} x {glue.worker_type}",
                f"{runs:,.0f} runs x {glue.workers} workers x {dpus:g} DPU x {minutes:.2f} min / 60 x "
                f"{usd(dpu_hour)}/DPU-h; a run: {start:g} s start + {lines:,.0f} lines / ({cores:g} cores x "
                f"{rate:,.0f} lines/s, the README's measured rate a core), billed per second, at least 1 min"
                f"{stopped}",
                {"schedule": schedule.source, "runs": runs, "workers": glue.workers, "worker_type": glue.worker_type,
                 "dpus_a_worker": dpus, "executor_cores": cores, "lines_a_run": lines, "minutes_a_run": minutes,
                 "usd_per_dpu_hour": dpu_hour},
                runs * glue.workers * dpus * minutes / 60 * dpu_hour)
