"""pmkb serve: a real server on a free port, real file edits, real events."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GOOD_REPORT, write_files

from generator.build import BuildOptions
from generator.serve import BackgroundBuilder, Rebuilder
from generator.serve_http import ServeState

DEADLINE_SECONDS = 15


class Server:
    """A running ``pmkb serve`` process and the port it listens on."""

    def __init__(self, process: subprocess.Popen[str], port: int, log: Path):
        self.process = process
        self.port = port
        self.log = log

    def get(self, path: str) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def status(self) -> dict:
        return json.loads(self.get("/_pmkb/status")[1])

    def wait_for(self, check, what: str) -> None:
        """Poll until ``check()`` is true, failing with the server log otherwise."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.05)
        pytest.fail(
            f"timed out waiting for {what}; server log:\n{self.log.read_text()}"
        )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    content = write_files(
        tmp_path / "content", {"a.md": GOOD_REPORT, "b.md": GOOD_REPORT}
    )
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "generator", "serve", "--content", str(content),
               "--output", str(tmp_path / "out"), "--port", "0", "--no-search", "--today", "2026-12-01",
               # Published under a path, but served from the server's root.
               "--base-url", "https://pm.example.com/team/"]  # fmt: skip
    with log.open("w") as stream:
        process = subprocess.Popen(
            command, stdout=stream, stderr=subprocess.STDOUT, text=True
        )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        port = 0
        while not port and time.monotonic() < deadline:
            match = re.search(r"at http://127\.0\.0\.1:(\d+)/", log.read_text())
            port = int(match.group(1)) if match else 0
            time.sleep(0.05)
        if not port:
            pytest.fail(f"server did not start; log:\n{log.read_text()}")
        yield Server(process, port, log)
    finally:
        process.terminate()
        process.wait(timeout=30)  # generous: CI machines can be busy


def test_serve_injects_reload_script(server: Server) -> None:
    code, html = server.get("/a/")
    assert code == 200
    assert '<script src="/_pmkb/reload.js" defer></script>' in html
    code, script = server.get("/_pmkb/reload.js")
    assert code == 200
    assert 'new EventSource("/_pmkb/events")' in script


def test_serve_missing_page_is_404(server: Server) -> None:
    code, html = server.get("/no-such-report/")
    assert code == 404
    assert "Page not found" in html
    # Served at any depth, the page links from the site root.
    assert 'href="/static/pmkb.css"' in html


def test_edit_changes_page(server: Server, tmp_path: Path) -> None:
    report = tmp_path / "content" / "a.md"
    report.write_text(
        GOOD_REPORT.replace("30% of checkout requests failed", "Edited impact")
    )
    server.wait_for(lambda: "Edited impact" in server.get("/a/")[1], "the edited page")
    server.wait_for(
        lambda: "rebuilt after change to" in server.log.read_text(),
        "the rebuild log line",
    )


def test_editor_style_save_is_seen(server: Server, tmp_path: Path) -> None:
    # Like vim: write a swap file and a backup, then rename a new file over the old one.
    folder = tmp_path / "content"
    (folder / ".a.md.swp").write_text("swap")
    (folder / "a.md~").write_text(GOOD_REPORT)
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    temporary = folder / "a.md.tmp"
    temporary.write_text(
        GOOD_REPORT.replace("30% of checkout requests failed", "Renamed into place")
    )
    temporary.replace(folder / "a.md")
    server.wait_for(
        lambda: "Renamed into place" in server.get("/a/")[1], "the saved page"
    )
    assert server.get("/a.md~/")[0] == 404


def test_error_shows_then_clears(server: Server, tmp_path: Path) -> None:
    report = tmp_path / "content" / "a.md"
    report.write_text(GOOD_REPORT.replace("severity: SEV2", "severity: SEV9"))
    server.wait_for(lambda: not server.status()["ok"], "the error status")
    problems = server.status()["problems"]
    assert [p["message"] for p in problems] == ["unknown severity 'SEV9'"]
    assert problems[0]["line"] == 3
    code, html = server.get("/a/")
    assert code == 200
    assert "SEV2" in html
    report.write_text(GOOD_REPORT)
    server.wait_for(lambda: server.status()["ok"], "the error to clear")
    # The terminal shows the error once, in the form editors link to.
    lines = server.log.read_text().splitlines()
    error_lines = [line for line in lines if ": error: unknown severity" in line]
    assert len(error_lines) == 1
    assert error_lines[0].startswith(f"{report}:3:11: error:")


def test_rename_removes_old_page(server: Server, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    (folder / "b.md").rename(folder / "c.md")
    server.wait_for(lambda: server.get("/c/")[0] == 200, "the renamed page")
    assert server.get("/b/")[0] == 404
    assert 'href="b/"' not in server.get("/postmortems/")[1]


def test_delete_removes_page(server: Server, tmp_path: Path) -> None:
    (tmp_path / "content" / "b.md").unlink()
    server.wait_for(lambda: server.get("/b/")[0] == 404, "the page to disappear")
    assert 'href="b/"' not in server.get("/postmortems/")[1]


def read_event(stream) -> tuple[str, str]:
    """Read one server-sent event: its name and data."""
    name = data = ""
    while True:
        line = stream.readline().decode().rstrip("\n")
        if not line:
            if name:
                return name, data
            continue
        field, _, value = line.partition(": ")
        if field == "event":
            name = value
        elif field == "data":
            data = value


def test_events_stream_reload(server: Server, tmp_path: Path) -> None:
    stream = urllib.request.urlopen(
        f"http://127.0.0.1:{server.port}/_pmkb/events", timeout=10
    )
    assert stream.readline() == b"retry: 1000\n"
    assert read_event(stream)[0] == "status"
    (tmp_path / "content" / "a.md").write_text(
        GOOD_REPORT.replace("Checkout requests failed", "Changed summary")
    )
    events = [read_event(stream) for _ in range(2)]
    stream.close()
    assert events[0][0] == "status"
    assert json.loads(events[0][1])["ok"] is True
    assert events[1][0] == "reload"
    assert json.loads(events[1][1])["paths"] == ["/a/"]


def test_browser_reloads_and_shows_problems(
    server: Server, tmp_path: Path, browser
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"http://127.0.0.1:{server.port}/a/")
        page.wait_for_selector("html[data-pmkb-live=connected]", state="attached")
        report = tmp_path / "content" / "a.md"
        report.write_text(
            GOOD_REPORT.replace("30% of checkout requests failed", "Reloaded by itself")
        )
        page.wait_for_selector("text=Reloaded by itself")
        report.write_text(GOOD_REPORT.replace("severity: SEV2", "severity: SEV9"))
        # The rebuild after the first edit may still reload the page once, so
        # the overlay is looked up by its text, which outlives a reload.
        page.wait_for_selector("#pmkb-problems:has-text(\"unknown severity 'SEV9'\")")
        report.write_text(GOOD_REPORT)
        page.wait_for_selector("#pmkb-problems", state="detached")
        page.wait_for_selector("text=30% of checkout requests failed")
    finally:
        context.close()


def test_sigterm_stops_cleanly(server: Server) -> None:
    # Twice, as coreutils timeout signals the process and its group.
    server.process.terminate()
    server.process.terminate()
    assert server.process.wait(timeout=10) == 0
    assert "pmkb: stopping" in server.log.read_text()
    assert "error" not in server.log.read_text()


def test_sigterm_passes_exception_handlers() -> None:
    from generator.serve import Stopped

    # Handlers of every Exception, such as logging's, must let it through.
    assert not issubclass(Stopped, Exception)


def test_serve_port_in_use(tmp_path: Path, capsys) -> None:
    from generator.cli import main

    content = write_files(tmp_path / "content", {"a.md": GOOD_REPORT})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        output = tmp_path / "out"
        arguments = ["serve", "--content", str(content), "--output", str(output)]
        assert main([*arguments, "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"pmkb: error: cannot serve on 127.0.0.1 port {port}: Address already in use "
        "(choose another with --port, or --port 0 for any free port)\n"
    )
    assert not output.exists()  # Nothing was built for a server that cannot start.


def test_serve_missing_content(tmp_path: Path, capsys) -> None:
    from generator.cli import main

    missing = tmp_path / "nowhere"
    assert main(["serve", "--content", str(missing), "--port", "0"]) == 2
    assert capsys.readouterr().err == (
        f"pmkb: error: content folder not found: {missing} "
        "(run from the folder that contains it or pass --content)\n"
    )


def test_builder_skips_change_when_stopping(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", {"a.md": GOOD_REPORT})
    site = tmp_path / "site"
    options = BuildOptions(
        content_dir=content, output_dir=site, serving=True, search=False
    )
    stop = threading.Event()
    builder = BackgroundBuilder(Rebuilder(options, ServeState()), stop)
    builder.start()
    time.sleep(0.2)  # Until the builder waits for changes.
    # A change saved just before Ctrl+C arrives together with the stop.
    with builder.condition:
        builder.pending.add(content / "a.md")
        stop.set()
        builder.condition.notify()
    builder.join(timeout=30)
    assert not builder.is_alive()
    assert not site.exists()
