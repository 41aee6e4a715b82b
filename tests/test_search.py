"""Full-text search: the Pagefind index the build writes, and the search page
driven in headless Chromium over a local HTTP server."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import GOOD_REPORT, read_fragments, write_files

from generator.cli import main
from generator.markdown import search_text

REPORT = """\
---
title: {title}
severity: {severity}
status: {status}
timezone: UTC
started: {day} 10:00
detected: {day} 10:04
resolved: {day} 10:40
impact: {impact}
root_cause:
  category: {category}
  summary: {summary}
services: {services}
{extra}---
## Summary

{summary_text}

## Timeline

- 10:00 - Error rate starts to rise
- 10:04 - Alert pages the on-call engineer
- 10:40 - Errors stop

## Action Items

- Add an alert for this failure (Owner: sre, Due: {day})
"""


def report(**fields: str) -> str:
    """Return a report with the given fields filled in."""
    values = {"status": "published", "extra": "", **fields}
    return REPORT.format(**values)


KB = {
    "a.md": report(
        title="Sign-in failed while the database pool was exhausted",
        severity="SEV1", day="2025-03-04", category="resource-exhaustion",
        impact="No user could sign in for 40 minutes",
        summary="Connections leaked when a query raised",
        services="[user-api, mysql]", extra="aliases: [old-pool-outage]\n",
        summary_text="Every connection of the pool was held by a leaked transaction.",
    ),
    "b.md": report(
        title="Checkout slow because the worker pool was too small",
        severity="SEV2", day="2024-06-10", category="capacity",
        impact="Checkout took 20 seconds for an hour",
        summary="The worker pool was sized for half of the peak",
        services="[Checkout Service]",
        summary_text="The page printed `<script>alert(1)</script>` in a flamingo trace.",
    ),
    "c.md": report(
        title="Card payments failed after a certificate expired",
        severity="SEV1", day="2023-01-20", category="certificate-expiry",
        status="review", impact="Card payments failed for 25 minutes",
        summary="The client certificate was not renewed",
        services="[payments]",
        summary_text="The processor rejected the expired client certificate.",
    ),
}  # fmt: skip

TITLE_A = "Sign-in failed while the database pool was exhausted"
TITLE_B = "Checkout slow because the worker pool was too small"
TITLE_C = "Card payments failed after a certificate expired"


def build(content: Path, output: Path, *options: str) -> int:
    return main(["build", "--content", str(content), "--output", str(output), *options])


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the small knowledge base once, under a sub-path: <root>/kb/."""
    root = tmp_path_factory.mktemp("search")
    content = write_files(root / "content", KB)
    assert build(content, root / "public" / "kb") == 0
    return root / "public" / "kb"


def test_index_files_written(built_site: Path) -> None:
    bundle = built_site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert list((bundle / "filter").glob("*.pf_filter"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3


def test_index_has_only_reports(built_site: Path) -> None:
    assert sorted(read_fragments(built_site)) == ["/a/", "/b/", "/c/"]


def test_index_filters_per_report(built_site: Path) -> None:
    records = read_fragments(built_site)
    assert records["/a/"]["filters"] == {
        "severity": ["SEV1"],
        "status": ["published"],
        "category": ["resource-exhaustion"],
        "service": ["mysql", "user-api"],
        "year": ["2025"],
    }
    assert records["/c/"]["filters"] == {
        "severity": ["SEV1"],
        "status": ["review"],
        "category": ["certificate-expiry"],
        "service": ["payments"],
        "year": ["2023"],
    }


def test_index_filters_service_by_slug(built_site: Path) -> None:
    assert read_fragments(built_site)["/b/"]["filters"]["service"] == [
        "checkout-service"
    ]
    page = (built_site / "search" / "index.html").read_text()
    assert (
        '<script type="application/json" id="search-service-names">'
        '{"checkout-service": "Checkout Service", "mysql": "mysql", '
        '"payments": "payments", "user-api": "user-api"}</script>'
    ) in page


def test_index_meta_per_report(built_site: Path) -> None:
    meta = read_fragments(built_site)["/b/"]["meta"]
    assert meta == {"title": TITLE_B, "date": "2024-06-10", "severity": "SEV2"}


def test_index_leaves_out_page_chrome(built_site: Path) -> None:
    content = read_fragments(built_site)["/a/"]["content"]
    assert "leaked transaction" in content
    assert "Search postmortems" not in content
    assert "Contents" not in content
    assert " # " not in content


def test_search_text_keeps_words() -> None:
    html = (
        '<h2 id="s">Summary <a class="header-anchor" href="#s">#</a></h2>\n'
        '<p>Pool <em>ran</em> dry<br>at <img src="a.png" alt="load graph"></p>'
        "<table><tr><td>a</td><td>b</td></tr></table>"
        '<pre><code><span class="p">&lt;</span><span class="nt">b</span>&gt;</code></pre>'
    )
    expected = (
        "<h2>Summary </h2>\n<p>Pool ran dry at  load graph </p>   a  b    &lt;b&gt; "
    )
    assert search_text(html) == expected


def test_index_logs_one_line(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": KB["a.md"], "b.md": KB["b.md"]})
    assert build(content, tmp_path / "site") == 0
    lines = capsys.readouterr().err.splitlines()
    indexing = [line for line in lines if "for search" in line]
    assert len(indexing) == 1
    assert re.fullmatch(
        r"pmkb: indexed 2 reports for search in \d+\.\d\d s", indexing[0]
    )


def test_index_after_failed_build(tmp_path: Path, make_kb) -> None:
    # The failed build loads the edited report and writes its search document.
    # Once the edit is undone, the index must not keep the failed build's text.
    content = make_kb({"a.md": KB["a.md"], "b.md": KB["b.md"]})
    site = tmp_path / "site"
    assert build(content, site) == 0
    edited = KB["a.md"].replace("leaked transaction", "stray pelican")
    (content / "a.md").write_text(edited)
    (content / "b.md").write_text(KB["b.md"].replace("severity: SEV2", "severity: 9"))
    assert build(content, site) == 1
    (content / "a.md").write_text(KB["a.md"])
    (content / "b.md").write_text(KB["b.md"])
    assert build(content, site) == 0
    text = read_fragments(site)["/a/"]["content"]
    assert "leaked transaction" in text
    assert "pelican" not in text


def test_index_after_duplicate_id_fixed(tmp_path: Path, make_kb) -> None:
    content = make_kb({"2024/same.md": KB["a.md"]})
    site = tmp_path / "site"
    assert build(content, site) == 0
    copy = KB["a.md"].replace("leaked transaction", "stray pelican")
    write_files(content, {"2025/same.md": copy})
    assert build(content, site) == 1
    (content / "2024" / "same.md").unlink()
    assert build(content, site) == 0
    text = read_fragments(site)["/same/"]["content"]
    assert "stray pelican" in text
    assert "leaked transaction" not in text


def test_index_keeps_unchanged_documents(tmp_path: Path, make_kb) -> None:
    content = make_kb({"a.md": KB["a.md"], "b.md": KB["b.md"]})
    site = tmp_path / "site"
    assert build(content, site) == 0
    (folder,) = [
        p
        for p in (tmp_path / ".pmkb-cache").glob("search-*")
        if not p.name.endswith("-bundle")
    ]
    document = folder / "a" / "index.html"
    written = document.stat().st_mtime_ns
    (content / "b.md").write_text(KB["b.md"].replace("flamingo", "heron"))
    assert build(content, site) == 0
    assert document.stat().st_mtime_ns == written
    assert "heron" in read_fragments(site)["/b/"]["content"]
    assert sorted(p.name for p in folder.iterdir()) == ["a", "b"]
    # A document deleted by hand is written again.
    document.unlink()
    (content / "b.md").write_text(KB["b.md"])
    assert build(content, site) == 0
    assert "leaked transaction" in document.read_text()
    assert "/a/" in read_fragments(site)


def test_index_leaves_out_drafts(tmp_path: Path, make_kb) -> None:
    draft = KB["b.md"].replace("status: published", "status: draft")
    content = make_kb({"a.md": KB["a.md"], "b.md": draft})
    site = tmp_path / "site"
    assert build(content, site) == 0
    assert sorted(read_fragments(site)) == ["/a/"]
    (folder,) = [
        p
        for p in (tmp_path / ".pmkb-cache").glob("search-*")
        if not p.name.endswith("-bundle")
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["a"]
    assert build(content, site, "--drafts") == 0
    assert sorted(read_fragments(site)) == ["/a/", "/b/"]
    assert sorted(p.name for p in folder.iterdir()) == ["a", "b"]


def test_no_search_option(tmp_path: Path, make_kb) -> None:
    content = make_kb({"a.md": KB["a.md"]})
    site = tmp_path / "site"
    assert build(content, site, "--no-search") == 0
    assert not (site / "pagefind").exists()
    assert 'data-index="off"' in (site / "search" / "index.html").read_text()


def test_empty_kb_has_search_page(tmp_path: Path, make_kb) -> None:
    content = make_kb({"kb.toml": 'title = "Empty"\n'})
    site = tmp_path / "site"
    assert build(content, site) == 0
    assert not (site / "pagefind").exists()
    assert 'data-index="empty"' in (site / "search" / "index.html").read_text()


def test_pagefind_failure_keeps_site(
    tmp_path: Path, make_kb, capsys, monkeypatch
) -> None:
    content = make_kb({"a.md": KB["a.md"]})
    site = tmp_path / "site"
    assert build(content, site) == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    capsys.readouterr()

    missing = tmp_path / "no-such-pagefind"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(missing))
    (content / "b.md").write_text(KB["b.md"])
    assert build(content, site) == 1

    errors = capsys.readouterr().err
    assert (
        f"{site}/pagefind:1:1: error: search indexing with Pagefind failed: cannot run {missing}: No such file or directory (check that the 'pagefind[bin]' package is installed, or build with --no-search)"
        in errors
    )
    assert "Traceback" not in errors
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not (tmp_path / ".site.staging").exists()


# ------------------------------------------------------------------ browser


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the folder above the site on 127.0.0.1; return the site's URL."""
    handler = functools.partial(QuietHandler, directory=str(built_site.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{built_site.name}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def result_titles(page: Any) -> list[str]:
    return [
        title.inner_text() for title in page.query_selector_all(".search-result-title")
    ]


def test_search_page_query(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=pool")
    page.wait_for_selector(".search-result")
    assert page.inner_text("#search-summary") == "2 reports match “pool”."
    assert sorted(result_titles(page)) == sorted([TITLE_A, TITLE_B])
    assert page.input_value("#search-query") == "pool"
    marks = page.eval_on_selector_all(
        ".search-result-excerpt mark", "m => m.map(e => e.textContent)"
    )
    assert marks
    assert all(mark.lower().startswith("pool") for mark in marks)


def test_search_result_shows_meta(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=certificate")
    page.wait_for_selector(".search-result")
    assert result_titles(page) == [TITLE_C]
    assert page.text_content(".search-result .severity") == "SEV1 · Critical"
    assert page.get_attribute(".search-result time", "datetime") == "2023-01-20"
    # The site is served under /kb/, and result links keep that prefix.
    assert page.get_attribute(".search-result-title a", "href") == "/kb/c/"


def test_search_filter_click(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=pool")
    page.wait_for_selector(".search-result")
    severity = page.inner_text("fieldset:has(input[name=severity])")
    assert severity.split() == [
        "SEVERITY",
        "SEV1",
        "·",
        "Critical",
        "1",
        "SEV2",
        "·",
        "Major",
        "1",
    ]

    page.check("input[name=severity][value=SEV1]")
    page.wait_for_function(
        "document.getElementById('search-summary').textContent.startsWith('1 report')"
    )
    assert (
        page.inner_text("#search-summary")
        == "1 report matches “pool” with the chosen filters."
    )
    assert result_titles(page) == [TITLE_A]
    assert page.url == f"{site_url}search/?q=pool&severity=SEV1"


def test_search_filter_names_service(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=pool")
    page.wait_for_selector(".search-result")
    services = page.inner_text("fieldset:has(input[name=service])")
    assert services.split() == [
        "SERVICE", "Checkout", "Service", "1", "mysql", "1", "user-api", "1",
    ]  # fmt: skip
    page.check("input[name=service][value=checkout-service]")
    page.wait_for_function(
        "document.getElementById('search-summary').textContent.startsWith('1 report')"
    )
    assert result_titles(page) == [TITLE_B]
    assert page.url == f"{site_url}search/?q=pool&service=checkout-service"


def test_search_service_name_in_url(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=pool&service=Checkout%20Service")
    page.wait_for_selector(".search-result")
    assert result_titles(page) == [TITLE_B]
    assert page.is_checked("input[name=service][value=checkout-service]")


def test_search_oldest_first(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?severity=SEV1&sort=oldest")
    page.wait_for_selector(".search-result")
    assert result_titles(page) == [TITLE_C, TITLE_A]


def test_search_filters_from_url(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=pool&severity=SEV2")
    page.wait_for_selector(".search-result")
    assert result_titles(page) == [TITLE_B]
    assert page.is_checked("input[name=severity][value=SEV2]")


def test_search_filter_without_query(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?severity=SEV1")
    page.wait_for_selector(".search-result")
    # Without words to rank by, reports come newest first.
    assert result_titles(page) == [TITLE_A, TITLE_C]
    assert (
        page.inner_text("#search-summary") == "2 reports match with the chosen filters."
    )


def test_search_excerpt_keeps_markup_as_text(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=flamingo")
    page.wait_for_selector(".search-result")
    excerpt = page.inner_text(".search-result-excerpt")
    assert "<script>alert(1)</script>" in excerpt
    assert page.query_selector_all(".search-result-list script") == []


def test_search_page_from_file_url(page: Any, built_site: Path) -> None:
    page.goto((built_site / "search" / "index.html").as_uri() + "?q=pool")
    notice = page.wait_for_selector("#search-notice:not([hidden])")
    text = notice.inner_text()
    assert "the browser blocks loading the search index from file:// addresses" in text
    assert "python -m http.server" in text
    assert page.is_hidden("#search-form")


def test_search_page_without_javascript(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}search/?q=pool")
        text = tab.inner_text("main")
        assert (
            "Search runs in the browser and needs JavaScript, which is turned off here."
            in text
        )
        assert tab.is_hidden("#search-form")
    finally:
        context.close()


def test_alias_redirect_keeps_fragment(page: Any, site_url: str) -> None:
    # Not search, but a page that needs JavaScript, on the same served site.
    page.goto(site_url + "old-pool-outage/#summary")
    page.wait_for_url(site_url + "a/#summary")
    assert page.url == site_url + "a/#summary"


def test_undated_report_year_filter(tmp_path: Path, make_kb) -> None:
    undated = re.sub(r"^(started|detected|resolved):.*\n", "", GOOD_REPORT, flags=re.M)
    content = make_kb({"undated.md": undated})
    assert build(content, tmp_path / "site") == 0
    records = read_fragments(tmp_path / "site")
    assert records["/undated/"]["filters"]["year"] == ["no date"]


def test_undated_report_sorts_oldest_last(tmp_path: Path, make_kb) -> None:
    undated = re.sub(r"^(started|detected|resolved):.*\n", "", GOOD_REPORT, flags=re.M)
    content = make_kb({"undated.md": undated, "a.md": KB["a.md"]})
    assert build(content, tmp_path / "site") == 0
    cache = tmp_path / ".pmkb-cache"
    (undated_document,) = cache.glob("search-*/undated/index.html")
    (dated_document,) = cache.glob("search-*/a/index.html")
    assert 'data-pagefind-sort="oldest:9999"' in undated_document.read_text()
    assert (
        'data-pagefind-sort="oldest:2025-03-04T10:00:00+00:00"'
        in dated_document.read_text()
    )


def test_index_record_names_document_form(tmp_path: Path, make_kb) -> None:
    from generator.cache import BuildCache
    from generator.search_doc import DOCUMENT_FORMAT
    from generator.search_step import RECORD

    content = make_kb({"a.md": KB["a.md"]})
    assert build(content, tmp_path / "site") == 0
    (path,) = (tmp_path / ".pmkb-cache").glob("build-*.sqlite3")
    cache = BuildCache(path)
    record = cache.get_state(RECORD)
    cache.close()
    # A new form of the documents makes every record entry stale.
    assert list(record) == ["a/index.html"]
    assert record["a/index.html"].startswith(f"{DOCUMENT_FORMAT}:")
