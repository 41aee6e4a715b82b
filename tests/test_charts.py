"""Chart axes and the SVG that pygal writes for the trends page."""

from __future__ import annotations

import re

import pytest

from generator.charts import (
    PALETTE,
    Series,
    duration_axis,
    duration_bar_chart,
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
    assert ticks == [60, 600, 3600, 21600, 86400, 259200]


def test_duration_axis_log_below_smallest() -> None:
    assert duration_axis([60.0, 900.0, 86400.0]) == (
        [10, 60, 600, 3600, 21600, 86400],
        True,
    )
    # A smallest value on a tick, or just above one, starts the axis a tick lower.
    assert duration_axis([600.0, 200000.0])[0][0] == 60
    assert duration_axis([700.0, 200000.0])[0][0] == 60
    assert duration_axis([900.0, 200000.0])[0][0] == 600
    assert duration_axis([1.0, 1000.0])[0][:2] == [0.1, 1]


def test_line_chart_svg() -> None:
    series = [
        Series("Median", [60.0, None, 300.0], PALETTE["median"]),
        Series("Target", [300.0, 300.0, 300.0], PALETTE["target"], "dashed"),
    ]
    svg = str(
        duration_line_chart(
            "ttd", "TTD over time", "Median TTD rose.", ["Jan", "Feb", "Mar"], series
        ).svg
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


def text_labels(svg: str) -> list[str]:
    """Return the text of every <text> element of an SVG, in order."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def bar_widths(svg: str) -> list[float]:
    """Return the width of every bar of a chart, 0 for a bar pygal drew without one."""
    bars = re.findall(r'<rect [^>]*class="rect reactive tooltip-trigger"', svg)
    widths = [re.search(r' width="([^"]+)"', bar) for bar in bars]
    return [float(width.group(1)) if width else 0.0 for width in widths]


@pytest.mark.parametrize(
    ("values", "logarithmic"),
    [([60.0, 900.0, 3600.0], False), ([60.0, 900.0, 86400.0], True)],
)
def test_bar_chart_bars_visible(values: list[float], logarithmic: bool) -> None:
    ticks, _ = duration_axis(values)
    chart = duration_bar_chart(
        "ttr", "TTR", "Bars.", ["SEV1", "SEV2", "SEV3"],
        [Series("Median", values, PALETTE["median"])],
    )  # fmt: skip
    widths = bar_widths(str(chart.svg))
    assert len(widths) == 3
    assert all(width > 1 for width in widths), widths
    assert chart.logarithmic is logarithmic
    assert ticks[0] < 60


def test_bar_chart_last_label_fits() -> None:
    chart = duration_bar_chart(
        "ttd", "TTD", "Bars.", ["network", "time"],
        [Series("Median", [90.0, 5000000.0], PALETTE["median"])],
    )  # fmt: skip
    svg = str(chart.svg)
    assert text_labels(svg)[-2] == "100 d"
    plot_left = float(re.search(r'<g transform="translate\(([\d.]+), ', svg).group(1))
    label_x = float(re.search(r'<text x="([\d.]+)"[^>]*>100 d</text>', svg).group(1))
    # The label is centred on its tick, and each character is at least 7 px wide.
    assert 800 - (plot_left + label_x) >= len("100 d") * 7 / 2


def test_line_chart_top_tick_drawn() -> None:
    chart = duration_line_chart(
        "ttd", "TTD", "Lines.", ["Q1", "Q2", "Q3"],
        [Series("Median", [300.0, 210000.0, 600.0], PALETTE["median"])],
    )  # fmt: skip
    labels = text_labels(str(chart.svg))
    assert chart.logarithmic is True
    assert labels[: labels.index("Q1")] == [
        "1 min",
        "10 min",
        "1 h",
        "6 h",
        "1 d",
        "3 d",
    ]


def test_log_chart_zeros_left_out() -> None:
    series = [
        Series("Mean", [0.0, 400.0, 210000.0], PALETTE["mean"]),
        Series("Median", [0.0, 300.0, 0.0], PALETTE["median"]),
    ]
    line = duration_line_chart("ttd", "TTD", "Lines.", ["Q1", "Q2", "Q3"], series)
    bars = duration_bar_chart("ttr", "TTR", "Bars.", ["SEV1", "SEV2", "SEV3"], series)
    assert line.zeros_left_out == [("Mean", "Q1"), ("Median", "Q1"), ("Median", "Q3")]
    assert bars.zeros_left_out == [
        ("Mean", "SEV1"),
        ("Median", "SEV1"),
        ("Median", "SEV3"),
    ]
    assert "The duration axis is logarithmic.</desc>" in str(line.svg)


def test_linear_chart_keeps_zeros() -> None:
    series = [Series("Median", [0.0, 300.0, 600.0], PALETTE["median"])]
    chart = duration_line_chart("ttd", "TTD", "Lines.", ["Q1", "Q2", "Q3"], series)
    assert chart.logarithmic is False
    assert chart.zeros_left_out == []
    assert "logarithmic" not in str(chart.svg)


# A duration as duration_label writes it: "0.125 s", "1 min", "1 h 58 min".
DURATION = re.compile(r"^\d+(?:\.\d+)? (?:s|min|h|d)(?: \d+ (?:s|min|h))?$")


def axis_label_titles(svg: str) -> list[str]:
    """Return the <title> text of every axis label group of an SVG chart."""
    groups = re.findall(r'<g class="[^"]*\bguides">(.*?)</g>', svg)
    return [
        title
        for group in groups
        for title in re.findall(r"<title>([^<]*)</title>", group)
    ]


@pytest.mark.parametrize(
    "values", [[60.0, 900.0, 3600.0], [60.0, 900.0, 86400.0]], ids=["linear", "log"]
)
def test_bar_chart_label_titles(values: list[float]) -> None:
    chart = duration_bar_chart(
        "ttr", "TTR", "Bars.", ["SEV1", "SEV2", "SEV4"],
        [Series("Median", values, PALETTE["median"])],
    )  # fmt: skip
    svg = str(chart.svg)
    titles = axis_label_titles(svg)
    assert [title for title in titles if DURATION.match(title)] == []
    assert titles == []
    assert re.findall(r"<title[^>]*>[^<]*</title>", svg) == [
        '<title id="chart-ttr-title">TTR</title>'
    ]
    assert [label for label in text_labels(svg) if label.startswith("SEV")] == [
        "SEV4",
        "SEV2",
        "SEV1",
    ]


def test_line_chart_label_titles() -> None:
    chart = duration_line_chart(
        "ttd", "TTD", "Lines.", ["Q1", "Q2", "Q3"],
        [Series("Median", [300.0, 210000.0, 600.0], PALETTE["median"])],
    )  # fmt: skip
    counts = stacked_count_chart(
        "counts", "Incidents", "Counts.", ["Q1", "Q2"],
        [Series("SEV1", [1, 2], PALETTE["sev1"])],
    )  # fmt: skip
    assert axis_label_titles(str(chart.svg)) == []
    assert axis_label_titles(str(counts)) == []
    assert "1 min" in text_labels(str(chart.svg))
