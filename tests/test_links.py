"""Body links to another report's .md file or to a file next to the reports:
rewriting, lines, the collection check and the published copies."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from conftest import GOOD_REPORT
from markdown_it.token import Token

from generator.body import read_body
from generator.cli import main
from generator.links import linked_file, linked_report, rewrite_links
from generator.markdown import markdown_parser
from generator.model import FileLink, ReportLink


def render(text: str):
    return read_body(text, "r.md", 5, "Title", UTC, None)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("pool-outage.md", ("pool-outage", "pool-outage.md")),
        ("Pool%20Outage.MD", ("pool-outage", "Pool Outage.MD")),
        ("2024/q1/pool-outage.md#t-0302", ("pool-outage", "2024/q1/pool-outage.md")),
        ("./pool-outage.md?plain=1", ("pool-outage", "./pool-outage.md")),
        ("../pool-outage.md", ("pool-outage", "../pool-outage.md")),
        ("/pool-outage.md", None),
        ("//example.com/pool-outage.md", None),
        ("https://example.com/pool-outage.md", None),
        ("mailto:sre@example.com", None),
        ("pool-outage.html", None),
        ("pool-outage.md.txt", None),
        ("%20.md", None),
        ("#t-0302", None),
    ],
)
def test_linked_report(href: str, expected: tuple[str, str] | None) -> None:
    assert linked_report(href) == expected


def test_inline_link_rewritten() -> None:
    body = render("See [the pool outage](pool-outage.md) first.\n")
    assert '<a href="../pool-outage/">the pool outage</a>' in body.html
    assert body.report_links == [ReportLink("pool-outage", "pool-outage.md", 5)]


def test_reference_link_line_of_definition() -> None:
    text = (
        "## Summary\n\nAs in [PM2019-009][PM2019-009],\nand again [PM2019-009][PM2019-009].\n\n"
        "[PM2019-009]: PM2019-009%20-%20Network%20IP%20starvation.md\n"
    )
    body = render(text)
    assert body.html.count('<a href="../pm2019-009-network-ip-starvation/">') == 2
    assert body.report_links == [
        ReportLink(
            "pm2019-009-network-ip-starvation",
            "PM2019-009 - Network IP starvation.md",
            10,
        )
    ]


def test_link_with_spaces_in_folder() -> None:
    body = render("Intro\n\nSee [it](<2024/Q1 notes/Pool Outage.md>).\n")
    assert '<a href="../pool-outage/">it</a>' in body.html
    assert body.report_links == [
        ReportLink("pool-outage", "2024/Q1 notes/Pool Outage.md", 7)
    ]


def test_link_fragment_kept() -> None:
    body = render("See [the alert](pool-outage.md#t-0302).\n")
    assert '<a href="../pool-outage/#t-0302">the alert</a>' in body.html
    assert body.report_links == [
        ReportLink("pool-outage", "pool-outage.md", 5, "t-0302")
    ]


def test_link_line_after_soft_breaks() -> None:
    body = render("One line,\nanother line,\nthen [it](a.md) and *[b](b.md)*\n")
    assert [(link.target_id, link.line) for link in body.report_links] == [
        ("a", 7),
        ("b", 7),
    ]


def test_link_lines_in_table_and_timeline() -> None:
    text = (
        "## Timeline\n\n- 03:00 - Same fault as [before](pool-outage.md)\n\n"
        "| Report | Why |\n|---|---|\n| [x](cache-outage.md) | similar |\n"
    )
    body = render(text)
    assert body.report_links == [
        ReportLink("pool-outage", "pool-outage.md", 7),
        ReportLink("cache-outage", "cache-outage.md", 11),
    ]
    assert '<a href="../pool-outage/">before</a>' in body.html
    assert '<a href="../cache-outage/">x</a>' in body.html


def test_other_links_untouched() -> None:
    text = (
        "[a](/pool-outage.md) [b](https://example.com/pool-outage.md) "
        "[c](../trends/) <https://example.com/x.md> "
        '<a href="https://example.com/y.md">raw</a>\n'
    )
    body = render(text)
    assert '<a href="/pool-outage.md">a</a>' in body.html
    assert '<a href="https://example.com/pool-outage.md">b</a>' in body.html
    assert '<a href="../trends/">c</a>' in body.html
    assert '<a href="https://example.com/x.md">https://example.com/x.md</a>' in (
        body.html
    )
    assert '<a href="https://example.com/y.md">raw</a>' in body.html
    assert body.report_links == []
    assert body.file_links == []


@pytest.mark.parametrize(
    ("href", "source", "expected"),
    [
        ("img/latency.png", "2025/a.md", "2025/img/latency.png"),
        ("../shared/Pool%20graph.svg", "2025/a.md", "shared/Pool graph.svg"),
        ("./logs/out.txt#L4", "a.md", "logs/out.txt"),
        ("../outside.png", "a.md", "../outside.png"),
        ("../trends/", "a.md", None),
        ("notes", "a.md", None),
        ("other.md", "a.md", None),
        ("/static/x.png", "a.md", None),
        ("https://example.com/x.png", "a.md", None),
        ("data:image/png;base64,AAAA", "a.md", None),
    ],
)
def test_linked_file(href: str, source: str, expected: str | None) -> None:
    assert linked_file(href, source) == expected


def test_file_links_rewritten() -> None:
    body = read_body(
        "![Latency](img/latency.png)\n\n[The log](logs/pool%20dump.txt#L4)\n"
        "[Outside](../../etc/passwd.txt)\n",
        "2025/r.md",
        5,
        "Title",
        UTC,
        None,
    )
    assert '<img src="../files/2025/img/latency.png" alt="Latency">' in body.html
    assert '<a href="../files/2025/logs/pool%20dump.txt#L4">The log</a>' in body.html
    assert '<a href="../../etc/passwd.txt">Outside</a>' in body.html
    assert body.file_links == [
        FileLink("2025/img/latency.png", 5),
        FileLink("2025/logs/pool dump.txt", 7),
        FileLink("../etc/passwd.txt", 8),
    ]


def test_same_link_twice_on_line_kept_once() -> None:
    body = render(
        "[a](pool-outage.md) and [again](./pool-outage.md)\n"
        "[b](pool-outage.md#t-0302) and [c](pool-outage.md#t-0302)\n"
    )
    assert body.report_links == [
        ReportLink("pool-outage", "pool-outage.md", 5),
        ReportLink("pool-outage", "pool-outage.md", 6, "t-0302"),
    ]


def test_file_link_query_kept() -> None:
    body = render("[The log](logs/x.txt?raw=1#L2) and ![g](g.svg?v=2)\n")
    assert '<a href="../files/logs/x.txt?raw=1#L2">The log</a>' in body.html
    assert '<img src="../files/g.svg?v=2" alt="g">' in body.html
    assert body.file_links == [FileLink("logs/x.txt", 5), FileLink("g.svg", 5)]


def rewrite(text: str, source_path: str = "2025/r.md") -> tuple[list[Token], tuple]:
    """Parse text as a body starting on file line 5 and rewrite its links."""
    env: dict = {}
    tokens = markdown_parser().parse(text, env)
    return tokens, rewrite_links(tokens, env, 5, source_path)


def test_raw_img_inline_rewritten() -> None:
    text = (
        "First line,\n"
        'then <img src="img/raw.png" width="300"> and\n'
        "<a title='log' href='logs/out.txt#L4'>the log</a>, <img\n"
        "  data-src=\"lazy.png\" alt='src=x.png'\n"
        "  src=img/wrapped.png>.\n"
    )
    tokens, (reports, files) = rewrite(text)
    html = [t.content for t in tokens[1].children or [] if t.type == "html_inline"]
    assert html == [
        '<img src="../files/2025/img/raw.png" width="300">',
        "<a title='log' href='../files/2025/logs/out.txt#L4'>",
        "</a>",
        "<img\n  data-src=\"lazy.png\" alt='src=x.png'\n"
        '  src="../files/2025/img/wrapped.png">',
    ]
    assert reports == []
    assert files == [
        FileLink("2025/img/raw.png", 6),
        FileLink("2025/logs/out.txt", 7),
        FileLink("2025/img/wrapped.png", 9),
    ]


def test_raw_html_block_rewritten() -> None:
    text = (
        "Intro\n"
        "\n"
        "<figure>\n"
        '<!-- <img src="old.png"> -->\n'
        '<img alt="Pool" src="img/a&amp;b.png" width=300>\n'
        '<figcaption>See <a href="../pool-outage.md#t-0302">the\n'
        'alert</a> and <a href="https://example.com/x.png">this</a>.</figcaption>\n'
        "</figure>\n"
    )
    tokens, (reports, files) = rewrite(text)
    assert tokens[3].type == "html_block"
    assert tokens[3].content == (
        "<figure>\n"
        '<!-- <img src="old.png"> -->\n'
        '<img alt="Pool" src="../files/2025/img/a%26b.png" width=300>\n'
        '<figcaption>See <a href="../pool-outage/#t-0302">the\n'
        'alert</a> and <a href="https://example.com/x.png">this</a>.</figcaption>\n'
        "</figure>\n"
    )
    assert reports == [ReportLink("pool-outage", "../pool-outage.md", 10, "t-0302")]
    assert files == [FileLink("2025/img/a&b.png", 9)]


def test_raw_html_rendered_after_rewrite() -> None:
    body = read_body(
        '<p><img src="img/raw.png" width="300"></p>\n\nA <img src="b.png"> c\n',
        "2025/r.md",
        5,
        "Title",
        UTC,
        None,
    )
    assert '<img src="../files/2025/img/raw.png" width="300">' in body.html
    assert '<img src="../files/2025/b.png">' in body.html
    assert body.file_links == [
        FileLink("2025/img/raw.png", 5),
        FileLink("2025/b.png", 7),
    ]


def test_raw_html_left_as_written() -> None:
    text = (
        '<img src="https://example.com/a.png"> <img src="/static/b.png">\n'
        '<img alt="no source"> <a href="#t-0302">up</a> <a href="../trends/">t</a>\n'
        '<abbr title="x.png">X</abbr> <img src> <img src=""> <a href="mailto:a@b.c">\n'
        "\n"
        '<script>document.write("<img src=c.png>")</script>\n'
    )
    parser = markdown_parser()
    tokens, (reports, files) = rewrite(text)
    assert parser.renderer.render(tokens, parser.options, {}) == parser.render(text)
    assert reports == []
    assert files == []


def with_body(text: str, **front: str) -> str:
    """Return GOOD_REPORT with text after its summary line and extra front matter."""
    report = GOOD_REPORT.replace("pool was full.\n", f"pool was full.\n{text}", 1)
    for key, value in front.items():
        report = report.replace("tags: [database]", f"tags: [database]\n{key}: {value}")
    return report


def test_build_checks_report_links(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "2025/checkout.md": with_body(
            "See [pool](../2024/Pool%20Outage.md#t-1000), [old](cache-v1.md),\n"
            "[draft](dns-outage.md), [broken](broken.md) and [typo](pol-outage.md).\n"
        ),
        "2024/Pool Outage.md": GOOD_REPORT,
        "cache-outage.md": with_body("", aliases="[cache-v1]"),
        "dns-outage.md": with_body("", status="draft"),
        "broken.md": GOOD_REPORT.replace("severity: SEV2", "severity: SEV9"),
    })  # fmt: skip
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(site)]) == 1
    output = capsys.readouterr().err.splitlines()
    problems = [line for line in output if "checkout.md" in line]
    assert problems == [
        f"{content}/2025/checkout.md:19:1: warning: link to 'pol-outage.md' matches "
        "no postmortem (fix the file name, or use a full URL for a file that is not "
        "a postmortem. Did you mean 'Pool Outage.md'?)",
        f"{content}/2025/checkout.md:19:1: warning: linked postmortem 'dns-outage.md' "
        "is a draft and is left out of the site (build with --drafts to include it)",
    ]
    # The broken report's own error is the only line about it, with no link warning.
    broken = [line for line in output if "broken.md" in line]
    assert len(broken) == 1
    assert broken[0].startswith(f"{content}/broken.md:3:11: error: unknown severity")

    # Without the broken report the site is written.
    (content / "broken.md").unlink()
    assert main(["build", "--content", str(content), "--output", str(site)]) == 0
    html = (site / "checkout" / "index.html").read_text()
    assert '<a href="../pool-outage/#t-1000">pool</a>' in html
    assert '<a href="../cache-v1/">old</a>' in html
    assert (site / "pool-outage" / "index.html").is_file()
    assert "url=../cache-outage/" in (site / "cache-v1" / "index.html").read_text()


def test_build_publishes_linked_files(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "2025/checkout.md": with_body(
            "![Pool](img/pool.svg) and [the log](../logs/pool.txt).\n"
            "[Gone](img/gone.png), [out](../../secret.txt), [hidden](.env.txt).\n"
        ),
        "2025/img/pool.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "logs/pool.txt": "pool exhausted\n",
        "logs/unlinked.txt": "never published\n",
        "draft.md": with_body("![Draft only](logs/draft.png)\n", status="draft"),
        "logs/draft.png": "png",
    })  # fmt: skip
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(site)]) == 0
    warnings = [
        line for line in capsys.readouterr().err.splitlines() if "link to" in line
    ]
    hint = "(put the file in the content folder; its path is relative to this report's folder)"
    assert warnings == [
        f"{content}/2025/checkout.md:19:1: warning: link to '../secret.txt' leads out "
        f"of the content folder {hint}",
        f"{content}/2025/checkout.md:19:1: warning: link to '2025/.env.txt' names a "
        f"hidden or temporary file, which is never published "
        "(rename the file so that no part of its path starts with '.')",
        f"{content}/2025/checkout.md:19:1: warning: link to '2025/img/gone.png' is not "
        f"found in the content folder {hint}",
    ]
    html = (site / "checkout" / "index.html").read_text()
    assert '<img src="../files/2025/img/pool.svg" alt="Pool">' in html
    assert '<a href="../files/logs/pool.txt">the log</a>' in html
    published = sorted(
        p.relative_to(site / "files").as_posix() for p in (site / "files").rglob("*")
    )
    assert published == [
        "2025",
        "2025/img",
        "2025/img/pool.svg",
        "logs",
        "logs/pool.txt",
    ]

    # A changed file is published again, although no report changed.
    (content / "logs" / "pool.txt").write_text("pool exhausted at 10:02\n")
    assert main(["build", "--content", str(content), "--output", str(site)]) == 0
    assert (site / "files/logs/pool.txt").read_text() == "pool exhausted at 10:02\n"


def test_build_checks_link_fragments(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "2025/checkout.md": with_body(
            "See [start](Pool%20Outage.md#t-1000), [fix](pool-outage.md#action-items-table),\n"
            "[gone](Pool%20Outage.md#t-9999), [old](cache-v1.md#t-1040) and\n"
            "[stale](cache-v1.md#t-1041), [typo](pool-outage.md#timelin),\n"
            "[text](pool-outage.md#:~:text=pool), [top](pool-outage.md#top) and\n"
            "[item](pool-outage.md#action-alert-on-pool-saturation-above-80).\n"
        ),
        "2024/Pool Outage.md": GOOD_REPORT,
        "cache-outage.md": with_body("", aliases="[cache-v1]"),
    })  # fmt: skip
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(site)]) == 0
    output = capsys.readouterr().err.splitlines()
    problems = [line for line in output if "checkout.md" in line]
    assert problems == [
        f"{content}/2025/checkout.md:19:1: warning: link to 'Pool Outage.md#t-9999' "
        "names no place in that postmortem (anchors of that page include 'summary', "
        "'timeline', 't-1000' and 'action-alert-on-pool-saturation-above-80'. "
        "A heading's anchor is its text in lower case with '-' between words, "
        "and a timeline entry's is 't-' and its time, like 't-0302')",
        f"{content}/2025/checkout.md:20:1: warning: link to 'cache-v1.md#t-1041' "
        "names no place in that postmortem (did you mean 't-1040'?)",
        f"{content}/2025/checkout.md:20:1: warning: link to 'pool-outage.md#timelin' "
        "names no place in that postmortem (did you mean 'timeline'?)",
    ]
    html = (site / "checkout" / "index.html").read_text()
    assert '<a href="../pool-outage/#t-9999">gone</a>' in html
    assert '<a href="../cache-v1/#t-1040">old</a>' in html


def test_build_publishes_raw_img(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "2025/checkout.md": with_body(
            '\n<div>\n<img src="img/pool.svg" width="300">\n<img alt="Gone"\n'
            '  src="img/gone.png">\n</div>\n\nAs <img src="../logs/pool.png"> shows.\n'
        ),
        "2025/img/pool.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "logs/pool.png": "png",
    })  # fmt: skip
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(site)]) == 0
    warnings = [
        line for line in capsys.readouterr().err.splitlines() if "link to" in line
    ]
    assert warnings == [
        f"{content}/2025/checkout.md:22:1: warning: link to '2025/img/gone.png' is "
        "not found in the content folder (put the file in the content folder; its "
        "path is relative to this report's folder)",
    ]
    html = (site / "checkout" / "index.html").read_text()
    assert '<img src="../files/2025/img/pool.svg" width="300">' in html
    assert '<img alt="Gone" src="../files/2025/img/gone.png">' in html
    assert 'As <img src="../files/logs/pool.png"> shows.' in html
    assert (site / "files/2025/img/pool.svg").is_file()
    assert (site / "files/logs/pool.png").is_file()
