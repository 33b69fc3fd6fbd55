"""What one clause of a customer's message asks for: a small trained intent model.

Character n-grams (they survive typos, slang and Chinese without a word segmenter) and
word n-grams feed a linear SVM trained on ``corpus/*.jsonl``: a corpus written from the
policy by people who never saw the agent, plus the phrasings the tuning suite showed
missing. It is trained on first use (well under a second) and kept for the process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from agents.language import fold

CORPUS = Path(__file__).with_name("corpus")
INTENTS = (
    "status",
    "cancel",
    "keep",
    "change_address",
    "address_query",
    "compensation",
    "cancel_info",
    "human",
    "greeting",
    "yes",
    "no",
    "other",
)
# Below this margin over the runner-up the guess is not trusted on its own.
SURE_MARGIN = 0.25


@dataclass(frozen=True)
class Guess:
    intent: str
    margin: float  # the winner's score minus the runner-up's

    @property
    def sure(self) -> bool:
        return self.margin >= SURE_MARGIN


def _features(text: str) -> str:
    # Order numbers and amounts say nothing about the intent; their shape does.
    return re.sub(r"\d+", "0", fold(text))


def corpus() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(_features(row["text"]))
                labels.append(row["intent"])
    return texts, labels


@lru_cache(maxsize=1)
def _model() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    texts, labels = corpus()
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        ),
    )
    model = make_pipeline(features, LinearSVC(C=1.0))
    model.fit(texts, labels)
    return model


def warm_up() -> None:
    """Train now rather than on a customer's first message."""
    _model()


def classify(clauses: Sequence[str]) -> list[Guess]:
    if not clauses:
        return []
    model = _model()
    scores = model.decision_function([_features(c) for c in clauses])
    classes = list(model.classes_)
    guesses = []
    for row in scores:
        ranked = sorted(range(len(classes)), key=lambda i: row[i], reverse=True)
        best, second = ranked[0], ranked[1]
        guesses.append(Guess(str(classes[best]), float(row[best] - row[second])))
    return guesses
