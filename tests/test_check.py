"""pmkb check: each lint rule, the output formats, exit codes and named files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPOSITORY, write_files

from generator.check import CheckResult, format_github
from generator.cli import main
from generator.errors import Level, Problem

# A report that passes every rule; each case below changes one part of it.
CLEAN = """\
---
title: Checkout errors from exhausted database connection pool
severity: SEV3
timezone: UTC
started: 2025-03-04 10:00
detected: 2025-03-04 10:04
resolved: 2025-03-04 10:40
impact: 30% of checkout requests failed for 40 minutes
root_cause:
  category: resource-exhaustion
  summary: The pool was sized for half of the peak traffic
services: [checkout, mysql]
authors: [sre]
---
## Summary

Checkout requests failed while the connection pool was full.

## Timeline

- 10:00 - Error rate starts to rise
- 10:04 - Error-rate alert pages the on-call engineer
- 10:40 - Pool size raised and errors stop

## Root Cause

- Direct: every connection of the pool was in use.
- Fundamental: the pool size was never revisited after traffic doubled.
- System: no alert watches pool saturation.

## Resolution

The pool size was raised from 50 to 120.

## Action Items

- Alert on pool saturation above 80% (Owner: sre, Due: 2025-03-20)

## Lessons Learned

Capacity settings need an owner and a review date.
"""
SINGLE_CAUSE = """\
## Root Cause

The pool was too small for the traffic.
"""
LEVELS = CLEAN[CLEAN.index("## Root Cause") : CLEAN.index("## Resolution")]
ITEM = "- Alert on pool saturation above 80% (Owner: sre, Due: 2025-03-20)"
SUMMARY = "Checkout requests failed while the connection pool was full."
HINTS = {
    "action-due": "add (Due: YYYY-MM-DD) to the item, or due: in front matter",
    "action-owner": "add (Owner: team-or-person) to the item, or owner: in front matter",
    "blame": "describe what in the system allowed the action: a missing check, guard, alert or safe default",
    "authors": "list the names of the people who wrote the report in authors:, so readers know whom to ask",
    "placeholder": "replace it with the facts of this incident, or delete the line",
    "single-level-cause": "name the direct cause, the fundamental cause and the system cause, or add a '## 5 Whys' section",
    "timeline": "put the entries in time order, or write the date of an entry on another day",
    "window": "move 'resolved' if the impact lasted longer, or move follow-up work to Resolution or Action Items",
    "vague-action": "name a change that makes the mistake impossible or visible: a check, a test, an alert, a safer default",
    "vague-monitoring": "name the metric or check and when it alerts, e.g. 'alert when pool use is above 80% for 5 minutes'",
    "vague-title": "say what broke, for whom and why, e.g. '2-hour checkout outage from an expired certificate'",
}  # fmt: skip

# (case, [(old, new)], [(line text or None for line 1, column, expected rest)])
FAILING = [
    ("missing-section", [("## Resolution\n\nThe pool size was raised from 50 to 120.\n\n", "")],
     [(None, 1, "warning: missing section 'Resolution' [missing-section] (add a '## Resolution' on how the impact was ended and the fault fixed)")]),
    ("missing-summary", [("## Summary\n\n" + SUMMARY + "\n\n", "")],
     [(None, 1, "warning: missing section 'Summary' [missing-section] (add a '## Summary' of what happened, who was affected and how it ended, or a summary: field)")]),
    ("five-whys-for-sev1", [("severity: SEV3", "severity: SEV1"), (LEVELS, SINGLE_CAUSE + "\n")],
     [(None, 1, "warning: missing section '5 Whys', recommended for SEV1 reports [missing-section] (add a '## 5 Whys' that asks why until it reaches a cause in the system)"),
      ("## Root Cause", 1, f"warning: root cause names only one level of cause [single-level-cause] ({HINTS['single-level-cause']})")]),
    ("missing-authors", [("authors: [sre]\n", "")],
     [(None, 1, f"warning: missing recommended field 'authors' [missing-field] ({HINTS['authors']})")]),
    ("empty-authors", [("authors: [sre]", "authors: []")],
     [("authors:", 1, f"warning: missing recommended field 'authors' [missing-field] ({HINTS['authors']})")]),
    ("missing-cause-summary", [("  summary: The pool was sized for half of the peak traffic\n", "")],
     [("  category:", 1, "warning: missing recommended field 'root_cause.summary' [missing-field] (add root_cause: summary: one line on why it happened)")]),
    ("empty-cause-summary", [("  summary: The pool was sized for half of the peak traffic", "  summary: ''")],
     [("  summary:", 1, "warning: missing recommended field 'root_cause.summary' [missing-field] (add root_cause: summary: one line on why it happened)")]),
    ("timeline-order", [("- 10:04 - Error-rate", "- 09:58 - Error-rate")],
     [("- 09:58", 1, f"warning: timeline entry at 09:58 is earlier than the entry before it (10:00) [timeline-order] ({HINTS['timeline']})")]),
    ("timeline-after-resolved", [("errors stop\n", "errors stop\n- 11:30 - Review meeting\n")],
     [("- 11:30", 1, f"warning: timeline entry at 11:30 is after 'resolved' (10:40) [timeline-outside-window] ({HINTS['window']})")]),
    ("timeline-after-resolved-next-day", [("errors stop\n", "errors stop\n- 11:30 - Review meeting\n- 2025-03-05 09:00 - Pool alert deployed\n")],
     [("- 11:30", 1, f"warning: 2 timeline entries are after 'resolved' (10:40), the first at 11:30 [timeline-outside-window] ({HINTS['window']})")]),
    ("timeline-after-resolved-multi-day", [("started: 2025-03-04 10:00", "started: 2025-03-03 10:00"), ("- 10:00 - Error rate", "- 2025-03-03 10:00 - Error rate"),
                                           ("- 10:04 - Error-rate", "- 2025-03-04 10:04 - Error-rate"), ("errors stop\n", "errors stop\n- 11:30 - Review meeting\n")],
     [("- 11:30", 1, f"warning: timeline entry at 2025-03-04 11:30 is after 'resolved' (2025-03-04 10:40) [timeline-outside-window] ({HINTS['window']})")]),
    ("timeline-order-multi-day", [("started: 2025-03-04 10:00", "started: 2025-03-03 10:00"), ("- 10:00 - Error rate", "- 2025-03-03 10:00 - Error rate"),
                                  ("- 10:04 - Error-rate", "- 2025-03-04 10:04 - Error-rate"), ("- 10:40 - Pool", "- 09:58 - Pool")],
     [("- 09:58", 1, f"warning: timeline entry at 2025-03-04 09:58 is earlier than the entry before it (2025-03-04 10:04) [timeline-order] ({HINTS['timeline']})")]),
    ("action-owner", [(ITEM, "- Alert on pool saturation above 80% (Due: 2025-03-20)")],
     [("- Alert on", 1, f"warning: action item has no owner: 'Alert on pool saturation above 80%' [action-owner] ({HINTS['action-owner']})")]),
    ("action-due", [(ITEM, "- Alert on pool saturation above 80% (Owner: sre)")],
     [("- Alert on", 1, f"warning: open action item has no due date: 'Alert on pool saturation above 80%' [action-due] ({HINTS['action-due']})")]),
    ("vague-careful", [(ITEM, "- Be more careful with pool settings (Owner: sre, Due: 2025-03-20)")],
     [("- Be more", 1, f"warning: vague action item: 'Be more careful' in 'Be more careful with pool settings' [vague-action] ({HINTS['vague-action']})")]),
    ("vague-double-check", [(ITEM, "- Double check pool sizes before releases (Owner: sre, Due: 2025-03-20)")],
     [("- Double", 1, f"warning: vague action item: 'Double check' in 'Double check pool sizes before releases' [vague-action] ({HINTS['vague-action']})")]),
    ("vague-monitoring", [(ITEM, "- Improve monitoring of the pool (Owner: sre, Due: 2025-03-20)")],
     [("- Improve", 1, f"warning: vague action item: 'Improve monitoring' in 'Improve monitoring of the pool' [vague-action] ({HINTS['vague-monitoring']})")]),
    ("single-level-cause", [(LEVELS, SINGLE_CAUSE + "\n")],
     [("## Root Cause", 1, f"warning: root cause names only one level of cause [single-level-cause] ({HINTS['single-level-cause']})")]),
    ("blame-forgot", [(SUMMARY, "Checkout failed because Sam forgot to resize the pool.")],
     [("Sam forgot", 25, f"warning: blaming language: 'Sam forgot' [blame] ({HINTS['blame']})")]),
    ("blame-should-have", [(SUMMARY, "John should have checked the pool size.")],
     [("John", 1, f"warning: blaming language: 'John should have' [blame] ({HINTS['blame']})")]),
    ("blame-failed-to", [(SUMMARY, "Then Alice failed to renew the certificate.")],
     [("Alice", 6, f"warning: blaming language: 'Alice failed to' [blame] ({HINTS['blame']})")]),
    ("blame-someone-didnt", [(SUMMARY, "Someone didn't follow the runbook.")],
     [("Someone", 1, f"warning: blaming language: 'Someone didn't' [blame] ({HINTS['blame']})")]),
    ("blame-full-name-forgot", [(SUMMARY, "Pools filled up when Sam Lee forgot to resize them.")],
     [("Sam Lee", 22, f"warning: blaming language: 'Sam Lee forgot' [blame] ({HINTS['blame']})")]),
    ("blame-neglected", [(SUMMARY, "Bo neglected the capacity review.")],
     [("Bo neglected", 1, f"warning: blaming language: 'Bo neglected' [blame] ({HINTS['blame']})")]),
    ("blame-ignored", [(SUMMARY, "Dana ignored the saturation alert.")],
     [("Dana", 1, f"warning: blaming language: 'Dana ignored' [blame] ({HINTS['blame']})")]),
    ("blame-the-operator", [(SUMMARY, "Checkout failed after the operator did not resize the pool.")],
     [("operator", 23, f"warning: blaming language: 'the operator did not' [blame] ({HINTS['blame']})")]),
    ("blame-name-in-lower-case-owner", [(SUMMARY, "Sre forgot to resize the pool.")],
     [("Sre forgot", 1, f"warning: blaming language: 'Sre forgot' [blame] ({HINTS['blame']})")]),
    ("blame-human-error", [(SUMMARY, "The root cause was human error.")],
     [("human error", 20, f"warning: blaming language: 'human error' [blame] ({HINTS['blame']})")]),
    ("blame-should-have-known", [(SUMMARY, "The on-call engineer should have known the limit.")],
     [("should have", 1, f"warning: blaming language: 'The on-call engineer should have' [blame] ({HINTS['blame']})")]),
    ("vague-title", [("title: Checkout errors from exhausted database connection pool", "title: DB incident")],
     [("title:", 1, f"warning: title says little about the incident: 'DB incident' [vague-title] ({HINTS['vague-title']})")]),
    ("vague-title-date", [("title: Checkout errors from exhausted database connection pool", "title: Outage 2024-03")],
     [("title:", 1, f"warning: title says little about the incident: 'Outage 2024-03' [vague-title] ({HINTS['vague-title']})")]),
    ("placeholder", [(SUMMARY, "TODO: write the summary.")],
     [("TODO", 1, f"warning: template text left in place: 'TODO' [placeholder] ({HINTS['placeholder']})")]),
    ("placeholder-required-value", [("impact: 30% of checkout requests failed for 40 minutes", "impact: 'TODO: who was affected'")],
     [("impact:", 10, "warning: template text left in place: 'TODO' [placeholder] (fill in the value of 'impact', which is required)")]),
    ("placeholder-required-comment", [("  category: resource-exhaustion", "  category: unknown  # TODO: pick one")],
     [("  category:", 24, "warning: template text left in place: 'TODO' [placeholder] (fill in the value of 'root_cause.category', which is required)")]),
    ("placeholder-recommended-comment", [("resolved: 2025-03-04 10:40", "resolved: 2025-03-04 10:40  # TODO: check")],
     [("resolved:", 31, "warning: template text left in place: 'TODO' [placeholder] (fill in the value of 'resolved', which is recommended)")]),
    ("placeholder-optional-field", [("authors: [sre]", "authors: [sre]\ntags: [TODO]")],
     [("tags:", 8, f"warning: template text left in place: 'TODO' [placeholder] ({HINTS['placeholder']})")]),
]  # fmt: skip

PASSING = [
    ("done-item-without-due", [(ITEM, "- Alert on pool saturation above 80% (Owner: sre, Done: 2025-03-10)")]),
    ("dropped-item-without-owner", [(ITEM, "- Alert on pool saturation above 80% (Status: wont-do)")]),
    ("entry-before-started", [("- 10:00 - Error rate", "- 09:30 - Pool settings deployed\n- 10:00 - Error rate")]),
    ("entry-at-resolved", [("- 10:40 - Pool", "- 10:40 - Pool")]),
    ("system-forgot", [(SUMMARY, "The deploy script forgot to raise the pool size.")]),
    ("system-failed-to", [(SUMMARY, "The deploy failed to raise the pool size.")]),
    ("system-didnt", [(SUMMARY, "The alert didn't fire before the pool was full.")]),
    ("error-budget", [(SUMMARY, "A human error budget of 1% was spent.")]),
    ("service-failed-to", [(SUMMARY, "Mysql failed to accept connections.")]),
    ("product-failed-to", [(SUMMARY, "Later Kubernetes failed to schedule the pods.")]),
    ("product-name-words", [(SUMMARY, "New hosts from Auto Scaling Groups failed to start.")]),
    ("common-noun-failed-to", [(SUMMARY, "Pool failed to grow, so checkout failed.")]),
    ("we-did-not", [(SUMMARY, "We did not alert on pool saturation.")]),
    ("person-without-access", [(SUMMARY, "Alice didn't have access to the pool settings.")]),
    ("not-because-someone-forgot", [(SUMMARY, "The pool was full, not because someone forgot to resize it.")]),
    ("prevent-human-error", [(SUMMARY, "A guard now prevents human error when resizing pools.")]),
    ("not-human-error", [(SUMMARY, "This was not human error but a missing limit.")]),
    ("default-of", [(SUMMARY, "The pool kept its default of 50 connections.")]),
    ("blame-in-code-span", [(SUMMARY, "The log said `human error` for every failed request.")]),
    ("todo-in-code-block", [(SUMMARY, SUMMARY + "\n\n```text\nTODO: HH:MM human error\n```")]),
    ("concrete-monitoring", [(ITEM, "- Improve monitoring: alert when pool use is above 80% for 5 minutes (Owner: sre, Due: 2025-03-20)")]),
    ("mechanism-double-check", [(ITEM, "- Add a CI step that double checks pool sizes (Owner: sre, Due: 2025-03-20)")]),
    ("five-whys-instead-of-levels", [("severity: SEV3", "severity: SEV1"), (LEVELS, SINGLE_CAUSE + "\n## 5 Whys\n\n1. Why? The pool was full.\n2. Why? It was never resized.\n\n")]),
    ("contributing-factors-as-system", [(LEVELS, "## Root Cause\n\nThe direct cause was a full pool.\n\n"), ("authors: [sre]", "authors: [sre]\ncontributing_factors: [no saturation alert]")]),
    ("cause-level-headings", [(LEVELS, "## Root Cause\n\n### Direct cause\n\nA full pool.\n\n### System cause\n\nNo alert.\n\n")]),
    ("summary-field-for-section", [("## Summary\n\n" + SUMMARY + "\n\n", ""), ("authors: [sre]", "authors: [sre]\nsummary: " + SUMMARY)]),
]  # fmt: skip


def report(changes: list[tuple[str, str]]) -> str:
    """Return CLEAN with each (old, new) replacement applied once."""
    text = CLEAN
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_number(text: str, needle: str | None) -> int:
    if needle is None:
        return 1
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def check(*args: str) -> int:
    return main(["check", *args])


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, so problems name files as content/…."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "changes, expected", [case[1:] for case in FAILING], ids=[c[0] for c in FAILING]
)
def test_rule_reports(kb_dir: Path, capsys, changes, expected) -> None:
    text = report(changes)
    write_files(kb_dir / "content", {"r.md": text})
    assert check() == 0
    lines = capsys.readouterr().out.splitlines()
    wanted = [
        f"content/r.md:{line_number(text, needle)}:{column}: {rest}"
        for needle, column, rest in expected
    ]
    assert lines[:-1] == wanted
    count = "1 warning" if len(wanted) == 1 else f"{len(wanted)} warnings"
    assert lines[-1] == f"checked 1 file: 0 errors, {count}"


@pytest.mark.parametrize(
    "changes", [case[1] for case in PASSING], ids=[c[0] for c in PASSING]
)
def test_rule_passes(kb_dir: Path, capsys, changes) -> None:
    write_files(kb_dir / "content", {"r.md": report(changes)})
    assert check() == 0
    assert capsys.readouterr().out == "checked 1 file: 0 errors, 0 warnings\n"


def test_clean_report_has_no_findings(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"r.md": CLEAN})
    assert check("--strict") == 0
    assert capsys.readouterr().out == "checked 1 file: 0 errors, 0 warnings\n"


def test_bundled_content_is_clean(capsys) -> None:
    assert check("--content", str(REPOSITORY / "content"), "--drafts") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(" files: 0 errors, 0 warnings")


def test_rule_levels_from_config(kb_dir: Path, capsys) -> None:
    title = report([("title: Checkout errors from exhausted database connection pool", "title: DB incident")])  # fmt: skip
    text = report([(SUMMARY, "Human error.")]).replace("authors: [sre]\n", "")
    write_files(kb_dir / "content", {
        "kb.toml": '[rules]\nvague-title = "error"\nmissing-field = "off"\n',
        "a.md": title,
        "b.md": text,
    })  # fmt: skip
    assert check() == 1
    assert capsys.readouterr().out.splitlines() == [
        f"content/a.md:2:1: error: title says little about the incident: 'DB incident' [vague-title] ({HINTS['vague-title']})",
        f"content/b.md:16:1: warning: blaming language: 'Human error' [blame] ({HINTS['blame']})",
        "checked 2 files: 1 error, 1 warning",
    ]  # fmt: skip


UNKNOWN_RULES = [
    "content/kb.toml:4:1: error: unknown rule 'blaming' (did you mean 'blame'?)",
    "content/kb.toml:5:1: error: unknown rule 'zzz' (use one of: missing-section, missing-field, timeline-order, timeline-outside-window, action-owner, action-due, vague-action, single-level-cause, blame, vague-title, placeholder)",
]  # fmt: skip


def test_unknown_rule_in_config(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {
        "kb.toml": 'title = "x"\n\n[rules]\nblaming = "error"\nzzz = "off"\n',
        "r.md": CLEAN,
    })  # fmt: skip
    assert check() == 1
    assert capsys.readouterr().out.splitlines() == [
        *UNKNOWN_RULES,
        "checked 0 files: 2 errors, 0 warnings",
    ]


def test_unknown_rule_fails_build(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {
        "kb.toml": 'title = "x"\n\n[rules]\nblaming = "error"\nzzz = "off"\n',
        "r.md": CLEAN,
    })  # fmt: skip
    assert main(["build", "--output", "site"]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == UNKNOWN_RULES
    assert not (kb_dir / "site").exists()


def two_findings_kb(root: Path) -> None:
    """Write a report with one lint error and one lint warning."""
    text = report([
        ("title: Checkout errors from exhausted database connection pool", "title: '50%: DB, down'"),
        (SUMMARY, "Checkout failed because of human error."),
    ])  # fmt: skip
    write_files(root / "content", {
        "kb.toml": '[rules]\nblame = "error"\n',
        "r.md": text,
    })  # fmt: skip


def test_text_format(kb_dir: Path, capsys) -> None:
    two_findings_kb(kb_dir)
    assert check("--format", "text") == 1
    assert capsys.readouterr().out == (
        f"content/r.md:2:1: warning: title says little about the incident: '50%: DB, down' [vague-title] ({HINTS['vague-title']})\n"
        f"content/r.md:17:28: error: blaming language: 'human error' [blame] ({HINTS['blame']})\n"
        "checked 1 file: 1 error, 1 warning\n"
    )  # fmt: skip


def test_json_format(kb_dir: Path, capsys) -> None:
    two_findings_kb(kb_dir)
    assert check("--format", "json") == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [
        {
            "path": "content/r.md",
            "line": 2,
            "column": 1,
            "level": "warning",
            "rule": "vague-title",
            "message": "title says little about the incident: '50%: DB, down'",
            "hint": HINTS["vague-title"],
        },
        {
            "path": "content/r.md",
            "line": 17,
            "column": 28,
            "level": "error",
            "rule": "blame",
            "message": "blaming language: 'human error'",
            "hint": HINTS["blame"],
        },
    ]
    assert "pmkb: checked 1 file: 1 error, 1 warning" in captured.err


def test_json_format_empty(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"r.md": CLEAN})
    assert check("--format", "json") == 0
    assert capsys.readouterr().out == "[]\n"


def test_github_format(kb_dir: Path, capsys) -> None:
    two_findings_kb(kb_dir)
    assert check("--format", "github") == 1
    assert capsys.readouterr().out == (
        "::warning file=content/r.md,line=2,col=1,title=pmkb vague-title::"
        f"title says little about the incident: '50%25: DB, down' ({HINTS['vague-title']})\n"
        "::error file=content/r.md,line=17,col=28,title=pmkb blame::"
        f"blaming language: 'human error' ({HINTS['blame']})\n"
    )  # fmt: skip


def test_github_escaping() -> None:
    problem = Problem("a,b:c%.md", 3, 1, Level.ERROR, "50% done\r\nnext, line: x", "")
    assert format_github(CheckResult([problem])) == (
        "::error file=a%2Cb%3Ac%25.md,line=3,col=1,title=pmkb::50%25 done%0D%0Anext, line: x\n"
    )


def test_validation_problems_without_rule(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"r.md": CLEAN.replace("SEV3", "SEV9")})
    assert check("--format", "github") == 1
    assert capsys.readouterr().out == (
        "::error file=content/r.md,line=3,col=11,title=pmkb::"
        "unknown severity 'SEV9' (use one of: SEV1, SEV2, SEV3, SEV4, or an alias such as 'critical' or 'P1')\n"
    )


def test_strict_fails_on_warnings(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"r.md": CLEAN.replace("authors: [sre]\n", "")})
    assert check() == 0
    assert check("--strict") == 1


def test_usage_errors_exit_2(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"r.md": CLEAN})
    assert check("--format", "xml") == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err
    assert check("content/missing.md") == 2
    assert (
        capsys.readouterr().err
        == "pmkb check: error: file not found: content/missing.md\n"
    )


def test_exit_codes_in_subprocess(kb_dir: Path) -> None:
    write_files(
        kb_dir / "content", {"good/r.md": CLEAN, "bad/r.md": CLEAN.replace("SEV3", "x")}
    )
    command = [sys.executable, "-m", "generator", "check", "--content"]

    def run(*args: str) -> int:
        return subprocess.run(
            [*command, *args], capture_output=True, check=False
        ).returncode

    assert run("content/good") == 0
    assert run("content/bad") == 1
    assert run("content/good", "--format", "yaml") == 2


def test_link_loop_warned(kb_dir: Path, capsys) -> None:
    write_files(kb_dir, {"content/a.md": report([])})
    (kb_dir / "content" / "loop.md").symlink_to(kb_dir / "content" / "loop.md")
    assert check() == 0
    assert capsys.readouterr().out.splitlines() == [
        "content/loop.md:1:1: warning: loop.md is a symbolic link that leads back "
        "to itself; it is left out (delete the link, or point it at a report)",
        "checked 1 file: 0 errors, 1 warning",
    ]


def test_named_files_only(kb_dir: Path, capsys) -> None:
    vague = report([("title: Checkout errors from exhausted database connection pool", "title: DB incident")])  # fmt: skip
    write_files(kb_dir, {
        "content/a.md": vague.replace("authors: [sre]", "authors: [sre]\nrelated: [b]"),
        "content/b.md": vague,
        "content/c.md": vague.replace("severity: SEV3", "severity: nope"),
        "README.md": "# not a postmortem\n",
    })  # fmt: skip
    assert check("content/a.md", "README.md") == 0
    lines = capsys.readouterr().out.splitlines()
    # b.md is read, so 'related: [b]' resolves, but only a.md is reported.
    # c.md's invalid severity is left out too, because c.md is not named.
    assert lines == [
        f"content/a.md:2:1: warning: title says little about the incident: 'DB incident' [vague-title] ({HINTS['vague-title']})",
        "checked 1 file: 0 errors, 1 warning",
    ]  # fmt: skip


def test_named_folder(kb_dir: Path, capsys) -> None:
    write_files(
        kb_dir / "content",
        {"2024/a.md": CLEAN, "2025/b.md": CLEAN.replace("SEV3", "x")},
    )
    assert check("content/2024") == 0
    assert capsys.readouterr().out == "checked 1 file: 0 errors, 0 warnings\n"
    assert check("content/2025") == 1


def test_named_files_exit_code(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"a.md": CLEAN, "b.md": CLEAN.replace("SEV3", "x")})
    assert check("content/a.md") == 0
    assert check("content/b.md") == 1


def test_related_to_unknown_id_reported(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"a.md": CLEAN.replace("authors: [sre]", "authors: [sre]\nrelated: [bb]"), "b.md": CLEAN})  # fmt: skip
    assert check("content/a.md") == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/a.md:14:1: error: related id 'bb' matches no postmortem (did you mean 'b'?)",
        "checked 1 file: 1 error, 0 warnings",
    ]


def test_drafts_are_linted(kb_dir: Path, capsys) -> None:
    draft = CLEAN.replace("authors: [sre]", "status: draft").replace(SUMMARY, "TODO")
    write_files(kb_dir / "content", {"d.md": draft})
    expected = [
        f"content/d.md:1:1: warning: missing recommended field 'authors' [missing-field] ({HINTS['authors']})",
        f"content/d.md:17:1: warning: template text left in place: 'TODO' [placeholder] ({HINTS['placeholder']})",
        "checked 1 file: 0 errors, 2 warnings",
    ]  # fmt: skip
    assert check() == 0
    assert capsys.readouterr().out.splitlines() == expected
    assert check("--drafts") == 0
    assert capsys.readouterr().out.splitlines() == expected
    assert check("content/d.md") == 0
    assert capsys.readouterr().out.splitlines() == expected


def test_missing_content_folder(kb_dir: Path, capsys) -> None:
    assert check("--content", "nowhere") == 1
    assert capsys.readouterr().out.splitlines() == [
        "nowhere:1:1: error: content folder not found (run from the folder that contains it or pass --content)",
        "checked 0 files: 1 error, 0 warnings",
    ]


TITLE = "title: Checkout errors from exhausted database connection pool"
CATEGORY_LIST = (
    "config-change, deployment, software-bug, resource-exhaustion, capacity, "
    "dependency-failure, infrastructure, network, certificate-expiry, data, security, "
    "time, process, unknown"
)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("severity: SEV3", "severity: SEV9", "3:11: error: unknown severity 'SEV9' (use one of: SEV1, SEV2, SEV3, SEV4, or an alias such as 'critical' or 'P1')"),
        ("severity: SEV3", "severity: 3", "3:11: error: unknown severity '3' (did you mean 'SEV3'?)"),
        ("severity: SEV3", "severity: Sev 2", "3:11: error: unknown severity 'Sev 2' (did you mean 'SEV2'?)"),
        ("severity: SEV3", "severity: critcal", "3:11: error: unknown severity 'critcal' (did you mean 'critical'?)"),
        ("category: resource-exhaustion", "category: bogus", f"10:13: error: unknown root-cause category 'bogus' (use one of: {CATEGORY_LIST})"),
        (TITLE, "title: [Checkout errors]", "2:8: error: 'title' must be text, not a list (put the text in quotes, because YAML reads '[…]' and '- item' lines as a list)"),
        (TITLE, "title: {Checkout errors}", "2:8: error: 'title' must be text, not a mapping (put the text in quotes, because YAML reads '{…}' and 'key: value' as a mapping)"),
        ("authors: [sre]", "authors: [sre]\nnonexistent_field: x", "14:1: warning: unknown field 'nonexistent_field' (remove it, map it with [field_aliases] or keep it with extra_fields in kb.toml)"),
    ],
)  # fmt: skip
def test_validation_hints(
    kb_dir: Path, capsys, old: str, new: str, expected: str
) -> None:
    write_files(kb_dir / "content", {"r.md": report([(old, new)])})
    check()
    assert capsys.readouterr().out.splitlines()[0] == f"content/r.md:{expected}"
