"""The timeline page: one self-contained HTML file (inline CSS and script, no network), a lane
per thread with its phases as coloured bands and its events as marks that open their evidence.

The page carries its data as one JSON block and draws itself with a short script, so 50 threads
and 5,000 events stay a few megabytes (the quotes are most of it) and render in well under a
second. Outcomes it does not know (a newer replay may add some) get a neutral mark, not an error.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, Optional

import orjson

from negotrack import __version__
from negotrack.desk import Audit

PHASE_COLOURS = {
    "dormant": "#d9d9d9", "proposed": "#c6dbef", "scheduled": "#9ecae1", "active": "#74c476",
    "stalled": "#fdd0a2", "suspended": "#fd8d3c", "agreed": "#9e9ac8", "in_force": "#31a354",
    "collapsed": "#de2d26", "cancelled": "#969696", "overtaken": "#636363",
}


def _source(event: Any) -> dict[str, Any]:
    return {
        "q": event.evidence.quote,
        "title": event.source.title,
        "path": event.source.path,
        "url": event.source.url,
        "outlet": event.source.outlet,
        "reported": event.reported.isoformat(),
        "conf": event.confidence,
        "review": getattr(event, "review", None),  # set by review commands where they exist
    }


def thread_data(audit: Audit) -> dict[str, Any]:
    """One lane: the starting point, the phase bands (from each move) and every happening."""
    status = audit.status
    start = audit.start
    first_date = start.since.isoformat() if start.since else None
    bands = [{"from": first_date, "phase": start.phase, "state": start.state}]
    events = []
    for h in audit.happenings:
        s = h.step
        if s.outcome == "moved":
            bands.append({"from": s.date.isoformat(), "phase": s.to_phase, "state": s.to_state})
        step_extra = s.model_dump(mode="json")
        events.append(
            {
                "d": s.date.isoformat(),
                "t": s.type,
                "o": s.outcome,
                "from": s.from_state,
                "to": s.to_state,
                "phase": s.to_phase,
                "why": s.reason,
                "exp": s.expected.isoformat() if s.expected else None,
                "conf": step_extra.get("confidence"),
                "review": step_extra.get("review"),
                "src": [_source(e) for e in h.events],
            }
        )
    return {
        "id": audit.thread.id,
        "title": audit.thread.title,
        "start": start.model_dump(mode="json"),
        "bands": bands,
        "events": events,
        "status": {
            "state": status.state,
            "phase": status.phase,
            "since": status.since.isoformat() if status.since else None,
            "tracked": status.tracked,
            "overdue": status.overdue,
            "expected": status.expected.isoformat() if status.expected else None,
            "events": status.events,
            "rejected": status.rejected,
        },
    }


def page_data(audits: list[Audit], as_of: Optional[dt.date], known_at: Optional[dt.date]) -> dict[str, Any]:
    threads = [thread_data(a) for a in audits]
    dates = [e["d"] for t in threads for e in t["events"]] + [t["start"]["since"] for t in threads if t["start"]["since"]]
    dates += [e["exp"] for t in threads for e in t["events"] if e["exp"]]
    if as_of:
        dates.append(as_of.isoformat())
    lo = min(dates) if dates else (as_of or dt.date.today()).isoformat()
    hi = max(dates) if dates else lo
    lo_d, hi_d = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
    pad = max(2, (hi_d - lo_d).days // 40)
    return {
        "threads": threads,
        "from": (lo_d - dt.timedelta(days=pad)).isoformat(),
        "to": (as_of.isoformat() if as_of else (hi_d + dt.timedelta(days=pad)).isoformat()),
        "as_of": as_of.isoformat() if as_of else None,
        "known_at": known_at.isoformat() if known_at else None,
        "made": dt.date.today().isoformat(),
        "version": __version__,
        "colours": PHASE_COLOURS,
    }


def render_page(audits: list[Audit], as_of: Optional[dt.date] = None, known_at: Optional[dt.date] = None) -> str:
    data = orjson.dumps(page_data(audits, as_of, known_at)).decode("utf-8")
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")  # nothing in the data can close the script
    clocks = []
    if as_of:
        clocks.append(f"as of {as_of}")
    if known_at:
        clocks.append(f"known at {known_at}")
    subtitle = html.escape(", ".join(clocks) or f"as of {dt.date.today()}")
    return PAGE.replace("%%SUBTITLE%%", subtitle).replace("%%DATA%%", data)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>negotrack timeline</title>
<style>
:root { --lane: 30px; --label: 230px; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: #222; }
body { margin: 0; background: #fafafa; }
header { padding: 12px 18px 6px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 18px; margin: 0 0 2px; }
.sub { color: #666; font-size: 12px; }
#summary { margin: 8px 0 4px; display: flex; flex-wrap: wrap; gap: 6px; }
.chip { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 12px; border: 1px solid rgba(0,0,0,.12); }
.overdue { background: #b10026; color: #fff; border-color: #b10026; font-weight: 600; }
details { margin: 6px 0; }
table.status { border-collapse: collapse; font-size: 12px; }
table.status td, table.status th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
.controls { display: flex; gap: 10px; align-items: center; padding: 6px 18px; background: #fff; border-bottom: 1px solid #ddd; position: sticky; top: 0; z-index: 3; font-size: 12px; }
.controls input { font-size: 12px; padding: 2px 6px; }
.legend span { margin-right: 6px; }
#board { display: flex; }
#labels { flex: 0 0 var(--label); background: #fff; border-right: 1px solid #ddd; z-index: 2; }
#scroller { flex: 1 1 auto; overflow-x: auto; position: relative; }
#canvas { position: relative; min-width: 100%; }
.axis { height: 22px; position: relative; overflow: hidden; border-bottom: 1px solid #ccc; background: #fff; font-size: 11px; color: #555; }
.tick { position: absolute; top: 0; height: 100%; border-left: 1px solid #ddd; padding-left: 3px; white-space: nowrap; }
.label { height: var(--lane); line-height: var(--lane); padding: 0 8px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; border-bottom: 1px solid #f0f0f0; font-size: 12px; }
.label .flag { margin-left: 4px; font-size: 10px; line-height: 14px; padding: 0 5px; vertical-align: middle; }
.label-axis { height: 22px; border-bottom: 1px solid #ccc; }
.lane { height: var(--lane); position: relative; border-bottom: 1px solid #f0f0f0; }
.band { position: absolute; top: 7px; height: 16px; opacity: .85; }
.mark { position: absolute; top: 9px; width: 10px; height: 10px; margin-left: -5px; border-radius: 50%; border: 1.5px solid #1d3557; background: #1d3557; cursor: pointer; padding: 0; box-sizing: border-box; }
.mark.o-unchanged { background: #fff; }
.mark.o-rejected { background: #fff; border: 2px solid #c00; border-radius: 0; transform: rotate(45deg); }
.mark.o-held { background: #ffbf00; border-color: #8a6d00; border-radius: 2px; }
.mark.o-doubted { background: #fff; border: 2px dashed #8a6d00; }
.mark.o-dismissed { background: #ccc; border-color: #999; opacity: .6; }
.mark.o-other { background: #999; border-color: #555; border-radius: 2px; }
.mark:focus, .mark.sel { outline: 3px solid #ffb703; z-index: 2; }
.due { position: absolute; top: -3px; margin-left: -6px; font-size: 12px; color: #457b9d; }
.due.late { color: #b10026; }
.now { position: absolute; top: 0; bottom: 0; border-left: 2px dashed #b10026; z-index: 1; }
#panel { position: fixed; right: 12px; bottom: 12px; width: 420px; max-height: 60vh; overflow: auto; background: #fff; border: 1px solid #bbb; box-shadow: 0 4px 18px rgba(0,0,0,.18); padding: 10px 12px; font-size: 13px; display: none; z-index: 5; }
#panel h2 { font-size: 14px; margin: 0 0 4px; }
#panel blockquote { margin: 6px 0; padding: 4px 8px; border-left: 3px solid #457b9d; background: #f4f8fb; }
#panel .close { float: right; cursor: pointer; border: none; background: none; font-size: 16px; }
#panel .meta { color: #555; font-size: 12px; }
.hidden { display: none !important; }
</style>
</head>
<body>
<header>
<h1>negotrack timeline</h1>
<div class="sub">%%SUBTITLE%% · <span id="counts"></span></div>
<div id="summary"></div>
<details id="status-details"><summary>Current status of every thread</summary><table class="status" id="status"></table></details>
</header>
<div class="controls">
<label>Filter threads <input id="filter" type="search" placeholder="id or title"></label>
<label>Zoom <input id="zoom" type="range" min="1" max="12" step="1" value="1"></label>
<span class="legend" id="legend"></span>
</div>
<div id="board">
<div id="labels"><div class="label-axis"></div></div>
<div id="scroller"><div id="canvas"><div class="axis" id="axis"></div></div></div>
</div>
<div id="panel" role="dialog" aria-live="polite"></div>
<script type="application/json" id="data">%%DATA%%</script>
<script>
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var DAY = 86400000;
  var t0 = Date.parse(DATA.from), t1 = Date.parse(DATA.to);
  if (!(t1 > t0)) { t1 = t0 + DAY; }
  var span = t1 - t0;
  var KNOWN = { moved: 1, unchanged: 1, rejected: 1, held: 1, doubted: 1, dismissed: 1 };
  function pct(d) { return ((Date.parse(d) - t0) / span * 100); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function colour(phase) { return DATA.colours[phase] || "#bbb"; }
  function chip(phase) {
    var c = el("span", "chip", phase || "not yet tracked");
    c.style.background = colour(phase);
    return c;
  }
  var threads = DATA.threads;
  var nEvents = 0, overdue = [], byPhase = {};
  threads.forEach(function (t) {
    nEvents += t.events.length;
    if (t.status.overdue) { overdue.push(t); }
    var p = t.status.phase || "not yet tracked";
    byPhase[p] = (byPhase[p] || 0) + 1;
  });
  document.getElementById("counts").textContent = threads.length + " thread(s), " + nEvents + " happening(s)";
  var summary = document.getElementById("summary");
  overdue.forEach(function (t) {
    summary.appendChild(el("span", "chip overdue", "OVERDUE " + t.id + ": talks expected " + t.status.expected));
  });
  Object.keys(byPhase).sort().forEach(function (p) {
    var c = chip(p); c.textContent = p + ": " + byPhase[p]; summary.appendChild(c);
  });
  var table = document.getElementById("status");
  var head = el("tr");
  ["thread", "phase", "state", "since", "expected", "events", "rejected"].forEach(function (h) { head.appendChild(el("th", null, h)); });
  table.appendChild(head);
  threads.forEach(function (t) {
    var s = t.status, tr = el("tr");
    tr.appendChild(el("td", null, t.id));
    var td = el("td"); td.appendChild(chip(s.phase)); tr.appendChild(td);
    tr.appendChild(el("td", null, s.state || "-"));
    tr.appendChild(el("td", null, s.tracked ? (s.since || "-") : "tracked from " + t.start.since));
    var ex = el("td"); if (s.expected) { ex.appendChild(s.overdue ? el("span", "chip overdue", s.expected + " OVERDUE") : el("span", null, s.expected)); } else { ex.textContent = "-"; }
    tr.appendChild(ex);
    tr.appendChild(el("td", null, s.events));
    tr.appendChild(el("td", null, s.rejected));
    table.appendChild(tr);
  });
  if (threads.length <= 12) { document.getElementById("status-details").open = true; }
  var legend = document.getElementById("legend");
  Object.keys(DATA.colours).forEach(function (p) { var c = chip(p); legend.appendChild(c); });
  [["moved", "moved"], ["unchanged", "unchanged"], ["rejected", "rejected"], ["held", "held"], ["dismissed", "dismissed"]].forEach(function (o) {
    var item = el("span"); item.style.whiteSpace = "nowrap";
    var m = el("span", "mark o-" + o[0]); m.style.position = "relative"; m.style.display = "inline-block"; m.style.top = "1px"; m.style.margin = "0 3px 0 8px";
    item.appendChild(m); item.appendChild(el("span", null, o[1])); legend.appendChild(item);
  });

  var canvas = document.getElementById("canvas"), labels = document.getElementById("labels"), axis = document.getElementById("axis");
  function addTick(day, text) {
    var tick = el("div", "tick", text);
    tick.style.left = pct(day) + "%";
    axis.appendChild(tick);
  }
  var days = span / DAY;
  if (days <= 70) {  // short spans: a tick every day or week
    var every = days > 21 ? 7 : days > 10 ? 2 : 1;
    for (var k = 1; k < days; k += every) { var iso = new Date(t0 + k * DAY).toISOString().slice(0, 10); addTick(iso, iso.slice(5)); }
  } else {
    var months = days / 30.4, steps = [1, 2, 3, 6, 12, 24, 60, 120], step = 120;
    for (var j = 0; j < steps.length; j++) { if (months / steps[j] <= 14) { step = steps[j]; break; } }
    var d = new Date(t0); d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    while (d.getTime() < t1) {
      if ((d.getUTCFullYear() * 12 + d.getUTCMonth()) % step === 0) {
        addTick(d.toISOString().slice(0, 10), step >= 12 ? String(d.getUTCFullYear()) : d.toISOString().slice(0, 7));
      }
      d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    }
  }
  var panel = document.getElementById("panel"), selected = null;
  function show(t, e, mark) {
    if (selected) { selected.classList.remove("sel"); }
    selected = mark; mark.classList.add("sel");
    panel.textContent = "";
    var close = el("button", "close", "×"); close.setAttribute("aria-label", "close");
    close.onclick = function () { panel.style.display = "none"; mark.classList.remove("sel"); };
    panel.appendChild(close);
    panel.appendChild(el("h2", null, e.t + " · " + e.d));
    panel.appendChild(el("div", "meta", t.id + " — " + t.title));
    var what = e.o === "moved" ? e.from + " → " + e.to : e.o === "unchanged" ? "recorded, " + e.to + " unchanged" : e.o.toUpperCase() + (e.why ? ": " + e.why : "");
    panel.appendChild(el("div", null, "Outcome: " + what));
    if (e.exp) { panel.appendChild(el("div", null, "Expected: " + e.exp)); }
    if (e.conf !== null && e.conf !== undefined) { panel.appendChild(el("div", null, "Confidence: " + e.conf)); }
    if (e.review) { panel.appendChild(el("div", null, "Review: " + (typeof e.review === "string" ? e.review : JSON.stringify(e.review)))); }
    e.src.forEach(function (s) {
      panel.appendChild(el("blockquote", null, "\u201c" + s.q + "\u201d"));
      var meta = el("div", "meta");
      meta.appendChild(el("span", null, (s.title || "(untitled)") + " — " + (s.outlet ? s.outlet + ", " : "") + "published " + s.reported + " — "));
      if (s.url) { var a = el("a", null, s.url); a.href = s.url; a.rel = "noreferrer"; meta.appendChild(a); } else { meta.appendChild(el("code", null, s.path)); }
      if (s.conf !== null && s.conf !== undefined) { meta.appendChild(el("span", null, " · confidence " + s.conf)); }
      meta.appendChild(el("span", null, " · review: " + (s.review ? (typeof s.review === "string" ? s.review : JSON.stringify(s.review)) : "not reviewed")));
      panel.appendChild(meta);
    });
    panel.style.display = "block";
  }
  var lanes = [];
  threads.forEach(function (t) {
    var label = el("div", "label");
    label.appendChild(el("span", null, t.id));
    label.title = t.title;
    if (t.status.overdue) { label.appendChild(el("span", "chip overdue flag", "overdue")); }
    labels.appendChild(label);
    var lane = el("div", "lane"); lane.setAttribute("data-thread", t.id);
    for (var i = 0; i < t.bands.length; i++) {
      var b = t.bands[i];
      var from = b.from || DATA.from, to = i + 1 < t.bands.length ? t.bands[i + 1].from : DATA.to;
      var band = el("div", "band");
      band.style.left = pct(from) + "%";
      band.style.width = Math.max(0.1, pct(to) - pct(from)) + "%";
      band.style.background = colour(b.phase);
      band.title = b.phase + " (" + b.state + ") from " + (b.from || "the start");
      lane.appendChild(band);
    }
    t.marks = [];
    t.events.forEach(function (e) {
      var m = el("button", "mark o-" + (KNOWN[e.o] ? e.o : "other"));
      m.style.left = pct(e.d) + "%";
      m.setAttribute("data-outcome", e.o);
      m.title = e.d + " " + e.t + " (" + e.o + ") \u201c" + e.src[0].q + "\u201d";
      m.onclick = function () { show(t, e, m); };
      t.marks.push(m);
      lane.appendChild(m);
    });
    if (t.status.expected) {
      var due = el("div", "due" + (t.status.overdue ? " late" : ""), "\u25bc");
      due.style.left = pct(t.status.expected) + "%";
      due.title = (t.status.overdue ? "OVERDUE: " : "") + "talks expected " + t.status.expected;
      lane.appendChild(due);
    }
    canvas.appendChild(lane);
    lanes.push([t, label, lane]);
  });
  if (DATA.as_of) { var now = el("div", "now"); now.style.left = pct(DATA.as_of) + "%"; now.title = "as of " + DATA.as_of; canvas.appendChild(now); }
  document.getElementById("filter").oninput = function () {
    var q = this.value.toLowerCase();
    lanes.forEach(function (x) {
      var hit = !q || x[0].id.toLowerCase().indexOf(q) >= 0 || x[0].title.toLowerCase().indexOf(q) >= 0;
      x[1].classList.toggle("hidden", !hit); x[2].classList.toggle("hidden", !hit);
    });
  };
  document.getElementById("zoom").oninput = function () { canvas.style.width = (this.value * 100) + "%"; };
  var open = /^#open=([^:]+):(\d+)$/.exec(decodeURIComponent(location.hash));  // a link to one event: #open=THREAD:INDEX
  if (open) { lanes.forEach(function (x) { var i = +open[2]; if (x[0].id === open[1] && x[0].events[i]) { show(x[0], x[0].events[i], x[0].marks[i]); } }); }
  document.body.setAttribute("data-rendered", String(lanes.length));
})();
</script>
</body>
</html>
"""
