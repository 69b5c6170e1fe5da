"""The bank day's loopback site, in a process of its own.

``bench/bank_day.py`` measures the peak memory of the process that runs the ``daily`` flow.
At scale 10 the synthetic day (2,006 channels' payloads, 100,000 documents as objects) is
about a quarter of a gigabyte: built and served inside that process, it was counted as the
pipeline's. Here a child process builds the day, writes every payload to disk (``cold/``
and, for the third run, ``new/`` with 10 % new documents at the top of the feeds), writes the
channel file and the field-notes intake, and serves ``current/`` over HTTP on 127.0.0.1 with
ETags (If-None-Match answers 304, as the loopback test server does). The parent switches the
site from one day to the next by pointing ``current`` elsewhere, and reads the same bytes
from disk for the limits.

    python bench/day_site.py WORKDIR SCALE SEED WITH_NEW   (started by ``DaySite.start``)
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_TYPES = ".types.json"  # path -> content type, beside each day's files


def write_payloads(payloads: dict[str, tuple[bytes, str]], folder: Path) -> None:
    """Every payload under ``folder`` at its URL path, and the content types beside them."""
    for path, (body, _) in payloads.items():
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    (folder / _TYPES).write_text(json.dumps({path: kind for path, (_, kind) in payloads.items()}))


def read_payloads(folder: Path, prefix: str = "/") -> Iterator[tuple[str, bytes]]:
    """The payloads written by ``write_payloads`` whose path starts with ``prefix``, in path order."""
    for path in sorted(json.loads((folder / _TYPES).read_text())):
        if path.startswith(prefix):
            yield path, (folder / path.lstrip("/")).read_bytes()


class DaySite:
    """The parent's handle on the child that builds and serves the day."""

    def __init__(self, workdir: Path, process: subprocess.Popen[str], ready: dict[str, Any]) -> None:
        self.workdir = workdir
        self.process = process
        self.base_url: str = ready["base_url"]
        self.counts: dict[str, Any] = ready["counts"]
        self.added: int = ready.get("added", 0)

    @classmethod
    def start(cls, workdir: Path, scale: float, seed: int, with_new: bool) -> DaySite:
        process = subprocess.Popen([sys.executable, __file__, str(workdir), str(scale), str(seed), str(int(with_new))],
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the day's site did not start (exit status {process.wait()})")
        return cls(workdir, process, json.loads(line))

    def switch(self, name: str) -> None:
        """Serve the day written under ``name`` from now on."""
        link = self.workdir / "site" / "current"
        staged = link.with_name("current.next")
        staged.unlink(missing_ok=True)
        staged.symlink_to(name)
        os.replace(staged, link)

    def payloads(self, name: str, prefix: str = "/") -> Iterator[tuple[str, bytes]]:
        return read_payloads(self.workdir / "site" / name, prefix)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _serve(root: Path) -> ThreadingHTTPServer:
    current = root / "current"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            if self.path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n", "text/plain", None)
                return
            folder = current.resolve()
            kind = json.loads((folder / _TYPES).read_text()).get(self.path)
            if kind is None:
                self._send(404, b"not found", "text/plain", None)
                return
            body = (folder / self.path.lstrip("/")).read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", None, etag)
            else:
                self._send(200, body, kind, etag)

        def _send(self, status: int, body: bytes, kind: str | None, etag: str | None) -> None:
            try:
                self.send_response(status)
                if kind:
                    self.send_header("Content-Type", kind)
                if etag:
                    self.send_header("ETag", etag)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


def _child(workdir: Path, scale: float, seed: int, with_new: bool) -> None:
    import yaml

    from bank_day import add_new_documents, build_day

    started = time.perf_counter()
    root = workdir / "site"
    server = _serve(root)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    day = build_day(scale, seed)
    # Field notes arrive as files dropped into an intake folder (the kind lists a folder), not over HTTP.
    notes_body, _ = day.payloads.pop("/notes/field-notes.csv")
    (workdir / "intake").mkdir(parents=True, exist_ok=True)
    (workdir / "intake" / "field-notes.csv").write_bytes(notes_body)
    for channel in day.channels:
        if channel["kind"] == "field_notes":
            channel["url"] = str(workdir / "intake")
    channels = yaml.safe_dump({"channels": day.channels}, sort_keys=False).replace("{site}", base_url)
    (workdir / "channels.yaml").write_text(channels)
    write_payloads(day.payloads, root / "cold")
    added = 0
    if with_new:
        added = add_new_documents(day, 0.10)
        write_payloads(day.payloads, root / "new")
    (root / "current").symlink_to("cold")
    ready = {"base_url": base_url, "counts": day.counts, "added": added,
             "generated_seconds": round(time.perf_counter() - started, 1)}
    del day
    print(json.dumps(ready), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    _child(Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1")
