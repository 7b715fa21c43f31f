"""The drift report's stylesheet, inlined into the page (the page fetches nothing).

System font stacks only; colours from the Okabe-Ito palette, and every colour is paired with a
word or symbol so nothing is told by colour alone.
"""

CSS = """
:root {
  --ink: #1c2430; --muted: #5f6b7a; --line: #e3e7ed; --page: #f4f6f9; --card: #ffffff;
  --baseline: #0072B2; --current: #E69F00; --bad: #D55E00; --good: #009E73; --warn: #F0E442;
  --failed: #CC79A7; --idle: #8a94a3;
}
* { box-sizing: border-box; }
html { background: var(--page); }
body {
  margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", "Liberation Sans", Arial, sans-serif; font-variant-numeric: tabular-nums;
}
main { max-width: 1200px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 2px 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, "DejaVu Sans Mono", monospace; font-size: 13px; }
.eyebrow { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; }
.meta { margin: 0; color: var(--muted); }
.meta b { color: var(--ink); font-weight: 600; }
.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px; margin-bottom: 20px; }
.status { padding: 10px 16px; border-radius: 10px; color: #fff; font-weight: 700; font-size: 16px; white-space: nowrap; }
.status-Completed { background: var(--good); }
.status-CompletedWithViolations { background: var(--bad); }
.status-Failed { background: var(--failed); color: var(--ink); }
.reason { margin: -8px 0 20px; padding: 10px 14px; border-left: 4px solid var(--failed); background: var(--card); }
.tiles { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin-bottom: 24px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; }
.tile .value { font-size: 26px; font-weight: 700; line-height: 1.2; }
.tile .note { color: var(--muted); font-size: 12px; }
.tile.alert .value { color: var(--bad); }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px; margin-bottom: 20px; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em;
     font-weight: 600; border-bottom: 1px solid var(--line); padding: 6px 10px; }
td { padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; }
tr.flagged td { background: #fdf1e9; }
a { color: var(--baseline); text-decoration: none; }
a:hover { text-decoration: underline; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 700;
         letter-spacing: 0.03em; white-space: nowrap; }
.badge-drift, .badge-ALARM { background: var(--bad); color: #fff; }
.badge-violation { background: var(--warn); color: var(--ink); }
.badge-ok, .badge-OK { background: #e3f4ee; color: #00664a; }
.badge-none, .badge-INSUFFICIENT_DATA, .badge-other { background: #eceff3; color: var(--muted); }
.meter { display: block; }
.meter .track { fill: #eceff3; }
.meter .fill-ok { fill: var(--idle); }
.meter .fill-drift { fill: var(--bad); }
.meter .limit { stroke: var(--ink); stroke-width: 2; }
.empty { color: var(--muted); margin: 0; }
.legend { display: flex; gap: 18px; color: var(--muted); font-size: 13px; margin: -4px 0 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.swatch.baseline { background: var(--baseline); }
.swatch.current { background: var(--current); }
.feature { border-top: 1px solid var(--line); padding: 16px 0 6px; }
.feature:first-of-type { border-top: none; padding-top: 4px; }
.feature-head { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; }
.feature-head .verdict { color: var(--muted); }
.plots { display: grid; grid-template-columns: 1fr 1fr 250px; gap: 20px; align-items: start; }
.plots > * { min-width: 0; }
.plots .wide { grid-column: span 2; }
.chart { width: 100%; height: auto; display: block; }
.chart .axis { stroke: #9aa5b1; stroke-width: 1; }
.chart .tick { stroke: #9aa5b1; }
.chart .grid { stroke: #eceff3; }
.chart .tick-label, .chart .share { font-size: 11px; fill: var(--muted); }
.chart .axis-caption { font-size: 11px; fill: var(--muted); font-style: italic; }
.chart .category { font-size: 12px; fill: var(--ink); }
.chart .area { stroke-linejoin: round; }
.chart .area.baseline { fill: var(--baseline); fill-opacity: 0.28; stroke: var(--baseline); stroke-width: 1; }
.chart .area.current { fill: none; stroke: var(--current); stroke-width: 2.5; }
.chart .line { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
.chart .line.baseline { stroke: var(--baseline); }
.chart .line.current { stroke: var(--current); }
.chart .bar.baseline { fill: var(--baseline); }
.chart .bar.current { fill: var(--current); }
.chart .gap { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 3 2; }
.chart .gap-label { font-size: 12px; font-weight: 600; fill: var(--ink); paint-order: stroke;
                    stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.stats { font-size: 13px; }
.stats td, .stats th { padding: 3px 8px; white-space: nowrap; }
.states { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 16px; }
.state { border: 1px solid var(--line); border-radius: 8px; padding: 5px 10px; font-size: 13px; }
.state .mono { margin-right: 8px; }
footer { color: var(--muted); font-size: 12px; margin-top: 8px; }
footer p { margin: 4px 0; }
"""
