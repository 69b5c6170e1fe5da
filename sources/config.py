"""Channel configuration: a YAML file in the repository lists every channel.

Two files ship: ``config/channels.snapshot.yaml`` reads the bundled offline snapshot and
``config/channels.live.yaml`` the same channels' public URLs. Relative paths in a file are
resolved against the file's ``base_dir`` (default: the file's own folder).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mi.records.channels import ChannelConfig, ConfigError

_COMMON_KEYS = {"name", "kind", "url", "urls", "industry_hints", "enabled", "description"}


def _resolve(target: str, base_dir: Path) -> str:
    if "://" in target:
        return target
    path = Path(target)
    return str(path if path.is_absolute() else (base_dir / path).resolve())


def parse_channels(data: Any, base_dir: Path) -> list[ChannelConfig]:
    if not isinstance(data, dict) or not isinstance(data.get("channels"), list):
        raise ConfigError("channel file must be a mapping with a 'channels' list")
    base = base_dir / data.get("base_dir", ".")
    seen: set[str] = set()
    channels = []
    for position, entry in enumerate(data["channels"], start=1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("kind"):
            raise ConfigError(f"channel #{position}: needs at least 'name' and 'kind'")
        name = str(entry["name"])
        if name in seen:
            raise ConfigError(f"channel {name!r} is configured twice")
        seen.add(name)
        raw_urls = entry.get("urls") or ([entry["url"]] if entry.get("url") else [])
        if not isinstance(raw_urls, list):
            raise ConfigError(f"channel {name!r}: 'urls' must be a list")
        hints = entry.get("industry_hints") or []
        channels.append(
            ChannelConfig(
                name=name,
                kind=str(entry["kind"]),
                urls=tuple(_resolve(str(u), base) for u in raw_urls),
                industry_hints=tuple(str(h) for h in hints),
                enabled=bool(entry.get("enabled", True)),
                description=str(entry.get("description", "")),
                options={k: v for k, v in entry.items() if k not in _COMMON_KEYS},
            )
        )
    return channels


def load_channels(path: Path, _including: tuple[Path, ...] = ()) -> list[ChannelConfig]:
    """Channels of ``path``, then those of each file in its ``include`` list, in order.

    Included files resolve their own relative paths (and ``base_dir``) against their own
    folder, so a fragment kept beside its snapshot data stays valid wherever it is included.
    """
    path = Path(path).resolve()
    if path in _including:
        raise ConfigError(f"channel file {path} includes itself")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
