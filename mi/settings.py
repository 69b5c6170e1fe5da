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
- Delivery of briefs (``mi.delivery``; the fields of ``DeliverySettings`` say what each does):
  ``MI_DELIVERY_CHANNELS`` (``eml``, ``smtp``, ``webhook``, comma-separated; default ``eml``),
  ``MI_DELIVERY_MAX_ATTEMPTS``, ``MI_DELIVERY_INTERRUPTED_AFTER``, ``MI_OUTBOX_DIR``,
  ``MI_SMTP_HOST``, ``MI_SMTP_PORT``, ``MI_SMTP_SECURITY`` (``starttls``, ``tls``, ``none``),
  ``MI_SMTP_USER``, ``MI_SMTP_PASSWORD``, ``MI_SMTP_FROM``, ``MI_SMTP_TIMEOUT``,
  ``MI_SMTP_CA_FILE``, ``MI_WEBHOOK_URL``, ``MI_WEBHOOK_TIMEOUT``. ``MI_SMTP_PASSWORD`` and
  ``MI_WEBHOOK_URL`` may be a placeholder, ``${secret:block-name}`` (a Prefect Secret block)
  or ``${NAME}``, resolved only when a channel is built (``Settings.resolve``).
- The desk (``mi desk``): ``MI_DESK_HOST``, ``MI_DESK_PORT``, ``MI_DESK_SECURE_COOKIES``,
  ``MI_DESK_TRUSTED_PROXIES``, ``MI_DESK_ROOT_PATH``, ``MI_DESK_SESSION_HOURS``,
  ``MI_DESK_SIGN_IN_*``, ``MI_DESK_MAX_*``, ``MI_DESK_PREFECT_UI_URL``, ``MI_DESK_OIDC_*`` (``DeskSettings``).
"""
from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

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


SMTP_SECURITY = ("starttls", "tls", "none")
_DEFAULT_SMTP_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DELIVERY_CHANNELS = ("eml", "smtp", "webhook")


@dataclass(frozen=True)
class DeliverySettings:
    """How briefs leave the outbox. Secrets stay as written (a value or a placeholder) until
    a channel is built; ``repr`` never shows them."""

    channels: tuple[str, ...] = ("eml",)
    #: Attempts (interrupted ones included) before a failing delivery is no longer retried.
    max_attempts: int = 5
    #: Seconds after which an attempt still marked ``sending`` is taken to have been
    #: interrupted (the process ended mid-attempt) rather than running elsewhere.
    interrupted_after: float = 900.0
    outbox_dir: Path = Path("var/outbox")
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    #: The From address and the domain of every Message-ID.
    smtp_from: str = "mi-briefs@localhost"
    smtp_timeout: float = 30.0
    #: A CA bundle to verify the SMTP server with (a bank's internal CA) besides the system's.
    smtp_ca_file: Path | None = None
    #: Where an RM's card is posted; ``{rm_ref}`` is replaced by the RM's id. Often holds a token.
    webhook_url: str | None = field(default=None, repr=False)
    webhook_timeout: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str], data_dir: Path) -> "DeliverySettings":
        channels = tuple(name.strip() for name in env.get("MI_DELIVERY_CHANNELS", "eml").split(",") if name.strip())
        unknown = sorted(set(channels) - set(DELIVERY_CHANNELS))
        if unknown:
            raise ValueError(f"MI_DELIVERY_CHANNELS names unknown channels {unknown}; known: {list(DELIVERY_CHANNELS)}")
        security = env.get("MI_SMTP_SECURITY", "starttls").strip().lower()
        if security not in SMTP_SECURITY:
            raise ValueError(f"MI_SMTP_SECURITY={security!r} is not one of {list(SMTP_SECURITY)}")
        ca_file = env.get("MI_SMTP_CA_FILE")
        return cls(
            channels=channels,
            max_attempts=_positive(env, "MI_DELIVERY_MAX_ATTEMPTS", cls.max_attempts, int),
            interrupted_after=_positive(env, "MI_DELIVERY_INTERRUPTED_AFTER", cls.interrupted_after, float),
            outbox_dir=Path(env.get("MI_OUTBOX_DIR") or data_dir / "outbox").resolve(),
            smtp_host=env.get("MI_SMTP_HOST") or None,
            smtp_port=_positive(env, "MI_SMTP_PORT", _DEFAULT_SMTP_PORTS[security], int),
            smtp_security=security,
            smtp_user=env.get("MI_SMTP_USER") or None,
            smtp_password=env.get("MI_SMTP_PASSWORD") or None,
            smtp_from=env.get("MI_SMTP_FROM") or cls.smtp_from,
            smtp_timeout=_positive(env, "MI_SMTP_TIMEOUT", cls.smtp_timeout, float),
            smtp_ca_file=Path(ca_file) if ca_file else None,
            webhook_url=env.get("MI_WEBHOOK_URL") or None,
            webhook_timeout=_positive(env, "MI_WEBHOOK_TIMEOUT", cls.webhook_timeout, float),
        )


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={raw!r}: use true or false")


def _positive(env: Mapping[str, str], name: str, default: int | float, kind: type) -> Any:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ValueError(f"{name}={raw!r} must be positive")
    return value


_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


@dataclass(frozen=True)
class BriefSettings:
    """How RM briefs read: the bank's name, its time zone, what a quiet day sends."""

    bank_name: str = "Sample Bank"
    #: The zone times are shown in (and, later, schedules run in): the bank's own.
    time_zone: str = "Asia/Shanghai"
    #: An RM with nothing new gets a one-line note ("note") or no message at all ("skip").
    quiet: str = "note"
    #: A link to the desk (web app) at the end of every brief, when there is one.
    desk_url: str | None = None
    #: RMs composed, rendered and delivered per task run. Each batch reads the day's material
    #: once (about 1.3 s at 10,000 documents) and holds its briefs in memory (about 50 kB an
    #: RM): 500 keeps a 500-RM bank to one read and a batch under 30 MB.
    batch: int = 500

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "BriefSettings":
        quiet = env.get("MI_BRIEF_QUIET", cls.quiet)
        if quiet not in ("note", "skip"):
            raise ValueError(f"MI_BRIEF_QUIET={quiet!r}: use note (a one-line brief) or skip (no message)")
        batch = int(env.get("MI_BRIEF_BATCH", cls.batch))
        if batch <= 0:
            raise ValueError(f"MI_BRIEF_BATCH={batch} must be positive")
        return cls(bank_name=env.get("MI_BANK_NAME", cls.bank_name), time_zone=env.get("MI_TIME_ZONE", cls.time_zone),
                   quiet=quiet, desk_url=env.get("MI_DESK_URL") or None, batch=batch)


@dataclass(frozen=True)
class DeskSettings:
    """The desk (web app, ``mi desk``): where it listens, how its sessions and sign-in behave."""

    host: str = "127.0.0.1"
    port: int = 8765
    #: Set behind the bank's reverse proxy, which terminates TLS: cookies then carry ``Secure``.
    secure_cookies: bool = False
    #: Addresses of the reverse proxies whose X-Forwarded-For/-Proto are believed (uvicorn's
    #: ``forwarded_allow_ips``); none by default, so a client cannot pretend another address.
    trusted_proxies: str = ""
    #: The path prefix the proxy serves the desk under (``/desk``), if any.
    root_path: str = ""
    session_hours: float = 10.0
    #: Failed sign-ins allowed per account, and per client address, within ``sign_in_window`` s.
    sign_in_failures: int = 5
    sign_in_client_failures: int = 20
    sign_in_window: float = 900.0
    #: A form's body, and a file given to "inspect", at most this many bytes.
    max_form_bytes: int = 64_000
    max_upload_bytes: int = 5_000_000
    #: Where staff follow a run's link to (the Prefect UI).
    prefect_ui_url: str = "http://127.0.0.1:4200"
    #: Sign-in through the bank's OpenID Connect provider, when an issuer is set (``mi.desk.oidc``).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    #: A value or a placeholder (``${secret:desk-oidc}``), resolved when used; never shown.
    oidc_client_secret: str | None = field(default=None, repr=False)
    #: The public address of ``/sign-in/oidc/callback`` as the provider knows it.
    oidc_redirect_url: str | None = None
    #: The ID token's claim that names the desk account.
    oidc_claim: str = "preferred_username"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "DeskSettings":
        return cls(
            host=env.get("MI_DESK_HOST", cls.host),
            port=_positive(env, "MI_DESK_PORT", cls.port, int),
            secure_cookies=env.get("MI_DESK_SECURE_COOKIES", "").strip().lower() in ("1", "true", "yes"),
            trusted_proxies=env.get("MI_DESK_TRUSTED_PROXIES", ""),
            root_path=env.get("MI_DESK_ROOT_PATH", "").rstrip("/"),
            session_hours=_positive(env, "MI_DESK_SESSION_HOURS", cls.session_hours, float),
            sign_in_failures=_positive(env, "MI_DESK_SIGN_IN_FAILURES", cls.sign_in_failures, int),
            sign_in_client_failures=_positive(env, "MI_DESK_SIGN_IN_CLIENT_FAILURES", cls.sign_in_client_failures,
                                              int),
            sign_in_window=_positive(env, "MI_DESK_SIGN_IN_WINDOW", cls.sign_in_window, float),
            max_form_bytes=_positive(env, "MI_DESK_MAX_FORM_BYTES", cls.max_form_bytes, int),
            max_upload_bytes=_positive(env, "MI_DESK_MAX_UPLOAD_BYTES", cls.max_upload_bytes, int),
            prefect_ui_url=(env.get("MI_DESK_PREFECT_UI_URL") or cls.prefect_ui_url).rstrip("/"),
            oidc_issuer=env.get("MI_DESK_OIDC_ISSUER") or None,
            oidc_client_id=env.get("MI_DESK_OIDC_CLIENT_ID") or None,
            oidc_client_secret=env.get("MI_DESK_OIDC_CLIENT_SECRET") or None,
            oidc_redirect_url=env.get("MI_DESK_OIDC_REDIRECT_URL") or None,
            oidc_claim=env.get("MI_DESK_OIDC_CLAIM") or cls.oidc_claim,
        )


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
    #: Outbox and delivery channels (``MI_DELIVERY_*``, ``MI_OUTBOX_DIR``, ``MI_SMTP_*``, ``MI_WEBHOOK_*``).
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    #: How briefs read (``MI_BANK_NAME``, ``MI_TIME_ZONE``, ``MI_BRIEF_QUIET``, ``MI_DESK_URL``, ``MI_BRIEF_BATCH``).
    briefs: BriefSettings = field(default_factory=BriefSettings)
    #: The desk web app (``MI_DESK_*``).
    desk: DeskSettings = field(default_factory=DeskSettings)
    #: Channel tasks that may fetch from one host at once, across every flow run on every
    #: machine (Prefect global concurrency limits ``mi-host:<host>``), ``MI_CONCURRENCY_PER_HOST``.
    concurrency_per_host: int = 2
    #: Runs that may gather one channel at once (``mi-channel:<name>``), ``MI_CONCURRENCY_PER_CHANNEL``.
    concurrency_per_channel: int = 1
    #: Whether ``daily`` runs brief and signal side by side (two threads), ``MI_DAILY_SIDE_BY_SIDE``.
    #: Off by default: beside each other their working sets add up (``bench/bank_day.py`` at
    #: scale 10: about 180 MB more at the day's peak), for no time gained at 500 RMs and
    #: about a minute at 5,000; one after the other, the briefs are out sooner.
    daily_side_by_side: bool = False

    def with_delivery_channels(self, channels: list[str]) -> "Settings":
        """These settings, delivering on ``channels`` instead (an ad-hoc run's choice)."""
        unknown = sorted(set(channels) - set(DELIVERY_CHANNELS))
        if unknown:
            raise ValueError(f"unknown delivery channel(s) {unknown}; known: {list(DELIVERY_CHANNELS)}")
        return dataclasses.replace(self, delivery=dataclasses.replace(self.delivery, channels=tuple(channels)))

    def resolve(self, value: str | None) -> str | None:
        """``value`` with each ``${NAME}`` or ``${secret:block}`` replaced from ``variables``.

        For settings that may hold a secret (``MI_SMTP_PASSWORD``, ``MI_WEBHOOK_URL``); a
        placeholder that names nothing is refused by its name, never showing a value.
        """
        if value is None:
            return None
        absent = sorted({name for name in _PLACEHOLDER.findall(value) if name not in self.variables})
        if absent:
            raise ValueError(f"placeholder(s) {', '.join('${' + name + '}' for name in absent)} name no "
                             "environment variable or Prefect Secret block")
        return _PLACEHOLDER.sub(lambda match: self.variables[match[1]], value)

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
            delivery=DeliverySettings.from_env(env, data_dir),
            briefs=BriefSettings.from_env(env),
            desk=DeskSettings.from_env(env),
            concurrency_per_host=_positive(env, "MI_CONCURRENCY_PER_HOST", cls.concurrency_per_host, int),
            concurrency_per_channel=_positive(env, "MI_CONCURRENCY_PER_CHANNEL", cls.concurrency_per_channel, int),
            daily_side_by_side=_flag(env, "MI_DAILY_SIDE_BY_SIDE", cls.daily_side_by_side),
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
