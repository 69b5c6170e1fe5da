"""The two channel files describe the same channels; the snapshot one points at real files."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mi.records.channels import COMMON_KEYS, ChannelConfig, ConfigError
from mi.settings import LIVE_CHANNELS, SNAPSHOT_CHANNELS
from mi.sources.config import load_channels
from mi.sources.registry import KINDS, source_for


def test_every_public_snapshot_channel_has_its_live_counterpart() -> None:
    """Sample channels (the fictional bank and its competitors) have no public URL."""
    snapshot = {c.name: c for c in load_channels(SNAPSHOT_CHANNELS) if not c.sample}
    live = {c.name: c for c in load_channels(LIVE_CHANNELS)}
    assert len(snapshot) >= 10
    assert snapshot.keys() <= live.keys()
    for name, channel in snapshot.items():
        assert channel.kind == live[name].kind, name


def test_a_live_channel_named_like_a_sample_one_is_a_disabled_placeholder_of_its_kind() -> None:
    """The sample news wires have live placeholders a bank fills in: none may run as shipped."""
    samples = {c.name: c for c in load_channels(SNAPSHOT_CHANNELS) if c.sample}
    placeholders = [c for c in load_channels(LIVE_CHANNELS) if c.name in samples]
    assert {c.name for c in placeholders} >= {"markets-wire", "company-wire", "sector-wire"}
    for channel in placeholders:
        assert not channel.enabled and channel.kind == samples[channel.name].kind, channel.name
        assert all(".example/" in url for url in channel.urls), channel.name


def test_every_snapshot_target_exists_and_every_kind_is_known() -> None:
    for channel in load_channels(SNAPSHOT_CHANNELS):
        source_for(channel)  # raises on an unknown kind or bad options
        for target in channel.urls:
            if "://" not in target and not target.startswith("sql:"):
                assert Path(target).exists(), f"{channel.name}: {target} is missing"


def test_every_live_target_is_https_or_http() -> None:
    for channel in load_channels(LIVE_CHANNELS):
        source_for(channel)  # the options were checked on loading; building the source checks them again
        if channel.enabled:
            assert all(u.startswith(("https://", "http://", "sql:")) for u in channel.urls), channel.name


def test_the_common_keys_are_typed_fields_not_options() -> None:
    channels = {c.name: c for c in load_channels(SNAPSHOT_CHANNELS)}
    coverage = channels["bank-coverage"]
    assert coverage.after == ("bank-relationship-managers", "bank-customers") and coverage.sample
    assert dict(coverage.options) == {"table": "coverage", "replace": True}
    assert not channels["ecb-eurofxref-daily"].sample and channels["ecb-eurofxref-daily"].options == {}
    assert all(not set(c.options) & set(COMMON_KEYS) for c in channels.values())


def write(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "channels.yaml"
    path.write_text("channels:\n" + textwrap.indent(textwrap.dedent(entries), "  "), encoding="utf-8")
    return path


def test_a_misspelt_option_is_refused_when_the_file_is_loaded(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        - name: ecb-history
          kind: series_csv
          url: history.csv
          date_colum: Date
        """)
    with pytest.raises(ConfigError) as error:
        load_channels(path)
    assert str(error.value).startswith("channel 'ecb-history' (series_csv): option 'date_colum': unknown option "
                                       "(known: columns, date_column, date_format, decimal, delimiter, ")


def test_a_wrong_value_is_refused_when_the_file_is_loaded(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        - {name: wb, kind: worldbank, url: wb.json, industry: CC}
        """)
    with pytest.raises(ConfigError, match=r"^channel 'wb' \(worldbank\): option 'industry': 'CC' is not an ISIC "
                                          r"Rev\.4 section letter \(A-U\)$"):
        load_channels(path)


def test_every_bad_channel_of_a_file_is_named_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        - {name: good, kind: feed, url: f.xml}
        - {name: typo, kind: feed, url: f.xml, langauge: de}
        - {name: table, kind: book, url: b.csv, table: accounts, replace: true}
        - {name: odd, kind: telex, url: t.txt}
        """)
    with pytest.raises(ConfigError) as error:
        load_channels(path)
    lines = str(error.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "channel 'typo' (feed)", "channel 'table' (book)", "channel 'odd'"]
    assert "option 'langauge': unknown option (known: none besides the common keys" in lines[0]
    assert "option 'table': 'accounts' is not one of" in lines[1]
    assert "unknown kind 'telex'" in lines[2]


def test_common_keys_are_checked_too(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        - {name: a, kind: feed, url: f.xml, enabled: maybe, max_follow: -1, after: b}
        """)
    with pytest.raises(ConfigError) as error:
        load_channels(path)
    assert str(error.value) == ("channel 'a' (feed): key 'enabled': must be yes or no (true/false), not 'maybe'; "
                                "key 'after': must be a list, not text; "
                                "key 'max_follow': must be a whole number, 0 or more, not -1")
    path = write(tmp_path, """\
        - {name: a, kind: worldbank, url: w.json, max_follow: 3, after: [b], sample: true, description:}
        """)
    [channel] = load_channels(path)
    assert (channel.max_follow, channel.after, channel.sample, channel.description) == (3, ("b",), True, "")


def test_a_channels_market_is_an_iso_country_code(tmp_path: Path) -> None:
    """``market`` (the market a channel reports on, counted by the linker) is an ISO 3166 code:
    "in" is read as IN, "India" is refused with the reason."""
    path = write(tmp_path, """\
        - {name: et, kind: feed, url: f.xml, market: in}
        - {name: wire, kind: feed, url: f.xml}
        """)
    assert [c.market for c in load_channels(path)] == ["IN", ""]
    path = write(tmp_path, """\
        - {name: et, kind: feed, url: f.xml, market: India}
        """)
    with pytest.raises(ConfigError) as error:
        load_channels(path)
    assert str(error.value) == ("channel 'et' (feed): key 'market': 'India' is not an ISO 3166 two-letter country "
                                "code (IN, US, CN, ...)")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_refuses_an_option_it_does_not_know(kind: str) -> None:
    config = ChannelConfig(name="c", kind=kind, urls=("x",), options={"no_such_option": 1})
    with pytest.raises(ConfigError, match=rf"^channel 'c' \({kind}\): .*option 'no_such_option': unknown option"):
        KINDS[kind].Options.for_channel(config)


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


_ROOT = Path(__file__).resolve().parents[1]
_TRICKY_YAML = [
    "- {name: a, kind: feed, url: f.xml, enabled: yes, after: [b, c]}\n",
    "- name: 行业新闻\n  kind: feed\n  url: \"https://example.cn/rss?x=1&y=\\u4e2d\"\n"
    "  description: >\n    folded\n    text\n",
    "defaults: &d {kind: feed, enabled: no}\nchannels:\n  - <<: *d\n    name: merged\n    url: 'it''s.xml'\n",
    "- {name: n, kind: series_csv, url: s.csv, options: {date_column: '', value: 010, scale: 1e3, none: ~}}\n",
    "- name: t\n  kind: page\n  url: p.html\n  since: 2026-11-30\n"
    "  note: |\n    keep\n      the indent\n  emoji: \"\\U0001F4C8 up\"\n",
    "\ufeff- {name: bom, kind: feed, url: b.xml}\n",
]


_YAML_FILES = sorted(str(p.relative_to(_ROOT)) for p in _ROOT.glob("**/*.yaml")
                     if not {".venv", "build", "var"} & set(p.relative_to(_ROOT).parts))  # the project's own files


@pytest.mark.parametrize("source", _YAML_FILES + [f"tricky-{i}" for i in range(len(_TRICKY_YAML))])
def test_libyaml_reads_every_channel_file_as_pyyaml_does(source: str) -> None:
    """``read_yaml`` takes libyaml's reading where it has one: it must be PyYAML's own."""
    import yaml

    from mi.sources.config import read_yaml

    if source.startswith("tricky-"):
        text = _TRICKY_YAML[int(source.removeprefix("tricky-"))]
    else:
        text = (_ROOT / source).read_text(encoding="utf-8")
    assert getattr(yaml, "CSafeLoader", None) is not None, "PyYAML without libyaml: channel files read slowly"
    assert read_yaml(text) == yaml.safe_load(text)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text)  # noqa: S506


def test_what_libyaml_refuses_is_read_by_pyyaml_and_its_errors_are_pyyamls() -> None:
    import yaml

    from mi.sources.config import read_yaml

    text = "- {name: a, kind: worldbank, url: w.json, description:}\n"
    with pytest.raises(yaml.YAMLError):
        yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506
    assert read_yaml(text) == [{"name": "a", "kind": "worldbank", "url": "w.json", "description": None}]
    with pytest.raises(yaml.YAMLError) as refused:
        read_yaml("- {name: a\n")
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load("- {name: a\n")
    assert str(refused.value) == str(pure.value)
