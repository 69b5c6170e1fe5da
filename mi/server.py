"""``mi server start|stop|status``: a persistent local Prefect API for this machine.

A run on Prefect's temporary (ephemeral) API starts that API first (10-20 s before any
work) and loses most of its history when the process exits. ``mi server start`` runs
``prefect server start`` once, in the background, with its pid, address and log under
the data dir (``var/prefect/``); ``mi run`` and ``mi serve`` use it whenever it answers.
Its database is SQLite under ``var/prefect/`` unless ``MI_PREFECT_DATABASE_URL`` names a
PostgreSQL one (``postgresql+asyncpg://user:password@host:5432/prefect``).

Settings (read from the environment the CLI passes in):
- ``MI_PREFECT_HOST`` (127.0.0.1), ``MI_PREFECT_PORT`` (4200): where the API listens.
- ``MI_PREFECT_DATABASE_URL``: the API's own database (default SQLite in the data dir).
- ``MI_PREFECT_START_TIMEOUT`` (120 s): how long ``start`` waits for the API to answer.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mi.records.redaction import redact_url


@dataclass(frozen=True)
class ServerSettings:
    home: Path  # PREFECT_HOME of the server: its SQLite database, pid file and log
    host: str = "127.0.0.1"
    port: int = 4200
    database_url: str | None = None
    start_timeout: float = 120.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "ServerSettings":
        data_dir = Path(env.get("MI_DATA_DIR", "var")).resolve()
        try:
            port = int(env.get("MI_PREFECT_PORT", cls.port))
            timeout = float(env.get("MI_PREFECT_START_TIMEOUT", cls.start_timeout))
        except ValueError as exc:
            raise ValueError(f"MI_PREFECT_PORT / MI_PREFECT_START_TIMEOUT: {exc}") from None
        if not 0 < port < 65536 or timeout <= 0:
            raise ValueError("MI_PREFECT_PORT must be a port number and MI_PREFECT_START_TIMEOUT positive")
        return cls(home=data_dir / "prefect", host=env.get("MI_PREFECT_HOST", cls.host), port=port,
                   database_url=env.get("MI_PREFECT_DATABASE_URL") or None, start_timeout=timeout)

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def state_file(self) -> Path:
        return self.home / "server.json"

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    def database_shown(self) -> str:
        return redact_url(self.database_url) if self.database_url else f"SQLite {self.home / 'prefect.db'}"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    answering: bool
    pid: int | None
    api_url: str
    database: str
    log: Path

    def as_row(self) -> dict[str, object]:
        state = "up" if self.answering else ("starting or stuck" if self.running else "down")
        return {"server": state, "pid": self.pid or "", "api_url": self.api_url, "database": self.database,
                "log": str(self.log)}


def answers(api_url: str, timeout: float = 1.0) -> bool:
    """Whether a Prefect API answers its health check at ``api_url``."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process took the number
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():  # a reused pid is not our server
        words = cmdline.read_bytes().split(b"\0")
        return b"prefect" in b" ".join(words) and b"server" in words
    return True


def _recorded(settings: ServerSettings) -> dict[str, object] | None:
    try:
        return json.loads(settings.state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def status(settings: ServerSettings) -> ServerStatus:
    recorded = _recorded(settings) or {}
    pid = recorded.get("pid")
    api_url = str(recorded.get("api_url") or settings.api_url)
    running = isinstance(pid, int) and _alive(pid)
    return ServerStatus(running=running, answering=running and answers(api_url), pid=pid if running else None,
                        api_url=api_url, database=str(recorded.get("database") or settings.database_shown()),
                        log=settings.log_file)


def server_environment(settings: ServerSettings, environ: Mapping[str, str]) -> dict[str, str]:
    env = {"PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events,orphans",  # logs of deleted runs go too
           **environ, "PREFECT_HOME": str(settings.home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": settings.api_url}
    env.pop("PREFECT_API_DATABASE_CONNECTION_URL", None)
    if settings.database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = settings.database_url
    return env


def start(settings: ServerSettings, environ: Mapping[str, str]) -> ServerStatus:
    """Start the API in the background and wait until it answers; a running one is kept."""
    current = status(settings)
    if current.running:
        if not current.answering:
            _wait(settings, current.pid or 0, current.api_url)
        return status(settings)
    if answers(settings.api_url, timeout=0.5):
        raise RuntimeError(f"something else already answers at {settings.api_url}; "
                           "set MI_PREFECT_PORT to another port")
    settings.home.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", settings.host,
               "--port", str(settings.port)]
    with settings.log_file.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=server_environment(settings, environ), start_new_session=True)
    record = {"pid": process.pid, "api_url": settings.api_url, "database": settings.database_shown(),
              "started_at": time.time()}
    temporary = settings.state_file.with_suffix(".tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    temporary.replace(settings.state_file)
    _wait(settings, process.pid, settings.api_url, process)
    return status(settings)


def _wait(settings: ServerSettings, pid: int, api_url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + settings.start_timeout
    while time.monotonic() < deadline:
        if answers(api_url):
            return
        if process is not None and process.poll() is not None:
            settings.state_file.unlink(missing_ok=True)
            raise RuntimeError(f"the Prefect server exited with {process.returncode}; see {settings.log_file}:\n"
                               + _tail(settings.log_file))
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server (pid {pid}) did not answer at {api_url} within "
                       f"{settings.start_timeout:g} s; see {settings.log_file}")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop(settings: ServerSettings, grace: float = 30.0) -> bool:
    """Stop the server this data dir started (its process group); False when none ran."""
    current = status(settings)
    if not current.running or current.pid is None:
        settings.state_file.unlink(missing_ok=True)
        return False
    # start() made the server the leader of its own session: its group is its workers too.
    os.killpg(current.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _alive(current.pid):
        time.sleep(0.2)
    if _alive(current.pid):
        os.killpg(current.pid, signal.SIGKILL)
    settings.state_file.unlink(missing_ok=True)
    return True


def api_url_to_use(environ: Mapping[str, str]) -> str | None:
    """The API ``mi run`` and ``mi serve`` should talk to: ``PREFECT_API_URL`` when the user
    set one, else the local server when it is up; None means Prefect's temporary API."""
    if environ.get("PREFECT_API_URL"):
        return environ["PREFECT_API_URL"]
    settings = ServerSettings.from_env(environ)
    recorded = _recorded(settings)
    if not recorded:
        return None
    api_url = str(recorded.get("api_url") or settings.api_url)
    pid = recorded.get("pid")
    if isinstance(pid, int) and _alive(pid) and answers(api_url):
        return api_url
    return None
