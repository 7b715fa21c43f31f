"""The monthly cost of one aws environment, line by line, each with its formula and inputs.

A month is the price table's 730 hours (AWS's convention); traffic is the spec's
`expected_traffic`. Every line prices one thing fraudspec deploys (render's resources), so a
reviewer can check the arithmetic; what the model assumes beyond the spec (response size, capture
overhead, how long a monitoring run takes) is written in the line's inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fraudspec.core.errors import FraudspecError
from fraudspec.cost.jobs import monitored_variants, monitoring_lines, schedules
from fraudspec.cost.lines import GIB, Line, requests_a_month, runs_a_month
from fraudspec.cost.lines import usd as _usd
from fraudspec.cost.prices import PriceTable, prices_for
from fraudspec.monitoring.alarms.definitions import Metric, alarms, idle_alarm
from fraudspec.spec.model import FirehoseCapture, Spec
from fraudspec.spec.schema import document_schema

RESPONSE_BYTES = 128  # {"is_fraud", "fraud_probability", "confidence"} as JSON
CAPTURE_OVERHEAD_BYTES = 400  # a capture record's envelope: metadata, encodings, inference id
REPORT_FILES_A_RUN = 3  # statistics.json, constraint_violations.json, execution_summary.json
REPORT_BYTES = 20_000  # the three files of one run, about
METRICS_A_REQUEST = 20  # datums per PutMetricData call (fraudspec.monitoring.engine.metrics)
IDLE_TRANSITIONS = 6  # states of one clean-up run (render.idle)


@dataclass(frozen=True)
class Estimate:
    env: str
    region: str
    as_of: str  # the price table's date
    endpoint: str  # "serverless 2048 MB" or "realtime ml.m5.xlarge x 2"
    lines: tuple[Line, ...]

    @property
    def total(self) -> float:
        return sum(line.monthly for line in self.lines)


def estimate(spec: Spec) -> Estimate:
    """The estimate of an aws environment; FraudspecError for a local one or a price the table lacks."""
    env = spec.environment
    if env.target != "aws" or env.region is None:
        raise FraudspecError(f"environment '{env.name}' runs on this machine: AWS bills nothing for it",
                             hint="pick an aws environment, e.g. --env dev")
    prices = prices_for(env.region)
    lines = [*_endpoint(spec, prices), *_challengers(spec, prices), *_capture(spec, prices),
             *monitoring_lines(spec, prices),
             *_cloudwatch(spec, prices), *_reports(spec, prices), *_fixed(spec, prices)]
    return Estimate(env.name, env.region, prices.as_of, endpoint_summary(spec), tuple(lines))


def endpoint_summary(spec: Spec) -> str:
    realtime, serverless = spec.endpoint.realtime, spec.endpoint.serverless
    if realtime is not None:
        challengers = "".join(f" + {v.role} {v.name} {v.weight * 100:g} % {v.instance_type} x {v.instance_count}"
                              for v in spec.endpoint.variants[1:])
        return f"realtime {realtime.instance_type} x {instances(spec)}{challengers}"
    assert serverless is not None  # exactly one kind (FS107)
    provisioned = f", {serverless.provisioned_concurrency} provisioned" if serverless.provisioned_concurrency else ""
    return f"serverless {serverless.memory_mb} MB{provisioned}"


def instances(spec: Spec) -> int:
    """The champion's instances billed all month: auto scaling's minimum when it scales, else the configured count."""
    realtime = spec.endpoint.realtime
    assert realtime is not None
    return realtime.autoscaling.min_instances if realtime.autoscaling else realtime.instance_count


def _endpoint(spec: Spec, prices: PriceTable) -> list[Line]:
    traffic, hours = spec.expected_traffic, prices.hours_a_month
    requests = requests_a_month(spec, prices)
    data_gb = requests * (traffic.payload_bytes + RESPONSE_BYTES) / GIB
    serverless = spec.endpoint.serverless
    if serverless is None:
        count, rate = instances(spec), prices.instance_hour(spec.endpoint.realtime.instance_type)  # type: ignore[union-attr]
        data_price = prices.price("sagemaker", "realtime_data_gb")
        return [
            Line("endpoint", f"realtime {spec.endpoint.realtime.instance_type}",  # type: ignore[union-attr]
                 f"{count} x {hours:g} h x {_usd(rate)}/h",
                 {"instances": count, "hours": hours, "usd_per_hour": rate}, count * hours * rate),
            Line("endpoint", "data processed in and out", f"{data_gb:.4f} GB x {_usd(data_price)}/GB",
                 {"gb": data_gb, "usd_per_gb": data_price}, data_gb * data_price),
        ]
    seconds = traffic.average_latency_ms / 1000
    memory_gb = serverless.memory_mb / 1024
    rate = prices.price("sagemaker", "serverless_gb_second")
    data_price = prices.price("sagemaker", "serverless_data_gb")
    lines = [
        Line("endpoint", "serverless inference duration",
             f"{requests:,.0f} requests x {seconds:g} s x {memory_gb:g} GB x {_usd(rate)}/GB-s",
             {"requests": requests, "seconds": seconds, "memory_gb": memory_gb, "usd_per_gb_second": rate},
             requests * seconds * memory_gb * rate),
        Line("endpoint", "data processed in and out", f"{data_gb:.4f} GB x {_usd(data_price)}/GB",
             {"gb": data_gb, "usd_per_gb": data_price}, data_gb * data_price),
    ]
    if serverless.provisioned_concurrency:
        rate = prices.price("sagemaker", "provisioned_concurrency_gb_second")
        seconds_a_month = hours * 3600
        count = serverless.provisioned_concurrency
        lines.append(Line("endpoint", "provisioned concurrency",
                          f"{count} x {memory_gb:g} GB x {seconds_a_month:,.0f} s x {_usd(rate)}/GB-s",
                          {"provisioned": count, "memory_gb": memory_gb, "seconds": seconds_a_month,
                           "usd_per_gb_second": rate}, count * memory_gb * seconds_a_month * rate))
    return lines


def _challengers(spec: Spec, prices: PriceTable) -> list[Line]:
    """Each challenger's own instances, all month: a shadow's too (it serves copies nobody reads)."""
    lines = []
    hours = prices.hours_a_month
    for variant in spec.endpoint.variants[1:]:
        assert variant.instance_type is not None  # challengers are realtime (FS181)
        rate = prices.instance_hour(variant.instance_type)
        count = variant.instance_count
        lines.append(Line("endpoint", f"{variant.role} challenger {variant.name} {variant.instance_type}",
                          f"{count} x {hours:g} h x {_usd(rate)}/h",
                          {"variant": variant.name, "role": variant.role, "share": variant.weight,
                           "instances": count, "hours": hours, "usd_per_hour": rate}, count * hours * rate))
    return lines


def captured_share(spec: Spec) -> float:
    """Requests captured per request served: SageMaker also captures the copies a shadow variant gets."""
    return 1 + sum(variant.weight for variant in spec.endpoint.variants if variant.role == "shadow")


def _capture(spec: Spec, prices: PriceTable) -> list[Line]:
    capture, traffic = spec.capture, spec.expected_traffic
    if not capture.enabled or capture.sampling_percent == 0:
        return []
    share = captured_share(spec)
    records = requests_a_month(spec, prices) * capture.sampling_percent / 100 * share
    record_bytes = (CAPTURE_OVERHEAD_BYTES + (traffic.payload_bytes if capture.input else 0)
                    + (RESPONSE_BYTES if capture.output else 0))
    firehose: list[Line] = []
    if spec.endpoint.serverless is not None and capture.firehose is not None:
        firehose, puts, how = _firehose(capture.firehose, records, record_bytes, prices)
    elif spec.endpoint.serverless is not None:
        puts, how = records, "one object per record (the handler's capture)"
    else:
        # SageMaker's own capture buffers records: at most about one object a minute per instance.
        hosts = instances(spec) + sum(variant.instance_count for variant in spec.endpoint.variants[1:])
        puts = min(records, hosts * prices.hours_a_month * 60)
        how = "SageMaker's buffered capture, at most one object a minute per instance"
    put_price, storage_price = prices.price("s3", "put_per_1000"), prices.price("s3", "storage_gb_month")
    stored_gb = records * record_bytes / GIB
    shadow = {"shadow_copies_share": share - 1} if share > 1 else {}
    return [
        *firehose,
        Line("capture", "S3 PUT requests", f"{puts:,.0f} PUTs / 1000 x {_usd(put_price)}",
             {"records": records, "sampling_percent": capture.sampling_percent, **shadow, "puts": puts,
              "how": how, "usd_per_1000": put_price}, puts / 1000 * put_price),
        Line("capture", "S3 storage of a month's capture", f"{stored_gb:.4f} GB x {_usd(storage_price)}/GB-month",
             {"records": records, "record_bytes": record_bytes, "gb": stored_gb, "usd_per_gb_month": storage_price,
              "note": "grows by this every month the captures are kept"}, stored_gb * storage_price),
    ]


def _firehose(buffering: FirehoseCapture, records: float, record_bytes: float,
              prices: PriceTable) -> tuple[list[Line], float, str]:
    """Firehose bills ingestion with each record rounded up to 5 KB, and writes one S3 object each
    time a buffer fills or its interval passes, whichever comes first."""
    rounding = prices.setting("firehose", "record_rounding_bytes")
    billed_gb = records * math.ceil(record_bytes / rounding) * rounding / GIB
    ingestion = prices.price("firehose", "ingestion_gb")
    by_time = prices.hours_a_month * 3600 / buffering.buffer_seconds
    by_size = records * record_bytes / (buffering.buffer_mb * 1024 * 1024)
    objects = min(records, max(by_time, by_size))
    line = Line("capture", "Firehose ingestion", f"{billed_gb:.4f} GB x {_usd(ingestion)}/GB",
                {"records": records, "record_bytes": record_bytes, "billed_record_bytes": rounding,
                 "gb": billed_gb, "usd_per_gb": ingestion}, billed_gb * ingestion)
    how = (f"Firehose's buffered objects: one a {buffering.buffer_seconds} s interval or "
           f"{buffering.buffer_mb} MB buffer, whichever fills first")
    return [line], objects, how


def _custom_metrics(spec: Spec) -> int:
    """The metrics one variant's monitoring jobs publish (fraudspec.monitoring.engine.metrics, quality.metrics);
    each variant publishes its own (its schedule name is a dimension)."""
    monitoring = spec.monitoring
    if not monitoring.enabled:
        return 0
    count = 0
    if monitoring.emit_metrics:  # drift and non-null per feature, data for numeric ones
        count += sum(3 if feature.type == "numeric" else 2 for feature in spec.model.features)
    if monitoring.model_quality is not None:
        count += len(_quality_metric_names())
    return count


def _quality_metric_names() -> list[str]:
    quality = document_schema()["$defs"]["monitoring"]["properties"]["model_quality"]
    return list(quality["properties"]["metrics"]["propertyNames"]["enum"])


def _cloudwatch(spec: Spec, prices: PriceTable) -> list[Line]:
    alarm_price = prices.price("cloudwatch", "alarm_metric_month")
    # A metric-math alarm (the error rates) is billed per metric it reads.
    listed = alarms(spec)
    metrics = sum(1 if isinstance(alarm.metric, Metric) else 2 for alarm in listed)
    idle = 1 if idle_alarm(spec) is not None else 0
    dashboard = prices.price("cloudwatch", "dashboard_month")
    lines = [
        Line("cloudwatch", "alarms", f"{metrics + idle} alarm metrics x {_usd(alarm_price)}",
             {"alarms": len(listed) + idle, "alarm_metrics": metrics + idle, "usd_per_alarm_metric": alarm_price},
             (metrics + idle) * alarm_price),
        Line("cloudwatch", "dashboard", f"1 dashboard x {_usd(dashboard)}",
             {"dashboards": 1, "usd_per_month": dashboard}, dashboard),
    ]
    per_variant = _custom_metrics(spec)
    variants = len(monitored_variants(spec))
    if per_variant:
        metric_price = prices.price("cloudwatch", "custom_metric_month")
        published = per_variant * variants
        calls = _runs(spec, prices) * math.ceil(per_variant / METRICS_A_REQUEST)
        call_price = prices.price("cloudwatch", "put_metric_data_per_1000")
        counted = f"{variants} variants x {per_variant}" if variants > 1 else f"{published}"
        lines.append(Line("cloudwatch", "custom metrics",
                          f"{counted} metrics x {_usd(metric_price)} + {calls:,.0f} PutMetricData / 1000 x "
                          f"{_usd(call_price)}",
                          {"metrics": published, **({"variants": variants} if variants > 1 else {}),
                           "usd_per_metric": metric_price, "requests": calls},
                          published * metric_price + calls / 1000 * call_price))
    return lines


def _runs(spec: Spec, prices: PriceTable) -> float:
    """Monitoring runs a month, every variant's jobs together."""
    one_variant = sum(runs_a_month(schedule, prices) for _, schedule in schedules(spec))
    return one_variant * len(monitored_variants(spec))


def _reports(spec: Spec, prices: PriceTable) -> list[Line]:
    if not spec.monitoring.enabled:
        return []
    runs = _runs(spec, prices)
    put_price, storage_price = prices.price("s3", "put_per_1000"), prices.price("s3", "storage_gb_month")
    puts, gb = runs * REPORT_FILES_A_RUN, runs * REPORT_BYTES / GIB
    return [Line("reports", "S3 monitoring reports",
                 f"{puts:,.0f} PUTs / 1000 x {_usd(put_price)} + {gb:.4f} GB x {_usd(storage_price)}/GB-month",
                 {"runs": runs, "files_a_run": REPORT_FILES_A_RUN, "gb": gb},
                 puts / 1000 * put_price + gb * storage_price)]


def _fixed(spec: Spec, prices: PriceTable) -> list[Line]:
    key = prices.price("kms", "key_month")
    lines = [Line("kms", "customer managed key (alerts topic, logs)", f"1 key x {_usd(key)}", {"keys": 1}, key)]
    days = spec.environment.idle_after_days
    if days:
        # The job runs only when the idle alarm fires: at most once a day while the endpoint is gone.
        per_thousand = prices.price("stepfunctions", "transitions_per_1000")
        runs = prices.hours_a_month / 24
        transitions = runs * IDLE_TRANSITIONS
        lines.append(Line("idle clean-up", f"Step Functions job (after {days} idle days)",
                          f"at most {transitions:,.0f} transitions / 1000 x {_usd(per_thousand)}",
                          {"idle_after_days": days, "transitions": transitions}, transitions / 1000 * per_thousand))
    return lines
