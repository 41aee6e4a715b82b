"""The trends, recurring and action item pages, the home page numbers, the
report comparison, api/metrics.json and ``pmkb stats``, built for real."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from metrics_kb import incident, load_kb

from generator.cli import main
from generator.recurring import kind_section, runs_by_name
from generator.recurring_detail import chain_pages, latest_block

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
    html = read(small_site, "recurring/index.html")
    text = text_of(html)
    assert "resource-exhaustion : 2 incidents from 2025-01-15 to 2025-03-01" in text
    assert "45 d 16 h later" in text
    assert "It happened again before this incident's action items were done." in text
    assert (
        "When Sign-in slow while exports held connections started on 2025-03-01, "
        "2 action items of this incident were still open:" in text
    )
    assert "2 related incidents from 2025-01-15 to 2025-03-01" in text
    assert "3 recurrences came back while action items of an earlier incident" in text
    assert (
        "resource-exhaustion details below 2 2 2025-01-15 2025-03-01 45 d 16 h "
        "recent came back with items open 1 of 2 incidents left items open" in text
    )
    assert "recurrences with an incident in the last 180 days" in text


def test_recurring_links_detail_pages(small_site: Path) -> None:
    html = read(small_site, "recurring/index.html")
    assert '<tr id="category-resource-exhaustion-2025-01-15" class="flagged">' in html
    assert (
        '<a href="../recurring/category/resource-exhaustion/'
        '#category-resource-exhaustion-2025-01-15">resource-exhaustion</a>' in html
    )
    assert (
        '<a href="../recurring/service/user-api/#service-user-api-2025-01-15">' in html
    )
    assert (
        '<a href="../recurring/related/2025-01-15-pool/#related-2025-01-15-pool">'
        in html
    )

    category = read(small_site, "recurring/category/resource-exhaustion/index.html")
    text = text_of(category)
    assert "<h1>Recurring root cause: resource-exhaustion</h1>" in category
    assert '<article id="category-resource-exhaustion-2025-01-15"' in category
    assert '<a href="../../../categories/resource-exhaustion/">' in category
    assert "resource-exhaustion recurred once: at least 2 of its incidents" in text
    assert "2 action items of this incident were still open" in text
    assert 'rel="next"' not in category

    service = text_of(read(small_site, "recurring/service/user-api/index.html"))
    assert "Recurring service: user-api" in service
    chain = read(small_site, "recurring/related/2025-01-15-pool/index.html")
    assert (
        "<h1>Related incidents: Sign-in failed after the connection pool ran dry</h1>"
        in chain
    )
    assert '<article id="related-2025-01-15-pool"' in chain
    chains = text_of(read(small_site, "recurring/related/index.html"))
    assert "Sign-in failed after the connection pool ran dry 2 2 2025-01-15" in chains


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
        "resource-exhaustion (root cause): 2 incidents, latest 2025-03-01 came back with items open"
        in home
    )
    assert (
        "user-api (service): 2 incidents, latest 2025-03-01 came back with items open"
        in home
    )
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
    fields = document["incident_fields"]
    assert fields == [
        "id", "date", "severity", "categories", "services", "trigger",
        "time_to_detect_seconds", "time_to_recover_seconds",
        "time_to_mitigate_seconds", "duration_seconds",
        "time_to_detect_within_target", "time_to_recover_within_target",
    ]  # fmt: skip
    incidents = [dict(zip(fields, row, strict=True)) for row in document["incidents"]]

    first = next(i for i in incidents if i["id"] == "2025-01-15-pool")
    assert first["time_to_recover_seconds"] == 7080.0
    assert first["date"] == "2025-01-15"
    assert first["time_to_detect_within_target"] is True
    assert first["time_to_recover_within_target"] is False
    assert document["over_target"] == 2

    actions = document["action_items"]
    assert actions["overdue"] == 2
    assert actions["open"] == 2
    assert actions["by_status"] == {
        "open": 2,
        "in-progress": 0,
        "done": 0,
        "wont-do": 0,
    }
    assert "items" not in actions

    recurrence = document["recurrence"]["recurring"][0]
    assert recurrence == {
        "kind": "category",
        "name": "resource-exhaustion",
        "url": "recurring/category/resource-exhaustion/"
        "#category-resource-exhaustion-2025-01-15",
        "active": True,
        "recent_incidents": 2,
        "first": "2025-01-15",
        "latest": "2025-03-01",
        "median_gap_seconds": 3945600.0,
        "incidents": ["2025-01-15-pool", "2025-03-01-pool-again"],
        "fix_not_landed": True,
        "incidents_with_open_items": 1,
        "open_action_items": 2,
    }
    chain = document["recurrence"]["related_chains"][0]
    assert chain["url"] == "recurring/related/2025-01-15-pool/#related-2025-01-15-pool"
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
    assert lines[0] == "Postmortems: 2 postmortems as of 2025-06-30"
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
        "broken.md:3:1: error: invalid YAML: expected ',' or ']', but got the end of the front matter"
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
    # The overview lists only the items still to do, so the filter links the full lists.
    assert "Showing 1 of the 2 items on this page. Full lists: " in dom
    assert '<a href="../actions/status/overdue/">all overdue items</a>' in dom
    assert '<a href="../actions/owner/sre-team/">all items of sre-team</a>' in dom
    assert re.search(
        r'<select id="filter-owner">.*?<option value="sre-team">sre-team</option>',
        dom,
        re.S,
    )


@pytest.fixture
def busy_site(make_kb, tmp_path: Path) -> Path:
    """Return a site with more action items than one page holds."""
    done = tuple(
        {"task": f"Done task {n:03d}", "owner": "sre-team", "due": "2025-02-01",
         "status": "done"}
        for n in range(205)
    )  # fmt: skip
    overdue = tuple(
        {"task": f"Overdue task {n:03d}", "owner": "db-team", "due": f"2025-0{n % 5 + 1}-10"}
        for n in range(105)
    )  # fmt: skip
    upcoming = tuple(
        {"task": f"Upcoming task {n}", "owner": "db-team", "due": f"2025-0{9 - n}-01"}
        for n in range(3)
    )  # fmt: skip
    content = make_kb({
        "2025-01-10-a.md": incident("Checkout failed while the card vault was slow",
                                    started="2025-01-10 10:00", detected="2025-01-10 10:04",
                                    resolved="2025-01-10 10:40", actions=done),
        "2025-02-10-b.md": incident("Search returned stale results after a reindex",
                                    started="2025-02-10 10:00", detected="2025-02-10 10:04",
                                    resolved="2025-02-10 10:40", actions=overdue + upcoming),
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site, "--today", "2025-06-30", "--no-search") == 0
    return site


def action_tasks(html: str) -> list[str]:
    """Return the tasks of every action item row of a page, in order."""
    return re.findall(
        r'<td>(?:<span[^>]*>[^<]*</span> )?<a href="[^"]*#[^"]*">([^<]+)</a>', html
    )


def test_status_pages_paginate(busy_site: Path) -> None:
    first = read(busy_site, "actions/status/done/index.html")
    second = read(busy_site, "actions/status/done/page/2/index.html")
    assert len(action_tasks(first)) == 200
    assert len(action_tasks(second)) == 5
    assert action_tasks(first)[0] == "Done task 000"
    assert action_tasks(second) == [f"Done task {n}" for n in range(200, 205)]
    assert (
        '<a rel="next" href="../../../actions/status/done/page/2/">Next page →</a>'
        in first
    )
    assert 'rel="prev"' not in first
    assert (
        '<a rel="prev" href="../../../../../actions/status/done/">← Previous page</a>'
        in second
    )
    assert 'rel="next"' not in second
    assert "<title>Action items: done (page 2 of 2) · " in second
    assert "1–200 of 205 items, page 1 of 2" in text_of(first)
    assert "201–205 of 205 items, page 2 of 2" in text_of(second)
    assert (
        '<a href="../../../../../actions/status/done/page/2/" aria-current="page">2</a>'
        in second
    )
    assert 'data-partial="yes"' in first
    assert not (busy_site / "actions/status/done/page/3/index.html").exists()
    overdue = read(busy_site, "actions/status/overdue/index.html")
    assert len(action_tasks(overdue)) == 105
    assert 'data-partial="no"' in overdue
    assert 'class="pager"' not in overdue


def test_owner_pages_paginate(busy_site: Path) -> None:
    first = read(busy_site, "actions/owner/sre-team/index.html")
    second = read(busy_site, "actions/owner/sre-team/page/2/index.html")
    assert len(action_tasks(first)) == 200
    assert len(action_tasks(second)) == 5
    assert "<title>Action items of sre-team (page 2 of 2) · " in second
    assert '<a rel="next" href="../../../actions/owner/sre-team/page/2/">' in first
    owner = read(busy_site, "actions/owner/db-team/index.html")
    assert len(action_tasks(owner)) == 108


def test_actions_overview_bounded(busy_site: Path) -> None:
    html = read(busy_site, "actions/index.html")
    overdue = html[
        html.index('id="overdue-table"') : html.index('id="upcoming-heading"')
    ]
    upcoming = html[
        html.index('id="upcoming-table"') : html.index('id="completion-heading"')
    ]
    assert len(action_tasks(overdue)) == 100
    assert action_tasks(upcoming) == [
        "Upcoming task 2",
        "Upcoming task 1",
        "Upcoming task 0",
    ]
    assert "Done task" not in html
    text = text_of(html)
    assert (
        "The 100 items with the oldest due dates, of 105. All overdue items are on their own pages."
        in text
    )
    assert "3 items not overdue, the next due date first" in text
    assert "Done 205 of 313 items" in text
    assert "Q1 2025 313 205 108 105 0 65%" in text


def test_chain_pages_split(small_site: Path, tmp_path: Path) -> None:
    _, _, analysis = load_kb(tmp_path / "content", date(2025, 6, 30))
    (chain,) = analysis.chains
    pages = chain_pages(chain, 2, 180, size=1)
    assert [page.url for page in pages] == [
        "recurring/related/2025-01-15-pool/",
        "recurring/related/2025-01-15-pool/page/2/",
    ]
    assert [page.title for page in pages] == [
        "Related incidents: Sign-in failed after the connection pool ran dry",
        "Related incidents: Sign-in failed after the connection pool ran dry (page 2 of 2)",
    ]
    latest, earliest = (page.context["blocks"][0] for page in pages)
    assert [s.postmortem.id for s in latest.steps] == ["2025-03-01-pool-again"]
    assert (latest.before, latest.after) == (1, 0)
    assert latest.steps[0].has_previous is True
    assert [s.postmortem.id for s in earliest.steps] == ["2025-01-15-pool"]
    assert (earliest.before, earliest.after) == (0, 1)
    assert earliest.steps[0].carried.later.id == "2025-03-01-pool-again"

    block = latest_block(chain, 1, 1, 1)
    assert [s.postmortem.id for s in block.steps] == ["2025-03-01-pool-again"]
    assert block.before == 1
    assert block.url == "recurring/related/2025-01-15-pool/#related-2025-01-15-pool"


def test_recurring_table_lists_names(small_site: Path, tmp_path: Path) -> None:
    _, _, analysis = load_kb(tmp_path / "content", date(2025, 6, 30))
    groups = runs_by_name(analysis.recurrences)
    section = kind_section(
        "service", analysis.recurrences_of("service"), groups, (0, 0)
    )
    assert section.rows == []
    assert section.details == []
    assert section.total == 1
    assert [(n.name, n.url, n.runs, n.incidents) for n in section.names] == [
        ("user-api", "recurring/service/user-api/", 1, 2),
    ]


def test_trends_over_target(small_site: Path) -> None:
    text = text_of(read(small_site, "trends/index.html"))
    assert (
        "2 incidents took longer than the target to detect or to recover. Newest first."
        in text
    )
    listing = read(small_site, "trends/over-target/index.html")
    assert "<h1>Incidents over target</h1>" in listing
    assert listing.count('<td class="nowrap">2025-') == 2
    assert 'class="pager"' not in listing


def section_html(html: str, section_id: str) -> str:
    """Return a chart section of the trends page from its id up to its table."""
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("<table", start)]


LOG_NOTE = (
    "The duration axis is logarithmic, so equal distances on it are equal ratios, "
    "not equal durations."
)


def test_trends_log_notes(make_kb, tmp_path: Path) -> None:
    content = make_kb({
        "2025-01-10-a.md": incident(started="2025-01-10 10:00", detected="2025-01-10 10:00",
                                    resolved="2025-01-10 10:30"),
        "2025-02-10-b.md": incident(started="2025-02-10 10:00", detected="2025-02-10 10:02",
                                    resolved="2025-02-10 10:22"),
        "2025-03-10-c.md": incident(started="2025-03-10 10:00", detected="2025-03-12 10:00",
                                    resolved="2025-03-12 11:00"),
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site, "--today", "2025-06-30", "--no-search") == 0
    html = read(site, "trends/index.html")

    detect = text_of(section_html(html, "time_to_detect-over-time"))
    assert LOG_NOTE in detect
    assert (
        "A logarithmic axis cannot show 0 s, so the chart leaves out the mean and "
        "median of Jan 2025. The table lists every value." in detect
    )
    recover = section_html(html, "time_to_recover-over-time")
    assert "logarithmic" not in recover
    duration = text_of(section_html(html, "duration-over-time"))
    assert LOG_NOTE in duration
    assert "cannot show 0 s" not in duration
    by_severity = text_of(section_html(html, "time_to_detect-by-severity"))
    assert LOG_NOTE in by_severity
    assert "cannot show 0 s" not in by_severity

    # The note under a chart and the chart's own description agree.
    charts = re.findall(r"<svg .*?</svg></figure>(?:<p [^>]*>[^<]*</p>)*", html, re.S)
    assert len(charts) == 8
    for chart in charts:
        described = "The duration axis is logarithmic.</desc>" in chart
        assert described == (LOG_NOTE in chart), chart[:80]


LONG_SERVICE = "customer-notification-preferences-synchronisation-worker"


@pytest.fixture
def long_name_site(make_kb, tmp_path: Path) -> Path:
    """Return a site whose recurring tables name a long service and flag it."""
    open_item = (
        {"task": "Alert on queue depth", "owner": "sre-team", "due": "2025-02-01"},
    )
    content = make_kb({
        "2025-01-15-queue.md": incident(
            "Notifications stopped while the preference queue filled up",
            started="2025-01-15 03:00", detected="2025-01-15 03:20",
            resolved="2025-01-15 05:00", category="resource-exhaustion",
            services=(LONG_SERVICE,), actions=open_item,
        ),
        "2025-02-20-queue-again.md": incident(
            "Notifications late after the preference queue filled up again",
            started="2025-02-20 10:00", detected="2025-02-20 10:30",
            resolved="2025-02-20 11:00", category="resource-exhaustion",
            services=(LONG_SERVICE,),
        ),
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site, "--today", "2025-06-30", "--no-search") == 0
    return site


PAGE_WIDTH = "() => document.documentElement.scrollWidth"
# Scroll boxes whose content is wider than the box, as "class: content width".
SCROLLING_TABLES = """() => [...document.querySelectorAll('.table-scroll')]
  .filter(box => box.scrollWidth > box.clientWidth)
  .map(box => box.firstElementChild.className + ': ' + box.scrollWidth)"""


def test_pages_fit_phone_width(browser, long_name_site: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    for name in ("index.html", "trends/index.html", "recurring/index.html"):
        page.goto((long_name_site / name).as_uri())
        assert page.evaluate(PAGE_WIDTH) == 390, name
    context.close()


def test_recurring_tables_fit_desktop(browser, long_name_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto((long_name_site / "recurring/index.html").as_uri())
    assert page.evaluate(PAGE_WIDTH) == 1280
    assert page.evaluate(SCROLLING_TABLES) == []
    context.close()


def test_home_browse_uses_nav_names(small_site: Path) -> None:
    html = read(small_site, "index.html")
    browse = html[html.index('id="browse-heading"') :]
    assert '<li><a href="categories/">Causes</a></li>' in html
    assert (
        '<li><a href="categories/">Causes</a> <span class="count">1</span></li>'
        in browse
    )
    assert (
        '<li><a href="severities/">Severity</a> <span class="count">1</span></li>'
        in browse
    )
    assert "Root-cause categories" not in browse


# A web archive copy of a shared document, 200 characters without a space.
LONG_URL = (
    "https://web.archive.example.org/web/20250115030000if_/"
    "https://docs.example.com/document/d/"
    + "1ScqXAdb6BjhsDzCo3qdPYbt1uULzgZqPO8zHeHHarS0" * 2
    + "/edit?usp=sharing#h.1a"
)
LONG_TAGS = ("apollo guidance computer", "kubernetesclusterautoscalerscaledown")


@pytest.fixture
def long_url_site(make_kb, tmp_path: Path) -> Path:
    """Return a site whose report has a long URL in its summary card and body."""
    report = incident("Sign-in failed after the connection pool ran dry").replace(
        "services:",
        f"url: {LONG_URL}\ntags: [{', '.join(LONG_TAGS)}]\nservices:",
        1,
    )
    report += f"\n- The vendor's notes: {LONG_URL}\n"
    content = make_kb({
        "kb.toml": 'extra_fields = ["url"]\n',
        "2025-01-15-pool.md": report,
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site, "--today", "2025-06-30", "--no-search") == 0
    return site


def test_long_url_fits_phone(browser, long_url_site: Path) -> None:
    report = long_url_site / "2025-01-15-pool" / "index.html"
    html = read(long_url_site, "2025-01-15-pool/index.html")
    assert len(LONG_URL) == 200
    assert f'<a href="{LONG_URL}" rel="noopener noreferrer">{LONG_URL}</a>' in html
    assert '<a class="chip" href="../tags/apollo-guidance-computer/">' in html

    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(report.as_uri())
        assert page.evaluate(PAGE_WIDTH) <= width, width
        context.close()
