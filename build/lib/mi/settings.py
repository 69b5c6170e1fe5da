"""Where the pipeline reads its configuration from: the one place the environment is read.

Everything else gets what it needs from ``Settings`` (``mi.runtime`` builds the engine
and the transport from it); no module below reads ``os.environ``.

Environment variables:
- ``MI_DATA_DIR``: working data (SQLite warehouse, outbox); default ``./var``.
- ``MI_DATABASE_URL``: any SQLAlchemy URL; default a SQLite file in the data dir.
- ``MI_CHANNELS``: the channel file; default the bundled offline snapshot configuration.
- ``MI_USER_AGENT``: identifies the bank's crawler to the sites it reads.
- ``MI_HTTP_PRIVATE_HOSTS``: comma-separated hosts on private, loopback or link-local
  addresses that live channels may read (``intranet.bank.example,10.1.2.3``,
  ``*.bank.example`` for a domain, ``*`` for all); every other such host is refused, also
  as a redirect target (see ``mi.transport.addresses``).
- ``MI_LIMIT_*``: the limits on every input (``MI_LIMIT_MAX_ROWS``, ``MI_LIMIT_FETCH_DEADLINE``,
  ...; the list and the defaults are in ``mi.records.limits``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from mi.records.limits import Limits


def _project_root(environ: Mapping[str, str]) -> Path:
    """The checkout holding ``config/``, ``snapshot/`` and ``prefect.yaml``.

    ``MI_PROJECT_DIR`` when set; else the checkout this package runs from (an editable
    install or a source tree); else the working directory, which is where a user of a
    plain ``pip install .`` runs ``mi`` from.
    """
    if environ.get("MI_PROJECT_DIR"):
        return Path(environ["MI_PROJECT_DIR"]).resolve()
    source_tree = Path(__file__).resolve().parent.parent
    if (source_tree / "prefect.yaml").is_file():
        return source_tree
    return Path.cwd().resolve()


PROJECT_ROOT = _project_root(os.environ)
SNAPSHOT_CHANNELS = PROJECT_ROOT / "config" / "channels.snapshot.yaml"
LIVE_CHANNELS = PROJECT_ROOT / "config" / "channels.live.yaml"


SECRET_PREFIX = "secret:"


class Variables(Mapping[str, str]):
    """What a channel's placeholders resolve to: ``${NAME}`` from the environment (over the
    snapshot's defaults), ``${secret:block-name}`` from a Prefect Secret block.

    Secret blocks are read only when a placeholder names one, and kept for the process;
    nothing here lists or prints them.
    """

    def __init__(self, environment: Mapping[str, str], secrets: Callable[[str], str | None] | None = None) -> None:
        self._environment = dict(environment)
        self._secrets = secrets or prefect_secret
        self._loaded: dict[str, str | None] = {}

    def __getitem__(self, name: str) -> str:
        if name.startswith(SECRET_PREFIX):
            block = name.removeprefix(SECRET_PREFIX)
            if block not in self._loaded:
                self._loaded[block] = self._secrets(block)
            value = self._loaded[block]
            if value is None:
                raise KeyError(name)
            return value
        return self._environment[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._environment)

    def __len__(self) -> int:
        return len(self._environment)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Variables) and other._environment == self._environment

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._environment.items())))

    def __repr__(self) -> str:  # never the values: they are secrets
        return f"Variables({len(self._environment)} names)"


def prefect_secret(block: str) -> str | None:
    """The value of the Prefect Secret block ``block``, or None when there is none."""
    from prefect.blocks.system import Secret

    try:
        value = Secret.load(block).get()
    except ValueError:  # no such block
        return None
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    channels_file: Path
    user_agent: str = "mi-pipeline/0.1 (market-information department)"
    http_timeout: float = 20.0
    http_min_interval: float = 1.0  # seconds between two requests to one host
    #: Hosts on non-public addresses that may be fetched (the bank's intranet); none by default.
    http_private_hosts: tuple[str, ...] = ()
    #: What a channel's ``${NAME}`` and ``${secret:block}`` placeholders (a ``database_url``)
    #: may name: the environment, over defaults that let the bundled snapshot work with
    #: nothing exported, and Prefect Secret blocks. Kept out of repr: it holds secrets.
    variables: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: Every input's limits (``MI_LIMIT_MAX_ROWS`` and so on, see ``mi.records.limits``).
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("MI_DATA_DIR", "var")).resolve()
        database_url = env.get("MI_DATABASE_URL") or f"sqlite:///{data_dir / 'warehouse.sqlite'}"
        channels = Path(env.get("MI_CHANNELS", str(SNAPSHOT_CHANNELS)))
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            channels_file=channels,
            user_agent=env.get("MI_USER_AGENT", cls.user_agent),
            http_timeout=float(env.get("MI_HTTP_TIMEOUT", cls.http_timeout)),
            http_min_interval=float(env.get("MI_HTTP_MIN_INTERVAL", cls.http_min_interval)),
            http_private_hosts=tuple(host.strip() for host in env.get("MI_HTTP_PRIVATE_HOSTS", "").split(",")
                                     if host.strip()),
            variables=Variables({"MI_SNAPSHOT_DIR": str(PROJECT_ROOT / "snapshot"), **env}),
            limits=limits_from(env),
        )


def limits_from(env: Mapping[str, str]) -> Limits:
    """``Limits`` with each ``MI_LIMIT_*`` variable that is set; a bad value is refused by name."""
    values: dict[str, int | float] = {}
    names = Limits.setting_names()
    if "MI_HTTP_MAX_BYTES" in env and names["max_bytes"] not in env:  # the earlier name of the byte cap
        env = {**env, names["max_bytes"]: env["MI_HTTP_MAX_BYTES"]}
    for item in fields(Limits):
        raw = env.get(names[item.name])
        if raw is None or raw == "":
            continue
        kind = float if item.type in ("float", float) else int
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"{names[item.name]}={raw!r} is not a number") from None
        if value <= 0:
            raise ValueError(f"{names[item.name]}={raw!r} must be positive")
        values[item.name] = value
    return Limits(**values)
