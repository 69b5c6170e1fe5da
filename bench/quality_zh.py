"""Quality of the Chinese models on the Chinese development sets in ../shared/data/zh.

    .venv/bin/python bench/quality_zh.py [--half tune|check|both] [--limit N]

Those sets state no licence that allows copying or training (see their README), so they
are only read here, and skipped when absent. Each set's development file is cut in two
halves by a hash of the text (bits other than the ones that made the dev/holdout split):
the **tune** half is the one looked at while writing the word lists and choosing the
neutral band; the **check** half was not looked at and is the held-out figure. Where a
``holdout.jsonl`` lies beside a ``dev.jsonl`` (the 30 % kept elsewhere), it is measured too.

Figures:
- sentence tone macro-F1: CFBenchmark sentiment (news, 3 classes) and BBT FinFE (forum posts);
- entity tone macro-F1: CFSC-ABSA aspect items (the tone toward one named company or stock);
- topic agreement: BBT FinNL's topic labels that map onto our themes/industries;
- industry agreement: CFBenchmark sector items, Shenwan level-1 sector mapped to ISIC;
- linking recall / precision: CFSC-ABSA company and stock mentions, with every such
  name of the set as the book (each a company of its own, its name its only alias);
- documents/s: tags, tone, links and entity tone over the MIT headline pool.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mi.analysis.linking import CompanyName  # noqa: E402
from mi.analysis.zh_document import tag_zh_document  # noqa: E402
from mi.analysis.zh_linking import ZhLinker  # noqa: E402
from mi.analysis.zh_tags import tag_zh_industries, tag_zh_themes  # noqa: E402
from mi.analysis.zh_tone import zh_document_tone, zh_entity_tone  # noqa: E402

ZH = REPO.parent / "shared" / "data" / "zh"
LABELS = ("negative", "neutral", "positive")
_CFB_TONE = {"积极": "positive", "中性": "neutral", "消极": "negative"}
# Shenwan level-1 sectors -> the ISIC sections a story about them may rightly get.
SW_TO_ISIC = {
    "化工": "C", "基础化工": "C", "非银金融": "K", "医药生物": "CQG", "电子": "C", "机械设备": "C",
    "电气设备": "C", "电力设备": "CD", "家用电器": "C", "采掘": "B", "食品饮料": "C", "有色金属": "BC",
    "交通运输": "H", "计算机": "J", "汽车": "C", "建筑装饰": "F", "传媒": "JR", "通信": "JC", "农林牧渔": "AC",
    "公用事业": "DE", "房地产": "L", "建筑材料": "C", "国防军工": "C", "轻工制造": "C", "纺织服装": "C",
    "商业贸易": "G", "钢铁": "C",
}
# FinNL topics -> (our theme, or "industry:<ISIC sections>")
FINNL = {"外汇": "fx", "大盘": "equities", "期货": "commodities", "经济": "macro", "债券": "rates",
         "房地产": "industry:L", "能源": "industry:BD"}


def half_of(text: str) -> str:
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()
    return "tune" if int(digest[8:16], 16) % 2 == 0 else "check"


def read(path: Path, key: str, half: str) -> list[dict]:
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return rows if half == "holdout" else [r for r in rows if half_of(r[key]) == half]


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def sentence_tone(rows: list[dict], label_of, text_of) -> tuple[float, int]:
    gold = [label_of(r) for r in rows]
    predicted = [zh_document_tone(None, text_of(r)).label for r in rows]
    return macro_f1(gold, predicted), len(rows)


def absa_book(rows: list[dict]) -> tuple[ZhLinker, frozenset[str]]:
    """Every company or stock name of the set as a company of the book; a name the set also
    labels as a market or the economy (美元, 房地产, 沪指) is no company a bank would hold."""
    markets = {r["term"] for r in rows if r["aspect_category"] not in ("Corporate", "Stock")}
    names = sorted({r["term"] for r in rows if r["aspect_category"] in ("Corporate", "Stock")} - markets)
    linker = ZhLinker([CompanyName(i, name) for i, name in enumerate(names)])
    return linker, linker.names


def entity_tone(rows: list[dict], names: frozenset[str]) -> tuple[float, int]:
    gold = [r["label"] for r in rows]
    predicted = [zh_entity_tone(None, r["sentence"], (r["term"],), names).label for r in rows]
    return macro_f1(gold, predicted), len(rows)


def linking(rows: list[dict], linker: ZhLinker) -> tuple[float, float, int, int]:
    """(recall, precision on judged links, gold mentions, unjudged links).

    CFSC-ABSA labels some of the aspects of a sentence, not every company in it ("A、B、C等涨停"
    often has one labelled), so a link is judged only where its mention is a labelled
    aspect of that sentence: right if the aspect is that company or stock, wrong if it is a
    market or economy term or another name. Links at unlabelled mentions are counted apart."""
    book = linker.company_names
    aspects: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        aspects[r["sentence"]][r["term"]] = r["aspect_category"]
    tp = fp = fn = unjudged = gold_n = 0
    for sentence, labelled in aspects.items():
        gold = {t for t, c in labelled.items() if c in ("Corporate", "Stock") and t in book}
        gold_n += len(gold)
        links = linker.link(None, sentence)
        found = {link.name for link in links}
        fn += len(gold - found)
        for link in links:
            if link.mention not in labelled and link.name not in labelled:
                unjudged += 1
            elif link.name in gold:
                tp += 1
            else:
                fp += 1
    return tp / max(1, tp + fn), tp / max(1, tp + fp), gold_n, unjudged


def topics(rows: list[dict]) -> tuple[float, float, int]:
    tp = fp = fn = 0
    for r in rows:
        themes = set(tag_zh_themes(None, r["text"]))
        sections = set(tag_zh_industries(None, r["text"]))
        gold = {FINNL[t] for t in r["labels_clean"] if t in FINNL}
        for target in set(FINNL.values()):
            predicted = (bool(sections & set(target[9:])) if target.startswith("industry:") else target in themes)
            tp += predicted and target in gold
            fp += predicted and target not in gold
            fn += (not predicted) and target in gold
    return tp / max(1, tp + fn), tp / max(1, tp + fp), len(rows)


def industries(rows: list[dict]) -> tuple[float, float, int]:
    hit = tagged = n = 0
    for r in rows:
        found = re.search(r"一级分类为：(\S+?)[。，,]", r["instruction"])
        accepted = SW_TO_ISIC.get(found.group(1) if found else "")
        if not accepted:
            continue
        n += 1
        sections = tag_zh_industries(None, r["text"])
        tagged += bool(sections)
        hit += bool(sections) and sections[0] in accepted
    return hit / max(1, n), hit / max(1, tagged), n


def throughput(limit: int, linker: ZhLinker, names: frozenset[str]) -> float:
    rows = read(ZH / "jingewu_ch_headlines" / "dev.jsonl", "text", "tune")[:limit]
    start = time.perf_counter()
    for r in rows:
        tag_zh_document(r["text"], "", (), names)
        for link in linker.link(r["text"], ""):
            zh_entity_tone(r["text"], "", (link.mention,), names)
    return len(rows) / (time.perf_counter() - start)


def report(half: str, limit: int) -> None:
    absa_all = read(ZH / "cfsc_absa" / "dev.jsonl", "sentence", "tune") + read(ZH / "cfsc_absa" / "dev.jsonl",
                                                                              "sentence", "check")
    linker, names = absa_book(absa_all)
    folder = "holdout" if half == "holdout" else "dev"
    if half == "holdout":
        absa = read(ZH / "cfsc_absa" / "holdout.jsonl", "sentence", half)
        linker, names = absa_book(absa)
    else:
        absa = read(ZH / "cfsc_absa" / "dev.jsonl", "sentence", half)
    cfb = read(ZH / "cfbenchmark_cls" / "sentiment" / f"{folder}.jsonl", "text", half)
    finfe = read(ZH / "bbt_finfe" / f"{folder}.jsonl", "text", half)[:limit]
    finnl = read(ZH / "bbt_finnl" / f"{folder}.jsonl", "text", half)[:limit]
    sector = read(ZH / "cfbenchmark_cls" / "sector" / f"{folder}.jsonl", "text", half)
    print(f"-- {half} half" if half != "holdout" else "-- holdout files")
    if cfb:
        f1, n = sentence_tone(cfb, lambda r: _CFB_TONE[r["label"]], lambda r: r["text"])
        print(f"sentence tone macro-F1, CFBenchmark news: {f1:.3f} (n={n})")
    if finfe:
        f1, n = sentence_tone(finfe, lambda r: r["label"], lambda r: r["text"])
        print(f"sentence tone macro-F1, FinFE forum posts: {f1:.3f} (n={n})")
    if absa:
        f1, n = entity_tone(absa, names)
        print(f"entity tone macro-F1, CFSC-ABSA: {f1:.3f} (n={n} aspect items)")
        company = [r for r in absa if r["aspect_category"] in ("Corporate", "Stock")]
        f1, n = entity_tone(company, names)
        print(f"entity tone macro-F1, CFSC-ABSA company and stock aspects only: {f1:.3f} (n={n})")
        recall, precision, n, unjudged = linking(absa, linker)
        print(f"linking, CFSC-ABSA company/stock mentions: recall {recall:.3f}, precision {precision:.3f} on "
              f"links at labelled aspects (n={n} mentions, book of {len(linker.names)} names; "
              f"{unjudged} links at unlabelled mentions not judged)")
    if finnl:
        recall, precision, n = topics(finnl)
        print(f"topic agreement, FinNL (fx, equities, commodities, macro, rates, real estate, energy): "
              f"recall {recall:.3f} precision {precision:.3f} (n={n})")
    if sector:
        recall, precision, n = industries(sector)
        print(f"industry agreement, CFBenchmark sector (first ISIC section in the Shenwan sector's): "
              f"of all {recall:.3f}, of tagged {precision:.3f} (n={n})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "check", "both"), default="both")
    parser.add_argument("--limit", type=int, default=3000, help="items per large set (FinFE, FinNL, headlines)")
    args = parser.parse_args(argv)
    if not ZH.is_dir():
        print(f"skipped: {ZH} is absent (the Chinese sets live outside the project)")
        return 0
    for half in (("tune", "check") if args.half == "both" else (args.half,)):
        report(half, args.limit)
    if (ZH / "cfsc_absa" / "holdout.jsonl").is_file():
        report("holdout", args.limit)
    absa = read(ZH / "cfsc_absa" / "dev.jsonl", "sentence", "tune")
    linker, names = absa_book(absa)
    print(f"documents/s (headlines: tags, tone, links, entity tone; one core, machine shared): "
          f"{throughput(args.limit, linker, names):.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
