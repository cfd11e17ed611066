"""The report's stylesheet, inlined in the page: system fonts only, so nothing is fetched."""

from __future__ import annotations

CSS = """
:root {
  --ink: #16191f; --muted: #545b64; --line: #d5dbdb; --paper: #ffffff; --wash: #f2f3f3;
  --ok: #1d8102; --ok-bg: #e9f6e5; --warn: #8d6605; --warn-bg: #fff4d6;
  --bad: #d13212; --bad-bg: #fde8e3; --none: #687078; --none-bg: #eaeded;
  --accent: #0972d3;
}
* { box-sizing: border-box; }
html { background: var(--wash); }
body {
  margin: 0 auto; max-width: 1320px; padding: 32px 40px 64px; color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "DejaVu Sans", sans-serif;
}
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: 0.92em; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 0 0 14px; padding-bottom: 8px; border-bottom: 1px solid var(--line); }
p { margin: 0 0 12px; }
header { margin-bottom: 20px; }
.source { color: var(--muted); margin-bottom: 14px; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; list-style: none; }
.chip { padding: 4px 12px; border-radius: 999px; background: var(--paper);
  border: 1px solid var(--line); font-size: 13px; font-weight: 600; }
.chip.ok { color: var(--ok); background: var(--ok-bg); border-color: #b7dfae; }
.chip.bad { color: var(--bad); background: var(--bad-bg); border-color: #f5b8a8; }
.chip.warn { color: var(--warn); background: var(--warn-bg); border-color: #f2d68a; }
.banner { margin: 0 0 14px; padding: 12px 16px; border-radius: 8px; font-weight: 600; }
.drift-banner { color: #7a3b00; background: #fff1e0; border: 2px solid #ec7211; }
.drift-banner a { color: #7a3b00; }
nav { margin: 16px 0 24px; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 18px; font-weight: 600; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 22px 26px; margin-bottom: 24px; }
figure { margin: 0; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
.scroll svg { display: block; max-width: none; height: auto; }
figcaption, .note { color: var(--muted); font-size: 13px; margin-top: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 7px 10px;
  border-bottom: 1px solid var(--line); }
th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.sev { display: inline-block; min-width: 64px; text-align: center; padding: 1px 8px;
  border-radius: 4px; font-size: 12px; font-weight: 700; text-transform: uppercase; }
.sev.error { color: #fff; background: var(--bad); }
.sev.warning { color: var(--warn); background: var(--warn-bg); }
.sev.info { color: var(--accent); background: #e6f1fc; }
.sev.accepted { color: var(--muted); background: var(--none-bg); }
.was { display: block; font-size: 11px; color: var(--muted); margin-top: 2px; }
tr.accepted td { background: #fafafa; }
.reason { margin: 4px 0 0; font-size: 13px; color: var(--muted); }
.empty { color: var(--ok); font-weight: 600; }
details { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 10px; }
details > summary { cursor: pointer; padding: 10px 14px; list-style-position: inside; }
details[open] > summary { border-bottom: 1px solid var(--line); }
details .body { padding: 12px 16px; }
details details { margin: 10px 0 0; }
.intent.held { border-left: 5px solid var(--ok); }
.intent.failed { border-left: 5px solid var(--bad); }
.intent.conditional { border-left: 5px solid #f2a900; }
.mark { display: inline-block; width: 22px; font-weight: 800; }
.held .mark { color: var(--ok); } .failed .mark { color: var(--bad); }
.conditional .mark { color: var(--warn); }
.intent .summary { color: var(--muted); margin-left: 8px; }
.kind { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; margin-left: 8px; }
.hops td:first-child { width: 32px; color: var(--muted); }
.decision { font-weight: 700; }
.decision.allow { color: var(--ok); } .decision.deny { color: var(--bad); }
.decision.partial { color: var(--warn); }
.path-verdict { font-weight: 700; }
.path-verdict.keeps { color: var(--ok); } .path-verdict.breaks { color: var(--bad); }
.expect-unreachable .decision.deny { color: var(--ok); }
.expect-unreachable .decision.allow { color: var(--ink); }
.grid { width: auto; border-collapse: separate; border-spacing: 4px; }
.grid th, .grid td { border: 0; }
.grid thead th { text-transform: none; letter-spacing: 0; font-size: 13px; color: var(--ink);
  text-align: center; padding: 4px 8px; }
.grid tbody th { text-transform: none; letter-spacing: 0; font-size: 13px; color: var(--ink);
  text-align: right; padding-right: 12px; white-space: nowrap; vertical-align: middle; }
.grid td { min-width: 112px; text-align: center; border-radius: 6px; padding: 10px 8px;
  font-size: 13px; font-weight: 600; }
.grid td.reachable { background: #2e9e41; color: #fff; }
.grid td.partially-reachable { background: #f2a900; color: #16191f; }
.grid td.unreachable { background: var(--none-bg); color: var(--none); font-weight: 500; }
.grid td.self { background: transparent; color: var(--line); }
.legend { display: flex; gap: 18px; margin: 0 0 12px; padding: 0; list-style: none;
  font-size: 13px; }
.legend span { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
  vertical-align: -2px; margin-right: 6px; }
.legend .reachable { background: #2e9e41; } .legend .partially-reachable { background: #f2a900; }
.legend .unreachable { background: var(--none-bg); border: 1px solid var(--line); }
.group { border: 2px dashed #dd344c; border-radius: 8px; padding: 10px 14px 4px;
  margin-bottom: 14px; }
.group h3 { font-size: 15px; margin: 0 0 6px; }
.sg-name { color: #b0213a; }
.group .members { color: var(--muted); font-weight: 400; font-size: 13px; }
.rules td, .rules th { padding: 4px 10px; }
.drift li { margin-bottom: 4px; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
@media print { html { background: #fff; } section { break-inside: avoid; }
  .scroll { overflow: visible; } .scroll svg { width: 100%; } }
"""
