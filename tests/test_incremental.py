"""Incremental builds: after each kind of change the output equals a cold build."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GOOD_REPORT, read_fragments, write_files

from generator.build import BuildOptions
from generator.cli import main

TODAY = "2026-12-01"


def report(title: str, started: str = "2025-03-04 10:00", **extra: str) -> str:
    text = GOOD_REPORT.replace(
        "Checkout errors from exhausted database connection pool", title
    ).replace("2025-03-04 10:", started[:-2])
    for key, value in extra.items():
        text = text.replace("tags: [database]", f"tags: [database]\n{key}: {value}")
    return text


def starting_files() -> dict[str, str]:
    return {
        "kb.toml": 'title = "Incremental test"\ntheme_dir = "theme"\n',
        "theme/templates/.keep": "",
        "2025/a.md": report("Checkout failed when the pool filled up"),
        "2025/b.md": report(
            "Search timed out after an index rebuild", "2025-05-01 09:00"
        ),
        "2025/c.md": report(
            "Payments stalled on an expired certificate",
            "2025-07-01 09:00",
            related="[a]",
        ),
    }


def site_files(site: Path) -> dict[str, object]:
    """Return every file's bytes, and the search index as the pages it holds.

    Pagefind 1.5 writes different bytes for the same pages from run to run
    (its filter files come out in a different order), so its bundle is
    compared by the decoded records of the pages it indexed.
    """
    files: dict[str, object] = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_file() and not name.startswith("pagefind/"):
            files[name] = path.read_bytes()
    files["pagefind/"] = read_fragments(site)
    return files


def build(content: Path, output: Path, *options: str) -> None:
    code = main(
        [
            "build",
            "--content",
            str(content / "content"),
            "--output",
            str(output),
            "--today",
            TODAY,
            *options,
        ]
    )
    assert code == 0


def edit(root: Path) -> None:
    path = root / "content/2025/b.md"
    path.write_text(
        path.read_text().replace("The pool size was raised", "The pool was resized")
    )


def add(root: Path) -> None:
    write_files(
        root / "content",
        {"2025/d.md": report("Logins failed after a config push", "2025-09-01 09:00")},
    )


def delete(root: Path) -> None:
    (root / "content/2025/b.md").unlink()


def rename(root: Path) -> None:
    (root / "content/2025/a.md").rename(root / "content/2025/a-renamed.md")
    path = root / "content/2025/c.md"
    path.write_text(path.read_text().replace("related: [a]", "related: [a-renamed]"))


def change_times(root: Path) -> None:
    path = root / "content/2025/a.md"
    path.write_text(
        path.read_text().replace(
            "resolved: 2025-03-04 10:40", "resolved: 2025-03-04 12:40"
        )
    )


def change_template(root: Path) -> None:
    write_files(
        root / "content",
        {
            "theme/templates/404.html": "{% extends 'base.html' %}{% block content %}<h1>Gone</h1>{% endblock %}\n"
        },
    )


def change_config(root: Path) -> None:
    (root / "content/kb.toml").write_text(
        'title = "Renamed site"\ntheme_dir = "theme"\n'
    )


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit": edit,
    "add": add,
    "delete": delete,
    "rename": rename,
    "times": change_times,
    "template": change_template,
    "config": change_config,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_incremental_equals_cold(tmp_path: Path, change: str) -> None:
    root = tmp_path / "kb"
    write_files(root / "content", starting_files())
    incremental = tmp_path / "incremental"
    build(root, incremental)
    CHANGES[change](root)
    build(root, incremental)

    cold = tmp_path / "cold"
    build(root, cold, "--clean")
    assert site_files(incremental) == site_files(cold)


def test_no_change_rebuild_touches_nothing(tmp_path: Path, capsys) -> None:
    root = tmp_path / "kb"
    write_files(root / "content", starting_files())
    site = tmp_path / "site"
    build(root, site)
    before = {path: path.stat() for path in site.rglob("*") if path.is_file()}
    build(root, site)
    assert "nothing changed since the last build" in capsys.readouterr().err
    after = {path: path.stat() for path in site.rglob("*") if path.is_file()}
    assert before.keys() == after.keys()
    for path, stat in before.items():
        assert after[path].st_mtime_ns == stat.st_mtime_ns
        assert after[path].st_ino == stat.st_ino


def test_edit_keeps_unchanged_files(tmp_path: Path, capsys) -> None:
    root = tmp_path / "kb"
    write_files(root / "content", starting_files())
    site = tmp_path / "site"
    build(root, site)
    before = {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns
        for p in site.rglob("*")
        if p.is_file()
    }
    capsys.readouterr()
    edit(root)
    os.utime(root / "content/2025/a.md")  # a touched but unchanged file changes nothing
    build(root, site)
    rendered = re.search(r"rendered (\d+) of (\d+) pages", capsys.readouterr().err)
    assert rendered is not None
    assert 0 < int(rendered.group(1)) < int(rendered.group(2))
    after = {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns
        for p in site.rglob("*")
        if p.is_file()
    }
    changed = sorted(path for path in after if before.get(path) != after[path])
    assert "b/index.html" in changed
    assert "a/index.html" not in changed
    assert "static/pmkb.css" not in changed


def test_corrupt_cache_is_ignored(tmp_path: Path, capsys) -> None:
    root = tmp_path / "kb"
    write_files(root / "content", starting_files())
    site = tmp_path / "site"
    build(root, site)
    [cache_file] = (tmp_path / ".pmkb-cache").glob("build-*.sqlite3")
    cache_file.write_bytes(b"this is not a database" * 100)
    edit(root)
    build(root, site)
    assert "ignoring the build cache" in capsys.readouterr().err
    cold = tmp_path / "cold"
    build(root, cold, "--clean")
    assert site_files(site) == site_files(cold)


def test_foreign_cache_is_ignored(tmp_path: Path, capsys) -> None:
    import sqlite3

    root = tmp_path / "kb"
    write_files(root / "content", starting_files())
    site = tmp_path / "site"
    cache_file = BuildOptions(content_dir=root, output_dir=site).cache_file
    assert cache_file is not None
    cache_file.parent.mkdir()
    connection = sqlite3.connect(cache_file)
    connection.execute("CREATE TABLE other (x)")
    connection.commit()
    connection.close()
    build(root, site)
    assert "it was not written by pmkb" in capsys.readouterr().err


def test_sites_side_by_side_keep_their_files(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_files(first / "content", starting_files())
    write_files(second / "content", {"2024/c.md": report("Queue backed up")})
    build(first, tmp_path / "site-first")
    build(second, tmp_path / "site-second")
    page = tmp_path / "site-first" / "a" / "index.html"
    written = page.stat().st_mtime_ns
    os.utime(page, ns=(written - 10**9, written - 10**9))
    build(first, tmp_path / "site-first", "--today", "2026-12-02")
    # The second site's build did not take the first one's place in the cache,
    # so the unchanged page was neither rendered nor written again.
    assert page.stat().st_mtime_ns == written - 10**9
