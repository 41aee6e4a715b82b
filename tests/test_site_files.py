"""Publishing the files that reports link to: checks, stamps and copies."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import GOOD_REPORT

from generator.build import BuildOptions
from generator.build import build as run_build
from generator.cli import main


def report_linking(text: str) -> str:
    """Return GOOD_REPORT with text appended to its summary paragraph."""
    return GOOD_REPORT.replace("pool was full.\n", f"pool was full.\n{text}", 1)


def build(content: Path, site: Path, *options: str) -> int:
    return main(["build", "--content", str(content), "--output", str(site), *options])


def test_folder_and_hidden_targets_warn(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "a.md": report_linking("[dumps](dumps.old) and ![x](img/shown.png)\n"),
        "dumps.old/one.txt": "1\n",
        ".private/key.png": "secret",
    })  # fmt: skip
    (content / "img").mkdir()
    (content / "img" / "shown.png").symlink_to(content / ".private" / "key.png")
    assert build(content, tmp_path / "site") == 0
    lines = capsys.readouterr().err.splitlines()
    warnings = [line for line in lines if "link to" in line]
    assert warnings == [
        f"{content}/a.md:18:1: warning: link to 'dumps.old' names a folder, and "
        "folders are not published (link to a file in it)",
        f"{content}/a.md:18:1: warning: link to 'img/shown.png' names a hidden or "
        "temporary file, which is never published "
        "(rename the file so that no part of its path starts with '.')",
    ]
    assert not (tmp_path / "site" / "files").exists()


def test_copy_with_same_size_and_time(tmp_path: Path, make_kb) -> None:
    content = make_kb({
        "a.md": report_linking("[log](logs/pool.txt)\n"),
        "logs/pool.txt": "log v1\n",
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site) == 0
    published = site / "files" / "logs" / "pool.txt"
    first_inode = published.stat().st_ino

    # Unchanged, the copy is carried over, not copied again.
    assert build(content, site, "--today", "2026-01-01") == 0
    assert published.stat().st_ino == first_inode

    # Copied back with its old size and times, as cp -p or rsync -t do.
    source = content / "logs" / "pool.txt"
    before = source.stat()
    source.write_text("log v2\n")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert build(content, site) == 0
    assert published.read_text() == "log v2\n"


def test_changed_file_reloads_its_report(tmp_path: Path, make_kb) -> None:
    content = make_kb({
        "a.md": report_linking("![graph](img/graph.svg)\n"),
        "b.md": GOOD_REPORT,
        "img/graph.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    })  # fmt: skip
    options = BuildOptions(content_dir=content, output_dir=tmp_path / "site")
    assert run_build(options).written
    (content / "img" / "graph.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'><g/></svg>\n"
    )
    result = run_build(options)
    # pmkb serve reloads the pages a build lists as changed.
    assert result.changed_pages == ["a/index.html"]
