"""The report's style sheet and script, inlined into every page (nothing is loaded)."""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8;
  --link: #0b57d0; --pass: #1b5e20; --fail: #a00018; --warn: #6d4500; --unknown: #37474f;
  --mark: #fff1a8; --target: #ffe08a; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: #fff; margin: 0 auto; max-width: 72rem; padding: 0 1rem 4rem; }
a { color: var(--link); }
a:focus-visible, select:focus-visible, button:focus-visible, summary:focus-visible,
mark a:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; }
header { border-bottom: 2px solid var(--fg); margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 1rem 0 .25rem; } h2 { font-size: 1.3rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; }
.summary { font-weight: 600; font-size: 1.05rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end;
  background: #f4f4f4; padding: .75rem; border: 1px solid var(--line); }
form.filters label { display: flex; flex-direction: column; font-size: .9rem; }
select, button { font: inherit; padding: .2rem .4rem; }
.status { font-weight: 700; white-space: nowrap; }
.status-pass { color: var(--pass); } .status-fail { color: var(--fail); }
.status-warn { color: var(--warn); } .status-unknown { color: var(--unknown); }
.status-none { color: var(--muted); }
ol.findings { padding-left: 0; list-style: none; }
ol.findings li { border-left: 4px solid var(--line); padding: .25rem .75rem; margin: .5rem 0; }
ol.findings li.status-fail { border-color: var(--fail); }
ol.findings li.status-warn { border-color: var(--warn); }
ol.findings li.status-unknown { border-color: var(--unknown); }
ol.findings li.status-pass { border-color: var(--pass); }
ol.findings li > * { color: var(--fg); }
.detail { white-space: pre-wrap; color: var(--muted); margin: .25rem 0; font-size: .95rem; }
.check { font-family: ui-monospace, monospace; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .4rem;
  border-bottom: 1px solid var(--line); }
th { background: #eeeeee; }
tr:target, li:target, mark:target, span:target + mark { background: var(--target); }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; }
.article { white-space: pre-wrap; font-family: Georgia, serif; line-height: 1.6;
  border: 1px solid var(--line); padding: 1rem; }
mark { background: var(--mark); color: var(--fg); padding: 0 .05em; }
mark a { color: inherit; text-decoration: none; }
ul.tree { list-style: none; padding-left: 1.25rem; border-left: 1px dotted var(--line); }
ul.tree > li { margin: .2rem 0; }
.figures { color: var(--muted); font-size: .92rem; }
.count { color: var(--muted); font-size: .9rem; }
[hidden] { display: none !important; }
/* A dossier of 10,000 claims: the browser lays out only the blocks that come into view. */
.lazy { content-visibility: auto; contain-intrinsic-size: auto 1200px; }
table.claims + table.claims { margin-top: 0; }
table.claims { table-layout: fixed; }
table.claims th:nth-child(1) { width: 22%; }
td, th { overflow-wrap: anywhere; }
@media print {
  form.filters, nav, .skip { display: none; }
  body { max-width: none; font-size: 11pt; }
  a { color: inherit; text-decoration: underline; }
  h2 { break-after: avoid; } tr, li { break-inside: avoid; }
  .article { border: none; padding: 0; }
  .lazy { content-visibility: visible; }
}
"""

JS = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  function has(list, value) { return (" " + (list || "") + " ").indexOf(" " + value + " ") >= 0; }
  // A row names its claims' own places; a chosen place also matches the places inside it
  // (each place option names the place that contains it). Worked out on use, not on load.
  function inside(place) {
    var opts = form.elements.place.options, up = {}, set = {}, i;
    for (i = 0; i < opts.length; i++) { up[opts[i].value] = opts[i].dataset.within; }
    for (i = 0; i < opts.length; i++) {
      for (var p = opts[i].value, n = 0; p && n < 64; p = up[p], n++) {
        if (p === place) { set[opts[i].value] = true; break; }
      }
    }
    return set;
  }
  function any(list, set) {
    var parts = (list || "").split(" ");
    for (var i = 0; i < parts.length; i++) { if (set[parts[i]]) { return true; } }
    return false;
  }
  function apply() {
    var st = form.elements.status.value, me = form.elements.measure.value;
    var pl = form.elements.place.value, so = form.elements.source.value;
    var within = pl ? inside(pl) : null;
    var shown = 0, total = 0;
    var rows = document.querySelectorAll("[data-filter]");
    for (var i = 0; i < rows.length; i++) {
      var el = rows[i], d = el.dataset;
      var ok = (!st || d.status === st) && (!me || has(d.measure, me)) &&
        (!within || any(d.place, within)) && (!so || has(d.source, so));
      el.hidden = !ok;
      total++; if (ok) { shown++; }
    }
    document.getElementById("filter-count").textContent =
      shown === total ? "showing everything" : "showing " + shown + " of " + total + " rows";
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
})();
"""


def csp_hash(source: str) -> str:
    """The Content-Security-Policy hash source that allows exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
