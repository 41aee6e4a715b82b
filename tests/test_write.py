"""The staging folder that replaces the output folder, and Ctrl-C during the swap."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from generator import write
from generator.write import SiteWriter


def make_site(output: Path, text: str) -> SiteWriter:
    writer = SiteWriter(output)
    writer.start()
    writer.write("index.html", text)
    return writer


def test_commit_replaces_output(tmp_path: Path) -> None:
    make_site(tmp_path / "site", "old").commit("first")
    make_site(tmp_path / "site", "new").commit("second")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert not (tmp_path / ".site.old").exists()
    assert not (tmp_path / ".site.staging").exists()


def test_interrupt_waits_for_swap(tmp_path: Path, monkeypatch) -> None:
    make_site(tmp_path / "site", "old").commit("first")
    writer = make_site(tmp_path / "site", "new")
    replace = os.replace

    def interrupted_replace(source: Path, target: Path) -> None:
        # Ctrl-C between moving the old site away and moving the new one in.
        os.kill(os.getpid(), signal.SIGINT)
        replace(source, target)

    monkeypatch.setattr(write.os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        writer.commit("second")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert (tmp_path / ".site.old" / "index.html").read_text() == "old"
