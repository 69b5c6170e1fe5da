"""Write ``analysis/data/sentiment_finentity.csv``: the entity-level training rows the sentiment
model learns from FinEntity (Tang et al. 2023, ODC-BY-1.0), dev split only.

    .venv/bin/python scripts/make_sentiment_data.py [--finentity ../shared/data/news/finentity/FinEntity.json]

Each annotated company span of a paragraph becomes one row: the sentences of the paragraph
that name the company, chosen exactly as ``mi.analysis.entity_tone`` chooses them when it
scores a document's tone toward a company, with the span's label (0 negative, 1 positive,
2 neutral, the label ids of ``sentiment_train.csv``). Paragraphs whose SHA-1 starts with a
byte below 77 (~30%, the held-out split of ``bench/quality_linking.py`` and
``bench/quality_sentiment.py``) are left out, so the benchmark can still measure on text the
model never saw. Only this script reads ``../shared``; the project reads the file it wrote.
Two runs write the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mi.analysis.entity_tone import ToneRequest, tone_segments  # noqa: E402

HELD_OUT_BELOW = 77
LABEL_IDS = {"negative": 0, "positive": 1, "neutral": 2}
OUT = ROOT / "analysis" / "data" / "sentiment_finentity.csv"


def held_out(paragraph: str) -> bool:
    return hashlib.sha1(paragraph.encode("utf-8")).digest()[0] < HELD_OUT_BELOW


def rows(paragraphs: list[dict]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    seen: set[tuple[str, str]] = set()
    for paragraph in paragraphs:
        text = paragraph["content"]
        if held_out(text):
            continue
        for span in paragraph["annotations"]:
            key = (text, span["value"])
            if key in seen:
                continue
            seen.add(key)
            title, body = tone_segments(ToneRequest(None, text, (span["value"],)))
            out.append((" ".join(filter(None, (title, body))).strip(), LABEL_IDS[span["label"].lower()]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--finentity", type=Path,
                        default=ROOT.parent / "shared" / "data" / "news" / "finentity" / "FinEntity.json")
    args = parser.parse_args()
    paragraphs = json.loads(args.finentity.read_text(encoding="utf-8"))
    written = rows(paragraphs)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows(written)
    print(f"{OUT.relative_to(ROOT)}: {len(written)} rows from {len(paragraphs)} paragraphs (held-out split left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
