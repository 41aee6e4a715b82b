"""``pmkb import``: turn Markdown postmortems without front matter into pmkb files.

Each source file becomes one file in the output folder, named by its id:
the slugified file name, with ``-2``, ``-3`` … when an id is taken. The
file is the inferred front matter followed by the original text without
its H1 heading. The source is only read and an existing file is never
overwritten. Every file is loaded the way the build loads it before it is
written, so an imported collection builds.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from generator.config import CONFIG_NAME, Config, display_path, load_config
from generator.discover import discover
from generator.errors import Level, Problem
from generator.import_report import kb_toml_text, render_front_matter
from generator.import_scan import ScannedText
from generator.import_sources import (
    MARKDOWN_SUFFIXES,
    extension,
    read_source,
    skip_problem,
    source_files,
)
from generator.infer import (
    UNRATED_KEY,
    Inference,
    RecoveryReading,
    infer_front_matter,
)
from generator.load import load_postmortem
from generator.validate import make_id
from generator.vocabulary import Severity

log = logging.getLogger(__name__)

# A report kept as README.md or index.md in its own folder is named by the folder.
FOLDER_NAMED = ("readme", "index")


@dataclass
class ImportOptions:
    """Options of one import: where from, where to, settings and zone names."""

    source_dir: Path
    output_dir: Path = Path("content")
    config_path: Path | None = None
    dry_run: bool = False
    zones: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportedFile:
    """One report turned into a pmkb file, or found unable to build."""

    source_path: str
    output_path: Path
    scanned: ScannedText
    stem: str
    inference: Inference = field(default_factory=Inference)
    front_matter: str = ""
    # Problems of the file itself; the inference's notes are listed apart.
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def failed(self) -> bool:
        """Tell whether the file was not imported because of an error."""
        return any(p.level is Level.ERROR for p in self.problems)


@dataclass
class ImportResult:
    """Everything one import did, for the report."""

    files: list[ImportedFile] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    not_markdown: list[str] = field(default_factory=list)
    config_message: str = ""
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> list[ImportedFile]:
        """Files that could not be imported because of an error."""
        return [f for f in self.files if f.failed]


def id_and_folder(relative: Path) -> tuple[str, PurePosixPath]:
    """Return a report's id and its output folder, both slugified."""
    name = relative.name
    suffix = extension(name)
    stem = name[: -len(suffix)] if suffix in MARKDOWN_SUFFIXES else name
    parents = relative.parent.parts
    if stem.lower() in FOLDER_NAMED and parents:
        stem, parents = parents[-1], parents[:-1]
    folder = PurePosixPath(*[make_id(part) or "folder" for part in parents])
    return make_id(stem) or "postmortem", folder


class _Ids:
    """Hands out unique ids, keeping clear of the output folder's reports."""

    def __init__(self, output_dir: Path):
        self.output_dir = output_dir
        self.existing: dict[str, Path] = {}
        if output_dir.is_dir():
            for relative in discover(output_dir):
                stem = PurePosixPath(relative).stem
                self.existing[make_id(stem)] = output_dir / relative
        self.assigned: set[str] = set()

    def claim(self, base: str, folder: PurePosixPath) -> tuple[str, Path, bool]:
        """Return (id, output path, whether that file already exists)."""
        number = 1
        while True:
            candidate = base if number == 1 else f"{base}-{number}"
            path = self.output_dir / folder / f"{candidate}.md"
            owner = self.existing.get(candidate)
            if candidate not in self.assigned and (owner is None or owner == path):
                self.assigned.add(candidate)
                return candidate, path, path.exists()
            number += 1


def with_unrated(config: Config) -> Config:
    """Return the settings with an ``unrated`` level at the end of the scale."""
    if config.severity(UNRATED_KEY) is not None:
        return config
    level = Severity(
        UNRATED_KEY,
        "Unrated",
        len(config.severities) + 1,
        description="Imported without a stated severity",
    )
    return replace(config, severities=(*config.severities, level))


def import_one(
    path: Path,
    options: ImportOptions,
    ids: _Ids,
    result: ImportResult,
) -> ImportedFile | None:
    """Read one source file and claim its id; record a skip and return None."""
    source = read_source(path, options.source_dir)
    if source is None:
        result.not_markdown.append(str(path))
        return None
    if isinstance(source, Problem):
        result.skipped.append(source)
        return None
    base, folder = id_and_folder(source.relative)
    report_id, output_path, exists = ids.claim(base, folder)
    if exists:
        result.skipped.append(
            skip_problem(
                source.shown,
                f"{output_path} already exists",
                "pmkb import never overwrites a file; move or delete it to import again",
            )
        )
        return None
    imported = ImportedFile(source.shown, output_path, source.scanned, source.stem)
    if source.warning is not None:
        imported.problems.append(source.warning)
    if report_id != base:
        message = f"id '{base}' is taken, so this report is '{report_id}'"
        imported.problems.append(Problem(source.shown, 1, 1, Level.WARNING, message))
    return imported


def infer_file(
    imported: ImportedFile,
    config: Config,
    options: ImportOptions,
    recovery: RecoveryReading | None = None,
) -> None:
    """Infer one file's front matter and render it."""
    imported.inference = infer_front_matter(
        imported.scanned, imported.stem, config, options.zones, recovery
    )
    imported.front_matter = render_front_matter(imported.inference, imported.scanned)


def read_recovery_convention(
    files: list[ImportedFile], config: Config, options: ImportOptions
) -> None:
    """Count a stated time to recovery from the start where the collection does.

    Reports whose timeline confirms one reading are the evidence. When more
    of them count from the start than from detection, the reports that no
    entry confirms are read that way too.
    """
    evidence = [f.inference.recovery_evidence for f in files]
    from_start, from_detection = evidence.count("started"), evidence.count("detected")
    if from_start <= from_detection:
        return
    note = (
        f"in {from_start} reports of this collection the timeline shows that "
        "the time to recovery counts from the start"
    )
    reading = RecoveryReading("started", note)
    for imported in files:
        if imported.inference.recovery_unmatched:
            infer_file(imported, config, options, reading)


def note_duplicate_titles(files: list[ImportedFile]) -> None:
    """Warn about reports that share a title, which readers cannot tell apart."""
    by_title: dict[str, list[ImportedFile]] = {}
    for imported in files:
        title = str(imported.inference.fields["title"].value)
        by_title.setdefault(title.lower(), []).append(imported)
    for group in by_title.values():
        for imported in group[1:]:
            first = group[0].source_path
            imported.problems.append(
                Problem(
                    imported.source_path,
                    1,
                    1,
                    Level.WARNING,
                    f"same title as {first}",
                    "make the titles say how the incidents differ",
                )
            )


def check_and_write(imported: ImportedFile, config: Config, dry_run: bool) -> None:
    """Load the new file as the build would; write it only if it has no errors."""
    text = imported.front_matter + imported.scanned.body()
    shown = str(imported.output_path)
    loaded = load_postmortem(shown, text.encode("utf-8"), config)
    errors = [p for p in loaded.problems if p.level is Level.ERROR]
    imported.problems.extend(
        replace(p, message=f"the imported file would not build: {p.message}")
        for p in errors
    )
    if errors or dry_run:
        return
    imported.output_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with imported.output_path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except OSError as error:
        imported.problems.append(
            Problem(
                shown, 1, 1, Level.ERROR, f"cannot write the file: {error.strerror}"
            )
        )
        return
    imported.written = True


def plan_config(
    options: ImportOptions, config: Config, result: ImportResult
) -> Path | None:
    """Decide where the ``unrated`` severity level goes; return a file to write."""
    needed = any(
        f.inference.fields["severity"].todo for f in result.files if not f.failed
    )
    if not needed or config.severity(UNRATED_KEY) is not None:
        return None
    path = options.output_dir / CONFIG_NAME
    if options.config_path is None and not path.exists():
        verb = "would write" if options.dry_run else "wrote"
        result.config_message = (
            f"{verb} {display_path(path)}: the default severity scale plus an "
            f"'{UNRATED_KEY}' level for the reports that state no severity"
        )
        return path
    target = display_path(options.config_path or path)
    result.config_message = (
        f"add an '{UNRATED_KEY}' level to [severity] levels in {target}, or rate the "
        f"reports: until then the build reports \"unknown severity '{UNRATED_KEY}'\". "
        f"The complete table:\n{kb_toml_text(config)}"
    )
    return None


def write_config(path: Path, config: Config, result: ImportResult) -> None:
    """Write kb.toml with the ``unrated`` level, never over an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(kb_toml_text(config))
    except OSError as error:
        result.config_message = (
            f"cannot write {display_path(path)}: {error.strerror}; "
            f"add this to the settings instead:\n{kb_toml_text(config)}"
        )


def import_collection(options: ImportOptions) -> ImportResult:
    """Import every Markdown file below the source folder and return the result."""
    began = time.perf_counter()
    config = load_config(options.output_dir, options.config_path)
    check_config = with_unrated(config)
    result = ImportResult(dry_run=options.dry_run)
    ids = _Ids(options.output_dir)
    for source in source_files(options.source_dir):
        imported = import_one(source, options, ids, result)
        if imported is not None:
            infer_file(imported, config, options)
            result.files.append(imported)
    read_recovery_convention(result.files, config, options)
    note_duplicate_titles(result.files)
    for imported in result.files:
        check_and_write(imported, check_config, options.dry_run)
    config_path = plan_config(options, config, result)
    if config_path is not None and not options.dry_run:
        write_config(config_path, config, result)
    result.seconds = time.perf_counter() - began
    return result
