"""A timeline chart per measure, drawn by matplotlib as static SVG.

Each dated figure is one point at the middle of its time, with a horizontal bar over
the whole time when it is coarser than a day (``2022-09`` spans the month: its
precision). The marker tells the bound: ``o`` exact, ``^`` at least, ``v`` at most, and
an approximate figure gets a vertical bar of its tolerance. Places are the series.
Figures named by a failing finding are circled in red (contradictions); each sum that
explains a growth labels its total (``30 + 24 = 54``). Every point links to its claim
(``#claim-ID`` in the page) through matplotlib's SVG ``url`` support, so the chart needs no script.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from claimcheck.models import Claim

MAX_SERIES = 8
"""Places drawn as their own series; the others share one grey series."""
MAX_POINTS = 300
"""Figures drawn on one chart at most: beyond that a timeline is a blot, its SVG weighs
megabytes and the page opens slowly, so a sample is drawn (:func:`sample`) and the chart
says so."""
_COLOURS = ["#1f5fa8", "#b35900", "#2e7d32", "#8e24aa", "#00695c", "#6d4c41", "#c2185b", "#455a64"]
_OTHER = "#757575"
_MARKERS = {"exact": "o", "at_least": "^", "at_most": "v", "approx": "D"}
_SIGN = {"exact": "", "at_least": "≥", "at_most": "≤", "approx": "≈"}


@dataclass(frozen=True)
class Point:
    """One dated figure of a measure."""

    claim: str
    """The element id of the claim in the page (each point links to ``#claim``)."""
    place: str
    """The place's name (the series)."""
    start: date
    end: date
    value: float
    bound: str
    tolerance: float
    contradicted: bool = False


@dataclass(frozen=True)
class Step:
    """A growth explained by a sum: its total's point and the label to put there."""

    total: str
    label: str


def points_of(
    claims: Iterable[Claim],
    place_names: dict[str, str],
    tolerance: float,
    contradicted: set[str],
    anchor: str = "claim-",
) -> tuple[list[Point], int]:
    """The drawable points of ``claims`` (each linking to ``#{anchor}{id}``) and how many
    were left out (no date or no value)."""
    out: list[Point] = []
    skipped = 0
    for c in claims:
        span = c.span()
        if span is None or c.value is None:
            skipped += 1
            continue
        out.append(
            Point(
                anchor + c.id,
                place_names.get(c.place or "", c.place or "no place"),
                span.start,
                span.end,
                float(c.value),
                c.bound,
                tolerance,
                c.id in contradicted,
            )
        )
    return out, skipped


def sample(points: list[Point], keep: set[str], cap: int = MAX_POINTS) -> list[Point]:
    """At most ``cap`` of ``points``: every contradicted one and every one in ``keep`` (the
    totals that carry a sum's label) first, then an even sample of the others in date
    order, so the chart keeps its shape. All of them when there are ``cap`` or fewer."""
    if len(points) <= cap:
        return points
    ordered = sorted(points, key=lambda p: (p.start, p.end, p.place, p.value, p.claim))
    must = [p for p in ordered if p.contradicted or p.claim in keep]
    rest = [p for p in ordered if not (p.contradicted or p.claim in keep)]
    if len(must) >= cap:
        return _even(must, cap)
    return sorted(
        must + _even(rest, cap - len(must)),
        key=lambda p: (p.start, p.end, p.place, p.value, p.claim),
    )


def _even(items: list[Point], n: int) -> list[Point]:
    # n items spread evenly over the list, its first and last included.
    if n <= 0:
        return []
    if n == 1 or len(items) <= n:
        return items[:n]
    step = (len(items) - 1) / (n - 1)
    return [items[round(i * step)] for i in range(n)]


def timeline_svg(
    title: str, unit: str | None, points: list[Point], steps: list[Step], note: str = ""
) -> str:
    """The chart as an SVG document (text), sized for a page column; ``note`` is a second
    title line (what a sampled chart leaves out)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "claimcheck"  # the same chart, the same bytes
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small and readable
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.6), dpi=96)
    ax = fig.add_subplot()
    colour = _series_colours(points)
    where = {p.claim: p for p in points}

    def mid(p: Point) -> float:
        return float((_num(p.start) + _num(p.end)) / 2)

    for place, col in colour.items():
        mine = [p for p in points if (p.place if p.place in colour else "") == place]
        for bound, marker in _MARKERS.items():
            group = [p for p in mine if p.bound == bound]
            if not group:
                continue
            xs = [mid(p) for p in group]
            ys = [p.value for p in group]
            wide = [p for p in group if p.end > p.start]
            if wide:
                ax.hlines(
                    [p.value for p in wide],
                    [_num(p.start) for p in wide],
                    [_num(p.end) + 1 for p in wide],
                    colors=col,
                    linewidth=2,
                    alpha=0.5,
                )
            if bound == "approx":
                ax.vlines(
                    xs,
                    [p.value * (1 - p.tolerance) for p in group],
                    [p.value * (1 + p.tolerance) for p in group],
                    colors=col,
                    linewidth=1,
                )
            ax.scatter(
                xs,
                ys,
                marker=marker,
                color=col,
                s=36,
                zorder=3,
                label=f"{place or 'other places'} ({_SIGN[bound] or '='})",
                urls=[f"#{p.claim}" for p in group],
            )
    bad = [p for p in points if p.contradicted]
    if bad:
        ax.scatter(
            [mid(p) for p in bad],
            [p.value for p in bad],
            s=220,
            facecolors="none",
            edgecolors="#b00020",
            linewidths=2,
            zorder=4,
            label="contradicted",
        )
    for k, step in enumerate(steps):
        p = where.get(step.total)
        if p is not None:
            ax.annotate(
                step.label,
                (mid(p), p.value),
                xytext=(8, 8 + 13 * (k % 4)),  # labels of nearby totals do not overprint
                textcoords="offset points",
                fontsize=9,
                color="#1b1b1b",
                arrowprops={"arrowstyle": "-", "color": "#555555"},
            )
    ax.set_title(title + (f"\n{note}" if note else ""), fontsize=11, loc="left")
    ax.set_ylabel(unit or "value")
    ax.xaxis_date()
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_ylim(bottom=0)
    if points:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    # tight_layout leaves a placeholder layout engine behind, which makes savefig draw
    # the whole figure once more before drawing it (a third of a chart's time).
    fig.set_layout_engine(None)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return _strip_prolog(buf.getvalue())


_EPOCH = date(1970, 1, 1)


def _num(d: date) -> float:
    """A date as matplotlib's number: days since its epoch (1970-01-01)."""
    return float((d - _EPOCH).days)


def _series_colours(points: list[Point]) -> dict[str, str]:
    # The places with most figures get their own colour; "" is every other place.
    counts: dict[str, int] = {}
    for p in points:
        counts[p.place] = counts.get(p.place, 0) + 1
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    out = {place: _COLOURS[i] for i, place in enumerate(ranked[:MAX_SERIES])}
    if len(ranked) > MAX_SERIES:
        out[""] = _OTHER
    return out


def _strip_prolog(svg: str) -> str:
    # Inline SVG in HTML takes the <svg> element alone (no XML declaration or doctype);
    # matplotlib opens every link in a new window, while these go to the same page.
    at = svg.find("<svg")
    return (svg[at:] if at >= 0 else svg).replace(' target="_blank"', "")
