"""Chart axes and the SVG that pygal writes for the trends page."""

from __future__ import annotations

import re

from generator.charts import (
    PALETTE,
    Series,
    duration_axis,
    duration_line_chart,
    nice_ticks,
    stacked_count_chart,
)


def test_nice_ticks_steps() -> None:
    assert nice_ticks(0, (60, 120)) == [0, 60]
    assert nice_ticks(250, (60, 120)) == [0, 60, 120, 180, 240, 300]
    assert nice_ticks(7, (1, 2, 5)) == [0, 2, 4, 6, 8]


def test_duration_axis_linear() -> None:
    ticks, logarithmic = duration_axis([120.0, 3000.0, 0.0])
    assert logarithmic is False
    assert ticks == [0, 600, 1200, 1800, 2400, 3000]


def test_duration_axis_logarithmic() -> None:
    ticks, logarithmic = duration_axis([120.0, 200000.0])
    assert logarithmic is True
    assert ticks == [60, 600, 3600, 21600, 86400, 864000]


def test_line_chart_svg() -> None:
    series = [
        Series("Median", [60.0, None, 300.0], PALETTE["median"]),
        Series("Target", [300.0, 300.0, 300.0], PALETTE["target"], "dashed"),
    ]
    svg = str(
        duration_line_chart(
            "ttd", "TTD over time", "Median TTD rose.", ["Jan", "Feb", "Mar"], series
        )
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" id="chart-ttd"')
    assert (
        '<title id="chart-ttd-title">TTD over time</title><desc id="chart-ttd-desc">Median TTD rose.</desc>'
        in svg
    )
    assert "<script" not in svg
    assert "<!--" not in svg
    assert "stroke:var(--pmkb-chart-median,#1d4ed8)" in svg
    assert (
        "#chart-ttd .series.serie-1 .line.reactive{stroke-width:2;stroke-dasharray:8 6;"
        in svg
    )
    assert re.findall(r"<text[^>]*>(\d+ min|0 s)</text>", svg)[:3] == [
        "0 s",
        "1 min",
        "2 min",
    ]


def test_count_chart_repeatable() -> None:
    series = [
        Series("SEV1", [1, 0, 2], PALETTE["sev1"]),
        Series("SEV2", [0, 3, 1], PALETTE["sev2"]),
    ]
    first = stacked_count_chart(
        "counts", "Incidents", "Counts.", ["Q1", "Q2", "Q3"], series
    )
    second = stacked_count_chart(
        "counts", "Incidents", "Counts.", ["Q1", "Q2", "Q3"], series
    )
    assert first == second
    assert 'role="img"' in first
