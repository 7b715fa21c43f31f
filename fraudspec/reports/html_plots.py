"""Inline SVG charts for the HTML drift report: baseline (blue) against current (orange).

Numeric features get two views of the KLL sketches of both statistics files, on one x range:
histograms over shared bins (the shape, read at a glance; the files' own 10 buckets span each
side's min to max, so their bounds differ and one outlier squashes them) and CDFs with the
largest vertical gap marked (the Kolmogorov-Smirnov D the numeric distance is computed from).
Categorical features get paired bars of each category's share. Colours come from the page's CSS
classes `baseline` and `current`. Coordinates are printed with fixed decimals so the same
statistics always give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import numpy as np

from fraudspec.monitoring.engine.kll import KLLSketch
from fraudspec.monitoring.engine.statistics import NumericStatistics, StringStatistics

WIDTH, HEIGHT = 440, 220  # about the size the page shows a chart at, so text keeps its font size
WIDE = 2 * WIDTH + 20  # a categorical chart spans both numeric columns
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 36  # plot margins: room for axis labels
BINS = 30
CLIP = 0.005  # the numeric charts show each side's 0.5th to 99.5th percentile
CDF_SAMPLES = 221  # points per CDF curve: smooth at this width, small in the page
TOP_CATEGORIES = 10  # bars shown; the rest are summed into one "other" bar
LABEL_CHARS = 16


def _f(value: float) -> str:
    return f"{value:.2f}"


def _svg(label: str, body: list[str], height: int = HEIGHT, width: int = WIDTH) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
            f'{"".join(body)}</svg>')


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks (steps of 1, 2, 2.5 or 5 times a power of ten) covering [low, high]."""
    if not high > low:
        return [low]
    raw = (high - low) / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def tick_label(value: float) -> str:
    if value == int(value) and abs(value) < 1e7:
        return f"{int(value):,}"
    return f"{value:.4g}"


class _Frame:
    """Maps data coordinates to the plot area of a chart."""

    def __init__(self, x_low: float, x_high: float, y_high: float, height: int = HEIGHT) -> None:
        self.x_low, self.x_high, self.y_high = x_low, x_high, y_high
        self.bottom = height - BOTTOM

    def x(self, value: float) -> float:
        return LEFT + (value - self.x_low) / (self.x_high - self.x_low) * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return self.bottom - value / self.y_high * (self.bottom - TOP)

    def x_axis(self, caption: str) -> list[str]:
        parts = [f'<line class="axis" x1="{LEFT}" y1="{_f(self.bottom)}" x2="{WIDTH - RIGHT}" y2="{_f(self.bottom)}"/>']
        for tick in nice_ticks(self.x_low, self.x_high):
            x = _f(self.x(tick))
            parts.append(f'<line class="tick" x1="{x}" y1="{_f(self.bottom)}" x2="{x}" y2="{_f(self.bottom + 4)}"/>'
                         f'<text class="tick-label" x="{x}" y="{_f(self.bottom + 16)}" text-anchor="middle">'
                         f"{escape(tick_label(tick))}</text>")
        parts.append(f'<text class="axis-caption" x="{WIDTH - RIGHT}" y="{_f(self.bottom + 30)}" '
                     f'text-anchor="end">{escape(caption)}</text>')
        return parts

    def y_grid(self, ticks: Sequence[float], labels: Sequence[str]) -> list[str]:
        return [
            f'<line class="grid" x1="{LEFT}" y1="{_f(self.y(t))}" x2="{WIDTH - RIGHT}" y2="{_f(self.y(t))}"/>'
            f'<text class="tick-label" x="{LEFT - 6}" y="{_f(self.y(t) + 4)}" text-anchor="end">{escape(text)}</text>'
            for t, text in zip(ticks, labels)
        ]


def _quantile(sketch: KLLSketch, share: float) -> float:
    items = sketch.sorted_items
    at = int(np.searchsorted(sketch.rank(items), share * sketch.count, side="left"))
    return float(items[min(at, len(items) - 1)])


def numeric_range(baseline: KLLSketch, current: KLLSketch | None) -> tuple[float, float, bool]:
    """(low, high, clipped): the x range both numeric charts share. Each side's 0.5th to 99.5th
    percentile, so a few far outliers do not squash the bulk of the data into a sliver; the
    largest CDF gap always stays in view."""
    sketches = [s for s in (baseline, current) if s is not None]
    low = min(_quantile(s, CLIP) for s in sketches)
    high = max(_quantile(s, 1 - CLIP) for s in sketches)
    if current is not None:
        gap_at = largest_gap(baseline, current)[0]
        low, high = min(low, gap_at), max(high, gap_at)
    clipped = low > min(float(s.sorted_items[0]) for s in sketches) or high < max(
        float(s.sorted_items[-1]) for s in sketches
    )
    if not high > low:  # a constant feature: give its single value some room
        low, high = low - 0.5, high + 0.5
    return low, high, clipped


def bin_edges(low: float, high: float, integral: bool) -> np.ndarray:
    """One bin per whole number for narrow Integral features (bins of 1.2 would alias), else BINS equal bins."""
    if integral and high - low <= BINS:
        return np.arange(math.floor(low) - 0.5, math.ceil(high) + 1.0, 1.0)
    return np.linspace(low, high, BINS + 1)


def bin_shares(sketch: KLLSketch, edges: np.ndarray) -> np.ndarray:
    """The share of all rows in each [edge, next edge) bin, the last one closed (from the sketch's ranks)."""
    closed = np.append(edges[:-1], np.nextafter(edges[-1], np.inf))
    return np.diff(sketch.rank(closed, inclusive=False)) / float(sketch.count)


def _caption(name: str, what: str, clipped: bool) -> str:
    return f"{name} ({what}{'; 0.5th–99.5th percentile' if clipped else ''})"


def numeric_svgs(name: str, baseline: NumericStatistics, current: NumericStatistics | None, integral: bool) -> str:
    """The histogram and the CDF chart, side by side on the page."""
    span = numeric_range(baseline.sketch, current.sketch if current else None)
    return histogram_svg(name, baseline, current, integral, span) + cdf_svg(name, baseline, current, span)


def histogram_svg(
    name: str,
    baseline: NumericStatistics,
    current: NumericStatistics | None,
    integral: bool,
    span: tuple[float, float, bool],
) -> str:
    low, high, clipped = span
    edges = bin_edges(low, high, integral)
    series = [(label, bin_shares(s.sketch, edges)) for label, s in (("baseline", baseline), ("current", current)) if s]
    top = max(float(shares.max()) for _, shares in series) * 1.1 or 1.0
    frame = _Frame(float(edges[0]), float(edges[-1]), top)
    ticks = nice_ticks(0.0, top, 4)
    body = frame.y_grid(ticks, [f"{t * 100:g}%" for t in ticks]) + frame.x_axis(
        _caption(name, "share of rows", clipped)
    )
    for label, shares in series:
        points: list[tuple[float, float]] = [(frame.x(edges[0]), frame.bottom)]
        for lower, upper, share in zip(edges[:-1], edges[1:], shares):
            points += [(frame.x(lower), frame.y(share)), (frame.x(upper), frame.y(share))]
        points.append((frame.x(edges[-1]), frame.bottom))
        path = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
        body.append(f'<polygon class="area {label}" points="{path}"/>')
    return _svg(f"{name}: baseline and current histograms", body)


def _cdf_points(sketch: KLLSketch, xs: np.ndarray) -> np.ndarray:
    return sketch.rank(xs) / float(sketch.count)


def largest_gap(baseline: KLLSketch, current: KLLSketch) -> tuple[float, float, float, float]:
    """(x, D, baseline CDF, current CDF) where the CDFs differ most, evaluated as the distance is."""
    keys = np.union1d(baseline.sorted_items, current.sorted_items)
    base, now = _cdf_points(baseline, keys), _cdf_points(current, keys)
    at = int(np.argmax(np.abs(base - now)))
    return float(keys[at]), float(abs(base[at] - now[at])), float(base[at]), float(now[at])


def cdf_svg(
    name: str, baseline: NumericStatistics, current: NumericStatistics | None, span: tuple[float, float, bool]
) -> str:
    low, high, clipped = span
    frame = _Frame(low, high, 1.0)
    xs = np.linspace(low, high, CDF_SAMPLES)
    body = frame.y_grid((0.0, 0.5, 1.0), ("0", "0.5", "1")) + frame.x_axis(_caption(name, "cumulative share", clipped))
    for label, stats in (("baseline", baseline), ("current", current)):
        if stats is not None:
            shares = _cdf_points(stats.sketch, xs)
            previous = np.concatenate(([shares[0]], shares[:-1]))
            # Steps (across, then up) rather than slopes: a CDF only rises at observed values.
            steps = [(x, level) for x, before, after in zip(xs, previous, shares) for level in (before, after)]
            path = " ".join(f"{_f(frame.x(x))},{_f(frame.y(p))}" for x, p in steps)
            body.append(f'<polyline class="line {label}" points="{path}"/>')
    if current is not None:
        x, gap, base, now = largest_gap(baseline.sketch, current.sketch)
        px, y1, y2 = _f(frame.x(x)), _f(frame.y(base)), _f(frame.y(now))
        anchor = "start" if frame.x(x) < WIDTH / 2 else "end"
        nudge = 6 if anchor == "start" else -6
        body.append(
            f'<line class="gap" x1="{px}" y1="{y1}" x2="{px}" y2="{y2}"/>'
            f'<text class="gap-label" x="{_f(frame.x(x) + nudge)}" y="{_f((frame.y(base) + frame.y(now)) / 2 + 4)}" '
            f'text-anchor="{anchor}">largest gap, simple KS D = {gap:.4f}</text>'
        )
    return _svg(f"{name}: baseline and current cumulative distributions", body)


def _shares(stats: StringStatistics | None) -> dict[str, float]:
    if stats is None or not stats.categories:
        return {}
    total = float(sum(count for _, count in stats.categories))
    return {value: count / total for value, count in stats.categories}


def category_rows(baseline: StringStatistics, current: StringStatistics | None) -> list[tuple[str, float, float]]:
    """(category, baseline share, current share): baseline's order, then categories new in the current
    data; beyond TOP_CATEGORIES the rest is one "other" row."""
    base, now = _shares(baseline), _shares(current)
    names = list(base) + sorted((n for n in now if n not in base), key=lambda n: (-now[n], n))
    rows = [(n, base.get(n, 0.0), now.get(n, 0.0)) for n in names]
    if len(rows) <= TOP_CATEGORIES:
        return rows
    kept, rest = rows[: TOP_CATEGORIES - 1], rows[TOP_CATEGORIES - 1 :]
    other = (f"other ({len(rest)})", sum(r[1] for r in rest), sum(r[2] for r in rest))
    return [*kept, other]


def categories_svg(name: str, baseline: StringStatistics, current: StringStatistics | None) -> str:
    rows = category_rows(baseline, current)
    label_width, row_height, bar = 150, 30, 11
    height = TOP + row_height * len(rows)
    top_share = max((max(b, c) for _, b, c in rows), default=1.0) or 1.0
    scale = (WIDE - label_width - RIGHT - 60) / top_share  # 60: room for the share printed after a bar
    body = []
    for i, (category, base, now) in enumerate(rows):
        y = TOP + i * row_height
        shown = category if len(category) <= LABEL_CHARS else category[: LABEL_CHARS - 1] + "…"
        body.append(
            f'<text class="category" x="{label_width - 10}" y="{_f(y + bar + 4)}" text-anchor="end">'
            f"<title>{escape(category)}</title>{escape(shown)}</text>"
        )
        bars = [("baseline", base, y)] + ([("current", now, y + bar + 1)] if current is not None else [])
        for label, share, top in bars:
            width = share * scale
            body.append(
                f'<rect class="bar {label}" x="{label_width}" y="{_f(top)}" width="{_f(width)}" '
                f'height="{bar}"/><text class="share" x="{_f(label_width + width + 5)}" '
                f'y="{_f(top + bar - 2)}">{share:.1%}</text>'
            )
    return _svg(f"{name}: baseline and current category shares", body, height, WIDE)
