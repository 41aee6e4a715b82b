"""The measured steps: pmkb builds and rebuilds, Hugo with Pagefind, and Pelican."""

from __future__ import annotations

import logging
import re
import shutil
import signal
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from make_corpus import generate, pmkb_front_matter, write_corpus
from measure import Measurement, measure
from tools import Tools

log = logging.getLogger(__name__)

TODAY = "2026-12-01"
ADDED_NAME = "2026-11-30-benchmark-added-report.md"
PMKB_STEPS = ["pmkb-cold", "pmkb-nochange", "pmkb-edit", "pmkb-add", "pmkb-delete"]


class StepFailed(Exception):
    """A measured command exited with an error, so its time means nothing."""


@dataclass
class Corpus:
    """The folders of one corpus size and the files the rebuild steps change."""

    root: Path
    edited: Path
    edited_text: str
    deleted: Path
    deleted_text: str
    added: Path
    added_text: str
    outputs: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        """Return the pmkb content folder."""
        return self.root / "content"

    @property
    def hugo_site(self) -> Path:
        """Return the Hugo site folder."""
        return self.root / "content-hugo"

    @property
    def pelican_site(self) -> Path:
        """Return the Pelican site folder."""
        return self.root / "content-pelican"

    def restore(self) -> None:
        """Undo the edit, addition and deletion of the previous run."""
        self.edited.write_text(self.edited_text, "utf-8")
        self.deleted.write_text(self.deleted_text, "utf-8")
        self.added.unlink(missing_ok=True)


def prepare_corpus(root: Path, count: int, seed: int) -> Corpus:
    """Write the corpus of ``count`` reports under ``root`` and pick the files to change."""
    root.mkdir(parents=True, exist_ok=True)
    write_corpus(generate(count, seed), root / "content")
    files = sorted((root / "content").rglob("*.md"))
    # Reports link only to older ones, so the newest file can be deleted
    # without breaking a related link.
    edited, deleted = files[len(files) // 2], files[-1]
    extra = generate(1, seed + 1)[0]
    added_text = pmkb_front_matter(extra) + "\n" + extra.body
    added = root / "content" / "2026" / ADDED_NAME
    return Corpus(root, edited, edited.read_text("utf-8"), deleted,
                  deleted.read_text("utf-8"), added, added_text)  # fmt: skip


def checked(measurement: Measurement, log_path: Path) -> Measurement:
    """Return the measurement, or raise StepFailed with the end of the command's log."""
    log.info("  %s: %s", log_path.stem, measurement.describe())
    if measurement.exit_code != 0:
        tail = log_path.read_text("utf-8", "replace").splitlines()[-15:]
        code = measurement.exit_code
        # A negative exit code from os.waitstatus_to_exitcode is a signal number.
        ended = (
            f"was stopped by {signal.Signals(-code).name}"
            if code < 0
            else f"exited with {code}"
        )
        raise StepFailed(
            f"{' '.join(measurement.command)} {ended} after {measurement.seconds:.0f} s. "
            f"Last lines of {log_path}:\n" + "\n".join(tail)
        )
    return measurement


def run_pmkb(pmkb: list[str], corpus: Corpus, step: str, run: int) -> Measurement:
    """Run one pmkb build of the corpus and measure it."""
    command = [
        *pmkb,
        "build",
        "--content",
        "content",
        "--output",
        "site",
        "--today",
        TODAY,
    ]
    log_path = corpus.root / "logs" / f"{step}-run{run}.log"
    return checked(measure(command, corpus.root, log_path), log_path)


def pmkb_steps(
    pmkb: list[str], corpus: Corpus, run: int, steps: list[str]
) -> dict[str, Measurement]:
    """Measure a cold build and the rebuilds after no change, an edit, an addition and a deletion."""
    results: dict[str, Measurement] = {}
    corpus.restore()
    if "pmkb-cold" in steps:
        # Cold means no output and no build cache, but the OS file cache stays warm.
        shutil.rmtree(corpus.root / "site", ignore_errors=True)
        shutil.rmtree(corpus.root / ".pmkb-cache", ignore_errors=True)
        results["pmkb-cold"] = run_pmkb(pmkb, corpus, "pmkb-cold", run)
        corpus.outputs["pmkb"] = output_size(corpus.root / "site")
    if "pmkb-nochange" in steps:
        results["pmkb-nochange"] = run_pmkb(pmkb, corpus, "pmkb-nochange", run)
    if "pmkb-edit" in steps:
        marker = "## Summary\n\n"
        if marker not in corpus.edited_text:
            raise StepFailed(f"{corpus.edited} has no '## Summary' section to edit")
        changed = f"{marker}The benchmark changed this paragraph in run {run}. "
        corpus.edited.write_text(
            corpus.edited_text.replace(marker, changed, 1), "utf-8"
        )
        results["pmkb-edit"] = run_pmkb(pmkb, corpus, "pmkb-edit", run)
    if "pmkb-add" in steps:
        corpus.added.write_text(corpus.added_text, "utf-8")
        results["pmkb-add"] = run_pmkb(pmkb, corpus, "pmkb-add", run)
    if "pmkb-delete" in steps:
        corpus.deleted.unlink()
        results["pmkb-delete"] = run_pmkb(pmkb, corpus, "pmkb-delete", run)
    return results


def hugo_steps(tools: Tools, corpus: Corpus, run: int) -> dict[str, Measurement]:
    """Measure a cold Hugo build, then Pagefind over Hugo's output."""
    site = corpus.hugo_site
    for folder in ("public", "resources", ".hugo-cache"):
        shutil.rmtree(site / folder, ignore_errors=True)
    hugo_command = [
        str(tools.hugo),
        "--cacheDir",
        str(site / ".hugo-cache"),
        "--destination",
        "public",
    ]
    hugo_log = corpus.root / "logs" / f"hugo-run{run}.log"
    results = {"hugo": checked(measure(hugo_command, site, hugo_log), hugo_log)}
    pagefind_command = [str(tools.python), "-m", "pagefind", "--site", "public"]
    pagefind_log = corpus.root / "logs" / f"pagefind-run{run}.log"
    # `python -m pagefind` replaces itself with the Pagefind binary (exec), so
    # the whole process counts as Pagefind.
    pagefind = measure(
        pagefind_command, site, pagefind_log, classify=lambda name: "pagefind"
    )
    results["pagefind"] = checked(pagefind, pagefind_log)
    corpus.outputs["hugo+pagefind"] = output_size(site / "public")
    return results


def pelican_steps(tools: Tools, corpus: Corpus, run: int) -> dict[str, Measurement]:
    """Measure a cold Pelican build."""
    site = corpus.pelican_site
    for folder in ("output", "cache", "__pycache__"):
        shutil.rmtree(site / folder, ignore_errors=True)
    command = [str(tools.pelican), "content", "-s", "pelicanconf.py", "-o", "output"]
    log_path = corpus.root / "logs" / f"pelican-run{run}.log"
    results = {"pelican": checked(measure(command, site, log_path), log_path)}
    corpus.outputs["pelican"] = output_size(site / "output")
    return results


# Edits timed while `pmkb serve` runs; the median is reported.
SERVE_EDITS = 5
# How long to wait for the first build and for each edited page, in seconds.
SERVE_TIMEOUT = 600.0


def measure_serve_edit(pmkb: list[str], corpus: Corpus, run: int) -> Measurement | None:
    """Measure the time from saving one edited file to the served page showing it,
    while ``pmkb serve`` runs: the median of several edits, a few seconds apart."""
    log_path = corpus.root / "logs" / f"pmkb-serve-run{run}.log"
    command = [*pmkb, "serve", "--content", "content", "--output", "serve-site",
               "--port", "0", "--today", TODAY]  # fmt: skip
    corpus.restore()
    with log_path.open("w") as output:
        process = subprocess.Popen(
            command, cwd=corpus.root, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        port = wait_for_port(process, log_path)
        url = f"http://127.0.0.1:{port}/{corpus.edited.stem}/"
        times = []
        for number in range(SERVE_EDITS):
            marker = f"Benchmark edit {number} of run {run} while serving."
            text = corpus.edited_text.replace(
                "## Summary\n\n", f"## Summary\n\n{marker} ", 1
            )
            started = time.perf_counter()
            corpus.edited.write_text(text, "utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - started > SERVE_TIMEOUT:
                    raise StepFailed(
                        f"the edited page never showed the edit; see {log_path}"
                    )
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
            # Let the background rebuild finish, as when someone reads what they wrote.
            time.sleep(3)
    finally:
        process.terminate()
        process.wait(timeout=30)
        corpus.restore()
    seconds = statistics.median(times)
    log.info("  pmkb-serve-edit: median %.3f s over %d edits (%s)", seconds, len(times),
             ", ".join(f"{value:.3f}" for value in times))  # fmt: skip
    return Measurement(
        command=command, seconds=seconds, exit_code=0, cpu_seconds=0.0, max_rss_kb=0
    )


def wait_for_port(process: subprocess.Popen[bytes], log_path: Path) -> int:
    """Wait until ``pmkb serve`` says where it listens; return the port."""
    deadline = time.monotonic() + SERVE_TIMEOUT
    while time.monotonic() < deadline:
        match = re.search(
            r"at http://127\.0\.0\.1:(\d+)/", log_path.read_text("utf-8", "replace")
        )
        if match:
            return int(match.group(1))
        if process.poll() is not None:
            raise StepFailed(
                f"pmkb serve exited with {process.returncode}; see {log_path}"
            )
        time.sleep(0.1)
    raise StepFailed(
        f"pmkb serve did not start within {SERVE_TIMEOUT:.0f} s; see {log_path}"
    )


def fetch(url: str) -> str:
    """Return a page's text, or '' while it cannot be read."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def output_size(folder: Path) -> dict[str, int]:
    """Return the number of files and their total size in bytes below ``folder``."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}
