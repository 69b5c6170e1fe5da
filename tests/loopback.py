"""A real HTTP server on 127.0.0.1 that serves recorded payloads, with scripted misbehaviour.

Routes answer from a script: a list of responses consumed in order (the last one repeats),
so "500, then 200" or "429 with Retry-After, then 200" are one line in a test. Conditional
GET is honoured for routes that carry an ETag or Last-Modified.

Faults a hostile or broken server commits are replies too: a body trickled one byte at a
time (``trickle``), a stall between the headers and the body (``stall``), bytes sent
verbatim instead of a well-formed answer (``raw``: a truncated chunked body, headers that
never end), and redirects (``redirect``) to anywhere, including loops and ``file://``.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to stall before answering (timeouts)
    etag: str | None = None
    last_modified: str | None = None
    trickle: float = 0.0  # seconds between single bytes of the body (or of ``raw``)
    stall: float = 0.0  # seconds to stall after the headers, before the body
    raw: bytes | None = None  # sent as is instead of a built response, then the connection closes


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, body=b"moved", headers={"Location": location})


def chunked(*chunks: bytes, complete: bool = True) -> Reply:
    """A chunked answer; with ``complete=False`` it breaks off inside the last chunk."""
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
    if complete:
        body += b"0\r\n\r\n"
    else:
        body = body[:-4]
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    return Reply(raw=head + body)


class RecordedSite:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {"/robots.txt": [Reply(body=b"User-agent: *\nAllow: /\n")]}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.in_flight = 0  # requests being answered now (robots.txt aside)
        self.most_in_flight = 0  # the most answered at once
        self._lock = threading.Lock()
        self._closed = threading.Event()  # ends the trickles still running when the test is over
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                site._answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.url(path)

    def serve(self, path: str, body: bytes, content_type: str = "application/xml", **kwargs: object) -> str:
        return self.add(path, Reply(body=body, content_type=content_type, **kwargs))  # type: ignore[arg-type]

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        counted = handler.path != "/robots.txt"
        with self._lock:
            if counted:
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self._reply(handler)
        finally:
            if counted:
                with self._lock:
                    self.in_flight -= 1

    def _reply(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append((handler.path, dict(handler.headers)))
            script = self.routes.get(handler.path)
            if script is None:
                reply = Reply(status=404, body=b"not found")
            else:
                reply = script.pop(0) if len(script) > 1 else script[0]
        if reply.delay:
            time.sleep(reply.delay)
        if reply.raw is not None:
            self._send_raw(handler, reply)
            return
        if reply.status == 200 and reply.etag and handler.headers.get("If-None-Match") == reply.etag:
            reply = Reply(status=304, body=b"", content_type=None, etag=reply.etag)
        elif reply.status == 200 and reply.last_modified and \
                handler.headers.get("If-Modified-Since") == reply.last_modified:
            reply = Reply(status=304, body=b"", content_type=None, last_modified=reply.last_modified)
        try:
            handler.send_response(reply.status)
            if reply.content_type:
                handler.send_header("Content-Type", reply.content_type)
            if reply.etag:
                handler.send_header("ETag", reply.etag)
            if reply.last_modified:
                handler.send_header("Last-Modified", reply.last_modified)
            for key, value in reply.headers.items():
                handler.send_header(key, value)
            if reply.status != 304:
                handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.flush()
            if reply.stall:
                self._closed.wait(reply.stall)
            if reply.status != 304:
                self._write(handler, reply.body, reply.trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to answer

    def _send_raw(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        handler.close_connection = True
        try:
            self._write(handler, reply.raw or b"", reply.trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _write(self, handler: BaseHTTPRequestHandler, data: bytes, trickle: float) -> None:
        if not trickle:
            handler.wfile.write(data)
            return
        for i in range(len(data)):
            if self._closed.is_set():
                return
            handler.wfile.write(data[i:i + 1])
            handler.wfile.flush()
            self._closed.wait(trickle)

    def close(self) -> None:
        self._closed.set()
        self.server.shutdown()
        self.server.server_close()
