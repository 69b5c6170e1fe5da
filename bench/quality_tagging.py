"""Quality of the taggers (mi.analysis) measured on data the project may not ship.

- Sentiment: macro-F1 on the validation split of the MIT twitter-financial-news-sentiment
  set (the model is trained on its training split only).
- Themes and industries: micro-F1 on the Reuters-21578 ModApte training documents
  (research-only, read here and never copied or trained on), over the eight categories
  that Reuters topics map onto (_TOPIC_MAP).

Reads ../shared/data beside the repository and skips when it is absent.
Run: .venv/bin/python bench/quality_tagging.py
"""
from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from any directory

from mi.analysis.industries import tag_industries_batch  # noqa: E402
from mi.analysis.sentiment import classify_sentiment, load_model  # noqa: E402
from mi.analysis.themes import tag_themes_batch  # noqa: E402

SHARED_DATA = REPO.parent / "shared" / "data"
_SENTIMENT_VALID = Path("news/twitter_financial_sentiment/sent_valid.csv")
_REUTERS = Path("news/reuters_modapte_train.jsonl")
_SENTIMENT_LABELS = {0: "negative", 1: "positive", 2: "neutral"}
# Reuters topic -> our category (themes by name, industries by ISIC section letter).
_TOPIC_MAP = {
    "money-fx": "fx",
    "dlr": "fx",
    "interest": "rates",
    "crude": "B",
    "nat-gas": "B",
    "grain": "A",
    "wheat": "A",
    "corn": "A",
    "acq": "m_and_a",
    "earn": "earnings",
    "trade": "trade_policy",
    "ship": "H",
}
CATEGORIES = ("fx", "rates", "m_and_a", "earnings", "trade_policy", "A", "B", "H")


def _f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate_sentiment(shared_dir: Path) -> dict:
    """Macro-F1 and per-class F1 of classify_sentiment on the validation split."""
    with (Path(shared_dir) / _SENTIMENT_VALID).open(encoding="utf-8", newline="") as handle:
        rows = [(r["text"], _SENTIMENT_LABELS[int(r["label"])]) for r in csv.DictReader(handle)]
    texts = [text for text, _ in rows]
    load_model()  # training time is not prediction time
    started = time.perf_counter()
    predicted = [s.label for s in classify_sentiment(texts)]
    elapsed = time.perf_counter() - started
    per_class = {}
    for label in ("negative", "positive", "neutral"):
        tp = sum(p == label and g == label for p, (_, g) in zip(predicted, rows, strict=True))
        fp = sum(p == label and g != label for p, (_, g) in zip(predicted, rows, strict=True))
        fn = sum(p != label and g == label for p, (_, g) in zip(predicted, rows, strict=True))
        per_class[label] = {**_f1(tp, fp, fn), "support": tp + fn}
    macro = sum(c["f1"] for c in per_class.values()) / len(per_class)
    accuracy = sum(p == g for p, (_, g) in zip(predicted, rows, strict=True)) / len(rows)
    return {
        "documents": len(rows),
        "macro_f1": round(macro, 4),
        "accuracy": round(accuracy, 4),
        "per_class": per_class,
        "docs_per_second": round(len(rows) / elapsed),
    }


def _reuters(shared_dir: Path) -> list[dict]:
    with (Path(shared_dir) / _REUTERS).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_topics(shared_dir: Path) -> dict:
    """Micro-F1 of themes + industries on the Reuters categories mapped by _TOPIC_MAP.

    Gold per document: the mapped categories of its topics. Predicted: our themes and
    industries restricted to CATEGORIES. Also reports, per category, the Reuters topics
    of the documents that were false positives, since a story tagged agriculture for
    sugar or coffee is right in substance but counts as an error here.
    """
    docs = _reuters(shared_dir)
    pairs = [(d.get("title") or None, d.get("body") or "") for d in docs]
    started = time.perf_counter()
    themes = tag_themes_batch(pairs)
    industries = tag_industries_batch(pairs)
    elapsed = time.perf_counter() - started
    counts: dict[str, Counter[str]] = {c: Counter() for c in CATEGORIES}
    fp_topics: dict[str, Counter[str]] = {c: Counter() for c in CATEGORIES}
    for doc, doc_themes, doc_industries in zip(docs, themes, industries, strict=True):
        gold = {_TOPIC_MAP[t] for t in doc.get("topics", []) if t in _TOPIC_MAP}
        predicted = (set(doc_themes) | set(doc_industries)) & set(CATEGORIES)
        for category in CATEGORIES:
            hit, want = category in predicted, category in gold
            counts[category]["tp" if hit and want else "fp" if hit else "fn" if want else "tn"] += 1
            if hit and not want:
                fp_topics[category].update(doc.get("topics", []))
    per_category = {
        c: {
            **_f1(n["tp"], n["fp"], n["fn"]),
            "support": n["tp"] + n["fn"],
            "false_positive_topics": dict(fp_topics[c].most_common(5)),
        }
        for c, n in counts.items()
    }
    total: Counter[str] = Counter()
    for n in counts.values():
        total.update(n)
    micro = _f1(total["tp"], total["fp"], total["fn"])
    return {
        "documents": len(docs),
        "micro_f1": micro["f1"],
        "micro_precision": micro["precision"],
        "micro_recall": micro["recall"],
        "per_category": per_category,
        "docs_per_second": round(len(docs) / elapsed),
    }


def main() -> int:
    if not SHARED_DATA.is_dir():
        print(f"skipped: {SHARED_DATA} is absent (the evaluation data is not part of the project)")
        return 0
    sentiment = evaluate_sentiment(SHARED_DATA)
    print(f"sentiment: {sentiment['documents']} validation headlines, macro-F1 {sentiment['macro_f1']:.4f}, "
          f"accuracy {sentiment['accuracy']:.4f}, {sentiment['docs_per_second']} docs/s")
    for label, m in sentiment["per_class"].items():
        print(f"  {label:9s} F1 {m['f1']:.4f}  P {m['precision']:.4f}  R {m['recall']:.4f}  n={m['support']}")
    topics = evaluate_topics(SHARED_DATA)
    print(f"themes+industries: {topics['documents']} Reuters documents, micro-F1 {topics['micro_f1']:.4f} "
          f"(P {topics['micro_precision']:.4f}, R {topics['micro_recall']:.4f}), {topics['docs_per_second']} docs/s")
    for category, m in topics["per_category"].items():
        print(f"  {category:12s} F1 {m['f1']:.4f}  P {m['precision']:.4f}  R {m['recall']:.4f}  n={m['support']}  "
              f"false positives' topics: {m['false_positive_topics']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
