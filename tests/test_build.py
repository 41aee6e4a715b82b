"""The build command: exit codes, staging, links, feeds, git and collisions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import GOOD_REPORT, REPOSITORY, write_files

from generator.cli import main
from generator.collection import read_sources
from generator.errors import BuildError, Problem
from generator.templates import field_label, field_value
from generator.write import safe_join


def build(content: Path, output: Path, *options: str) -> int:
    return main(["build", "--content", str(content), "--output", str(output), *options])


def problem_lines(capsys, level: str) -> list[str]:
    """Return the lines of stderr that report a problem of one level."""
    return [
        line for line in capsys.readouterr().err.splitlines() if f": {level}: " in line
    ]


def report(**changes: str) -> str:
    """Return GOOD_REPORT with some front matter lines replaced."""
    text = GOOD_REPORT
    for key, value in changes.items():
        text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
    return text


def test_bundled_example_builds_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = build(REPOSITORY / "content", tmp_path / "site", "--today", "2026-12-01")
    errors = capsys.readouterr().err
    assert code == 0
    assert ": warning:" not in errors
    assert ": error:" not in errors
    assert re.search(
        r"built .*: 19 postmortems, \d+ pages, 0 warnings, 0 errors in", errors
    )
    page = tmp_path / "site" / "2025-01-15-db-connection-pool-exhaustion" / "index.html"
    html = page.read_text()
    assert "2-hour outage from DB connection pool exhaustion" in html
    assert "2025-01-15 03:00 KST" in html
    assert ">2 min<" in html
    assert ">1 h 58 min<" in html
    assert ">2 h<" in html
    graph = "files/2025/img/2025-01-15-user-api-p99-latency.svg"
    assert f'<img src="../{graph}"' in html
    assert (tmp_path / "site" / graph).is_file()
    # Link anchors and labels need ids that are unique on their page.
    for path in (tmp_path / "site").rglob("*.html"):
        ids = re.findall(r' id="([^"]+)"', path.read_text())
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert repeated == [], path


def test_drafts_left_out_unless_asked(tmp_path: Path, make_kb, capsys) -> None:
    draft = GOOD_REPORT.replace("severity: SEV2", "severity: SEV2\nstatus: draft")
    content = make_kb({"a.md": GOOD_REPORT, "b.md": draft})
    assert build(content, tmp_path / "site") == 0
    assert not (tmp_path / "site" / "b").exists()
    assert "pmkb: left out 1 draft (build with --drafts to include them)" in (
        capsys.readouterr().err
    )
    assert build(content, tmp_path / "site", "--drafts") == 0
    assert (tmp_path / "site" / "b" / "index.html").exists()


def test_errors_of_all_files_in_one_run(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "a.md": report(severity="SEV9"),
        "sub/b.md": report(started="yesterday"),
        "c.md": "---\ntitle: [x\n---\n",
    })  # fmt: skip
    assert build(content, tmp_path / "site") == 1
    lines = problem_lines(capsys, "error")
    assert lines == [
        f"{content}/a.md:3:11: error: unknown severity 'SEV9' "
        "(use one of: SEV1, SEV2, SEV3, SEV4, or an alias such as 'critical' or 'P1')",
        f"{content}/c.md:3:1: error: invalid YAML: expected ',' or ']', but got the end of the front matter "
        "in the list that starts at line 2, column 8 "
        "(fix the YAML syntax of the front matter)",
        f"{content}/sub/b.md:5:10: error: invalid time 'yesterday' for 'started' "
        "(write it as YYYY-MM-DD HH:MM, optionally with seconds and an offset like +09:00)",
    ]
    assert not (tmp_path / "site").exists()


def test_failed_build_keeps_old_site(tmp_path: Path, make_kb) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    site = tmp_path / "site"
    assert build(content, site) == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (content / "a.md").write_text(report(severity="nope"))
    assert build(content, site) == 1
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not (tmp_path / ".site.staging").exists()


def test_deleted_report_disappears(tmp_path: Path, make_kb) -> None:
    content = make_kb({"a.md": GOOD_REPORT, "b.md": GOOD_REPORT})
    site = tmp_path / "site"
    assert build(content, site) == 0
    assert (site / "b" / "index.html").exists()
    (content / "b.md").unlink()
    assert build(content, site) == 0
    assert not (site / "b").exists()
    assert "b/" not in (site / "postmortems" / "index.html").read_text()


def test_strict_fails_on_warnings(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb(
        {"a.md": GOOD_REPORT.replace("services: [checkout, mysql]\n", "")}
    )
    assert build(content, tmp_path / "site", "--strict") == 1
    assert "build failed with warnings (--strict)" in capsys.readouterr().err
    assert build(content, tmp_path / "site") == 0


def test_usage_errors_exit_2(capsys) -> None:
    assert main(["build", "--jobs", "zero"]) == 2
    assert main(["build", "--today", "2025-13-01"]) == 2
    assert main(["frobnicate"]) == 2
    assert main([]) == 2
    assert "invalid date '2025-13-01': use YYYY-MM-DD" in capsys.readouterr().err


def test_missing_content_folder(tmp_path: Path, capsys) -> None:
    assert build(tmp_path / "nope", tmp_path / "site") == 1
    assert (
        f"{tmp_path}/nope:1:1: error: content folder not found"
        in capsys.readouterr().err
    )


def test_refuses_foreign_output_folder(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    assert build(content, foreign) == 1
    assert (
        "output folder is not empty and was not written by pmkb"
        in capsys.readouterr().err
    )
    assert (foreign / "keep.txt").read_text() == "mine"


def test_links_are_relative(tmp_path: Path, make_kb) -> None:
    content = make_kb({"2025/a.md": GOOD_REPORT, "b.md": GOOD_REPORT})
    site = tmp_path / "site"
    assert build(content, site, "--base-url", "https://pm.example.com/sub/") == 0
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        html = page.read_text()
        for url in re.findall(r'(?:href|src)="([^"]*)"', html):
            if page.name == "index.html" and "refresh" in html:
                continue
            assert not url.startswith("/"), f"{page}: {url}"
            if url.startswith("http"):
                assert (
                    not url.startswith("https://pm.example.com/")
                    or 'rel="canonical"' in html
                )
    home = (site / "index.html").read_text()
    assert 'href="a/"' in home
    report_page = (site / "a" / "index.html").read_text()
    assert 'href="../static/pmkb.css"' in report_page
    assert '<link rel="canonical" href="https://pm.example.com/sub/a/">' in report_page
    not_found = (site / "404.html").read_text()
    assert 'href="/sub/static/pmkb.css"' in not_found
    assert build(content, site) == 0
    assert 'href="/static/pmkb.css"' in (site / "404.html").read_text()


def test_feed_sitemap_and_json(tmp_path: Path, make_kb) -> None:
    content = make_kb(
        {"a.md": GOOD_REPORT, "b.md": report(title="Second <b>report</b> & more")}
    )
    site = tmp_path / "site"
    assert build(content, site, "--base-url", "https://pm.example.com/") == 0
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(site / "feed.xml").getroot()
    titles = sorted(
        entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")
    )
    assert titles == [
        "SEV2: Checkout errors from exhausted database connection pool",
        "SEV2: Second <b>report</b> & more",
    ]
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    locations = [
        loc.text
        for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://pm.example.com/a/" in locations
    assert "https://pm.example.com/" in locations
    data = json.loads((site / "api" / "postmortems.json").read_text())
    assert data["count"] == 2
    record = next(r for r in data["postmortems"] if r["id"] == "a")
    assert record["time_to_detect_seconds"] == 240
    assert record["time_to_recover_seconds"] == 2160
    assert record["url"] == "https://pm.example.com/a/"
    assert record["action_items"][0]["owner"] == "sre"


def test_escaping_in_pages(tmp_path: Path, make_kb) -> None:
    content = make_kb(
        {
            "a.md": report(
                title="'\"><script>alert(1)</script>'",
                impact="'{{ site.title }} & <i>x</i>'",
            )
        }
    )
    site = tmp_path / "site"
    assert build(content, site) == 0
    html = (site / "a" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ site.title }} &amp; &lt;i&gt;x&lt;/i&gt;" in html


def test_aliases_redirect(tmp_path: Path, make_kb) -> None:
    content = make_kb(
        {
            "new-name.md": GOOD_REPORT.replace(
                "tags: [database]", "tags: [database]\naliases: [old-name]"
            )
        }
    )
    site = tmp_path / "site"
    assert build(content, site) == 0
    html = (site / "old-name" / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../new-name/">' in html
    assert '<script>location.replace("../new-name/" + location.hash)</script>' in html


def test_collisions_and_unknown_related(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "2024/db-outage.md": GOOD_REPORT,
        "2025/DB Outage.md": GOOD_REPORT,
        "search.md": GOOD_REPORT,
        "c.md": GOOD_REPORT.replace("tags: [database]", "tags: [database]\nrelated: [db-outag]"),
    })  # fmt: skip
    assert build(content, tmp_path / "site") == 1
    errors = problem_lines(capsys, "error")
    assert errors == [
        f"{content}/2025/DB Outage.md:1:1: error: id 'db-outage' is also the id of 2024/db-outage.md "
        "(rename one of the two files, because ids come from file names)",
        f"{content}/c.md:14:1: error: related id 'db-outag' matches no postmortem (did you mean 'db-outage'?)",
        f"{content}/search.md:1:1: error: id 'search' is reserved for a page of the site (rename the file)",
    ]


def test_safe_join_rejects_escapes(tmp_path: Path) -> None:
    for bad in ("../x", "/etc/passwd", "a/../../b", "a\\b"):
        with pytest.raises(BuildError):
            safe_join(tmp_path, bad)
    assert safe_join(tmp_path, "a/b.html") == tmp_path / "a" / "b.html"


def test_git_history_on_report(tmp_path: Path, make_kb) -> None:
    content = make_kb({"a.md": GOOD_REPORT, "b.md": GOOD_REPORT})
    env = {"GIT_AUTHOR_DATE": "2025-03-05T12:00:00+00:00", "GIT_COMMITTER_DATE": "2025-03-05T12:00:00+00:00",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}  # fmt: skip
    git = [
        "git",
        "-C",
        str(content),
        "-c",
        "user.name=Ana Ops",
        "-c",
        "user.email=ana@example.com",
    ]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "a.md"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "Add a"], check=True, env=env)
    site = tmp_path / "site"
    assert build(content, site) == 0
    html = (site / "a" / "index.html").read_text()
    assert (
        'Last updated <time datetime="2025-03-05T12:00:00+00:00">2025-03-05</time>'
        in html
    )
    assert "Contributors: Ana Ops" in html
    assert "Last updated" not in (site / "b" / "index.html").read_text()


def test_module_entry_point_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip().startswith("pmkb ")


def test_invalid_output_folders(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    assert build(content, Path("/")) == 1
    assert (
        "/:1:1: error: invalid output folder '/' (write the site to a folder of its own, like site)"
        in capsys.readouterr().err
    )
    holder = tmp_path / "holder"
    holder.mkdir()
    (holder / ".pmkb-site").write_text("")
    inner = write_files(holder / "content", {"a.md": GOOD_REPORT})
    assert build(inner, holder) == 1
    assert capsys.readouterr().err.splitlines()[-2] == (
        f"{holder}:1:1: error: the output folder is a folder that holds the content "
        "folder, and each build replaces the output folder "
        "(write the site to another folder with --output)"
    )
    assert (inner / "a.md").exists()
    # An empty folder is a fine output folder, but never the content's own.
    same = tmp_path / "same"
    same.mkdir()
    assert build(same, same) == 1
    assert capsys.readouterr().err.splitlines()[-2] == (
        f"{same}:1:1: error: the output folder is the content folder, and each "
        "build replaces the output folder (write the site to another folder with --output)"
    )
    write_files(same, {"a.md": GOOD_REPORT})
    assert build(same, same) == 1
    assert "error: the output folder is the content folder" in capsys.readouterr().err
    assert (same / "a.md").exists()


def test_addresses_are_checked(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb(
        {"a.md": GOOD_REPORT, "kb.toml": 'repo_url = "javascript:alert(7)"\n'}
    )
    assert build(content, tmp_path / "site") == 1
    assert (
        "kb.toml:1:1: error: invalid repo_url 'javascript:alert(7)'"
        in capsys.readouterr().err
    )
    (content / "kb.toml").unlink()
    assert build(content, tmp_path / "site", "--base-url", "not a url") == 1
    assert (
        "--base-url:1:1: error: invalid --base-url 'not a url'"
        in capsys.readouterr().err
    )


def test_uppercase_extension_and_self_link(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb(
        {
            "b.MD": GOOD_REPORT.replace(
                "tags: [database]", "tags: [database]\nrelated: [b]"
            )
        }
    )
    assert build(content, tmp_path / "site") == 0
    assert (tmp_path / "site" / "b" / "index.html").exists()
    assert (
        f"{content}/b.MD:14:1: warning: 'related' lists this report itself (remove it from the list)"
        in capsys.readouterr().err
    )


def test_logging_options_after_command(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    assert (
        main(
            [
                "build",
                "--content",
                str(content),
                "--output",
                str(tmp_path / "site"),
                "-q",
            ]
        )
        == 0
    )
    assert "rendering" not in capsys.readouterr().err


def test_theme_overrides_template_and_static(tmp_path: Path, make_kb) -> None:
    content = make_kb({
        "a.md": GOOD_REPORT,
        "kb.toml": 'theme_dir = "theme"\n',
        "theme/templates/404.html": "{% extends 'base.html' %}{% block content %}<h1>Lost: {{ site.title }}</h1>{% endblock %}\n",
        "theme/static/pmkb.css": "body { color: rebeccapurple; }\n",
        "theme/static/extra.js": "console.log('ours');\n",
    })  # fmt: skip
    site = tmp_path / "site"
    assert build(content, site) == 0
    assert "<h1>Lost: Postmortems</h1>" in (site / "404.html").read_text()
    assert (
        site / "static" / "pmkb.css"
    ).read_text() == "body { color: rebeccapurple; }\n"
    assert (site / "static" / "extra.js").exists()
    assert (site / "static" / "pmkb.js").exists()


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{% extends 'base.html' %}{% block content %}\n<h1>{{ site.title.missing }}</h1>{% endblock %}\n",
            "{folder}/theme/templates/postmortem.html:2:1: error: template failed on page /{page}/: UndefinedError: 'str object' has no attribute 'missing'",
        ),
        (
            "{% extends 'base.html' %}{% block content %}{% include 'part.j2' %}{% endblock %}\n",
            "{folder}/theme/templates/part.j2:2:1: error: template failed on page /{page}/: TypeError: unsupported operand type(s) for +: 'int' and 'str'",
        ),
        (
            "{% extends 'base.html' %}\n{% block content %}\n{% if %}{% endblock %}\n",
            "{folder}/theme/templates/postmortem.html:3:1: error: template failed on page /{page}/: TemplateSyntaxError: Expected an expression, got 'end of statement block'",
        ),
    ],
)
@pytest.mark.parametrize("options", [["--jobs", "1"], ["--jobs", "2", "--no-search"]])
def test_theme_template_error_located(
    tmp_path: Path, make_kb, capsys, template: str, message: str, options: list[str]
) -> None:
    # 70 reports, so that two processes render the pages with --jobs 2.
    files = {f"2024-01-01-report-{n:02d}.md": GOOD_REPORT for n in range(70)}
    files["kb.toml"] = 'theme_dir = "theme"\n'
    files["theme/templates/postmortem.html"] = template
    files["theme/templates/part.j2"] = "<p>\n{{ 1 + 'a' }}</p>\n"
    content = make_kb(files)
    site = tmp_path / "site"
    assert build(content, site, *options) == 1
    errors = problem_lines(capsys, "error")
    assert len(errors) == 1
    page = re.search(r"on page /([^/]+)/", errors[0])
    assert page is not None
    expected = message.format(folder=content, page=page.group(1))
    expected += (
        " (fix the template, or compare it with the same file of pmkb's default theme)"
    )
    assert errors[0] == expected
    assert not site.exists()


def test_unchanged_build_removes_leftovers(tmp_path: Path, make_kb) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    site = tmp_path / "site"
    assert build(content, site) == 0
    # What interrupted builds leave.
    for name in (".site.old", ".site.staging"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("left over")
    assert build(content, site) == 0
    assert not (tmp_path / ".site.old").exists()
    assert not (tmp_path / ".site.staging").exists()


def test_strict_ignores_warnings_of_left_out_drafts(
    tmp_path: Path, make_kb, capsys
) -> None:
    draft = GOOD_REPORT.replace("services: [checkout, mysql]\n", "").replace(
        "severity: SEV2", "severity: SEV2\nstatus: draft"
    )
    content = make_kb({"a.md": GOOD_REPORT, "b.md": draft})
    assert build(content, tmp_path / "site", "--strict") == 0
    assert ": warning:" not in capsys.readouterr().err
    # With the drafts on the site, their warnings count again.
    assert build(content, tmp_path / "site", "--strict", "--drafts") == 1
    assert f"{content}/b.md" in capsys.readouterr().err


def test_broken_related_report_reported_once(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({
        "a.md": GOOD_REPORT.replace("tags: [database]", "tags: [database]\nrelated: [b]"),
        "b.md": report(severity="SEV9"),
        "notes/README.md": "# Notes\n\nHow this folder is kept.\n",
    })  # fmt: skip
    assert build(content, tmp_path / "site") == 1
    errors = problem_lines(capsys, "error")
    assert errors == [
        f"{content}/b.md:3:11: error: unknown severity 'SEV9' "
        "(use one of: SEV1, SEV2, SEV3, SEV4, or an alias such as 'critical' or 'P1')"
    ]


def test_file_without_front_matter(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": "# Outage\n\nThe database fell over.\n"})
    assert build(content, tmp_path / "site") == 1
    errors = problem_lines(capsys, "error")
    assert errors == [
        f"{content}/a.md:1:1: error: no front matter: a postmortem starts with its "
        "fields between '---' lines (add the front matter, or convert plain "
        "Markdown reports with pmkb import)"
    ]


def test_links_out_of_content_left_out(tmp_path: Path, make_kb, capsys) -> None:
    outside = write_files(tmp_path / "outside", {"secret.md": report(title="Secret")})
    content = make_kb({"a.md": GOOD_REPORT})
    (content / "linked.md").symlink_to(outside / "secret.md")
    (content / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (content / "more").symlink_to(outside, target_is_directory=True)
    (content / "b.md").symlink_to(content / "a.md")
    site = tmp_path / "site"
    assert build(content, site) == 0
    warnings = problem_lines(capsys, "warning")
    hint = "(keep the knowledge base in one folder: move or copy the file into it)"
    assert warnings == [
        f"{content}/gone.md:1:1: warning: gone.md is a symbolic link to nothing; "
        "it is left out (delete the link, or point it at a report)",
        f"{content}/linked.md:1:1: warning: linked.md is a symbolic link to a file "
        f"outside the content folder; it is left out {hint}",
        f"{content}/more:1:1: warning: more is a symbolic link to a folder, and "
        "linked folders are not read; it is left out "
        "(move or copy the folder's reports into the content folder)",
    ]
    assert not (site / "linked").exists()
    assert "Secret" not in (site / "api" / "postmortems.json").read_text()
    # A link that stays inside the folder is read like any file.
    assert (site / "b" / "index.html").exists()


def test_quiet_keeps_closing_line(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    site = tmp_path / "site"
    args = ["--quiet", "build", "--content", str(content), "--output", str(site)]
    assert main(args) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        rf"pmkb: built {re.escape(str(site))}: 1 postmortem, \d+ pages, "
        r"0 warnings, 0 errors in \d+\.\d\d s",
        lines[0],
    )


def test_unreadable_report_is_error(tmp_path: Path) -> None:
    # Root reads any file, so a folder named like a report stands for a file
    # that cannot be read.
    content = write_files(tmp_path / "content", {"a.md": GOOD_REPORT})
    (content / "b.md").mkdir()
    problems: list[Problem] = []
    files = read_sources(content, ["a.md", "b.md"], problems)
    assert list(files) == ["a.md"]
    assert [problem.format() for problem in problems] == [
        "b.md:1:1: error: cannot read the file: Is a directory (give your user "
        "read access to it, or move it out of the content folder)"
    ]


def test_link_loop_left_out(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    (content / "loop-a.md").symlink_to(content / "loop-b.md")
    (content / "loop-b.md").symlink_to(content / "loop-a.md")
    # Named like an editor's lock file, so left out without a warning.
    (content / ".#lock.md").symlink_to(content / ".#lock.md")
    assert build(content, tmp_path / "site") == 0
    warnings = problem_lines(capsys, "warning")
    assert warnings == [
        f"{content}/loop-{name}.md:1:1: warning: loop-{name}.md is a symbolic link "
        "that leads back to itself; it is left out "
        "(delete the link, or point it at a report)"
        for name in "ab"
    ]


def test_output_below_a_file(tmp_path: Path, make_kb, capsys) -> None:
    content = make_kb({"a.md": GOOD_REPORT})
    output = content / "a.md" / "site"
    assert build(content, output) == 1
    assert (
        f"{output}:1:1: error: cannot create the staging folder "
        f"{content}/a.md/.site.staging: Not a directory (write the site to a "
        "folder whose parent you can write to, with --output)"
    ) in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "label"),
    [("archive_url", "Archive URL"), ("uuid", "UUID"), ("company", "Company"),
     ("source_published_at", "Source published at"), ("SLA_breach", "SLA breach")],
)  # fmt: skip
def test_extra_field_label(name: str, label: str) -> None:
    assert field_label(name) == label


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2018-08-05T00:00:00Z", "2018-08-05"), ("2018-08-05T13:20:00Z", "2018-08-05 13:20 UTC"),
     ("2018-08-05T13:20", "2018-08-05 13:20"), ("Acme", "Acme"), (3, 3)],
)  # fmt: skip
def test_extra_field_value(value: object, shown: object) -> None:
    assert field_value(value) == shown
