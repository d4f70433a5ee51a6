"""The learned typer: proposes event types for sentences the cue lexicon is silent on.

A linear model over word and character n-grams, trained by `python training/train.py` from the
labelled sentences in `training/sentences/` and shipped as plain arrays (`typer.npz`, loaded with
`allow_pickle=False`: nothing in the file is code). Featurising is ours, in pure Python, so the
shipped model needs numpy only and training and use can never featurise differently.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from negotrack.extract.cues import Hit, Proposer
from negotrack.extract.threads import DATELINE
from negotrack.lexicon import Settings

MODEL_PATH = Path(__file__).with_name("typer.npz")

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][a-z]+)?|\d+(?:[.,:]\d+)*")
# Capitalised words name people, places and parties: masked, so the model learns how events are
# told, not which negotiation the training sentence was about. Day and month names stay: tense
# and timing words carry meaning.
_KEEP_CAPS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december i".split()
)
CHAR_RANGE = (3, 5)


@dataclass(frozen=True)
class Token:
    form: str  # normalised: lower-case word, <cap> or <num>
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Normalised tokens with their spans in `text` (spans anchor modality checks)."""
    out: list[Token] = []
    # a dateline ("GENEVA, March 4 —") is names only: the sentence proper begins after it, and
    # its first word is a word like any other
    dateline = DATELINE.match(text)
    opening = dateline.end() if dateline else 0
    for m in _TOKEN.finditer(text):
        w = m.group()
        low = w.lower()
        first = not out or out[-1].start < opening <= m.start()
        if w[0].isdigit():
            form = "<num>"
        elif m.start() < opening or (w[0].isupper() and not first and low not in _KEEP_CAPS):
            form = "<cap>"
        else:
            form = low
        out.append(Token(form, m.start(), m.end()))
    return out


def char_ngrams(form: str) -> Iterator[str]:
    """The character n-gram features of one word (padded with spaces, so ends count)."""
    padded = f" {form} "
    for n in range(CHAR_RANGE[0], CHAR_RANGE[1] + 1):
        for i in range(0, len(padded) - n + 1):
            yield "c:" + padded[i:i + n]


def features(toks: list[Token]) -> dict[str, int]:
    """Feature counts: words (w:), word pairs (b:), and character n-grams inside words (c:)."""
    counts: dict[str, int] = {}
    prev = "<s>"
    for t in toks:
        f = t.form
        for key in ("w:" + f, "b:" + prev + " " + f):
            counts[key] = counts.get(key, 0) + 1
        prev = f
        if f[0] != "<":
            for key in char_ngrams(f):
                counts[key] = counts.get(key, 0) + 1
    counts["b:" + prev + " </s>"] = counts.get("b:" + prev + " </s>", 0) + 1
    return counts


def tfidf(counts: dict[str, int], index: dict[str, int], idf: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Column ids and sublinear tf-idf values, L2-normalised, in the order of `counts`: the one
    definition training and the shipped model both use."""
    ids, vals = [], []
    for f, c in counts.items():
        j = index.get(f)
        if j is not None:
            ids.append(j)
            vals.append((1.0 + math.log(c)) * idf[j])
    v = np.asarray(vals, dtype=np.float64)
    if len(v):
        v /= np.sqrt((v * v).sum())
    return ids, v


@dataclass(frozen=True)
class Proposal:
    type: str
    probability: float
    start: int  # the word that speaks most for the type: where modality checks look
    end: int


class Typer:
    """The shipped model: tf-idf over our features, one logistic regression per event type."""

    def __init__(self, vocab: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str], meta: dict[str, str]):
        self.index = {f: i for i, f in enumerate(vocab)}
        self.idf = idf.astype(np.float64)
        self.coef = coef.astype(np.float64)  # features x classes
        self.intercept = intercept.astype(np.float64)
        self.classes = classes
        self.meta = meta
        self.calibration: dict[str, tuple[float, float]] = {}  # stage -> (slope, intercept) on logit

    def calibrate(self, stage: str, raw: float) -> float:
        a, b = self.calibration.get(stage, (1.0, 0.0))
        r = min(max(raw, 1e-4), 1 - 1e-4)
        return 1.0 / (1.0 + math.exp(-(a * math.log(r / (1 - r)) + b)))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "Typer":
        with np.load(path, allow_pickle=False) as z:
            meta = dict(zip(z["meta_keys"].tolist(), z["meta_values"].tolist()))
            model = cls(z["vocab"].tolist(), z["idf"], z["coef"], z["intercept"], z["classes"].tolist(), meta)
            if "cal_stages" in z.files:
                model.calibration = {
                    str(s): (float(a), float(b)) for s, a, b in zip(z["cal_stages"].tolist(), z["cal_slope"], z["cal_intercept"])
                }
            return model

    def vector(self, counts: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Sparse tf-idf of a sentence's features: column ids and values."""
        ids, vals = tfidf(counts, self.index, self.idf)
        return np.asarray(ids, dtype=np.int64), vals

    def probabilities(self, text: str) -> dict[str, float]:
        ids, vals = self.vector(features(tokens(text)))
        z = vals @ self.coef[ids] + self.intercept if len(ids) else self.intercept.copy()
        p = 1.0 / (1.0 + np.exp(-z))
        return dict(zip(self.classes, p.tolist()))

    def propose(self, text: str, threshold: float) -> list[Proposal]:
        """Types whose probability reaches `threshold`, each anchored on its strongest word."""
        toks = tokens(text)
        ids, vals = self.vector(features(toks))
        if not len(ids):
            return []
        z = vals @ self.coef[ids] + self.intercept
        p = 1.0 / (1.0 + np.exp(-z))
        out = []
        for k in np.flatnonzero(p >= threshold):
            start, end = self._anchor(toks, int(k))
            out.append(Proposal(self.classes[k], float(p[k]), start, end))
        out.sort(key=lambda pr: -pr.probability)
        return out

    def _anchor(self, toks: list[Token], k: int) -> tuple[int, int]:
        """The span of the word whose own features push class k up the most."""
        best, best_score = None, -math.inf
        index, coef = self.index, self.coef
        for t in toks:
            if t.form[0] == "<":
                continue
            score = 0.0
            j = index.get("w:" + t.form)
            if j is not None:
                score += coef[j, k] * self.idf[j]
            for key in char_ngrams(t.form):
                j = index.get(key)
                if j is not None:
                    score += coef[j, k] * self.idf[j] * 0.2
            if score > best_score:
                best, best_score = t, score
        if best is None:
            return 0, 0
        return best.start, best.end


@lru_cache(maxsize=1)
def shipped() -> Optional[Typer]:
    """The model shipped with the package, or None where it is absent."""
    return Typer.load() if MODEL_PATH.exists() else None


# --- the learned stage in the pipeline ------------------------------------------------------------


def proposer(typer: Typer, threshold: float, second_threshold: float) -> Proposer:
    """Hits from the model for a sentence: where the rules found nothing, any type at
    `threshold`; beside rule hits, only another type, at the stricter `second_threshold` (a
    second event in the sentence). Its hits then meet the same checks as the rules'."""

    def propose(text: str, rule_hits: list[Hit]) -> list[Hit]:
        ruled = {h.type for h in rule_hits}
        floor = second_threshold if ruled else threshold
        if floor >= 1.0:
            return []
        return [
            Hit(p.type, p.start, p.end, f"model: {p.type} p={p.probability:.2f}", weight=p.probability, origin="model")
            for p in typer.propose(text, floor)
            if p.type not in ruled and p.end > p.start
        ]

    return propose


def default_proposers(settings: Settings) -> tuple[Proposer, ...]:
    """The shipped model as the pipeline's learned stage (none where the model is absent)."""
    model = shipped()
    if model is None:
        return ()
    return (proposer(model, settings.model_threshold, settings.model_second_threshold),)


def calibrated(stage: str, raw: float) -> float:
    """A raw score as the share of such events that are right (Platt scaling per stage, fitted
    by training/train.py on the repository's development corpora). Identity with no model."""
    model = shipped()
    if model is None:
        return raw
    return model.calibrate(stage, raw)
