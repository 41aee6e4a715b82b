"""The trends, recurring and action item pages, the home page numbers, the
report comparison, api/metrics.json and ``pmkb stats``, built for real."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from metrics_kb import incident

from generator.cli import main

ANALYSIS_PAGES = (
    "index.html",
    "trends/index.html",
    "recurring/index.html",
    "actions/index.html",
    "actions/status/overdue/index.html",
    "actions/status/open/index.html",
    "actions/status/in-progress/index.html",
    "actions/status/done/index.html",
    "actions/status/wont-do/index.html",
    "actions/status/missing-details/index.html",
)


def build(content: Path, output: Path, *options: str) -> int:
    return main(["build", "--content", str(content), "--output", str(output), *options])


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """Return the visible words of a page, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def small_site(make_kb, tmp_path: Path) -> Path:
    content = make_kb({
        "2025-01-15-pool.md": incident(
            "Sign-in failed after the connection pool ran dry", severity="SEV1",
            timezone="Asia/Seoul", started="2025-01-15 03:00", detected="2025-01-15 03:02",
            resolved="2025-01-15 05:00", category="resource-exhaustion", services=("user-api",),
            actions=({"task": "Alert on pool saturation", "owner": "sre-team", "due": "2025-02-01"},
                     {"task": "Release connections in a finally block", "due": "2025-01-20"}),
        ),
        "2025-03-01-pool-again.md": incident(
            "Sign-in slow while exports held connections", severity="SEV1",
            started="2025-03-01 10:00", detected="2025-03-01 10:20", resolved="2025-03-01 11:00",
            category="resource-exhaustion", services=("user-api",),
            related=("2025-01-15-pool",),
        ),
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site, "--today", "2025-06-30") == 0
    return site


def test_pages_written(small_site: Path) -> None:
    for page in (*ANALYSIS_PAGES, "actions/owner/sre-team/index.html",
                 "actions/owner/unassigned/index.html", "api/metrics.json",
                 "static/actions.js", "static/trends.css"):  # fmt: skip
        assert (small_site / page).is_file(), page


def test_trends_sentences(small_site: Path) -> None:
    text = text_of(read(small_site, "trends/index.html"))
    assert "Median TTD rose from 2 min in Jan 2025 to 20 min in Mar 2025." in text
    assert "Median TTR fell from 1 h 58 min in Jan 2025 to 40 min in Mar 2025." in text
    assert "1 incident in Mar 2025, up from 0 in Feb 2025." in text
    assert "Only SEV1 has TTD data: median 11 min." in text
    assert "Each incident belongs to the month of its local start date" in text


def test_charts_accessible_and_static(small_site: Path) -> None:
    html = read(small_site, "trends/index.html")
    charts = re.findall(r'<svg[^>]* id="chart-.*?</svg>', html, re.S)
    assert len(charts) == 8
    for chart in charts:
        chart_id = re.search(r'id="(chart-[^"]+)"', chart).group(1)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in chart
        assert 'role="img"' in chart
        assert f'<title id="{chart_id}-title">' in chart
        assert f'<desc id="{chart_id}-desc">' in chart
        assert "<script" not in chart
        assert "<!--" not in chart
        assert not re.search(r"(?:href|src)=\"(?:https?:)?//", chart)
        assert not re.search(r"url\((?:https?:)?//", chart)
        assert "@import" not in chart
    assert 'id="chart-time_to_recover-over-time"' in html
    assert (
        "Line chart of median and mean time to recover per month, with the target of 30 min."
        in html
    )


def test_build_is_reproducible(small_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    content = tmp_path / "content"
    assert build(content, again, "--today", "2025-06-30") == 0
    for page in ("trends/index.html", "recurring/index.html", "api/metrics.json"):
        assert read(again, page) == read(small_site, page), page


def test_recurring_page_flags_open_items(small_site: Path) -> None:
    text = text_of(read(small_site, "recurring/index.html"))
    assert "resource-exhaustion : 2 incidents from 2025-01-15 to 2025-03-01" in text
    assert "45 d 16 h later" in text
    assert "The fix did not land before it happened again." in text
    assert (
        "2 action items of Sign-in failed after the connection pool ran dry were still open"
        in text
    )
    assert "2 related incidents from 2025-01-15 to 2025-03-01" in text


def test_actions_overdue_first(small_site: Path) -> None:
    html = read(small_site, "actions/index.html")
    tasks = re.findall(r'<a href="\.\./2025-01-15-pool/#[^"]+">([^<]+)</a>', html)
    assert tasks == [
        "Release connections in a finally block",
        "Alert on pool saturation",
    ]
    assert html.count('<span class="overdue-label">overdue</span>') == 2
    assert '<span class="missing">no owner</span>' in html
    overdue = read(small_site, "actions/status/overdue/index.html")
    assert "Alert on pool saturation" in overdue
    owner = read(small_site, "actions/owner/sre-team/index.html")
    assert "Alert on pool saturation" in owner
    assert "Release connections in a finally block" not in owner
    assert '<script src="../static/actions.js" defer></script>' in html


def test_headline_and_report_comparison(small_site: Path) -> None:
    home = text_of(read(small_site, "index.html"))
    assert "MTTD 11 min median 11 min · target 5 min from 2 incidents" in home
    assert "MTTR 1 h 19 min median 1 h 19 min · target 30 min" in home
    assert "2 open 2 overdue of 2 items" in home
    assert (
        "resource-exhaustion (root cause): 2 incidents, latest 2025-03-01 fix did not land"
        in home
    )
    assert "user-api (service): 2 incidents, latest 2025-03-01 fix did not land" in home
    report = text_of(read(small_site, "2025-01-15-pool/index.html"))
    assert (
        "Time to detect 2 min: within the 5 min target ; 9 min faster than the SEV1 median of 11 min (2 incidents)"
        in report
    )
    assert (
        "Time to recover 1 h 58 min: 1 h 28 min over the 30 min target ; 39 min slower than the SEV1 median of 1 h 19 min (2 incidents)"
        in report
    )


def test_metrics_json_in_seconds(small_site: Path) -> None:
    document = json.loads(read(small_site, "api/metrics.json"))
    assert document["today"] == "2025-06-30"
    assert document["period"] == "month"
    ttd = document["overall"]["metrics"]["time_to_detect"]
    assert ttd == {"count": 2, "missing": 0, "mean_seconds": 660.0, "median_seconds": 660.0,
                   "p90_seconds": 1092.0, "min_seconds": 120.0, "max_seconds": 1200.0}  # fmt: skip
    first = next(i for i in document["incidents"] if i["id"] == "2025-01-15-pool")
    assert first["time_to_recover_seconds"] == 7080.0
    assert first["date"] == "2025-01-15"
    assert document["action_items"]["overdue"] == 2
    assert document["recurrence"]["recurring"][0]["fix_not_landed"] is True
    assert [g["key"] for g in document["by_month"]] == ["2025-01", "2025-03"]
    assert [g["key"] for g in document["trend_periods"]] == [
        "2025-01",
        "2025-02",
        "2025-03",
    ]


def test_empty_kb_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    site = tmp_path / "site"
    assert build(content, site) == 0
    assert "No postmortems yet, so there are no numbers to show." in read(
        site, "index.html"
    )
    assert "No postmortems yet, so there is no data to show." in read(
        site, "trends/index.html"
    )
    assert "No postmortems yet, so there is no data to show." in read(
        site, "recurring/index.html"
    )
    assert "No action items yet. There are no postmortems." in text_of(
        read(site, "actions/index.html")
    )
    for page in ANALYSIS_PAGES:
        assert (site / page).is_file(), page
    document = json.loads(read(site, "api/metrics.json"))
    assert document["overall"]["incidents"] == 0
    assert document["by_month"] == []


def test_kb_without_timestamps(make_kb, tmp_path: Path) -> None:
    content = make_kb({
        "a.md": incident(started=None, detected=None, resolved=None, actions=(
            {"task": "Add a retry budget", "owner": "payments", "due": "2025-01-01"},)),
        "b.md": incident("Refunds stalled while the ledger was locked", started=None,
                         detected=None, resolved=None, category="data"),
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site, "--today", "2025-06-30") == 0

    trends = text_of(read(site, "trends/index.html"))
    assert (
        "No incident has both started and detected recorded, so there is no TTD to show."
        in trends
    )
    assert (
        "No incident has both detected and resolved recorded, so there is no TTR to show."
        in trends
    )
    assert "No incident has a date, so there are no counts over time." in trends
    assert "0 of 2 incidents; 2 without started and detected" in trends
    assert 'id="chart-' not in read(site, "trends/index.html")
    recurring = text_of(read(site, "recurring/index.html"))
    assert (
        "No incident has a started, detected or resolved time, so there is nothing to place in time."
        in recurring
    )
    home = text_of(read(site, "index.html"))
    assert "no incident has the times, 2 without data" in home
    report = text_of(read(site, "a/index.html"))
    assert "Time to detect not known: started and detected not recorded" in report

    document = json.loads(read(site, "api/metrics.json"))
    assert document["overall"]["metrics"]["time_to_recover"]["missing"] == 2
    assert sorted(document["undated_incidents"]) == ["a", "b"]


def test_stats_command(
    small_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(
        ["-q", "stats", "--content", str(tmp_path / "content"), "--today", "2025-06-30"]
    )
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Postmortems: 2 postmortems, today 2025-06-30"
    assert re.search(
        r"^Time to detect\s+11 min\s+11 min\s+18 min\s+2 min\s+20 min\s+2\s+0\s+5 min\s+1 of 2$",
        out,
        re.M,
    )
    assert (
        "Last 90 days (2025-04-02 to 2025-06-30): 0 incidents, median TTD –, median TTR –"
        in lines
    )
    assert (
        "Action items: 2, 2 open, 2 overdue, 1 open without owner or due date" in lines
    )
    assert (
        "Recurring causes: resource-exhaustion (root cause, 2 incidents), user-api (service, 2 incidents)"
        in lines
    )
    assert re.search(
        r"^SEV1\s+2\s+11 min\s+11 min\s+18 min\s+0\s+5 min\s+1 of 2\s+1 h 19 min",
        out,
        re.M,
    )


def test_stats_json_and_errors(
    make_kb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = make_kb({"a.md": incident(), "broken.md": "---\ntitle: [unclosed\n---\n"})
    code = main(["-q", "stats", "--content", str(content), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert (
        "broken.md:3:1: error: invalid YAML: expected ',' or ']', but got '<stream end>'"
        in captured.err
    )
    fixed = make_kb({"a.md": incident()}, folder="fixed")
    assert (
        main(
            [
                "-q",
                "stats",
                "--content",
                str(fixed),
                "--format",
                "json",
                "--today",
                "2025-06-30",
            ]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document["overall"]["incidents"] == 1
    assert document["overall"]["metrics"]["duration"]["median_seconds"] == 2400.0


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium not installed at /usr/bin/chromium"
)
def test_action_filter_script(small_site: Path, tmp_path: Path) -> None:
    page = (
        small_site / "actions" / "index.html"
    ).as_uri() + "?status=overdue&owner=sre-team"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page,
    ]  # fmt: skip
    dom = subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    rows = re.findall(r'<tr class="action-row[^"]*"[^>]*>', dom)
    assert len(rows) == 2
    assert [" hidden" in row for row in rows] == [True, False]
    assert "Showing 1 of 2 items." in dom
    assert re.search(
        r'<select id="filter-owner">.*?<option value="sre-team">sre-team</option>',
        dom,
        re.S,
    )
