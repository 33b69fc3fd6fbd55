"""A small trained intent model over a corpus of labelled messages, shared by the agents.

Character n-grams (they survive typos, slang and Chinese without a word segmenter) and
word n-grams feed a linear SVM trained on a folder of ``*.jsonl`` files (``{"text",
"intent"}`` per line). Each corpus is trained on first use (well under a second) and kept
for the process.
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

# Below this margin over the runner-up a guess is not trusted on its own.
SURE_MARGIN = 0.25


@dataclass(frozen=True)
class Guess:
    intent: str
    margin: float  # the winner's score minus the runner-up's

    @property
    def sure(self) -> bool:
        return self.margin >= SURE_MARGIN


def features(text: str) -> str:
    # Order numbers and amounts say nothing about the intent; their shape does.
    return re.sub(r"\d+", "0", fold(text))


def corpus(folder: Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(features(row["text"]))
                labels.append(row["intent"])
    if not texts:
        raise FileNotFoundError(f"corpus: no labelled messages in {folder}")
    return texts, labels


@lru_cache(maxsize=4)
def _model(folder: Path) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    texts, labels = corpus(folder)
    union = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        ),
    )
    model = make_pipeline(union, LinearSVC(C=1.0))
    model.fit(texts, labels)
    return model


def warm_up(folder: Path) -> None:
    """Train now rather than on a user's first message."""
    _model(folder)


def classify(folder: Path, texts: Sequence[str]) -> list[Guess]:
    """The intent of each text, with its margin over the runner-up."""
    if not texts:
        return []
    model = _model(folder)
    scores = model.decision_function([features(t) for t in texts])
    classes = list(model.classes_)
    guesses = []
    for row in scores:
        ranked = sorted(range(len(classes)), key=lambda i: row[i], reverse=True)
        best, second = ranked[0], ranked[1]
        guesses.append(Guess(str(classes[best]), float(row[best] - row[second])))
    return guesses
