"""Quality figures for the refine layer, measured on real labelled data in ../shared
(research-only sets are read here and never copied into the project):

- sentiment macro-F1 on the financial-headline validation split;
- theme and industry micro-F1 against Reuters topic labels (mapped categories);
- duplicate recall/precision on BBC exact-duplicate groups and Reuters (planted near-dups);
- anomalies on the ECB 1999-2013 and S&P 500 series (2008's largest moves found, no
  anomaly on an N/A gap or a trailing zero).

    .venv/bin/python bench/quality.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> None:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the labelled sets live outside the project)")
        return
    import quality_anomalies
    import quality_dedupe
    import quality_tagging

    sections = [
        ("sentiment (twitter financial news, validation)", lambda: quality_tagging.evaluate_sentiment(SHARED)),
        ("themes and industries (Reuters topics, mapped)", lambda: quality_tagging.evaluate_topics(SHARED)),
        ("duplicates (BBC, Reuters)", lambda: quality_dedupe.evaluate_dedupe(SHARED)),
        ("anomalies (ECB 1999-2013, S&P 500 1999-2018, Shiller)", lambda: quality_anomalies.evaluate_anomalies(SHARED)),
    ]
    for title, evaluate in sections:
        print(f"\n== {title}")
        print(json.dumps(evaluate(), indent=2, default=str)[:6000])


if __name__ == "__main__":
    main()
