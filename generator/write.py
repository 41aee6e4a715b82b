"""Write the site into a staging folder and swap it in only when complete.

The existing output stays untouched until the new site is whole, so a failed
build never leaves a half-written site, and files of deleted postmortems
disappear because the new folder replaces the old one.

A file whose bytes did not change is not written again. The staging folder
gets a hard link to the old file instead, so its modification time stays the
same for rsync and CDN uploads. An unchanged page is not even rendered.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import threading
from pathlib import Path, PurePosixPath

from generator.errors import BuildError

log = logging.getLogger(__name__)

MARKER = ".pmkb-site"


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


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def read_marker(output_dir: Path) -> str:
    """Return the build fingerprint stored in an output folder, or ''."""
    try:
        return (output_dir / MARKER).read_text("utf-8").strip().rsplit("\n", 1)[-1]
    except (OSError, UnicodeDecodeError):
        return ""


def old_site(output_dir: Path) -> Path:
    """Return the folder the last site moves to while the new one replaces it."""
    return output_dir.with_name(f".{output_dir.name}.old")


def remove_leftovers(output_dir: Path) -> None:
    """Delete what an interrupted build left beside the output folder: the
    last site and the unfinished staging folder."""
    output_dir = output_dir.resolve()
    for folder in (old_site(output_dir), staging_folder(output_dir)):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def staging_folder(output_dir: Path) -> Path:
    """Return the folder a new site is written to before it replaces the last one."""
    return output_dir.with_name(f".{output_dir.name}.staging")


class SiteWriter:
    """Collects the site's files in a staging folder next to the output folder."""

    def __init__(self, output_dir: Path, previous_files: dict[str, str] | None = None):
        self.output_dir = output_dir.resolve()
        if not self.output_dir.name or self.output_dir == Path.home():
            raise BuildError.at(
                str(output_dir),
                1,
                1,
                f"invalid output folder {str(output_dir)!r}",
                "write the site to a folder of its own, like site",
            )
        self.staging_dir = staging_folder(self.output_dir)
        # Output path -> SHA-256 of the files of the last build, when known.
        self.previous_files = previous_files or {}
        self.files: dict[str, str] = {}
        self.kept = 0

    def check_output_dir(self) -> None:
        """Reject an output folder that contains something other than a pmkb site."""
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
        if any(self.output_dir.iterdir()) and not (self.output_dir / MARKER).exists():
            raise BuildError.at(
                str(self.output_dir), 1, 1,
                "output folder is not empty and was not written by pmkb",
                "choose an empty or new folder with --output, or delete this one",
            )  # fmt: skip

    def start(self) -> None:
        """Create an empty staging folder."""
        self.check_output_dir()
        try:
            if self.staging_dir.exists():
                shutil.rmtree(self.staging_dir)
            self.staging_dir.mkdir(parents=True)
        except OSError as error:
            raise BuildError.at(
                str(self.output_dir), 1, 1,
                f"cannot create the staging folder {self.staging_dir}: {error.strerror or error}",
                "write the site to a folder whose parent you can write to, with --output",
            ) from None  # fmt: skip

    def _link_previous(self, relative: str, target: Path) -> bool:
        """Hard-link the old output file into staging; False when it is gone."""
        old = safe_join(self.output_dir, relative)
        try:
            os.link(old, target)
        except FileExistsError:
            target.unlink()
            return self._link_previous(relative, target)
        except OSError:
            return False
        return True

    def keep(self, relative: str) -> bool:
        """Carry an unchanged file over from the last build without rewriting it."""
        sha = self.previous_files.get(relative)
        if sha is None:
            return False
        target = safe_join(self.staging_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not self._link_previous(relative, target):
            return False
        self.files[relative] = sha
        self.kept += 1
        return True

    def write(self, relative: str, content: str | bytes) -> str:
        """Write one file of the site, or keep the old one when the bytes match; return its hash."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        sha = sha256(data)
        if self.previous_files.get(relative) == sha and self.keep(relative):
            return sha
        target = safe_join(self.staging_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.files[relative] = sha
        return sha

    def copy_file(self, relative: str, source: Path, stamp: str) -> str:
        """Copy one file into the site without reading it into memory; return ``stamp``.

        ``stamp`` identifies the source's bytes. When it equals the one the last
        build recorded, the old copy is kept instead.
        """
        if self.previous_files.get(relative) == stamp and self.keep(relative):
            return stamp
        target = safe_join(self.staging_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.files[relative] = stamp
        return stamp

    def copy_tree(self, source: Path, relative: str) -> None:
        """Copy a folder of static files into the site."""
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                self.write(
                    f"{relative}/{path.relative_to(source).as_posix()}",
                    path.read_bytes(),
                )

    def adopt_tree(self, relative: str) -> None:
        """Record files another program wrote into staging, keeping old identical ones."""
        folder = safe_join(self.staging_dir, relative)
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(self.staging_dir).as_posix()
            sha = sha256(path.read_bytes())
            self.files[name] = sha
            if self.previous_files.get(name) != sha:
                continue
            # Same bytes as before: swap in a link to the old file to keep its mtime.
            temporary = path.with_name(path.name + ".pmkb-link")
            try:
                os.link(safe_join(self.output_dir, name), temporary)
                os.replace(temporary, path)
                self.kept += 1
            except OSError:
                temporary.unlink(missing_ok=True)

    def keep_tree(self, relative: str) -> bool:
        """Carry over every old file under a folder; False if any is missing."""
        prefix = relative.rstrip("/") + "/"
        names = [name for name in self.previous_files if name.startswith(prefix)]
        return bool(names) and all(self.keep(name) for name in names)

    def keep_live_tree(self, relative: str) -> bool:
        """Link every file under a folder of the live output into staging.

        Unlike ``keep_tree``, this ignores the manifest. Return False when the
        folder does not exist.
        """
        folder = safe_join(self.output_dir, relative)
        if not folder.is_dir():
            return False
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(self.output_dir).as_posix()
                target = safe_join(self.staging_dir, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                if self._link_previous(name, target):
                    self.files[name] = self.previous_files.get(name) or sha256(
                        path.read_bytes()
                    )
        return True

    def remove_tree(self, relative: str) -> None:
        """Remove a folder from staging, with what was carried into it."""
        folder = safe_join(self.staging_dir, relative)
        prefix = relative.rstrip("/") + "/"
        for name in [name for name in self.files if name.startswith(prefix)]:
            del self.files[name]
        if folder.exists():
            shutil.rmtree(folder)

    def commit(self, fingerprint: str = "") -> None:
        """Replace the output folder with the staging folder."""
        marker = "This folder is written by pmkb build.\n" + fingerprint + "\n"
        (self.staging_dir / MARKER).write_text(marker)
        old = old_site(self.output_dir)
        if old.exists():
            shutil.rmtree(old)
        try:
            # An interrupt held during the swap is raised once both moves are done.
            self._swap(old)
            log.debug("replaced %s", self.output_dir)
            if old.exists():
                shutil.rmtree(old)
        except KeyboardInterrupt:
            if not self.staging_dir.exists():
                log.warning(
                    "interrupted while deleting the old site in %s; the new site is in place, and the next build deletes the rest",
                    old,
                )
            raise

    def _swap(self, old: Path) -> None:
        """Move the output folder to ``old`` and the staging folder in its place.

        In the main thread, Ctrl-C waits until both moves are done, so that it
        never leaves the output folder missing. pmkb serve, which swaps in
        another thread, holds the swap lock while it stops instead.
        """
        # Python runs signal handlers in the main thread, and only there may a
        # handler be changed. A signal mask would not do: the kernel hands a
        # signal that one thread blocks to another thread of the process.
        if threading.current_thread() is not threading.main_thread():
            self._move_in(old)
            return
        interrupted: list[int] = []
        previous = signal.signal(
            signal.SIGINT, lambda number, _frame: interrupted.append(number)
        )
        try:
            self._move_in(old)
        finally:
            signal.signal(signal.SIGINT, previous)
        if interrupted and callable(previous):
            previous(signal.SIGINT, None)

    def _move_in(self, old: Path) -> None:
        if self.output_dir.exists():
            os.replace(self.output_dir, old)
        os.replace(self.staging_dir, self.output_dir)

    def abort(self) -> None:
        """Remove the staging folder and leave the output as it was."""
        if self.staging_dir.exists():
            shutil.rmtree(self.staging_dir, ignore_errors=True)


class FolderWriter:
    """Keeps a scratch folder in step with a set of files, rewriting only changed ones.

    It has the ``keep`` and ``write`` methods of ``SiteWriter`` so that pages
    can be rendered into it, but it writes in place: it is for folders that
    are rebuilt when damaged, such as Pagefind's input.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[str, str] = {}

    def keep(self, relative: str) -> bool:
        """Keep an existing file; False when it is missing."""
        path = safe_join(self.folder, relative)
        if not path.is_file():
            return False
        self.files[relative] = ""
        return True

    def write(self, relative: str, content: str | bytes) -> str:
        """Write one file; return its hash."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = safe_join(self.folder, relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files[relative] = sha256(data)
        return self.files[relative]

    def remove_others(self, wanted: set[str]) -> None:
        """Delete every file not in ``wanted``, and folders left empty."""
        if not self.folder.is_dir():
            return
        top = str(self.folder)
        # Bottom up, so that a folder is looked at after its files are gone.
        for root, _folders, names in os.walk(top, topdown=False):
            prefix = os.path.relpath(root, top).replace(os.sep, "/") + "/"
            for name in names:
                if (prefix + name).removeprefix("./") not in wanted:
                    os.unlink(os.path.join(root, name))
            if root != top and not os.listdir(root):
                os.rmdir(root)
