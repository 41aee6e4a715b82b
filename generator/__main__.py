"""Run the command line as ``python -m generator``."""

from __future__ import annotations

from generator.cli import run

run()
