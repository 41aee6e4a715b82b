"""Benchmark scripts: the corpus generator writes valid files and the runner starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
BENCH = REPOSITORY / "bench"


def make_corpus(out: Path, seed: int = 7) -> subprocess.CompletedProcess[str]:
    """Run bench/make_corpus.py for 5 reports into ``out``."""
    command = [
        sys.executable,
        str(BENCH / "make_corpus.py"),
        "5",
        "--seed",
        str(seed),
        "--out",
        str(out),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def tree(folder: Path) -> dict[str, bytes]:
    """Return every file below ``folder`` by relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_corpus_writes_three_sites(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    result = make_corpus(out)

    assert result.returncode == 0, result.stderr
    assert (
        result.stderr == f"wrote 5 postmortems to {out}, {out}-hugo and {out}-pelican\n"
    )
    assert len(list(out.rglob("*.md"))) == 5
    assert (out / "kb.toml").is_file()
    assert len(list((tmp_path / "corpus-hugo" / "content" / "posts").glob("*.md"))) == 5
    assert (tmp_path / "corpus-hugo" / "layouts" / "single.html").is_file()
    assert len(list((tmp_path / "corpus-pelican" / "content").glob("*.md"))) == 5
    assert (tmp_path / "corpus-pelican" / "pelicanconf.py").is_file()


def test_corpus_same_seed_same_files(tmp_path: Path) -> None:
    make_corpus(tmp_path / "first")
    make_corpus(tmp_path / "second")
    make_corpus(tmp_path / "other", seed=8)

    assert tree(tmp_path / "first") == tree(tmp_path / "second")
    assert tree(tmp_path / "first") != tree(tmp_path / "other")


def test_corpus_passes_pmkb_check(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus")
    command = [
        sys.executable,
        "-m",
        "generator",
        "check",
        "--content",
        str(tmp_path / "corpus"),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=REPOSITORY
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error:" not in result.stdout


def test_runner_help_starts() -> None:
    command = [sys.executable, str(BENCH / "run.py"), "--help"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: run.py [-h] [--sizes SIZES]")
