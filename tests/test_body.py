"""Body rendering: sanitising, highlighting, anchors, sections, timeline HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from generator.body import read_body, section_kind
from generator.markdown import markdown_parser, render_inline, sanitise

START = datetime(2025, 1, 15, 3, 0, tzinfo=UTC)


def render(text: str, title: str = "Title"):
    return read_body(text, "r.md", 5, title, UTC, START)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script>ok", "ok"),
        ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        (
            "<details><summary>More</summary>text</details>",
            "<details><summary>More</summary>text</details>",
        ),
        ("line<br>break", "line<br>break"),
        ('<p style="color:red" onclick="x()">p</p>', "<p>p</p>"),
        ('<iframe src="https://example.com"></iframe>x', "x"),
        ('<input type="text" value="x">', "<input>"),
        (
            '<input type="checkbox" checked disabled>',
            '<input type="checkbox" checked="" disabled="">',
        ),
        ("<style>body{}</style>x", "x"),
        ('<svg onload="alert(1)"></svg>x', "x"),
    ],
)
def test_sanitise(html: str, expected: str) -> None:
    assert sanitise(html) == expected


def test_raw_html_in_body_is_sanitised() -> None:
    body = render("## Notes\n\n<div onclick='x()'>hi<script>bad()</script></div>\n")
    assert "<div>hi</div>" in body.html
    assert "script" not in body.html
    assert "onclick" not in body.html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Run [the job](ftp://files.example/job) now.\n", "<a>the job</a>"),
        ("See [chat](slack://channel?id=1).\n", "<a>chat</a>"),
        ("![graph](data:image/png;base64,AAAA)\n", '<img alt="graph">'),
        ("Inline <b onclick='x()'>bold</b>.\n", "<b>bold</b>"),
        (
            "A timeline entry:\n\n- 10:00 <img src=x onerror=alert(1)>\n",
            '<img src="x">',
        ),
    ],
)
def test_raw_html_and_odd_schemes_sanitised(text: str, expected: str) -> None:
    body = render(text)
    assert expected in body.html
    assert "onclick" not in body.html
    assert "onerror" not in body.html


def test_plain_markdown_skips_sanitiser_safely() -> None:
    # Such bodies skip nh3: what markdown-it writes must already be clean.
    text = (
        '## Timeline\n\n- 10:00 Alert "CPU" fired & paged on-call (load < 3)\n\n'
        "## Action Items\n\n- [ ] Add a check (Owner: a, Due: 2025-02-01)\n"
        "- [x] Fix it\n\n| a | b |\n|:--|--:|\n| `<x>` | [l](https://e.example/?a=1&b=2) |\n\n"
        'Note[^1] and [mail](mailto:a@example.com) and ![i](p.png "t").\n\n'
        "[^1]: A footnote.\n\n```python\nprint('a' < \"b\")\n```\n"
    )
    body = render(text)
    assert "&quot;CPU&quot;" in body.html  # as markdown-it writes it; nh3 writes '"'
    assert _events(body.html) == _events(sanitise(body.html))


def _events(html: str) -> list[tuple]:
    """Return the tags, attributes and text of some HTML, entities decoded."""

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.events: list[tuple] = []

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            self.events.append(("start", tag, tuple(attrs)))

        handle_startendtag = handle_starttag

        def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
            self.events.append(("end", tag))

        def handle_data(self, data):  # type: ignore[no-untyped-def]
            if self.events and self.events[-1][0] == "text":
                data = self.events.pop()[1] + data
            self.events.append(("text", data))

    reader = Reader()
    reader.feed(html)
    reader.close()
    return reader.events


def test_template_syntax_shows_literally() -> None:
    body = render("Value {{ config.secret }} and {% if x %}y{% endif %}\n")
    assert "{{ config.secret }}" in body.html
    assert "{% if x %}" in body.html


def test_code_is_highlighted() -> None:
    body = render("```python\ndef f():\n    return 1\n```\n")
    assert '<pre class="highlight"><code class="language-python">' in body.html
    assert '<span class="k">def</span>' in body.html


def test_unknown_language_is_escaped() -> None:
    body = render("```nosuchlang\n<b>x</b>\n```\n")
    assert "&lt;b&gt;x&lt;/b&gt;" in body.html


def test_heading_anchors_are_stable_and_unique() -> None:
    body = render("## Root Cause\n\n## Root Cause\n\n### Ünïcode héading\n")
    assert [h.anchor for h in body.headings] == [
        "root-cause",
        "root-cause-1",
        "unicode-heading",
    ]
    assert '<h2 id="root-cause">' in body.html
    assert 'class="header-anchor" href="#root-cause"' in body.html


def test_tables_footnotes_tasks_strikethrough() -> None:
    text = "| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~ note[^1]\n\n- [x] done\n\n[^1]: A footnote.\n"
    html = render(text).html
    assert "<table>" in html
    assert '<td style="text-align:right">2</td>' in html
    assert "<s>old</s>" in html
    assert 'class="footnote-ref"' in html
    assert (
        '<input class="task-list-item-checkbox" checked="checked" disabled="disabled" type="checkbox">'
        in html
    )


def test_title_heading_is_dropped() -> None:
    body = render("# Title\n\n## Summary\n\nText\n")
    assert "<h1" not in body.html
    assert [h.title for h in body.headings] == ["Summary"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Timeline", "timeline"),
        ("Incident Timeline", "timeline"),
        ("Root Cause", "root-cause"),
        ("Root Causes", "root-cause"),
        ("5 Whys", "five-whys"),
        ("The Five Whys", "five-whys"),
        ("Action Items", "action-items"),
        ("Follow-up actions", "action-items"),
        ("Lessons Learned", "lessons-learned"),
        ("3. Resolution", "resolution"),
        ("Contributing Factors (findings)", "contributing-factors"),
        ("Attendees", ""),
    ],
)
def test_section_kind(title: str, kind: str) -> None:
    assert section_kind(title) == kind


def test_list_timeline_entries_and_html() -> None:
    text = "## Timeline\n\n- 03:00 - Errors *start*\n- 03:02 — Alert fires\n- Not an entry\n"
    body = render(text)
    assert [(e.anchor, e.time_text, e.text, e.line) for e in body.timeline] == [
        ("t-0300", "03:00", "Errors *start*", 7),
        ("t-0302", "03:02", "Alert fires", 8),
    ]
    assert '<ul class="timeline">' in body.html
    assert '<li id="t-0300" class="timeline-entry">' in body.html
    assert (
        '<time class="entry-time" datetime="2025-01-15T03:00:00+00:00">03:00</time> Errors <em>start</em>'
        in body.html
    )
    assert (
        '<a class="anchor-link" href="#t-0300" aria-label="Link to this entry">#</a>'
        in body.html
    )


def test_table_timeline_entries() -> None:
    text = "## Timeline\n\n| Time | Event |\n|---|---|\n| 2025-01-15 23:50 | Deploy |\n| 2025-01-16 00:10 | Alert |\n"
    body = render(text)
    assert [(e.anchor, e.text) for e in body.timeline] == [
        ("t-2025-01-15-2350", "Deploy"),
        ("t-2025-01-16-0010", "Alert"),
    ]
    assert '<table class="timeline">' in body.html
    assert '<tr id="t-2025-01-15-2350" class="timeline-entry">' in body.html


def test_duplicate_entry_times_get_unique_anchors() -> None:
    body = render("## Timeline\n\n- 03:00 - a\n- 03:00 - b\n")
    assert [e.anchor for e in body.timeline] == ["t-0300", "t-0300-2"]


def test_body_action_items_with_groups() -> None:
    text = (
        "## Action Items\n\n### Short term\n\n- [x] Add alert (Owner: sre, Done: 1/16)\n\n"
        "### Long term\n\n- [ ] Pool per tenant (Owner: db, Due: 2025-06-01)\n  - sub point\n\n"
        "## Lessons Learned\n\n- Not an item\n"
    )
    body = render(text)
    items = [
        (i.anchor, i.task, i.owner, i.status, i.group, i.line)
        for i in body.action_items
    ]
    assert items == [
        ("action-add-alert", "Add alert", "sre", "done", "Short term", 9),
        ("action-pool-per-tenant", "Pool per tenant", "db", "open", "Long term", 13),
    ]
    assert '<li class="task-list-item action-item" id="action-add-alert">' in body.html


def test_body_action_item_bad_date_warns() -> None:
    body = render("## Action Items\n\n- Fix (Owner: a, Due: later)\n")
    assert [p.format() for p in body.problems] == [
        "r.md:7:1: warning: invalid due date 'later' "
        "(write dates as YYYY-MM-DD and status as open, in-progress, done or wont-do)"
    ]


def test_impossible_timeline_times_warn() -> None:
    body = render(
        "## Timeline\n\n- 03:00 - Start\n- 25:99 - Typo\n- 2025-02-30 04:00 - Typo\n"
        "- 13:00 PM - Typo\n\n| Time | Event |\n|---|---|\n| 24:10 | Typo |\n"
    )
    hint = "(write the time as HH:MM, from 00:00 to 23:59, and the date as YYYY-MM-DD)"
    assert [p.format() for p in body.problems] == [
        f"r.md:{line}:1: warning: invalid date or time '{stamp}' at the start "
        f"of a timeline entry {hint}"
        for line, stamp in [
            (8, "25:99"),
            (9, "2025-02-30 04:00"),
            (10, "13:00 PM"),
            (14, "24:10"),
        ]
    ]
    assert [entry.text for entry in body.timeline] == ["Start"]


def test_inline_markdown_is_sanitised() -> None:
    assert render_inline("**bold** <script>x</script>") == "<strong>bold</strong> "


@pytest.mark.parametrize(
    "text",
    [
        'Rotate the "edge" certificate',
        "Add a 5-minute alert (p99 > 2 s)",
        "Café\tcrème — 100% done; see #42",
        "Spaces at the end  ",
        "a*b",
        "a_b_c",
        "Use `kubectl`",
        "[runbook](https://example.com)",
        "a\rb",
        "x ^[note]",
        "Tom & Jerry",
    ],
)
def test_inline_plain_text_as_parsed(text: str) -> None:
    # Plain text skips the parser; the result must be the parser's.
    parsed = sanitise(markdown_parser().renderInline(text))
    assert render_inline(text) == parsed


def test_level_one_headings_demoted() -> None:
    body = render(
        "# Title\n\n# Stats\n\nText\n\n## Detail\n\n# Timeline\n\n- 03:00 - a\n"
    )
    assert "<h1" not in body.html
    assert '<h2 id="stats">' in body.html
    assert '<h3 id="detail">' in body.html
    assert [(h.level, h.title) for h in body.headings] == [
        (2, "Stats"),
        (3, "Detail"),
        (2, "Timeline"),
    ]
    assert [entry.text for entry in body.timeline] == ["a"]
