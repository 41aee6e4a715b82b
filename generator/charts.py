"""SVG charts drawn at build time with pygal, to be inlined in the page.

The charts need no JavaScript and fetch nothing: pygal's tooltip script and
its inline configuration script are removed, and so are its comments, which
carry the build date. Text and axes use ``currentColor`` on a transparent
background, so an inlined chart takes the text colour of the page in light
mode, dark mode and print. Series colours come from CSS custom properties
(``--pmkb-chart-*``, set in trends.css) with fixed fallbacks for a chart
opened on its own. Each chart has a ``<title>`` and a ``<desc>`` and is
labelled by them for screen readers. The page shows the same numbers in a
table under it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pygal
from markupsafe import Markup
from pygal.style import Style

from generator.timeparse import format_duration

WIDTH, HEIGHT = 800, 360
# Axis steps for durations, in seconds: 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3,
# 6, 12 h, 1, 2, 7, 14, 30 d.
DURATION_STEPS = (30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
                  43200, 86400, 172800, 604800, 1209600, 2592000)  # fmt: skip
COUNT_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
MAX_TICKS = 6
# Durations whose largest value is more than this many times the smallest get a
# logarithmic axis, so minutes and months both stay readable. The ticks are 1 s,
# 10 s, 1 min, 10 min, 1 h, 6 h, 1 d, 3 d, 10 d, 30 d, 100 d and 1000 d.
LOG_RATIO = 100
LOG_TICKS = (1, 10, 60, 600, 3600, 21600, 86400, 259200, 864000, 2592000,
             8640000, 86400000)  # fmt: skip
# A logarithmic line chart reaches this factor above its top tick, because
# pygal (3.1.3) skips a y-axis label that falls exactly on the top edge of the plot.
LOG_HEADROOM = 1.25
# On a logarithmic axis the smallest value is at least this many times the
# first tick, which gives its bar about a tenth of a decade of length.
MIN_BAR_RATIO = 1.25
LABEL_FONT_SIZE = 13
# Estimated width of one label character, as a share of the font size.
CHARACTER_WIDTH = 0.62
# At most this many x-axis labels are written, so longer axes label every n-th period.
MAX_X_LABELS = 12

# Keep in step with the custom properties in themes/default/static/trends.css.
PALETTE = {
    "median": "var(--pmkb-chart-median, #1d4ed8)",
    "mean": "var(--pmkb-chart-mean, #c2410c)",
    "target": "var(--pmkb-chart-target, #15803d)",
    "sev1": "var(--pmkb-chart-sev1, #b91c1c)",
    "sev2": "var(--pmkb-chart-sev2, #ea580c)",
    "sev3": "var(--pmkb-chart-sev3, #ca8a04)",
    "sev4": "var(--pmkb-chart-sev4, #2563eb)",
    "other": "var(--pmkb-chart-other, #6b7280)",
}

# pygal does not fill in {id} for inline CSS, so _config does it per chart.
_CSS = """
{id} .axis .guide.line, {id} .axis .major.line {{ stroke-opacity: .22; }}
{id} .axis .line {{ stroke-opacity: .6; }}
{id} .axis text, {id} .legends .legend text {{ fill: currentColor; }}
{id} .reactive {{ fill-opacity: .9; }}
"""
# Line styles: stroke width and dash pattern, set on the path because pygal's
# own rule for ".reactive" would override anything set on the series group.
LINE_STYLES = {"solid": (3, "none"), "dashed": (2, "8 6"), "dotted": (2, "2 4")}


@dataclass
class Series:
    """One named line or bar series: values in plotted units, None for no data."""

    name: str
    values: Sequence[float | None]
    color: str
    line: str = "solid"


def _style(colors: list[str]) -> Style:
    return Style(
        colors=tuple(colors),
        font_family="inherit",
        background="transparent",
        plot_background="transparent",
        foreground="currentColor",
        foreground_strong="currentColor",
        foreground_subtle="currentColor",
        label_font_size=LABEL_FONT_SIZE,
        major_label_font_size=LABEL_FONT_SIZE,
        legend_font_size=14,
        value_font_size=12,
        guide_stroke_dasharray="2,4",
        major_guide_stroke_dasharray="2,4",
    )


def nice_ticks(maximum: float, steps: Sequence[float]) -> list[float]:
    """Return axis ticks from 0 past ``maximum`` in one of the given steps."""
    if maximum <= 0:
        return [0, steps[0]]
    step = next((s for s in steps if maximum / s <= MAX_TICKS), None)
    if step is None:
        step = steps[-1] * math.ceil(maximum / MAX_TICKS / steps[-1])
    count = math.ceil(maximum / step)
    return [step * number for number in range(count + 1)]


def duration_axis(values: Sequence[float]) -> tuple[list[float], bool]:
    """Return the ticks of a duration axis and whether it is logarithmic.

    A logarithmic axis starts at a tick at least ``MIN_BAR_RATIO`` times below
    the smallest positive value, so the shortest bar still has a visible
    length, and ends at the first tick at or above the largest value.
    """
    positive = [value for value in values if value > 0]
    if not positive or max(positive) / min(positive) <= LOG_RATIO:
        return nice_ticks(max(values, default=0), DURATION_STEPS), False
    smallest, largest = min(positive), max(positive)
    below = [tick for tick in LOG_TICKS if tick * MIN_BAR_RATIO <= smallest]
    low = below[-1] if below else 10 ** math.floor(math.log10(smallest / MIN_BAR_RATIO))
    high = min((t for t in LOG_TICKS if t >= largest), default=LOG_TICKS[-1])
    inside = [tick for tick in LOG_TICKS if low < tick <= high]
    return [low, *inside], True


def _x_axis(labels: list[str]) -> dict[str, Any]:
    every = math.ceil(len(labels) / MAX_X_LABELS)
    return {
        "x_label_rotation": 0,
        "show_minor_x_labels": every == 1,
        "x_labels_major_every": every,
    }


def duration_label(seconds: float | None) -> str:
    """Format plotted seconds as a duration label."""
    if seconds is not None and 0 < seconds < 1:
        # A logarithmic axis may start below one second, which would round to "0 s".
        return f"{seconds:g} s"
    return format_duration(None if seconds is None else timedelta(seconds=seconds))


def _right_margin(last_label: str) -> int:
    # pygal (3.1.3) centres an x-axis label on its tick and reserves no room for
    # the half of the last label that reaches past the right edge of the plot.
    half_width = len(last_label) * LABEL_FONT_SIZE * CHARACTER_WIDTH / 2
    return max(12, math.ceil(half_width) + 4)


def _accessible(chart_id: str, title: str, description: str) -> Callable[[Any], Any]:
    """Return a pygal XML filter that adds the labels and strips scripts and comments."""

    def apply(root: Any) -> Any:
        for parent in list(root.iter()):
            for child in list(parent):
                if _should_remove(parent, child):
                    parent.remove(child)
            # pygal numbers its legend ids from 0 in every chart; a page
            # contains several charts, and an id must be unique on the page.
            if str(parent.get("id", "")).startswith("activate-serie-"):
                parent.set("id", f"{chart_id}-{parent.get('id')}")
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
        root.set("class", f"{root.get('class', '')} pmkb-chart".strip())
        for position, child in enumerate(list(root)):
            if _local(child.tag) == "title":
                child.text = title
                child.set("id", f"{chart_id}-title")
                desc = child.makeelement(child.tag.replace("title", "desc"), {})
                desc.set("id", f"{chart_id}-desc")
                desc.text = description
                root.insert(position + 1, desc)
                break
        return root

    return apply


def _should_remove(parent: Any, child: Any) -> bool:
    # Comments have a callable tag in lxml.
    if callable(child.tag) or _local(child.tag) == "script":
        return True
    # pygal (3.1.3) gives every y-axis label a <title> with its tick position run
    # through the value formatter. A horizontal bar chart's y axis lists the
    # categories, so "SEV4" would show a tooltip such as "0.125 s". On the other
    # charts the title only repeats the label, so every axis label loses its title.
    is_axis_label = "guides" in str(parent.get("class", "")).split()
    return is_axis_label and _local(child.tag) == "title"


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _render(chart: Any, chart_id: str, title: str, description: str) -> Markup:
    chart.uuid = chart_id
    chart.add_xml_filter(_accessible(f"chart-{chart_id}", title, description))
    svg = chart.render(is_unicode=True)
    return Markup(svg)  # noqa: S704 - pygal escapes every label it writes


def _config(chart_id: str, series: list[Series], **options: Any) -> dict[str, Any]:
    css = _CSS.format(id=f"#chart-{chart_id}")
    for number, item in enumerate(series):
        width, dashes = LINE_STYLES[item.line]
        css += (
            f"#chart-{chart_id} .series.serie-{number} .line.reactive "
            f"{{ stroke-width: {width}; stroke-dasharray: {dashes}; stroke-opacity: 1; }}\n"
        )
    return {
        "style": _style([item.color for item in series]),
        "js": [],
        "css": ["file://style.css", "file://graph.css", "inline:" + css],
        "explicit_size": False,
        "width": options.pop("width", WIDTH),
        "height": options.pop("height", HEIGHT),
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        # pygal leaves too little room below the plot when there are more
        # legend columns than series, so there is one column per series.
        "legend_at_bottom_columns": max(1, len(series)),
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": 12,
        **options,
    }


@dataclass
class Chart:
    """An inline SVG chart and the facts about its axis that the page states."""

    svg: Markup
    logarithmic: bool = False
    # (series name, label) of each value of 0 s that a logarithmic axis cannot place.
    zeros_left_out: list[tuple[str, str]] = field(default_factory=list)


def _plotted(values: Sequence[float | None], logarithmic: bool) -> list[float | None]:
    # A logarithmic axis cannot place zero, so a zero duration is left out there.
    if not logarithmic:
        return list(values)
    return [v if v is not None and v > 0 else None for v in values]


def _zeros_left_out(
    labels: list[str], series: list[Series], logarithmic: bool
) -> list[tuple[str, str]]:
    if not logarithmic:
        return []
    return [
        (item.name, label)
        for position, label in enumerate(labels)
        for item in series
        if (value := item.values[position]) is not None and value <= 0
    ]


def _duration_values(series: list[Series]) -> list[float]:
    return [value for item in series for value in item.values if value is not None]


def duration_line_chart(
    chart_id: str, title: str, description: str, labels: list[str], series: list[Series]
) -> Chart:
    """Draw durations (in seconds) over time, one line per series."""
    ticks, logarithmic = duration_axis(_duration_values(series))
    options: dict[str, Any] = {}
    if logarithmic:
        options["range"] = (ticks[0], ticks[-1] * LOG_HEADROOM)
    chart = pygal.Line(**_config(
        chart_id,
        series,
        y_labels=ticks,
        logarithmic=logarithmic,
        value_formatter=duration_label,
        allow_interruptions=True,
        dots_size=4,
        margin_right=_right_margin(labels[-1] if labels else ""),
        **options,
        **_x_axis(labels),
    ))  # fmt: skip
    chart.x_labels = labels
    if logarithmic:
        description += " The duration axis is logarithmic."
    for item in series:
        # A target line is the same at every point, so dots would add nothing.
        values = _plotted(item.values, logarithmic)
        chart.add(item.name, values, show_dots=item.line != "dashed")
    svg = _render(chart, chart_id, title, description)
    return Chart(svg, logarithmic, _zeros_left_out(labels, series, logarithmic))


def stacked_count_chart(
    chart_id: str, title: str, description: str, labels: list[str], series: list[Series]
) -> Markup:
    """Draw incident counts over time as stacked bars."""
    totals = [sum(s.values[n] or 0 for s in series) for n in range(len(labels))]
    chart = pygal.StackedBar(**_config(
        chart_id,
        series,
        y_labels=nice_ticks(max(totals, default=0), COUNT_STEPS),
        value_formatter=lambda v: f"{v:g}",
        **_x_axis(labels),
    ))  # fmt: skip
    chart.x_labels = labels
    for item in series:
        chart.add(item.name, [v or None for v in item.values])
    return _render(chart, chart_id, title, description)


def duration_bar_chart(
    chart_id: str, title: str, description: str, labels: list[str], series: list[Series]
) -> Chart:
    """Draw durations (in seconds) per group as horizontal bars."""
    ticks, logarithmic = duration_axis(_duration_values(series))
    height = max(200, 110 + 22 * len(labels) * max(1, len(series)))
    chart = pygal.HorizontalBar(**_config(
        chart_id,
        series,
        height=height,
        y_labels=ticks,
        logarithmic=logarithmic,
        # pygal starts logarithmic bars at the smallest value, so that bar would
        # have no length. Here every bar starts at the first tick, below every value.
        zero=ticks[0],
        range=(ticks[0], ticks[-1]),
        value_formatter=duration_label,
        margin_right=_right_margin(duration_label(ticks[-1])),
    ))  # fmt: skip
    # pygal draws the first label at the bottom, so reversing makes the list read top down.
    chart.x_labels = list(reversed(labels))
    if logarithmic:
        description += " The duration axis is logarithmic."
    for item in series:
        chart.add(item.name, _plotted(list(reversed(item.values)), logarithmic))
    svg = _render(chart, chart_id, title, description)
    return Chart(svg, logarithmic, _zeros_left_out(labels, series, logarithmic))
