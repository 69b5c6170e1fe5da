"""Channel configuration: a YAML file in the repository lists every channel.

Two files ship: ``config/channels.snapshot.yaml`` reads the bundled offline snapshot and
``config/channels.live.yaml`` the same channels' public URLs. Relative paths in a file are
resolved against the file's ``base_dir`` (default: the file's own folder).

Each entry's common keys (``mi.records.channels.COMMON_KEYS``) become typed fields of its
``ChannelConfig``; every other key is an option of its kind, checked here against the
kind's ``Options`` model (``mi.sources.options``). A misconfigured channel therefore
fails when the file is loaded, before anything runs, with one error per bad channel that
names it, its kind and the key at fault.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from mi.records.channels import COMMON_KEYS, ChannelConfig, ConfigError
from mi.sources.options import Count, Flag, Market, Name, Text, describe
from mi.sources.registry import source_kind


class ChannelEntry(BaseModel):
    """The common keys of one channel entry, typed; the kind's options ride along as extras."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: Name
    kind: Name
    url: Text | None = None
    urls: list[Text] | None = None
    industry_hints: tuple[Text, ...] = ()
    market: Market = ""
    enabled: Flag = True
    description: Text = ""
    after: tuple[Name, ...] = ()
    sample: Flag = False
    max_follow: Count | None = None


def _resolve(target: str, base_dir: Path) -> str:
    if "://" in target:
        return target
    path = Path(target)
    return str(path if path.is_absolute() else (base_dir / path).resolve())


def channel_config(entry: dict[str, Any], base_dir: Path) -> ChannelConfig:
    """One entry of a channel file, its common keys and its kind's options checked."""
    name, kind = entry.get("name"), entry.get("kind")
    # An empty key (``description:`` with nothing after it) means "the default".
    given = {key: value for key, value in entry.items() if not (key in COMMON_KEYS and value is None)}
    try:
        common = ChannelEntry.model_validate(given)
    except ValidationError as exc:
        raise ConfigError(f"channel {name!r} ({kind}): {describe(ChannelEntry, exc, label='key')}") from None
    urls = common.urls if common.urls is not None else [common.url] if common.url else []
    config = ChannelConfig(
        name=common.name,
        kind=common.kind,
        urls=tuple(_resolve(url, base_dir) for url in urls),
        industry_hints=common.industry_hints,
        enabled=common.enabled,
        description=common.description,
        after=common.after,
        sample=common.sample,
        max_follow=common.max_follow,
        market=common.market,
        options={key: value for key, value in entry.items() if key not in COMMON_KEYS},
    )
    source_kind(config).Options.for_channel(config)  # raises ConfigError naming the channel
    return config


def parse_channels(data: Any, base_dir: Path) -> list[ChannelConfig]:
    if not isinstance(data, dict) or not isinstance(data.get("channels"), list):
        raise ConfigError("channel file must be a mapping with a 'channels' list")
    base = base_dir / data.get("base_dir", ".")
    seen: set[str] = set()
    channels, problems = [], []
    for position, entry in enumerate(data["channels"], start=1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("kind"):
            raise ConfigError(f"channel #{position}: needs at least 'name' and 'kind'")
        name = str(entry["name"])
        if name in seen:
            raise ConfigError(f"channel {name!r} is configured twice")
        seen.add(name)
        try:
            channels.append(channel_config(entry, base))
        except ConfigError as exc:
            problems.append(exc)
    # Every bad channel of the file at once: fixing one should not reveal the next.
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ConfigError("\n".join(str(problem) for problem in problems))
    return channels


def read_yaml(text: str) -> Any:
    """``yaml.safe_load``, read by libyaml where PyYAML has it (its wheels do): a 206-channel file
    in 0.015 s instead of 0.10 s, at the start of every run. What libyaml refuses is read again
    by PyYAML's own parser, which accepts a little more (``{description:}``) and whose error
    message is the one shown; ``tests/test_config.py`` holds the two to the same data on every
    channel file the project has."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - the safe loader, in C
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def load_channels(path: Path, _including: tuple[Path, ...] = ()) -> list[ChannelConfig]:
    """Channels of ``path``, then those of each file in its ``include`` list, in order.

    Included files resolve their own relative paths (and ``base_dir``) against their own
    folder, so a fragment kept beside its snapshot data stays valid wherever it is included.
    """
    path = Path(path).resolve()
    if path in _including:
        raise ConfigError(f"channel file {path} includes itself")
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"channel file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"channel file {path} is not valid YAML: {exc}") from None
    if isinstance(data, dict) and "channels" not in data and "include" in data:
        data = {**data, "channels": []}
    channels = parse_channels(data, path.parent)
    for include in data.get("include", []) if isinstance(data, dict) else []:
        channels.extend(load_channels(path.parent / include, (*_including, path)))
    names = [c.name for c in channels]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"channel(s) configured twice across {path.name} and its includes: {', '.join(duplicates)}")
    return channels
