"""The HTTP side of ``pmkb serve``: the site's files, the reload script, the
build status and the event stream that makes browsers reload.
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.errors import Problem

log = logging.getLogger(__name__)

RELOAD_SCRIPT = (Path(__file__).parent / "reload.js").read_text("utf-8")
# Browsers reconnect to the event stream after this many milliseconds.
RETRY_MILLISECONDS = 1000
# A comment line keeps idle event streams open through proxies and timeouts.
KEEPALIVE_SECONDS = 15


@dataclass
class ServeState:
    """The problems of the last build and the browsers listening for events."""

    problems: list[Problem] = field(default_factory=list)
    has_site: bool = False
    generation: int = 0
    listeners: list[queue.Queue[tuple[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def status(self) -> dict[str, Any]:
        """Return what the overlay shows: the current problems and the build count."""
        with self.lock:
            problems = [
                {"path": p.path, "line": p.line, "column": p.column, "level": p.level.value,
                 "message": p.message, "hint": p.hint, "text": p.format()}
                for p in self.problems
            ]  # fmt: skip
            return {
                "generation": self.generation,
                "ok": not any(p["level"] == "error" for p in problems),
                "problems": problems,
            }

    def broadcast(self, event: str, data: dict[str, Any]) -> None:
        """Send one event to every connected browser."""
        message = (event, json.dumps(data))
        with self.lock:
            for listener in self.listeners:
                listener.put(message)


def make_handler(output_dir: Path, state: ServeState) -> type[SimpleHTTPRequestHandler]:
    """Return a request handler class bound to the output folder and the state."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(output_dir), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it
            log.debug("%s %s", self.address_string(), format % args)

        def end_headers(self) -> None:
            # Every response is fresh after a rebuild; never let the browser reuse one.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self) -> None:  # noqa: N802 - the base class names it
            path = self.path.split("?", 1)[0]
            if path == "/_pmkb/reload.js":
                self.send_text(RELOAD_SCRIPT, "text/javascript; charset=utf-8")
            elif path == "/_pmkb/status":
                self.send_text(json.dumps(state.status()), "application/json")
            elif path == "/_pmkb/events":
                self.stream_events()
            elif not state.has_site:
                self.send_text(
                    error_page(state),
                    "text/html; charset=utf-8",
                    HTTPStatus.SERVICE_UNAVAILABLE,
                )
            else:
                super().do_GET()

        def send_text(
            self, text: str, content_type: str, status: HTTPStatus = HTTPStatus.OK
        ) -> None:
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            not_found = output_dir / "404.html"
            if code == HTTPStatus.NOT_FOUND and not_found.is_file():
                self.send_text(
                    not_found.read_text("utf-8"),
                    "text/html; charset=utf-8",
                    HTTPStatus.NOT_FOUND,
                )
                return
            super().send_error(code, message, explain)

        def stream_events(self) -> None:
            listener: queue.Queue[tuple[str, str]] = queue.Queue()
            with state.lock:
                state.listeners.append(listener)
            try:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self.wfile.write(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
                self.wfile.write(
                    f"event: status\ndata: {json.dumps(state.status())}\n\n".encode()
                )
                self.wfile.flush()
                while not getattr(self.server, "stopping", False):
                    try:
                        event, data = listener.get(timeout=KEEPALIVE_SECONDS)
                        self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                log.debug(
                    "browser %s disconnected from the event stream",
                    self.address_string(),
                )
            finally:
                with state.lock:
                    state.listeners.remove(listener)

    return Handler


def error_page(state: ServeState) -> str:
    """Return the page shown while no build has succeeded yet."""
    from html import escape

    items = "".join(
        f"<li><code>{escape(p['text'])}</code></li>" for p in state.status()["problems"]
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>pmkb: build failed</title>"
        "<script src='/_pmkb/reload.js' defer></script></head><body style='font-family:sans-serif;max-width:60rem;margin:2rem auto'>"
        "<h1>The site could not be built</h1><p>Fix these problems; the page reloads when the build succeeds.</p>"
        f"<ul>{items}</ul></body></html>"
    )


class QuietServer(ThreadingHTTPServer):
    """The HTTP server, silent when a browser drops a connection it opened."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # The browser closed the tab or moved on; nothing is wrong.
        super().handle_error(request, client_address)
