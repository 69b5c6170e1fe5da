"""The two channel files describe the same channels; the snapshot one points at real files."""
from __future__ import annotations

from pathlib import Path

import pytest

from mi.records.channels import ConfigError
from mi.settings import LIVE_CHANNELS, SNAPSHOT_CHANNELS
from mi.sources.config import load_channels
from mi.sources.registry import source_for


def test_every_public_snapshot_channel_has_its_live_counterpart() -> None:
    """Sample channels (the fictional bank and its competitors) have no public URL."""
    snapshot = {c.name: c for c in load_channels(SNAPSHOT_CHANNELS) if not c.option("sample")}
    live = {c.name: c for c in load_channels(LIVE_CHANNELS)}
    assert len(snapshot) >= 10
    assert snapshot.keys() <= live.keys()
    for name, channel in snapshot.items():
        assert channel.kind == live[name].kind, name


def test_every_snapshot_target_exists_and_every_kind_is_known() -> None:
    for channel in load_channels(SNAPSHOT_CHANNELS):
        source_for(channel)  # raises on an unknown kind or bad options
        for target in channel.urls:
            if "://" not in target and not target.startswith("sql:"):
                assert Path(target).exists(), f"{channel.name}: {target} is missing"


def test_every_live_target_is_https_or_http() -> None:
    for channel in load_channels(LIVE_CHANNELS):
        if channel.enabled:
            assert all(u.startswith(("https://", "http://", "sql:")) for u in channel.urls), channel.name


def test_a_channel_name_used_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("channels:\n  - {name: x, kind: feed, url: f.xml}\ninclude: [b.yaml]\n")
    (tmp_path / "b.yaml").write_text("channels:\n  - {name: x, kind: feed, url: g.xml}\n")
    with pytest.raises(ConfigError, match="configured twice.*x"):
        load_channels(tmp_path / "a.yaml")


def test_included_fragments_resolve_paths_against_their_own_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "main.yaml").write_text("include: [sub/frag.yaml]\n")
    (tmp_path / "sub" / "frag.yaml").write_text("channels:\n  - {name: y, kind: feed, url: data/f.xml}\n")
    [channel] = load_channels(tmp_path / "main.yaml")
    assert channel.url == str((tmp_path / "sub" / "data" / "f.xml").resolve())
