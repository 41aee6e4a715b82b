"""Real public postmortem collections build; skipped when they are absent."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPOSITORY

from generator.cli import main


def test_dfds_collection_builds(corpus: Path, tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    code = main(
        [
            "build",
            "--content",
            str(corpus / "dfds"),
            "--output",
            str(site),
            "--today",
            "2026-12-01",
        ]
    )
    assert code == 0
    assert "0 errors" in capsys.readouterr().err
    data = json.loads((site / "api" / "postmortems.json").read_text())
    assert data["count"] == 39
    records = {record["id"]: record for record in data["postmortems"]}
    kiam = records["pm2020-002-kiam-service-disruption-on-hellman"]
    assert kiam["severity"] == "SEV2"
    assert kiam["time_to_detect_seconds"] == 54 * 60
    assert kiam["time_to_recover_seconds"] == 94 * 60
    starvation = records["pm2019-009-kubernetes-network-infrastructure-ip-starvation"]
    assert len(starvation["timeline"]) == 14
    assert starvation["timeline"][0]["time"] == "2019-11-29T12:00:00+01:00"
    assert len(list(site.glob("pm20*/index.html"))) == 39


def test_icco_collection_builds_with_mapping(
    corpus: Path, tmp_path: Path, capsys
) -> None:
    site = tmp_path / "site"
    config = REPOSITORY / "docs" / "examples" / "icco.toml"
    code = main(
        [
            "build",
            "--content",
            str(corpus / "icco"),
            "--config",
            str(config),
            "--output",
            str(site),
            "--today",
            "2026-12-01",
        ]
    )
    errors = capsys.readouterr().err
    assert code == 0
    assert "Traceback" not in errors
    assert "more warnings: missing recommended field 'started'" in errors
    assert len(errors.splitlines()) < 40
    data = json.loads((site / "api" / "postmortems.json").read_text())
    assert data["count"] == 242
    records = {record["id"]: record for record in data["postmortems"]}
    eve = records["01494547-7ee9-4169-a0c0-d921fa309d83"]
    assert eve["title"] == "EVE Online: Trinity installer deletes boot.ini"
    assert eve["severity"] == "unrated"
    assert eve["duration_seconds"] == (8 * 60 + 4) * 60
    assert eve["root_cause"]["categories"] == ["cloud"]
    assert eve["services"] == ["EVE Online: Trinity installer"]
    untitled = records["7c9f5931-6497-43cd-b72a-a3f4a5e42e3d"]
    assert untitled["title"] == "Untitled report by Metrist"
    assert untitled["impact"] == "Not stated in the source report"
    assert untitled["root_cause"]["categories"] == ["unknown"]
    page = (site / "01494547-7ee9-4169-a0c0-d921fa309d83" / "index.html").read_text()
    assert (
        'href="http://community.eveonline.com/news/dev-blogs/about-the-boot.ini-issue/"'
        in page
    )
