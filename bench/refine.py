"""Benchmark: documents/s for dedupe, entity linking and tagging at 10k and 100k documents,
and how the time grows between the two sizes (10x the documents; linear growth is 10x).

Documents are built from real sentences read at run time from ../shared (never copied);
the script skips with a message when that folder is absent.

    .venv/bin/python bench/refine.py              # 10k and 100k
    .venv/bin/python bench/refine.py 5000 50000   # other sizes
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import refine_parts  # noqa: E402

from mi.analysis.industries import tag_industries  # noqa: E402
from mi.analysis.sentiment import classify_article_sentiment  # noqa: E402
from mi.analysis.themes import tag_themes  # noqa: E402


def tagging(n: int) -> dict:
    items, _ = refine_parts.synthetic_documents(n, refine_parts.SHARED)
    classify_article_sentiment([(None, "warm-up: the model is fitted once per process")])
    start, cpu = time.perf_counter(), time.process_time()
    classify_article_sentiment([(i.title, i.text) for i in items])
    for item in items:
        tag_themes(item.title, item.text)
        tag_industries(item.title, item.text)
    seconds = time.perf_counter() - start
    return {"tag_seconds": round(seconds, 2), "tag_cpu_seconds": round(time.process_time() - cpu, 2),
            "tag_docs_per_s": round(n / seconds)}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    rows = {}
    for n in sizes:
        parts = refine_parts.throughput(n)
        if "skipped" in parts:
            print(f"skipped: {parts['skipped']}")
            return
        rows[n] = {**parts, **tagging(n)}
    print(f"{'documents':>10} {'dedupe docs/s':>14} {'linking docs/s':>15} {'tagging docs/s':>15}")
    for n, r in rows.items():
        print(f"{n:>10} {r['dedupe_docs_per_s']:>14} {r['link_docs_per_s']:>15} {r['tag_docs_per_s']:>15}")
    if len(sizes) >= 2:
        small, large = rows[sizes[0]], rows[sizes[-1]]
        factor = sizes[-1] / sizes[0]
        print(f"\ntime growth for {factor:g}x the documents (linear = {factor:g}x):")
        for step in ("dedupe", "link", "tag"):
            print(f"  {step:7} {large[f'{step}_seconds'] / small[f'{step}_seconds']:.1f}x wall, "
                  f"{large[f'{step}_cpu_seconds'] / max(small[f'{step}_cpu_seconds'], 1e-9):.1f}x cpu")
        print(f"  planted-duplicate recall: {small['dedupe_planted_recall']:.3f} at {sizes[0]}, "
              f"{large['dedupe_planted_recall']:.3f} at {sizes[-1]}")


if __name__ == "__main__":
    main()
