"""Test traffic for an endpoint: the build's generator, optionally drifted, as request bodies.

One record per request, like a payment service calling the endpoint per transaction: JSON
objects keyed by feature name (missing values as null), or CSV rows in the spec's feature order.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from fraudspec.client.http import Request
from fraudspec.spec.model import Spec, SyntheticData
from fraudspec.training.dataset import Dataset, format_number
from fraudspec.training.synthetic import generate, generate_drifted

DEFAULT_FRAUD_RATE = 0.02  # for specs trained on a CSV: the generator's usual share of fraud


@dataclass(frozen=True)
class Traffic:
    requests: tuple[Request, ...]
    labels: tuple[int, ...]  # the generator's ground truth, request by request


def make_traffic(
    spec: Spec, count: int, seed: int, drift: str | None = None, content_type: str = "application/json",
    target_variant: str | None = None,
) -> Traffic:
    features, target = spec.model.features, spec.model.target
    data = spec.model.data
    fraud_rate = data.fraud_rate if isinstance(data, SyntheticData) else DEFAULT_FRAUD_RATE
    if drift:
        dataset = generate_drifted(features, count, seed, drift, fraud_rate, target=target)
    else:
        dataset = generate(features, count, seed, fraud_rate, target=target)
    encode = _csv_body if content_type == "text/csv" else _json_body
    # Unique inference ids let ground truth written for this traffic join its captures.
    requests = tuple(
        Request(encode(dataset, row), content_type, inference_id=str(uuid.uuid4()), target_variant=target_variant)
        for row in range(len(dataset))
    )
    return Traffic(requests, tuple(int(label) for label in dataset.y))


def _values(dataset: Dataset, row: int) -> list[str | int | float | None]:
    values: list[str | int | float | None] = []
    for column, feature in enumerate(dataset.features):
        value = float(dataset.X[row, column])
        if math.isnan(value):
            values.append(None)
        elif feature.type == "categorical":
            values.append(dataset.categories[feature.name][int(value)])
        else:
            # Whole numbers travel as integers, as a caller's JSON would: 3, not 3.0 (an Integral
            # baseline feature counts 3.0 as a data type mismatch, like Model Monitor does).
            values.append(int(value) if value.is_integer() and abs(value) < 2**53 else value)
    return values


def _json_body(dataset: Dataset, row: int) -> bytes:
    return json.dumps(dict(zip(dataset.feature_names, _values(dataset, row)))).encode()


def _csv_body(dataset: Dataset, row: int) -> bytes:
    cells = ["" if v is None else v if isinstance(v, str) else format_number(v) for v in _values(dataset, row)]
    return ",".join(cells).encode()


def write_labels(spec: Spec, traffic: Traffic, seed: int, noise: float, delay_hours: float,
                 captured: Mapping[int, str] | None = None) -> str:
    """Writes the traffic's labels (a `noise` share flipped) as ground truth arriving `delay_hours`
    from now, keyed by the id each response said was captured (`captured`: request index -> id, from
    SendResult.inference_ids), else the id the request sent; returns where they went."""
    from fraudspec.client.labels import noisy_labels
    from fraudspec.monitoring.jobs.for_spec import default_ground_truth
    from fraudspec.monitoring.records.label_store import GroundTruthLabel, write_ground_truth

    destination = default_ground_truth(spec)
    client = None
    if destination.startswith("s3://"):
        import boto3

        client = boto3.client("s3", region_name=spec.environment.region)
    arrival = datetime.now(timezone.utc) + timedelta(hours=delay_hours)
    labels = noisy_labels(traffic.labels, noise, seed)
    write_ground_truth(
        destination,
        (
            GroundTruthLabel((captured or {}).get(index) or request.inference_id or "", label, arrival)
            for index, (request, label) in enumerate(zip(traffic.requests, labels))
        ),
        client,
    )
    return destination
