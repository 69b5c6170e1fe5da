"""Quality figures for the refine layer, measured on real labelled data in ../shared
(research-only sets are read here and never copied into the project):

- entity-linking recall and precision on FinEntity paragraphs, MIT headlines (cashtags, and
  names with the cashtags removed) and SEntFiN headline entities, dev and held-out splits,
  against a ~14k-company book (quality_linking.py);
- the sentiment candidate table: macro-F1 on the MIT validation headlines, FinEntity's
  held-out company spans (validation) and SEntFiN entity labels (second set, measured
  only), and documents/s (quality_sentiment.py; the transformer rows come from
  sentiment_encoder.py, run where PyTorch is installed);
- per-language counts of feed items (quality_language.py);
- theme and industry micro-F1 against Reuters topic labels (mapped categories);
- duplicate recall/precision on BBC exact-duplicate groups and Reuters (planted near-dups);
- anomalies on the ECB 1999-2013 and S&P 500 series (2008's largest moves found, no
  anomaly on an N/A gap or a trailing zero);
- Chinese: tone macro-F1 (sentence, entity), topic/industry agreement, linking
  recall/precision and documents/s on ../shared/data/zh (quality_zh.py, tune and check halves).
- forecast error (MAPE, MASE) and 80 % interval coverage 1-3 steps ahead, old method against
  new, for seasonal statistics and market series, and the 2009 slump in the turnover index
  (quality_forecast.py; runs on the bundled series even without ../shared);
- 80 % interval coverage 1-3 periods ahead on 21 further monthly and quarterly market and
  macro series, for each rule tried for sizing the interval (quality_intervals.py).

    .venv/bin/python bench/quality.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> None:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the labelled sets live outside the project)")
        import quality_forecast

        print("\n== forecasts by horizon and seasonal anomalies (bundled series)")
        quality_forecast.main()
        return
    import quality_anomalies
    import quality_dedupe
    import quality_forecast
    import quality_intervals
    import quality_language
    import quality_linking
    import quality_sentiment
    import quality_tagging
    import quality_zh

    for title, report in (("entity linking", quality_linking.main),
                          ("sentiment candidates", quality_sentiment.main),
                          ("languages", quality_language.main),
                          ("sentiment, themes and industries", quality_tagging.main),
                          ("duplicates", quality_dedupe.main),
                          ("anomalies and forecast intervals", quality_anomalies.main),
                          ("forecasts by horizon and seasonal anomalies", quality_forecast.main),
                          ("forecast intervals on further series", quality_intervals.main),
                          ("Chinese", lambda: quality_zh.main([]))):
        print(f"\n== {title}")
        report()


if __name__ == "__main__":
    main()
