"""Throughput of the refine parts owned here: duplicate grouping and entity linking.

Documents are synthetic but made of real sentences (Reuters-21578 and BBC texts in
../shared, read at run time, never copied): 3-10 sentences each, a fifth of them planted
copies (half exact with case/whitespace changes, half lightly edited), and four in ten
mention an S&P 500 company by name, alias with exchange ticker, or cashtag. The gazetteer
is the SEC registrant list plus the S&P 500 (~14k companies).

    .venv/bin/python bench/refine_parts.py            # 10k and 100k
    .venv/bin/python bench/refine_parts.py 20000      # one size

``throughput(n)`` returns the figures as a dict for ``bench/refine.py``.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality_dedupe as qd  # noqa: E402

from mi.analysis.dedupe import DedupeItem, group_duplicates  # noqa: E402
from mi.analysis.linking import CompanyName, Linker  # noqa: E402
from mi.analysis.linking_names import common_words_from_texts  # noqa: E402
from mi.reference.industries import isic_section  # noqa: E402

SHARED = qd.SHARED
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_TEMPLATES = (
    "{name} said on Tuesday that quarterly revenue rose faster than analysts had expected.",
    "Shares of {alias} ({exchange}: {ticker}) fell after the announcement.",
    "Traders pushed ${ticker} higher in early trading on the news.",
    "Analysts at several banks raised their price targets for {legal}.",
)


# GICS sector names (the S&P list writes names, not codes) -> their two-digit codes
_GICS_SECTORS = {"Energy": "10", "Materials": "15", "Industrials": "20", "Consumer Discretionary": "25",
                 "Consumer Staples": "30", "Health Care": "35", "Financials": "40", "Information Technology": "45",
                 "Communication Services": "50", "Utilities": "55", "Real Estate": "60"}


def load_gazetteer(shared: Path) -> list[CompanyName]:
    """SEC registrants (CIK, ticker, name) merged with the S&P 500 list by CIK; each with its industry
    as a bank's book records it: the SEC's SIC code, else the S&P list's GICS sector, as an ISIC section."""
    by_cik: dict[int, dict] = {}
    with (shared / "reference" / "sec_cik_ticker_sic.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="|"):
            entry = by_cik.setdefault(int(row["CIK"]), {"name": row["Name"], "aliases": set(), "tickers": set(),
                                                         "section": None})
            if row["Ticker"]:
                entry["tickers"].add(row["Ticker"])
            entry["section"] = (isic_section("SIC", row["SIC"]) if row["SIC"].strip() else None) or entry["section"]
    with (shared / "reference" / "sp500_constituents_gics.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entry = by_cik.setdefault(int(row["CIK"]), {"name": row["Security"], "aliases": set(), "tickers": set(),
                                                         "section": None})
            entry["aliases"].add(re.sub(r"\s*\(.*\)$", "", row["Security"]))
            entry["tickers"].add(row["Symbol"])
            entry["section"] = entry["section"] or isic_section("GICS", _GICS_SECTORS.get(row["GICS Sector"], ""))
    return [
        CompanyName(cik, e["name"], tuple(sorted(e["aliases"] - {e["name"]})), tuple(sorted(e["tickers"])),
                    (f"CIK:{cik}",), (e["section"],) if e["section"] else ())
        for cik, e in sorted(by_cik.items())
    ]


def _sentences(shared: Path) -> list[str]:
    texts = [d["body"] for d in qd.read_reuters(shared)] + [c for _, _, c in qd.read_bbc(shared)]
    out = []
    for text in texts:
        for sentence in _SPLIT.split(" ".join(text.split())):
            if 6 <= len(sentence.split()) <= 40:
                out.append(sentence)
    return out


def synthetic_documents(n: int, shared: Path, seed: int = 5) -> tuple[list[DedupeItem], list[tuple[int, int]]]:
    """n documents and the planted (original, copy) pairs."""
    rng = random.Random(seed)
    pool = _sentences(shared)
    sp500 = list(csv.DictReader((shared / "reference" / "sp500_constituents_gics.csv").open(encoding="utf-8")))
    vocabulary = sorted({w for s in pool[:5000] for w in s.split() if w.isalpha() and len(w) > 3})
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    items: list[DedupeItem] = []
    planted: list[tuple[int, int]] = []
    while len(items) < n:
        doc_id = len(items)
        when = start + dt.timedelta(minutes=doc_id)
        if items and rng.random() < 0.2:
            original = items[rng.randrange(len(items))]
            if rng.random() < 0.5:
                title, text = (original.title or "").upper(), "  ".join(original.text.split(" "))
            else:
                title, text = qd.edit_copy(original.title or "", original.text, rng.choice(qd.EDITS), rng, vocabulary)
            items.append(DedupeItem(doc_id, title, text, when, f"channel-{rng.randrange(20)}"))
            planted.append((original.doc_id, doc_id))
            continue
        sentences = rng.sample(pool, rng.randint(3, 10))
        if rng.random() < 0.4:
            company = rng.choice(sp500)
            alias = re.sub(r"\s*\(.*\)$", "", company["Security"])
            mention = rng.choice(_TEMPLATES).format(
                name=alias, alias=alias, legal=company["Security"], ticker=company["Symbol"], exchange="NYSE"
            )
            sentences.insert(rng.randrange(len(sentences) + 1), mention)
        title = " ".join(rng.choice(pool).split()[:9])
        items.append(DedupeItem(doc_id, title, " ".join(sentences), when, f"channel-{rng.randrange(20)}"))
    return items, planted


def throughput(n: int, shared_dir: Path | str | None = None) -> dict:
    shared = Path(shared_dir) if shared_dir else SHARED
    if not (shared / "news").is_dir() or not (shared / "reference").is_dir():
        return {"skipped": f"no shared data at {shared}"}
    items, planted = synthetic_documents(n, shared)
    start, cpu = time.perf_counter(), time.process_time()
    groups = group_duplicates(items)
    dedupe_seconds, dedupe_cpu = time.perf_counter() - start, time.process_time() - cpu
    group_of = {i: g for g in groups for i in g.doc_ids}
    recall = sum(group_of[a] is group_of[b] for a, b in planted) / max(1, len(planted))
    companies = load_gazetteer(shared)
    start = time.perf_counter()
    # as the refine flow would: everyday words learnt from recent documents
    linker = Linker(companies, common_words_from_texts(item.text for item in items[:5000]))
    build_seconds = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    links = sum(len(linker.link(item.title, item.text)) for item in items)
    link_seconds, link_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "documents": n,
        "planted_pairs": len(planted),
        "dedupe_seconds": round(dedupe_seconds, 2),
        "dedupe_cpu_seconds": round(dedupe_cpu, 2),  # wall time includes other load on the machine
        "dedupe_docs_per_s": round(n / dedupe_seconds),
        "dedupe_planted_recall": round(recall, 4),
        "groups": len(groups),
        "gazetteer_companies": len(companies),
        "linker_build_seconds": round(build_seconds, 2),
        "link_seconds": round(link_seconds, 2),
        "link_cpu_seconds": round(link_cpu, 2),
        "link_docs_per_s": round(n / link_seconds),
        "links": links,
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for n in sizes:
        result = throughput(n)
        if "skipped" in result:
            print(f"skipped: {result['skipped']}")
            return
        print(
            f"{n:>7} docs: dedupe {result['dedupe_seconds']} s, cpu {result['dedupe_cpu_seconds']} s "
            f"({result['dedupe_docs_per_s']} docs/s, planted recall {result['dedupe_planted_recall']:.3f}); "
            f"linking {result['link_seconds']} s, cpu {result['link_cpu_seconds']} s "
            f"({result['link_docs_per_s']} docs/s, {result['links']} links, gazetteer of "
            f"{result['gazetteer_companies']} built in {result['linker_build_seconds']} s)"
        )


if __name__ == "__main__":
    main()
