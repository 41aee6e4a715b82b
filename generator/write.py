"""Write the site into a staging folder and swap it in only when complete.

The existing output stays untouched until the new site is whole, so a failed
build never leaves a half-written site, and files of deleted postmortems
disappear because the new folder replaces the old one.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path, PurePosixPath

from generator.errors import BuildError

log = logging.getLogger(__name__)

_MARKER = ".pmkb-site"


def safe_join(root: Path, relative: str) -> Path:
    """Join a site-relative path to ``root``, refusing anything that leaves it."""
    pure = PurePosixPath(relative)
    if (
        pure.is_absolute()
        or ".." in pure.parts
        or "\\" in relative
        or "\x00" in relative
    ):
        raise BuildError.at(
            relative, 1, 1, f"output path {relative!r} points outside the output folder"
        )
    return root.joinpath(*pure.parts)


class SiteWriter:
    """Collects the site's files in a staging folder next to the output folder."""

    def __init__(self, output_dir: Path):
        self.output_dir = output_dir.resolve()
        self.staging_dir = self.output_dir.with_name(f".{self.output_dir.name}.staging")
        self.written: set[str] = set()

    def check_output_dir(self) -> None:
        """Refuse to replace a folder that holds something other than a pmkb site."""
        if not self.output_dir.exists():
            return
        if not self.output_dir.is_dir():
            raise BuildError.at(
                str(self.output_dir),
                1,
                1,
                "output path exists and is not a folder",
                "choose another --output",
            )
        if any(self.output_dir.iterdir()) and not (self.output_dir / _MARKER).exists():
            raise BuildError.at(
                str(self.output_dir), 1, 1,
                "output folder is not empty and was not written by pmkb",
                "choose an empty or new folder with --output, or delete this one",
            )  # fmt: skip

    def start(self) -> None:
        """Create an empty staging folder."""
        self.check_output_dir()
        if self.staging_dir.exists():
            shutil.rmtree(self.staging_dir)
        self.staging_dir.mkdir(parents=True)
        (self.staging_dir / _MARKER).write_text(
            "This folder is written by pmkb build.\n"
        )

    def write(self, relative: str, content: str | bytes) -> None:
        """Write one file of the site."""
        target = safe_join(self.staging_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)
        self.written.add(relative)

    def copy_tree(self, source: Path, relative: str) -> None:
        """Copy a folder of static files into the site."""
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                self.write(
                    f"{relative}/{path.relative_to(source).as_posix()}",
                    path.read_bytes(),
                )

    def commit(self) -> None:
        """Replace the output folder with the staging folder."""
        old = self.output_dir.with_name(f".{self.output_dir.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if self.output_dir.exists():
            os.replace(self.output_dir, old)
        os.replace(self.staging_dir, self.output_dir)
        if old.exists():
            shutil.rmtree(old)
        log.debug("replaced %s", self.output_dir)

    def abort(self) -> None:
        """Remove the staging folder and leave the output as it was."""
        if self.staging_dir.exists():
            shutil.rmtree(self.staging_dir, ignore_errors=True)
