"""The register's figures pages: the metrics page (use cases per tier and team, the governed path's adoption,
turnaround against each tier's target, the longest waits, the value teams report, and all of it over time as
charts), each pilot's own trend, and the pattern candidates page.

Charts are inline SVG drawn by ``charts.html`` from the geometry worked out here, each with its data table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.register.candidates import Candidates
from playbook.register.metrics import RegisterMetrics
from playbook.register.trends import Period, Trends
from playbook.site.pages.items import pilot_names, tier_names
from playbook.site.text import number, percent, render

WIDTH, HEIGHT = 640, 280
"""The charts' drawing area, in SVG units; the SVG scales to its box, whatever the screen."""
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 40


class Local:
    """Numbers, shares, dates and periods in the site's language: its decimal mark, digit groups and month names."""

    def __init__(self, messages: Messages) -> None:
        self.m = messages

    def number(self, value: float, digits: int = 1) -> str:
        return number(value, self.m, digits)

    def percent(self, share: float | None) -> str:
        return "—" if share is None else percent(share, self.m)

    def days(self, value: float | None) -> str:
        return "—" if value is None else self.number(value)

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return ""
        return self.m("standards.date", day=day.day, month=self.m(f"standards.month.{day.month}"), year=day.year)

    def period(self, period: Period) -> str:
        if period.months == 3:
            return self.m("standards.trends.quarter", quarter=period.index, year=period.year)
        return self.m("standards.trends.month", month=self.m(f"standards.month.{period.index}"), year=period.year)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    """Which series: the colour's class, ``pb-series-<n>``."""
    label: str
    """Its value in words, the bar's tooltip."""


@dataclass(frozen=True)
class Chart:
    """One chart: what it draws and the table beside it."""

    key: str
    """Unique on the page; its data hook (``data-playbook-chart``) and the prefix of its element ids."""
    title: str
    desc: str
    series: list[str]
    """The legend: each series' name."""
    bars: list[Bar]
    dots: list[tuple[float, float, str]] = field(default_factory=list)
    """A marker per value (x, y, label): the 90th percentile over the median's bar."""
    target: tuple[float, str] | None = None
    """A horizontal line: its height and its label."""
    ticks: list[tuple[float, str]] = field(default_factory=list)
    """The value axis: (y, label)."""
    labels: list[tuple[float, str]] = field(default_factory=list)
    """The periods under the bars: (x of the group's middle, label)."""
    head: list[str] = field(default_factory=list)
    """The table's column headings; the first is the period."""
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    """The table: (period key, cells), the first cell the period in words."""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    """Where the value axis is: the plot starts there, its labels end there."""
    right: int = WIDTH - RIGHT
    """Where the plot ends."""


def _scale(top: float, share: bool = False) -> tuple[float, list[float]]:
    """A round top for the value axis and its ticks; a share runs from 0 to 1 in quarters."""
    if share:
        return 1.0, [0.0, 0.25, 0.5, 0.75, 1.0]
    if top <= 0:
        return 1.0, [0.0, 1.0]
    step = 1.0
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000,
                      100000):
        step = float(candidate)
        if top / step <= 5:
            break
    ticks = [step * i for i in range(math.ceil(top / step) + 1)]
    return ticks[-1], ticks


def bar_chart(key: str, title: str, desc: str, periods: list[Period], series: list[tuple[str, list[float | None]]],
              local: Local, shown: list[list[str]], head: list[str], dots: list[float | None] | None = None,
              target: float | None = None, target_label: str = "", axis: str = "number") -> Chart:
    """Grouped bars: a group per period, a bar per series; ``shown`` is each row of the table after the period."""
    values = [v for _name, vs in series for v in vs if v is not None] + [d for d in dots or [] if d is not None]
    if target is not None:
        values.append(target)
    high, ticks = _scale(max(values, default=0.0), share=axis == "percent")
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = inner_w / max(len(periods), 1)
    bar_w = min(group * 0.8 / max(len(series), 1), 48.0)

    def y(value: float) -> float:
        return TOP + inner_h * (1 - value / high)

    bars, marks, labels = [], [], []
    for i, period in enumerate(periods):
        start = LEFT + group * i + (group - bar_w * len(series)) / 2
        for s, (name, vs) in enumerate(series):
            value = vs[i]
            if value is None:
                continue
            text = local.percent(value) if axis == "percent" else local.number(value)
            bars.append(Bar(round(start + s * bar_w, 1), round(y(value), 1), round(bar_w * 0.9, 1),
                            round(inner_h * value / high, 1), s, f"{local.period(period)}, {name}: {text}"))
        if dots is not None and dots[i] is not None:
            dot = dots[i]
            assert dot is not None
            marks.append((round(start + bar_w * len(series) / 2 - bar_w * 0.05, 1), round(y(dot), 1),
                          local.number(dot)))
        labels.append((round(LEFT + group * (i + 0.5), 1), local.period(period)))
    return Chart(
        key=key, title=title, desc=desc, series=[name for name, _ in series], bars=bars, dots=marks,
        target=(round(y(target), 1), target_label) if target is not None else None,
        ticks=[(round(y(t), 1), local.percent(t) if axis == "percent" else local.number(t)) for t in ticks],
        labels=labels, head=head,
        rows=[(period.key, [local.period(period), *cells]) for period, cells in zip(periods, shown, strict=True)],
    )


def trend_charts(playbook: Playbook, trends: Trends, m: Messages, prefix: str = "trend") -> list[Chart]:
    """The metrics page's charts: decisions per tier, turnaround per tier, adoption and value, period by period."""
    local, names = Local(m), tier_names(playbook)
    figures = trends.periods
    if not figures:
        return []
    periods = [f.period for f in figures]
    first, last = local.period(periods[0]), local.period(periods[-1])
    charts = [bar_chart(
        f"{prefix}-decisions", m("standards.trends.decisions"),
        m("standards.trends.decisions_desc", first=first, last=last), periods,
        [(names.get(t, t), [float(f.decisions.get(t, 0)) for f in figures]) for t in trends.tiers], local,
        [[local.number(f.decisions.get(t, 0)) for t in trends.tiers] + [local.number(f.total_decisions)]
         for f in figures],
        [m(f"standards.trends.period.{trends.months}"), *(names.get(t, t) for t in trends.tiers),
         m("standards.trends.total")],
    )]
    for tier in trends.tiers:
        rows = [next(x for x in f.turnaround if x.tier == tier) for f in figures]
        if not any(r.decisions for r in rows):
            continue
        target = trends.targets.get(tier)
        desc = (m("standards.trends.turnaround_desc", target=local.number(target)) if target is not None
                else m("standards.trends.turnaround_no_target"))
        charts.append(bar_chart(
            f"{prefix}-turnaround-{tier}", m("standards.trends.turnaround", tier=names.get(tier, tier)), desc,
            periods, [(m("standards.trends.median"), [r.median for r in rows])], local,
            [[local.number(r.decisions), local.days(r.median), local.days(r.p90),
              local.days(target)] for r in rows],
            [m(f"standards.trends.period.{trends.months}"), m("standards.trends.count"), m("standards.trends.median"),
             m("standards.trends.p90"), m("standards.trends.target")],
            dots=[r.p90 for r in rows], target=float(target) if target is not None else None,
            target_label=m("standards.trends.target"),
        ))
    charts.append(bar_chart(
        f"{prefix}-adoption", m("standards.trends.adoption"), m("standards.trends.adoption_desc"), periods,
        [(m("standards.trends.share"), [f.adopted_share for f in figures])], local,
        [[local.percent(f.adopted_share), m("standards.trends.of", part=local.number(f.on_adopted),
                                            whole=local.number(f.built))] for f in figures],
        [m(f"standards.trends.period.{trends.months}"), m("standards.trends.share"), m("usecase.metrics.count")],
        axis="percent",
    ))
    charts.append(bar_chart(
        f"{prefix}-value", m("standards.trends.value"), m("standards.trends.value_desc"), periods,
        [(m("standards.trends.hours"), [f.hours_saved_per_month for f in figures])], local,
        [[local.number(f.hours_saved_per_month)] for f in figures],
        [m(f"standards.trends.period.{trends.months}"), m("standards.trends.hours")],
    ))
    return charts


def charts_html(charts: list[Chart], m: Messages) -> Markup:
    """The charts with their tables, as one block of HTML for a Markdown page."""
    return Markup(render("charts.html", m, charts=charts))


def metrics_page(playbook: Playbook, metrics: RegisterMetrics, m: Messages, base: str = "",
                 trends: Trends | None = None) -> str:
    """Outcomes and process, from the register: counts per tier and team, the governed path's adoption,
    decision turnaround against each tier's target with the longest waits, reported value, and (given the
    register's ``trends``) all of it period by period."""
    # A wait of no business day is no bottleneck: only the cases that did wait are named.
    waits = [(w, playbook.usecases[w.id].title) for tier in metrics.turnaround for w in tier.longest if w.days]
    charts = charts_html(trend_charts(playbook, trends, m), m) if trends is not None and trends.periods else None
    return render("metrics.md", m, metrics=metrics, waits=waits, base=base, tier_names=tier_names(playbook),
                  pilots=playbook.pilots, trends=trends, charts=charts)


def pilot_trends(playbook: Playbook, trends: dict[str, Trends], m: Messages) -> dict[str, Markup]:
    """Each pilot team's own trend: its decisions, turnaround, adoption and value, period by period."""
    return {team: charts_html(trend_charts(playbook, mine, m, prefix=f"pilot-{team}"), m)
            for team, mine in trends.items() if mine.periods}


def candidates_page(playbook: Playbook, found: Candidates, m: Messages, url: Callable[[str], str]) -> str:
    """The pattern candidates, each with its teams, use cases, value, decision dates and shared patterns; then
    the capabilities one team short. ``url`` links a page's source path from the page being rendered."""
    names = pilot_names(playbook)
    return render("candidates.md", m, found=found, url=url, local=Local(m), pilots=playbook.pilots,
                  patterns=playbook.patterns, team_list=lambda teams: ", ".join(names.get(t, t) for t in teams))
