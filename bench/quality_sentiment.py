"""The sentiment table of issue 11: each candidate tried, its macro-F1 on the validation split
it was chosen on and on a second, differently written finance set, and its documents/s.

Sets (read from ../shared, never copied except what analysis/data/SOURCE.md lists):
- MIT valid: the twitter-financial-news validation headlines (the kind the MIT training
  split is; looked at while tuning the cue lexicon);
- FinEntity held-out: the company spans of FinEntity (ODC-BY) Reuters paragraphs in the
  split that scripts/make_sentiment_data.py leaves out of training (SHA-1 byte < 77), scored
  per company by ``mi.analysis.entity_tone``. The candidates were *chosen* on it, so it is a
  validation figure, not a held-out one;
- SEntFiN: 14k entity labels of 10.7k finance headlines, many Indian (no licence: measured,
  never trained on), scored per entity the same way. Written differently from both training
  sets (terse market headlines, "Rs crore", broker calls). Split like FinEntity: errors were
  looked at on the dev part only; the held-out part is the second-set figure.

Documents/s: FinEntity paragraphs through ``classify_article_sentiment`` (lead sentences,
one batch), one process; the machine's 2 cores are shared with other jobs, so the rates are
noisy.

    .venv/bin/python bench/quality_sentiment.py
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import FeatureUnion, Pipeline  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from mi.analysis import sentiment  # noqa: E402
from mi.analysis.entity_tone import ToneRequest, tone_segments  # noqa: E402
from mi.analysis.sentiment_features import analyse  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
_LABELS = ("negative", "positive", "neutral")
_HELD_OUT_BELOW = 77
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:but|while|whereas|even as|vs\.?|versus)\s+|\s+-\s+")

Item = tuple[str | None, str, str, str]  # title, text, mention, gold label


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in _LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(sum(scores) / len(scores), 4)


def _held_out(text: str) -> bool:
    return hashlib.sha1(text.encode("utf-8")).digest()[0] < _HELD_OUT_BELOW


def mit_validation() -> list[tuple[str, str]]:
    with (SHARED / "news/twitter_financial_sentiment/sent_valid.csv").open(encoding="utf-8", newline="") as handle:
        return [(r["text"], _LABELS[int(r["label"])]) for r in csv.DictReader(handle)]


def finentity() -> tuple[list[Item], list[str]]:
    """(held-out company spans, every distinct paragraph)."""
    data = json.loads((SHARED / "news/finentity/FinEntity.json").read_text(encoding="utf-8"))
    items = [(None, p["content"], s["value"], s["label"].lower())
             for p in data if _held_out(p["content"]) for s in p["annotations"]]
    return items, sorted({p["content"] for p in data})


def sentfin() -> tuple[list[Item], list[Item]]:
    """(dev, held-out) entity labels of the SEntFiN headlines."""
    dev: list[Item] = []
    held: list[Item] = []
    with (SHARED / "news/sentfin/dataset_1.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for entity, label in json.loads(row["Decisions"]).items():
                (held if _held_out(row["Title"]) else dev).append((row["Title"], "", entity, label.lower()))
    return dev, held


def _whole(title: str | None, body: str, mention: str) -> tuple[str | None, str]:
    return title, body


def _clause(title: str | None, body: str, mention: str) -> tuple[str | None, str]:
    """Only the clause of each chosen sentence that names the company ("X rose, while Y fell")."""
    def cut(sentence: str) -> str:
        parts = [p for p in _CLAUSE.split(sentence) if p and p.strip()]
        for i, part in enumerate(parts):
            if mention.casefold() in part.casefold():
                if len(part.split()) <= len(mention.split()) + 1 and i + 1 < len(parts):
                    return f"{part} {parts[i + 1]}"  # "Infosys, Wipro fall": the verb is in the next part
                return part
        return sentence
    return (cut(title) if title else title), " ".join(cut(s) for s in re.split(r"(?<=[.!?;])\s+", body) if s)


def _finentity_training(extract: Callable) -> list[tuple[str, int]]:
    """The shipped FinEntity rows, or the same spans re-extracted by another rule."""
    if extract is _whole:
        return sentiment.training_rows(("data/sentiment_finentity.csv",))
    data = json.loads((SHARED / "news/finentity/FinEntity.json").read_text(encoding="utf-8"))
    rows = []
    for p in data:
        if _held_out(p["content"]):
            continue
        for s in p["annotations"]:
            title, body = extract(*tone_segments(ToneRequest(None, p["content"], (s["value"],))), s["value"])
            rows.append((" ".join(filter(None, (title, body))), _LABELS.index(s["label"].lower())))
    return rows


def _svm(c: float = 1.0, chars: bool = False) -> Callable[[], Pipeline]:
    def make() -> Pipeline:
        features = [("words", TfidfVectorizer(analyzer=analyse, sublinear_tf=True))]
        if chars:
            features.append(("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                                      min_df=2)))
        return Pipeline([("features", FeatureUnion(features)),
                         ("svm", LinearSVC(C=c, class_weight="balanced", random_state=0))])
    return make


def _logistic() -> Pipeline:
    return Pipeline([("features", TfidfVectorizer(analyzer=analyse, sublinear_tf=True)),
                     ("svm", LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000))])


# name, trains on FinEntity dev, model, how the company's text is cut
CANDIDATES: list[tuple[str, bool, Callable[[], Pipeline], Callable]] = [
    ("svm1: MIT headlines only (before issue 11)", False, _svm(), _whole),
    ("svm2: MIT + FinEntity dev (SHIPPED)", True, _svm(), _whole),
    ("svm2, C=0.3", True, _svm(0.3), _whole),
    ("svm2 + char 3-5-grams, C=0.2", True, _svm(0.2, chars=True), _whole),
    ("logistic regression, MIT + FinEntity dev", True, _logistic, _whole),
    ("svm2, tone read from the company's clause", True, _svm(), _clause),
]


def _entity_f1(items: list[Item], extract: Callable) -> float:
    pairs = [extract(*tone_segments(ToneRequest(title, text, (mention,))), mention)
             for title, text, mention, _ in items]
    predicted = [s.label for s in sentiment.classify_article_sentiment(pairs)]
    return macro_f1([gold for *_, gold in items], predicted)


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the evaluation data is not part of the project)")
        return 0
    mit = mit_validation()
    fe_held, paragraphs = finentity()
    sf_dev, sf_held = sentfin()
    mit_rows = sentiment.training_rows(("data/sentiment_train.csv",))
    print(f"{'candidate':44s} {'MIT valid':>9s} {'FinEnt HO*':>10s} {'SEntFiN dev':>11s} "
          f"{'SEntFiN HO':>10s} {'docs/s':>7s}")
    shipped = sentiment._model
    try:
        for name, with_finentity, make, extract in CANDIDATES:
            model = make()
            rows = mit_rows + (_finentity_training(extract) if with_finentity else [])
            model.fit([t for t, _ in rows], [label for _, label in rows])
            sentiment._model = model  # the module's own prediction path, with this candidate's weights
            valid = macro_f1([g for _, g in mit], [s.label for s in sentiment.classify_sentiment([t for t, _ in mit])])
            started = time.perf_counter()
            sentiment.classify_article_sentiment([(None, p) for p in paragraphs])
            rate = len(paragraphs) / (time.perf_counter() - started)
            print(f"{name:44s} {valid:9.4f} {_entity_f1(fe_held, extract):10.4f} {_entity_f1(sf_dev, extract):11.4f} "
                  f"{_entity_f1(sf_held, extract):10.4f} {round(rate):7d}", flush=True)
    finally:
        sentiment._model = shipped
    print(f"  FinEntity HO*: {len(fe_held)} company spans never trained on, but the candidates were chosen on "
          f"them (validation). SEntFiN: {len(sf_dev)} dev / {len(sf_held)} held-out entity labels, never trained on.")
    print("  Target: macro-F1 >= 0.85 on the second, differently written set (SEntFiN HO): not reached by any "
          "linear candidate; see the README's sentiment notes.")
    print("  Transformer candidates (all-MiniLM-L6-v2 frozen, stacked, fine-tuned) need PyTorch, which the project "
          "does not install: bench/sentiment_encoder.py prints their rows from an environment that has it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
