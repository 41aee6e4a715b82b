"""Shared fixtures: small knowledge bases written from dicts into tmp_path."""

from __future__ import annotations

import gzip
import json
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
# Real public postmortem collections, one folder each, are read from here.
CORPUS = Path(os.environ.get("PMKB_CORPUS", REPOSITORY.parent / "shared" / "corpus"))

# A complete, valid report; tests change single fields of it.
GOOD_REPORT = """\
---
title: Checkout errors from exhausted database connection pool
severity: SEV2
timezone: UTC
started: 2025-03-04 10:00
detected: 2025-03-04 10:04
resolved: 2025-03-04 10:40
impact: 30% of checkout requests failed for 40 minutes
root_cause:
  category: resource-exhaustion
  summary: The pool was sized for half of the peak traffic
services: [checkout, mysql]
tags: [database]
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


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (text is dedented) below ``root`` and return ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes a knowledge base and returns its folder."""

    def make(files: dict[str, str | bytes], folder: str = "content") -> Path:
        return write_files(tmp_path / folder, files)

    return make


@pytest.fixture
def corpus() -> Path:
    """Return the folder of real postmortem collections, or skip the test."""
    if not CORPUS.is_dir():
        pytest.skip(
            f"real postmortem collections not found at {CORPUS} (set PMKB_CORPUS)"
        )
    return CORPUS


CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium tries to reach Google's servers.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Start Debian's headless Chromium through Playwright, or skip without it."""
    if not CHROMIUM.is_file():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def read_fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Return Pagefind's record of every indexed page, keyed by URL.

    A fragment file is gzip-compressed JSON after a 'pagefind_dcd' marker.
    """
    records = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        records[record["url"]] = record
    return records
