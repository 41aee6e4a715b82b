"""pmkb new: the file it writes, its name, and what it refuses to do."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import write_files

from generator.cli import main
from generator.config import load_config
from generator.load import load_postmortem
from generator.scaffold import fill


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, so paths are shown as content/…."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_writes_template(kb_dir: Path, capsys) -> None:
    write_files(kb_dir / "content", {"kb.toml": 'timezone = "Asia/Seoul"\n'})
    code = main([
        "new", "Checkout outage from an expired payment certificate",
        "--severity", "critical", "--date", "2025-03-01", "--services", "checkout, payments",
    ])  # fmt: skip
    assert code == 0
    path = "content/2025-03-01-checkout-outage-from-an-expired-payment-certificate.md"
    assert capsys.readouterr().out == path + "\n"
    lines = (kb_dir / path).read_text().splitlines()
    assert lines[:6] == [
        "---",
        "# yaml-language-server: $schema=kb.schema.json",
        "title: Checkout outage from an expired payment certificate",
        "severity: SEV1",
        "status: draft",
        "timezone: Asia/Seoul",
    ]
    assert "services: [checkout, payments]" in lines
    assert "- 2025-03-01 HH:MM — TODO: the impact begins" in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Timeline",
        "## Root Cause",
        "## 5 Whys",
        "## Resolution",
        "## Action Items",
        "## Lessons Learned",
    ]


def test_new_file_passes_check(kb_dir: Path, capsys) -> None:
    assert main(["new", "DB incident", "--date", "2025-03-01"]) == 0
    path = capsys.readouterr().out.strip()
    # The new draft is linted, and its template text is pointed out.
    assert main(["check"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "checked 1 file: 0 errors, 33 warnings"
    )
    assert main(["check", path]) == 0
    out = capsys.readouterr().out
    assert ": error: " not in out
    assert (
        f"{path}:12:10: warning: template text left in place: 'TODO' [placeholder]"
        in out
    )
    assert (
        f"{path}:3:1: warning: title says little about the incident: 'DB incident' [vague-title]"
        in out
    )
    # The template leaves authors empty for the writer to fill in.
    assert (
        f"{path}:21:1: warning: missing recommended field 'authors' [missing-field] "
        "(list the names of the people who wrote the report in authors:, so readers know whom to ask)"
        in out
    )
    for line, column, name in [(12, 10, "impact"), (15, 24, "root_cause.category")]:
        assert (
            f"{path}:{line}:{column}: warning: template text left in place: 'TODO' [placeholder] "
            f"(fill in the value of '{name}', which is required)"
        ) in out


def test_new_never_overwrites(kb_dir: Path, capsys) -> None:
    assert main(["new", "Search index rebuild stalled", "--date", "2025-03-01"]) == 0
    path = kb_dir / "content" / "2025-03-01-search-index-rebuild-stalled.md"
    path.write_text("my notes")
    capsys.readouterr()
    assert main(["new", "Search index rebuild stalled", "--date", "2025-03-01"]) == 1
    assert capsys.readouterr().err == (
        "content/2025-03-01-search-index-rebuild-stalled.md:1:1: error: file already exists "
        "(edit it, or pass another title or --date)\n"
    )
    assert path.read_text() == "my notes"


def test_new_quotes_title(kb_dir: Path, capsys) -> None:
    title = 'Checkout: 50% of "orders" failed {date} #1'
    assert main(["new", title, "--date", "2025-03-01"]) == 0
    path = kb_dir / capsys.readouterr().out.strip()
    config = load_config(kb_dir / "content")
    result = load_postmortem(path.name, path.read_bytes(), config)
    assert result.postmortem is not None
    assert result.postmortem.title == title
    assert path.name == "2025-03-01-checkout-50-of-orders-failed-date-1.md"


def test_new_defaults(kb_dir: Path, capsys) -> None:
    assert main(["new", "Queue consumers stuck after broker failover"]) == 0
    path = capsys.readouterr().out.strip()
    assert (
        path
        == f"content/{date.today().isoformat()}-queue-consumers-stuck-after-broker-failover.md"
    )
    text = (kb_dir / path).read_text()
    assert "severity: SEV3\n" in text
    assert "timezone: UTC\n" in text
    assert "services: []\n" in text


def test_new_unknown_severity(kb_dir: Path, capsys) -> None:
    assert main(["new", "Login errors after deploy", "--severity", "SEV7"]) == 2
    assert capsys.readouterr().err == (
        "pmkb new: error: unknown severity 'SEV7' "
        "(use one of: SEV1, SEV2, SEV3, SEV4, or an alias such as 'critical' or 'P1')\n"
    )
    assert main(["new", "Login errors after deploy", "--severity", "sev 2"]) == 2
    assert (
        capsys.readouterr().err
        == "pmkb new: error: unknown severity 'sev 2' (did you mean 'SEV2'?)\n"
    )
    assert not (kb_dir / "content").exists() or not list(
        (kb_dir / "content").glob("*.md")
    )


@pytest.mark.parametrize(
    "title, message",
    [
        ("   ", "pmkb new: error: the title is empty\n"),
        (
            "!!!",
            "pmkb new: error: the title '!!!' has no letters or digits to name the file\n",
        ),
    ],
)
def test_new_bad_title(kb_dir: Path, capsys, title: str, message: str) -> None:
    assert main(["new", title]) == 2
    assert capsys.readouterr().err == message


def test_new_bad_date(kb_dir: Path, capsys) -> None:
    assert main(["new", "Login errors after deploy", "--date", "2025-13-01"]) == 2
    assert "invalid date '2025-13-01': use YYYY-MM-DD" in capsys.readouterr().err


def test_new_writes_schema(kb_dir: Path, capsys) -> None:
    assert main(["new", "Login errors after deploy of auth service"]) == 0
    capsys.readouterr()
    schema = kb_dir / "content" / "kb.schema.json"
    assert main(["schema"]) == 0
    assert schema.read_text() == capsys.readouterr().out
    status = json.loads(schema.read_text())["properties"]["status"]["anyOf"][0]
    assert status["anyOf"][0] == {"enum": ["draft", "review", "published"]}


def test_new_template_from_theme(kb_dir: Path, capsys) -> None:
    write_files(kb_dir, {
        "content/kb.toml": 'theme_dir = "../theme"\n',
        "theme/new-postmortem.md": "---\ntitle: {title}\nseverity: {severity}\nimpact: x\nroot_cause: unknown\n---\n{unknown} {date}\n",
    })  # fmt: skip
    assert main(["new", "Cache stampede after TTL change", "--date", "2025-03-01"]) == 0
    path = kb_dir / capsys.readouterr().out.strip()
    assert path.read_text() == (
        "---\ntitle: Cache stampede after TTL change\nseverity: SEV3\nimpact: x\n"
        "root_cause: unknown\n---\n{unknown} 2025-03-01\n"
    )


def test_fill_is_one_pass() -> None:
    assert fill("{a} {b} {c}", {"a": "{b}", "b": "x"}) == "{b} x {c}"


def test_new_content_is_a_file(tmp_path: Path, capsys) -> None:
    report = write_files(tmp_path, {"report.md": "# Notes\n"}) / "report.md"
    assert main(["new", "Checkout down", "--content", str(report)]) == 2
    assert capsys.readouterr().err == (
        f"pmkb new: error: {report} is a file; pass the content folder with --content\n"
    )
