"""Golden pages: a small knowledge base renders exactly to reviewed HTML.

Set PMKB_UPDATE_GOLDEN=1 to write the expected files again after a wanted
change, then review the difference before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import __version__
from generator.cli import main

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "2025-02-03-queue-backlog-delayed-invoices/index.html",
    "2024-10-09-billing-db-failover/index.html",
    "postmortems/index.html",
    "services/billing-worker/index.html",
    "feed.xml",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A copy outside the repository, so git history does not enter the pages.
    root = tmp_path_factory.mktemp("golden")
    content = shutil.copytree(GOLDEN / "content", root / "content")
    output = root / "site"
    code = main(["build", "--content", str(content), "--output", str(output),
                 "--today", "2026-12-01", "--no-search", "--clean"])  # fmt: skip
    assert code == 0
    return output


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden(site: Path, page: str) -> None:
    # The version appears in every page, so it is masked.
    actual = (site / page).read_text().replace(f"pmkb {__version__}", "pmkb VERSION")
    actual = actual.replace(f'version="{__version__}"', 'version="VERSION"')
    expected_path = GOLDEN / "expected" / page.replace("/", "__")
    if os.environ.get("PMKB_UPDATE_GOLDEN"):
        expected_path.write_text(actual)
    assert actual == expected_path.read_text()
