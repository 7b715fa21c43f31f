"""The endpoint's variants as SageMaker routes requests to them: one loaded model per variant.

- Production variants (the champion and its `ab` challengers) share the requests by weight, drawn
  at random per request, as SageMaker distributes traffic over variant weights.
- TargetVariant (`X-Amzn-SageMaker-Target-Variant`) names the production variant to use instead.
  InvokeEndpoint documents it as "the production variant to send the inference request to"; what
  the service answers for any other name is not documented, so the local runtime answers what it
  answers for an unknown endpoint: 400 ValidationError, with a message naming the variants it can
  send to (and, for the shadow variant, why it cannot be a target).
- A shadow variant receives a copy of `weight` (its `percent` / 100) of the requests its
  production variant (the champion: rule FS183 allows a shadow only beside the champion alone)
  answers; the copy is the caller's request under the same inference id, so model quality joins
  labels to either capture. Its answer is captured by its own handler and never returned.

Each variant's model is loaded from its own workspace (`Spec.variant_specs`: the champion's root,
a challenger's `variants/<name>/`), with capture settings naming its own variant, so its capture
lands under `capture/{endpoint}/{variant}/...` as SageMaker lays it out.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from fraudspec.artifact.capture_settings import capture_environment
from fraudspec.runtime.endpoint import Endpoint, Response
from fraudspec.runtime.endpoint_metrics import summary
from fraudspec.spec.model import Spec, Variant

log = logging.getLogger("fraudspec.variants")


class TargetError(Exception):
    """A TargetVariant the endpoint cannot send a request to; the message is the service's."""


@dataclass(frozen=True)
class Served:
    variant: Variant
    endpoint: Any  # an Endpoint, or anything with its invoke() and capture_failures


class Variants:
    """Routes requests over loaded variants: `route` picks the production variant, `shadow_copy`
    whether a request is mirrored, `invoke` runs one variant's model."""

    def __init__(self, served: Sequence[Served], endpoint_name: str = "", draw: random.Random | None = None) -> None:
        self.served = {s.variant.name: s for s in served}
        self.endpoint_name = endpoint_name
        self.production = tuple(s.variant for s in served if s.variant.answers)
        if not self.production:
            raise ValueError("an endpoint needs a production variant")
        self.champion = self.production[0]
        shadows = [s.variant for s in served if not s.variant.answers]
        self.shadow = shadows[0] if shadows else None
        self._cumulative = tuple(accumulate(v.weight for v in self.production))
        self._draw = draw or random.Random()

    @classmethod
    def single(cls, endpoint: Any, name: str = "AllTraffic", endpoint_name: str = "") -> Variants:
        """One production variant taking every request (a serverless endpoint, or no challengers)."""
        return cls([Served(Variant(name, "champion", 1.0, None, 1), endpoint)], endpoint_name)

    @classmethod
    def load(cls, spec: Spec, draw: random.Random | None = None) -> Variants:
        """Every variant's model (`spec.variant_specs`), each capturing under its own variant's folder."""
        capture_to = spec.workspace.capture.resolve().as_uri()
        served = []
        for view in spec.variant_specs:
            endpoint = Endpoint.load(view.workspace.model_tar, view.workspace.runtime_model,
                                     capture_environment(view, capture_to))
            served.append(Served(view.variant, endpoint))
        return cls(served, spec.names.endpoint, draw)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.served)

    def route(self, target: str | None) -> Variant:
        """The production variant for a request: `target`, or drawn by weight."""
        if target is None:
            if len(self.production) == 1:
                return self.champion
            point = self._draw.random() * self._cumulative[-1]
            return next((v for v, edge in zip(self.production, self._cumulative) if point < edge),
                        self.production[-1])
        served = self.served.get(target)
        names = ", ".join(v.name for v in self.production)
        endpoint = f"endpoint {self.endpoint_name}" if self.endpoint_name else "this endpoint"
        if served is None:
            raise TargetError(f"Variant {target} not found for {endpoint}: its production variants are {names}.")
        if not served.variant.answers:
            raise TargetError(f"Variant {target} of {endpoint} is a shadow variant: it receives copies of its "
                              f"production variant's requests and cannot be a TargetVariant; its production "
                              f"variants are {names}.")
        return served.variant

    def shadow_copy(self, answered_by: Variant) -> Variant | None:
        """The shadow variant when this request, answered by `answered_by`, is one it gets a copy of."""
        shadow = self.shadow
        if shadow is None or answered_by.name != self.champion.name:
            return None
        return shadow if self._draw.random() < shadow.weight else None

    def invoke(self, variant: str, body: bytes, content_type: str | None, accept: str | None,
               inference_id: str | None = None, custom_attributes: str | None = None) -> Response:
        return self.served[variant].endpoint.invoke(body, content_type, accept, inference_id, custom_attributes)

    def capture_failures_of(self, variant: str) -> int:
        return int(self.served[variant].endpoint.capture_failures)

    @property
    def capture_failures(self) -> int:
        """Every variant's capture failures: what the runtime logs when it stops."""
        return sum(self.capture_failures_of(name) for name in self.served)


def describe(spec: Spec) -> list[dict[str, object]]:
    """For `status`: each variant, champion first, with its role, weight and newest endpoint metrics."""
    return [{"name": view.variant.name, "role": view.variant.role, "weight": view.variant.weight,
             "answers_callers": view.variant.answers, "endpoint_metrics": summary(view)}
            for view in spec.variant_specs]
