"""pmkb import: front matter inferred from plain Markdown postmortems."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from conftest import write_files

from generator.cli import main

# A report in the style of a team's wiki: table timeline, stated zone and a
# Stats list whose time to recovery counts from the start.
KIAM = """\
# KIAM service disruption

## Summary

The KIAM server certificate expired.

## Timeline

All times in CET.

| Time             | Event                                   |
| :--------------- | --------------------------------------- |
| 2020-01-21 15:36 | Certificate for KIAM server expires     |
| 2020-01-21 16:02 | First alert from an affected service    |
| 2020-01-21 16:30 | First alert about KIAM pods             |
| 2020-01-21 18:04 | New certificates generated, restored    |

## Action Items

- Monitor certificate expiry

# Stats

- Category: Kubernetes
- Time to detection: 54 minutes
- Time to recovery: 148 minutes
"""

# A list timeline with labels, a stated severity and category, and lists.
CHECKOUT = """\
# Checkout outage from an expired payment certificate

## Impact

All card payments failed for 40 minutes. Refunds were not affected.

## Timeline

All times are UTC.

- 2024-05-01 09:50 - Deploy of payments 2.3
- 2024-05-01 10:00 - Certificate expires, payments start failing
- 2024-05-01 10:05 - **Detection:** error-rate alert pages the on-call engineer
- 2024-05-01 10:20 - Traffic moved to the backup provider (mitigated)
- 2024-05-01 10:40 - New certificate installed, service restored

## Root Cause

The certificate was renewed by hand and nobody owned the renewal. More text.

## Details

- Severity: High
- Category: certificate-expiry
- Services: payments, checkout
- Tags: certificates, Payments
- Authors: payments-team and sre
"""

NO_TIMES = """\
# Search results were stale for a day

## Summary

The search index stopped updating.

## Lessons Learned

Watch the indexer's lag.
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, so paths are shown as src/… and out/…."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_import(*args: str) -> tuple[int, str]:
    """Run pmkb import and return its exit code and report."""
    import sys
    from io import StringIO

    saved, sys.stdout = sys.stdout, StringIO()
    try:
        code = main(["import", *args])
        return code, sys.stdout.getvalue()
    finally:
        sys.stdout = saved


def front_matter(path: Path) -> list[str]:
    """Return the lines of a file's front matter block, without the dashes."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    return lines[1:end]


def tree_digest(folder: Path) -> dict[str, str]:
    """Return the hash of every file below a folder, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_import_table_timeline_stats(work: Path) -> None:
    write_files(
        work / "src", {"PM2020-002 - KIAM service disruption on Hellman.md": KIAM}
    )
    code, report = run_import("src", "--output", "out")
    assert code == 0
    path = work / "out/pm2020-002-kiam-service-disruption-on-hellman.md"
    assert front_matter(path) == [
        "title: KIAM service disruption  # first H1 heading of the original",
        "severity: unrated  # TODO: not stated in the original; rate it: SEV1, SEV2, SEV3, SEV4",
        "status: review  # imported: check the inferred values, then remove this line",
        'timezone: "+01:00"  # stated "All times in CET." (line 20): CET is UTC+01:00',
        "started: 2020-01-21 15:36  # first timeline entry (line 24)",
        'detected: 2020-01-21 16:30  # started + stated "Time to detection: 54 minutes" (line 36), the timeline entry at line 26',
        'resolved: 2020-01-21 18:04  # started + stated "Time to recovery: 148 minutes" (line 37), the timeline entry at line 27, so it counts from the start here',
        "impact: 'TODO: not stated in the original; who was affected, how, and for how long'",
        "root_cause:",
        '  category: unknown  # TODO: the original states "Kubernetes", which is not a root-cause category; one of config-change, deployment, software-bug, resource-exhaustion, capacity, dependency-failure, infrastructure, network, certificate-expiry, data, security, time, process, unknown',
        'tags: [kubernetes]  # stated "Category: Kubernetes" (line 35), not a root-cause category',
    ]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[23].startswith("| 2020-01-21 15:36 |")
    assert lines[35] == "- Time to detection: 54 minutes"
    assert "  inferred: title, timezone, started, detected, resolved, tags" in report
    assert "    services: not stated" in report


def test_import_body_kept_without_h1(work: Path) -> None:
    write_files(work / "src", {"kiam.md": KIAM})
    run_import("src", "--output", "out")
    text = (work / "out/kiam.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    assert body == KIAM.split("\n", 2)[2]


def test_import_list_timeline_labels(work: Path) -> None:
    write_files(work / "src", {"checkout.md": CHECKOUT})
    assert run_import("src", "--output", "out")[0] == 0
    assert front_matter(work / "out/checkout.md") == [
        "title: Checkout outage from an expired payment certificate  # first H1 heading of the original",
        'severity: SEV2  # stated "Severity: High" (line 38)',
        "status: review  # imported: check the inferred values, then remove this line",
        'timezone: UTC  # stated "All times are UTC." (line 24)',
        "started: 2024-05-01 09:50  # first timeline entry (line 26)",
        'detected: 2024-05-01 10:05  # timeline entry labelled "Detection" (line 28)',
        'mitigated: 2024-05-01 10:20  # timeline entry labelled "mitigated" (line 29)',
        'resolved: 2024-05-01 10:40  # timeline entry "New certificate installed, service restored" (line 30)',
        "impact: All card payments failed for 40 minutes  # first sentence of the Impact section (line 20)",
        "root_cause:",
        '  category: certificate-expiry  # stated "Category: certificate-expiry" (line 39)',
        "  summary: The certificate was renewed by hand and nobody owned the renewal  # first sentence of the Root Cause section (line 34)",
        'services: [payments, checkout]  # stated "Services: payments, checkout" (line 40)',
        'tags: [certificates, payments]  # stated "Tags: certificates, Payments" (line 41)',
        'authors: [payments-team, sre]  # stated "Authors: payments-team and sre" (line 42)',
    ]


def test_import_no_times_listed_missing(work: Path) -> None:
    write_files(work / "src", {"stale search.md": NO_TIMES})
    code, report = run_import("src", "--output", "out")
    assert code == 0
    lines = front_matter(work / "out/stale-search.md")
    assert not any(
        line.startswith(("started", "detected", "resolved", "timezone"))
        for line in lines
    )
    assert "    started: the timeline has no entry with a date and time" in report
    assert "    detected: no timeline entry or stated duration gives it" in report
    assert "    timezone: not stated" in report
    assert "    severity: not stated (written as 'unrated' with a TODO)" in report
    assert "    impact: not stated (written as a TODO)" in report


def test_import_check_warns_missing(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(work / "src", {"stale.md": NO_TIMES})
    run_import("src", "--output", "out")
    assert main(["check", "--content", "out"]) == 0
    out = capsys.readouterr().out
    assert (
        "out/stale.md:1:1: warning: missing recommended field 'started' (add the time the impact began)"
        in out
    )
    assert (
        "out/stale.md:3:22: warning: template text left in place: 'TODO' [placeholder]"
        in out
    )
    assert (
        "out/stale.md:5:10: warning: template text left in place: 'TODO' [placeholder]"
        in out
    )
    assert (
        "out/stale.md:7:24: warning: template text left in place: 'TODO' [placeholder]"
        in out
    )


def test_import_round_trip_builds(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        work / "src",
        {"kiam.md": KIAM, "checkout.md": CHECKOUT, "team/stale.md": NO_TIMES},
    )
    assert run_import("src", "--output", "out")[0] == 0
    assert (work / "out/kb.toml").is_file()
    code = main(["build", "--content", "out", "--output", "site", "--no-search"])
    assert code == 0
    assert ", 0 errors in " in capsys.readouterr().err
    assert (work / "site/kiam/index.html").is_file()
    assert (work / "site/stale/index.html").is_file()


def test_import_kb_toml_adds_unrated(work: Path) -> None:
    write_files(work / "src", {"stale.md": NO_TIMES})
    code, report = run_import("src", "--output", "out")
    assert code == 0
    text = (work / "out/kb.toml").read_text(encoding="utf-8")
    assert (
        '  { key = "SEV2", label = "Major", aliases = ["major", "high", "P2", "S2", "sev-2"] },'
        in text
    )
    assert (
        '  { key = "unrated", label = "Unrated", description = "Imported without a stated severity" },'
        in text
    )
    assert (
        "wrote out/kb.toml: the default severity scale plus an 'unrated' level for the reports that state no severity"
        in report
    )


def test_import_hand_written_still_needs_severity(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(work / "src", {"stale.md": NO_TIMES})
    run_import("src", "--output", "out")
    write_files(
        work / "out",
        {
            "manual.md": "---\ntitle: Hand-written report\nimpact: x\ncategory: data\n---\nText\n"
        },
    )
    assert main(["check", "--content", "out"]) == 1
    assert (
        "out/manual.md:1:1: error: missing required field 'severity' (add severity: SEV1 … SEV4)"
        in capsys.readouterr().out
    )


def test_import_existing_config_not_changed(work: Path) -> None:
    write_files(work / "src", {"stale.md": NO_TIMES})
    write_files(work / "out", {"kb.toml": 'title = "Ours"\n'})
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert (work / "out/kb.toml").read_text(encoding="utf-8") == 'title = "Ours"\n'
    assert (
        "add an 'unrated' level to [severity] levels in out/kb.toml, or rate the reports"
        in report
    )


def test_import_config_vocabulary(work: Path) -> None:
    write_files(
        work / "src",
        {"a.md": "# Vendor outage\n\n- Category: Vendor\n- Severity: Sev 1\n"},
    )
    write_files(work, {"kb.toml": '[categories]\nvendor = "A vendor failed"\n'})
    run_import("src", "--output", "out", "--config", "kb.toml")
    lines = front_matter(work / "out/a.md")
    assert 'severity: SEV1  # stated "Severity: Sev 1" (line 10)' in lines
    assert '  category: vendor  # stated "Category: Vendor" (line 9)' in lines


def test_import_unknown_severity(work: Path) -> None:
    write_files(work / "src", {"a.md": "# Database outage\n\nSeverity: Catastrophic\n"})
    code, report = run_import("src", "--output", "out")
    assert code == 0
    lines = front_matter(work / "out/a.md")
    assert (
        lines[1]
        == 'severity: unrated  # TODO: "Catastrophic" is not on the scale in the original; rate it: SEV1, SEV2, SEV3, SEV4'
    )
    assert (
        'src/a.md:3:1: warning: severity "Catastrophic" is not on the severity scale'
        in report
    )


def test_import_crlf(work: Path) -> None:
    (work / "src").mkdir()
    (work / "src/crlf.md").write_bytes(NO_TIMES.replace("\n", "\r\n").encode())
    run_import("src", "--output", "out")
    data = (work / "out/crlf.md").read_bytes()
    assert b"\r" not in data
    assert data.endswith(NO_TIMES.split("\n", 2)[2].encode())


def test_import_cp1252(work: Path) -> None:
    (work / "src").mkdir()
    (work / "src/legacy.md").write_bytes(
        "# Caf\xe9 outage\n\nIt\x92s down.\n".encode("latin-1")
    )
    code, report = run_import("src", "--output", "out")
    assert code == 0
    text = (work / "out/legacy.md").read_text(encoding="utf-8")
    assert "title: Café outage" in text
    assert text.endswith("It’s down.\n")
    assert (
        "  src/legacy.md:1:6: warning: not valid UTF-8 (byte 0xe9): read as Windows-1252 and written as UTF-8 (check the accented letters and quotes of the imported file)"
        in report
    )


def test_import_undecodable_skipped(work: Path) -> None:
    (work / "src").mkdir()
    (work / "src/bad.md").write_bytes(b"# Title\n\n\xc3\x81\x81\n")
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert (
        "  src/bad.md:3:3: warning: skipped: not valid UTF-8 or Windows-1252 (byte 0x81) (save it as UTF-8)"
        in report
    )
    assert not (work / "out/bad.md").exists()


def test_import_no_extension(work: Path) -> None:
    write_files(
        work / "src",
        {
            "PM2022-009 - Bad AMI": "# Bad AMI\n\nText.\n",
            "LICENSE": "MIT License\n\nText.\n",
            "notes.txt": "x\n",
        },
    )
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert (work / "out/pm2022-009-bad-ami.md").is_file()
    assert (
        "  src/LICENSE:1:1: warning: skipped: no .md extension and no H1 heading, so it does not look like Markdown (if it is a report, rename it to LICENSE.md to import it)"
        in report
    )
    assert "Not Markdown, not read: src/notes.txt" in report


def test_import_duplicate_ids(work: Path) -> None:
    write_files(
        work / "src",
        {
            "Outage.md": "# Outage\n",
            "outage.markdown": "# Outage\n",
            "team/outage.md": "# Other\n",
        },
    )
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert sorted(
        p.relative_to(work / "out").as_posix() for p in (work / "out").rglob("*.md")
    ) == [
        "outage-2.md",
        "outage.md",
        "team/outage-3.md",
    ]
    assert (
        "  src/outage.markdown:1:1: warning: id 'outage' is taken, so this report is 'outage-2'"
        in report
    )
    assert (
        "  src/outage.markdown:1:1: warning: same title as src/Outage.md (make the titles say how the incidents differ)"
        in report
    )


def test_import_skips_front_matter_and_empty(work: Path) -> None:
    write_files(
        work / "src",
        {
            "done.md": "---\ntitle: Done\n---\nBody\n",
            "empty.md": "\n  \n",
            "README.md": "# About\n",
        },
    )
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert (
        "  src/README.md:1:1: warning: skipped: a README at the top of the folder is not a postmortem"
        in report
    )
    assert (
        "  src/done.md:1:1: warning: skipped: it already has front matter (pmkb reads it as it is)"
        in report
    )
    assert "  src/empty.md:1:1: warning: skipped: empty file" in report
    assert not (work / "out").exists()


def test_import_readme_named_by_folder(work: Path) -> None:
    write_files(work / "src", {"2024/DB Outage/README.md": "# Database outage\n"})
    run_import("src", "--output", "out")
    assert (work / "out/2024/db-outage.md").is_file()


def test_import_never_overwrites(work: Path) -> None:
    write_files(work / "src", {"kiam.md": KIAM, "stale.md": NO_TIMES})
    run_import("src", "--output", "out")
    (work / "out/kiam.md").write_text("edited by the team\n", encoding="utf-8")
    before = tree_digest(work / "out")
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert tree_digest(work / "out") == before
    assert (
        "  src/kiam.md:1:1: warning: skipped: out/kiam.md already exists (pmkb import never overwrites a file; move or delete it to import again)"
        in report
    )
    assert report.endswith("0 files imported, 2 skipped\n")


def test_import_source_unchanged(work: Path) -> None:
    write_files(work / "src", {"kiam.md": KIAM, "b c.md": CHECKOUT, "LICENSE": "MIT\n"})
    (work / "src/crlf.md").write_bytes(NO_TIMES.replace("\n", "\r\n").encode())
    before = tree_digest(work / "src")
    run_import("src", "--output", "out")
    assert tree_digest(work / "src") == before


def test_import_dry_run_writes_nothing(work: Path) -> None:
    write_files(work / "src", {"kiam.md": KIAM})
    code, report = run_import("src", "--output", "out", "--dry-run")
    assert code == 0
    assert not (work / "out").exists()
    assert "    started: 2020-01-21 15:36  # first timeline entry (line 24)" in report
    assert "would write out/kb.toml" in report
    assert report.endswith(
        "1 file would be imported, 0 skipped; dry run, nothing was written\n"
    )


def test_import_zone_mapping(work: Path) -> None:
    write_files(work / "src", {"kiam.md": KIAM})
    run_import("src", "--output", "out", "--zone", "CET=Europe/Copenhagen")
    assert front_matter(work / "out/kiam.md")[3] == (
        'timezone: Europe/Copenhagen  # stated "All times in CET." (line 20), mapped by --zone CET=Europe/Copenhagen'
    )


def test_import_ambiguous_zone(work: Path) -> None:
    write_files(
        work / "src",
        {
            "a.md": "# Outage\n\nAll times in CST.\n\n## Timeline\n\n- 2024-01-02 10:00 - Down\n"
        },
    )
    code, report = run_import("src", "--output", "out")
    assert (
        "  src/a.md:3:1: warning: unknown or ambiguous time zone 'CST' in \"All times in CST.\"; map it with --zone CST=ZONE"
        in report
    )
    assert (
        "    timezone: not stated; the times are read in the default zone UTC" in report
    )


def test_import_zone_column_header(work: Path) -> None:
    write_files(
        work / "src",
        {
            "a.md": "# Outage\n\n## Timeline\n\n| Time (PST) | Event |\n|---|---|\n| 2024-01-02 10:00 | Down |\n"
        },
    )
    run_import("src", "--output", "out")
    assert (
        front_matter(work / "out/a.md")[3]
        == 'timezone: "-08:00"  # stated "Time (PST)" (line 13): PST is UTC-08:00'
    )


def test_import_time_without_date(work: Path) -> None:
    text = "# Outage\n\nDate: 2024-03-01\n\n## Timeline\n\n- 23:50 - Errors begin\n- 00:10 - Service restored\n"
    write_files(work / "src", {"a.md": text})
    lines = (
        front_matter(work / "out/a.md")
        if run_import("src", "--output", "out")[0] == 0
        else []
    )
    assert "started: 2024-03-01 23:50  # first timeline entry (line 15)" in lines
    assert (
        'resolved: 2024-03-02 00:10  # timeline entry "Service restored" (line 16)'
        in lines
    )


def test_import_start_confirmed_by_durations(work: Path) -> None:
    text = textwrap.dedent("""\
        # All services returned 404

        ## Timeline

        - 2021-09-01 11:34 - Malformed route applied
        - 2021-09-06 08:00 - All services return 404
        - 2021-09-06 08:05 - Investigation started
        - 2021-09-06 09:08 - All traffic working

        ## Stats

        - Time to detection: 5 minutes
        - Time to recovery: 68 minutes
        """)
    write_files(work / "src", {"a.md": text})
    run_import("src", "--output", "out")
    lines = front_matter(work / "out/a.md")
    assert lines[3:6] == [
        "started: 2021-09-06 08:00  # timeline entry at line 15, from which the stated time to detection and time to recovery lead to the entries at lines 16 and 17",
        'detected: 2021-09-06 08:05  # started + stated "Time to detection: 5 minutes" (line 21), the timeline entry at line 16',
        'resolved: 2021-09-06 09:08  # started + stated "Time to recovery: 68 minutes" (line 22), the timeline entry at line 17, so it counts from the start here',
    ]


def test_import_rounded_duration(work: Path) -> None:
    text = "# Supply chain alert\n\n## Timeline\n\n- 2022-03-07 00:00 - Bad package published\n- 2022-03-18 08:37 - Team told by social media\n\n## Stats\n\n- Time to detection: 11 Days\n"
    write_files(work / "src", {"a.md": text})
    run_import("src", "--output", "out")
    assert front_matter(work / "out/a.md")[4] == (
        'detected: 2022-03-18 08:37  # started + stated "Time to detection: 11 Days" (line 18), the timeline entry at line 14'
    )


def test_import_recovery_counted_like_collection(work: Path) -> None:
    def report(minutes: int, last: str) -> str:
        return (
            f"# Outage {minutes}\n\n## Timeline\n\n- 2024-01-02 10:00 - Down\n- 2024-01-02 10:10 - Paged\n"
            f"- 2024-01-02 {last} - Up\n\n## Stats\n\n- Time to detection: 10 minutes\n- Time to recovery: {minutes} minutes\n"
        )

    write_files(
        work / "src",
        {
            "a.md": report(30, "10:30"),
            "b.md": report(40, "10:40"),
            "c.md": report(50, "11:55"),
        },
    )
    run_import("src", "--output", "out")
    assert front_matter(work / "out/c.md")[5] == (
        'resolved: 2024-01-02 10:50  # started + stated "Time to recovery: 50 minutes" (line 21): '
        "in 2 reports of this collection the timeline shows that the time to recovery counts from the start"
    )


def test_import_recovery_from_detection(work: Path) -> None:
    text = "# Outage\n\n## Timeline\n\n- 2024-01-02 10:00 - Down\n- 2024-01-02 10:10 - Paged\n\n## Stats\n\n- Time to detection: 10 minutes\n- Time to recovery: 30 minutes\n"
    write_files(work / "src", {"a.md": text})
    run_import("src", "--output", "out")
    assert front_matter(work / "out/a.md")[5] == (
        'resolved: 2024-01-02 10:40  # detected + stated "Time to recovery: 30 minutes" (line 20)'
    )


def test_import_output_inside_source(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(work / "src", {"a.md": NO_TIMES})
    assert main(["import", "src", "--output", "src/out"]) == 2
    assert capsys.readouterr().err == (
        "pmkb import: error: the output folder src/out is inside src; choose one outside it, because the source is never changed\n"
    )


def test_import_missing_source(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "nowhere"]) == 2
    assert capsys.readouterr().err == (
        "pmkb import: error: nowhere: not found; "
        "name the folder that holds the reports to import\n"
    )
    write_files(work, {"report.md": NO_TIMES})
    assert main(["import", "report.md"]) == 2
    assert capsys.readouterr().err == (
        "pmkb import: error: report.md: is a file; "
        "name the folder that holds the reports to import\n"
    )


def test_import_binary_skipped(work: Path) -> None:
    (work / "src").mkdir()
    (work / "src/diagram.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert "  src/diagram.md:1:1: warning: skipped: binary file, not text" in report


def test_import_two_zones_left_out(work: Path) -> None:
    text = "# Outage\n\nAll times in UTC.\n\n## Timeline\n\n| Time (CET) | Event |\n|---|---|\n| 2024-01-02 10:00 | Down |\n"
    write_files(work / "src", {"a.md": text})
    code, report = run_import("src", "--output", "out")
    assert code == 0
    assert (
        "    timezone: the text states several zones: UTC, +01:00; the times are read in the default zone UTC"
        in report
    )
    assert not any(
        line.startswith("timezone") for line in front_matter(work / "out/a.md")
    )


def test_import_bad_zone_option(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "src", "--zone", "CET=Mars/Olympus"]) == 2
    assert (
        "invalid zone mapping 'CET=Mars/Olympus': write NAME=ZONE"
        in capsys.readouterr().err
    )


def test_import_real_collection(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = corpus / "dfds-original"
    if not source.is_dir():
        pytest.skip(f"{source} not found")
    before = tree_digest(source)
    code, report = run_import(str(source), "--output", str(tmp_path / "out"))
    assert code == 0
    assert tree_digest(source) == before
    assert report.endswith("39 files imported, 1 skipped\n")
    build = [
        "build",
        "--content",
        str(tmp_path / "out"),
        "--output",
        str(tmp_path / "site"),
        "--no-search",
    ]
    assert main(build) == 0
    assert "39 postmortems" in capsys.readouterr().err
