"""`mi inspect text` on Chinese lines (issue 13): the Chinese models and linker, with reasons
that show the segmentation they rely on."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert

from mi.cli import main


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    (tmp_path / "channels.yaml").write_text("channels: []\n")
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    from mi.runtime import current_runtime
    from mi.warehouse.book import Company, CompanyAlias

    companies = {
        "icbc": ("中国工商银行股份有限公司", "K", ["工商银行", "工行", "ICBC"], ["601398.SH", "1398.HK"]),
        "boc": ("中国银行股份有限公司", "K", ["中国银行", "中行"], ["601988.SH", "3988.HK"]),
        "pingan": ("中国平安保险(集团)股份有限公司", "K", ["中国平安", "平安"], ["601318.SH", "2318.HK"]),
    }
    ids = {}
    with current_runtime().engine.begin() as conn:
        for key, (name, section, aliases, tickers) in companies.items():
            ids[key] = conn.execute(insert(Company).values(company_ref=f"X:{key}", name=name, isic_section=section)
                                    .returning(Company.id)).scalar_one()
            conn.execute(insert(CompanyAlias), [{"company_id": ids[key], "kind": "name", "value": a} for a in aliases]
                         + [{"company_id": ids[key], "kind": "ticker", "value": t} for t in tickers])
    return ids


def _inspect(tmp_path: Path, *lines: dict, explain: bool = True) -> dict[str, dict]:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    assert main(["inspect", "text", "--in", str(source), "--out", str(out), *(["--explain"] if explain else [])]) == 0
    return {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_chinese_lines_get_chinese_tags_tone_and_links_with_segmentation_in_the_reasons(
        book: dict[str, int], tmp_path: Path) -> None:
    results = _inspect(
        tmp_path,
        {"id": "up", "text": "工行股价创9年来新高，银行板块下半年或继续冲高；集中行业整合仍在继续。"},
        {"id": "down", "title": "中國平安(02318)跌超5%", "text": "央行下調存款準備金率，保險股午後跳水。"},
        {"id": "eve", "text": "美股持续暴跌，创平安夜最差表现。"},
    )
    up = results["up"]
    assert up["language"] == "zh-Hans" and "equities" in up["themes"] and up["sentiment"]["label"] == "positive"
    [icbc] = up["entities"]
    assert icbc["company_id"] == book["icbc"] and icbc["mention"] == "工行" and icbc["tone"]["label"] == "positive"
    assert "工行 | 股价" in icbc["reason"]  # the words around the name, as jieba cut them
    [boc] = up["rejected"]  # 中行 is not read inside 集中行业
    assert boc["company_id"] == book["boc"] and "集中 | 行业" in boc["reason"]
    assert "工行 | 股价 | 创" in up["segmentation"] and up["theme_words"]["equities"]

    down = results["down"]  # traditional characters, an H-share code in brackets
    assert down["language"] == "zh-Hant" and "rates" in down["themes"]
    [pingan] = down["entities"]
    assert pingan["company_id"] == book["pingan"] and pingan["tone"]["label"] == "negative"
    assert any(word.startswith("跌超") for word in down["tone_words"])

    eve = results["eve"]  # 平安夜 is Christmas Eve
    assert eve["entities"] == [] and "平安夜" in eve["rejected"][0]["reason"]


def test_without_explain_a_chinese_line_has_the_same_fields_as_an_english_one(
        book: dict[str, int], tmp_path: Path) -> None:
    results = _inspect(tmp_path, {"id": "n", "text": "工商银行去年净利润2791亿，多家公司发布年报"}, explain=False)
    assert set(results["n"]) == {"id", "language", "industries", "themes", "sentiment", "entities"}
    assert results["n"]["entities"] == [{"name": "中国工商银行股份有限公司", "company_id": book["icbc"]}]
    assert "earnings" in results["n"]["themes"]
