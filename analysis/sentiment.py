"""Finance-aware sentiment of headlines and articles.

A linear SVM over words, 5-letter word beginnings (a cheap stem), word pairs and finance cue phrases
(data/sentiment_lexicon.yaml), trained on the bundled MIT-licensed headline set
(data/sentiment_train.csv) and on the sentences of FinEntity's news paragraphs (ODC-BY-1.0)
that name an annotated company, with that company's label (data/sentiment_finentity.csv,
written by scripts/make_sentiment_data.py from FinEntity's dev split; see data/SOURCE.md).
The second set is what teaches it wire-style prose ("net sales increased 5%") and the
entity-level tone a brief shows; bench/quality_sentiment.py compares it with the
headline-only model and the other candidates tried. Training takes a couple of seconds, so
the model is fitted at first use and kept for the life of the process instead of being
shipped as a pickle that would tie the repository to one scikit-learn build. The fit is
deterministic (liblinear's dual coordinate descent with a fixed seed), so every process
gets the same model from the same files.

The score is P(positive) - P(negative), where the probabilities are a softmax of the SVM
decision values. The label is the most probable class, so a positive label always has a
score > 0, a negative one a score < 0, and a neutral one a score within [-0.5, 0.5].
"""
from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from mi.analysis.sentiment_features import Cue, analyse, figure_changes, find_cues, lexicon_version, normalise, tokens

MODEL_VERSION = "svm2"
LABELS = ("negative", "positive", "neutral")  # index = label id in the training CSV
_NEGATIVE, _POSITIVE = 0, 1
# Softmax temperature on the decision values; 2.0 minimised the log-loss of 5-fold
# out-of-fold predictions on the training split (the SVM itself has no probabilities).
_TEMPERATURE = 2.0
_SVM_C = 1.0  # chosen by 5-fold cross-validation on the training split
_SEED = 0

# Past this length a text is treated as an article: the headline-trained model sees its
# lead sentences one by one rather than one long blob it was never trained on.
_LONG_TEXT_CHARS = 300
_LEAD_SENTENCES = 3
_SEGMENT_CHARS = 400
_TITLE_WEIGHT = 2.0  # the headline states the news; lead sentences add context
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\u201c]?[A-Z0-9])")

_model: Pipeline | None = None
_model_lock = threading.Lock()


@dataclass(frozen=True)
class Sentiment:
    label: str  # positive, negative or neutral
    score: float  # in [-1, 1]; > 0 good news, < 0 bad news


@dataclass(frozen=True)
class SentimentExplanation:
    """Why a text got its sentiment: the finance cues and figure moves that were seen."""

    sentiment: Sentiment
    cues: tuple[Cue, ...]
    figure_moves: tuple[int, ...]  # +1 a figure went up ("to 60 from 50"), -1 down


TRAINING_FILES = ("data/sentiment_train.csv", "data/sentiment_finentity.csv")


def training_rows(files: Sequence[str] = TRAINING_FILES) -> list[tuple[str, int]]:
    """The bundled training sets as (text, label id): MIT headlines, then FinEntity sentences."""
    rows: list[tuple[str, int]] = []
    for name in files:
        source = resources.files("mi.analysis").joinpath(name)
        reader = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8")))
        rows.extend((row["text"], int(row["label"])) for row in reader)
    return rows


def train_model(rows: Sequence[tuple[str, int]]) -> Pipeline:
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    model = Pipeline(
        [
            ("features", TfidfVectorizer(analyzer=analyse, sublinear_tf=True)),
            # Balanced weights because bearish and bullish headlines are the minority
            # classes and macro-F1 counts them as much as the neutral majority.
            ("svm", LinearSVC(C=_SVM_C, class_weight="balanced", random_state=_SEED)),
        ]
    )
    model.fit(texts, labels)
    return model


def load_model() -> Pipeline:
    """The process-wide model, trained from the bundled data on first call."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = train_model(training_rows())
    return _model


def sentiment_version() -> str:
    """Model and cue-lexicon version, for recording which tagger produced a result."""
    return f"{MODEL_VERSION}-lex{lexicon_version()}"


def _probabilities(texts: list[str]) -> np.ndarray:
    """Rows of [P(negative), P(positive), P(neutral)] in LABELS order."""
    model = load_model()
    decision = model.decision_function(texts) * _TEMPERATURE
    decision -= decision.max(axis=1, keepdims=True)
    exp = np.exp(decision)
    probs = exp / exp.sum(axis=1, keepdims=True)
    order = [list(model.classes_).index(i) for i in range(len(LABELS))]
    return probs[:, order]


def _lead_segments(text: str) -> list[str]:
    if len(text) <= _LONG_TEXT_CHARS:
        return [text]
    sentences = [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    return [s[:_SEGMENT_CHARS] for s in sentences[:_LEAD_SENTENCES]] or [text[:_SEGMENT_CHARS]]


def _combine(probs: np.ndarray) -> Sentiment:
    best = int(np.argmax(probs))
    score = float(np.clip(probs[_POSITIVE] - probs[_NEGATIVE], -1.0, 1.0))
    # Not rounded: a tiny margin rounded to 0.0 would break "positive means score > 0".
    return Sentiment(LABELS[best], score)


def _score_weighted(docs: Sequence[Sequence[tuple[str, float]]]) -> list[Sentiment]:
    """Each document is weighted segments; all segments go through the model in one batch."""
    flat = [segment for doc in docs for segment, _ in doc]
    probs = _probabilities(flat) if flat else np.zeros((0, len(LABELS)))
    results: list[Sentiment] = []
    at = 0
    for doc in docs:
        if not doc:
            results.append(Sentiment("neutral", 0.0))
            continue
        weights = np.array([weight for _, weight in doc])
        mixed = (probs[at : at + len(doc)] * weights[:, None]).sum(axis=0) / weights.sum()
        results.append(_combine(mixed))
        at += len(doc)
    return results


def classify_sentiment(texts: Sequence[str]) -> list[Sentiment]:
    """Sentiment of each text; long texts are judged on their lead sentences."""
    docs = [[(seg, 1.0) for seg in _lead_segments(t)] if t and t.strip() else [] for t in texts]
    return _score_weighted(docs)


def classify_article_sentiment(articles: Sequence[tuple[str | None, str]]) -> list[Sentiment]:
    """Sentiment of (title, body) pairs: the title counts double its lead sentences."""
    docs: list[list[tuple[str, float]]] = []
    for title, body in articles:
        doc = [(title.strip(), _TITLE_WEIGHT)] if title and title.strip() else []
        if body and body.strip():
            doc.extend((seg, 1.0) for seg in _lead_segments(body))
        docs.append(doc)
    return _score_weighted(docs)


def explain_sentiment(text: str) -> SentimentExplanation:
    """The sentiment of one text with the cue phrases and figure moves found in it."""
    sentiment = classify_sentiment([text])[0]
    segments = _lead_segments(text) if text and text.strip() else []
    cues = tuple(cue for seg in segments for cue in find_cues(tokens(normalise(seg))))
    moves = tuple(move for seg in segments for move in figure_changes(seg))
    return SentimentExplanation(sentiment, cues, moves)
