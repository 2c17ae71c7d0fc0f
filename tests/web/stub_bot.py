"""A REST channel that replays canned replies, for browser tests of how the widget shows them.

POST /webhooks/rest/webhook {sender, message} -> the canned reply for that message (or DEFAULT).
A reply is a list of messages (sent with 200, like Rasa) or a `Canned` with another status and
headers (a 429 with Retry-After). It knows nothing of the guide: the texts are the test's own,
copied from the bot's output.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union


@dataclass(frozen=True)
class Canned:
    messages: Sequence[dict]
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


Reply = Union[Sequence[dict], Canned]
DEFAULT: Sequence[dict] = [{"text": "好的。"}]


class StubBot:
    """The server on 127.0.0.1 at a free port, in a daemon thread; `received` lists
    (sender, message) in arrival order. `expose` lists the response headers a page on another
    origin may read (Access-Control-Expose-Headers)."""

    def __init__(self, replies: Mapping[str, Reply], delay: float = 0.0,
                 expose: Sequence[str] = ("Retry-After",), port: int = 0) -> None:
        self.port = port  # 0: a free one; a given one lets a test bring the bot back there
        self.replies: Dict[str, Reply] = dict(replies)
        self.delay = delay
        self.expose = tuple(expose)
        self._received: List[Tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server: Optional[ThreadingHTTPServer] = None

    @property
    def url(self) -> str:
        assert self._server is not None, "not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def received(self) -> List[Tuple[str, str]]:
        with self._lock:
            return list(self._received)

    def answer(self, sender: str, message: str) -> Canned:
        with self._lock:
            self._received.append((sender, message))
        reply = self.replies.get(message, DEFAULT)
        canned = reply if isinstance(reply, Canned) else Canned(reply)
        return Canned([dict(m, recipient_id=sender) for m in canned.messages], canned.status,
                      canned.headers)

    def __enter__(self) -> "StubBot":
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="stub-bot").start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes = b"",
                      headers: Mapping[str, str] = {}) -> None:
                self.send_response(status)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type, X-Sender-Id")
                if stub.expose:
                    self.send_header("Access-Control-Expose-Headers", ", ".join(stub.expose))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_OPTIONS(self) -> None:
                self._send(204)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    data = json.loads(self.rfile.read(length) or b"{}")
                    sender, message = str(data["sender"]), str(data["message"])
                except (ValueError, KeyError, TypeError):
                    self._send(400, b'{"error": "bad request"}')
                    return
                if stub.delay:
                    time.sleep(stub.delay)
                canned = stub.answer(sender, message)
                body = json.dumps(list(canned.messages), ensure_ascii=False).encode("utf-8")
                self._send(canned.status, body, canned.headers)

        return Handler
