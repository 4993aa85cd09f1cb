"""The learned half of the crisis check: sentence embeddings and a classifier over them.

The patterns in bot/safety.py catch the words people use; this net catches paraphrase
("i've put the sleeping pills next to the bed for later"), over sentence embeddings from
all-MiniLM-L6-v2 (bot/sentence_encoder.py: no network, no PyTorch). The classifier is
fitted at load time on the tuning lines' embeddings that ``python -m bot.safety_train``
stores in ``safety_model.npz``, with the two thresholds it chose by cross-validation.
A message reads as its most worrying piece: the whole, and each sentence of a longer
one (the encoder sees only the first 128 tokens, and one sentence about pills in a
paragraph about a job is lost in the average). Scores from ``alarm_at`` show the
resources at once; scores from ``ask_at`` up ask directly, with the resources beside
the question (issue 14's answer where the check cannot decide).

Loading takes about a second; it starts in a thread when bot.safety is imported, so it
is done before the first message. If it fails, the patterns alone check messages.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np
from sklearn.svm import SVC

from bot.sentence_encoder import MAX_CHARS, Encoder

logger = logging.getLogger(__name__)

STORED = Path(__file__).with_name("safety_model.npz")
LOAD_WAIT_SECONDS = 30.0
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
WINDOW_WORDS = 40  # a run-on sentence is read in windows this long
MAX_PIECES = 8  # bounds the cost of a long message: at most this many more embeddings


class Reading(Enum):
    ALARM = "alarm"  # show the resources at once
    ASK = "ask"  # ask directly, resources beside the question
    QUIET = "quiet"


def pieces(text: str) -> list[str]:
    """The whole text, then each sentence of two words or more (run-on ones in windows)
    in as much of it as the encoder reads; past ``MAX_PIECES``, neighbouring pieces are
    read together."""
    parts = []
    for sentence in SENTENCE_END.split(text[:MAX_CHARS]):
        words = sentence.split()
        if len(words) >= 2:
            parts += [
                " ".join(words[i : i + WINDOW_WORDS]) for i in range(0, len(words), WINDOW_WORDS)
            ]
    if len(parts) > MAX_PIECES:
        groups = np.array_split(np.arange(len(parts)), MAX_PIECES)
        parts = [" ".join(parts[i] for i in group) for group in groups]
    return [text, *(part for part in parts if part != text)]


def embed_pieces(encoder: Encoder, text: str) -> np.ndarray:
    """The embeddings of ``pieces(text)``: the whole alone, the rest together, so the short
    sentences are not padded to the length of the whole."""
    whole, *parts = pieces(text)
    return np.vstack([encoder.embed([whole]), *([encoder.embed(parts)] if parts else [])])


def classifier() -> SVC:
    """The classifier over embeddings, the same in training, cross-validation and use."""
    return SVC(C=10.0, kernel="rbf", class_weight="balanced")


def harmless_pieces(pieces: np.ndarray, owners: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The sentences of the harmless lines (each line's first piece is its whole): every
    one is harmless too, and the net reads a message sentence by sentence ("i'm giving
    away my locker stuff" in a story about leaving a job). A crisis line's sentences are
    not labelled: most of a crisis message is often about the job."""
    whole = np.r_[True, owners[1:] != owners[:-1]]
    return pieces[~whole & (labels[owners] == 0)]


@dataclass(frozen=True)
class Thresholds:
    ask_at: float  # score from which the bot asks directly
    alarm_at: float  # score from which the bot shows the resources at once

    def reading(self, score: float) -> Reading:
        if score >= self.alarm_at:
            return Reading.ALARM
        return Reading.ASK if score >= self.ask_at else Reading.QUIET


@dataclass(frozen=True)
class Net:
    encoder: Encoder
    model: SVC
    thresholds: Thresholds

    def score(self, text: str) -> float:
        """How far the most worrying piece of ``text`` lies on the crisis side of the
        classifier's boundary."""
        return float(self.model.decision_function(embed_pieces(self.encoder, text)).max())

    def reading(self, text: str) -> Reading:
        return self.thresholds.reading(self.score(text))


def load(stored: Path = STORED) -> Net:
    with np.load(stored) as saved:
        labels, owners = saved["labels"], saved["owners"]
        extra = harmless_pieces(saved["pieces"], owners, labels[: owners.max() + 1])
        model = classifier().fit(
            np.vstack([saved["embeddings"], extra]), np.r_[labels, np.zeros(len(extra), int)]
        )
        return Net(Encoder(), model, Thresholds(float(saved["ask_at"]), float(saved["alarm_at"])))


class Loader:
    """Loads a net once, in a thread, so no message waits for it. A message that comes
    while it loads waits for it, up to ``LOAD_WAIT_SECONDS`` after the start; past that,
    or if loading failed, ``alarms`` says None at once."""

    def __init__(self, load: Callable[[], Net]) -> None:
        self.load = load
        self.net: Net | None = None
        self.loaded = threading.Event()
        # Not a daemon: a process told to stop while the model loads waits the second or
        # two it takes, rather than end with onnxruntime mid-load (a segmentation fault).
        self.thread = threading.Thread(target=self.run, name="safety-model")
        self.lock = threading.Lock()
        self.ready_by = 0.0

    def run(self) -> None:
        try:
            self.net = self.load()
        except Exception as error:  # any failure leaves the patterns on their own
            logger.warning(
                "The crisis classifier could not load (%s); the patterns alone check "
                "messages. `python -m bot.safety_train` builds %s.",
                type(error).__name__,
                STORED.name,
            )
        finally:
            self.loaded.set()

    def start(self) -> None:
        with self.lock:
            if self.thread.ident is None:
                self.ready_by = time.monotonic() + LOAD_WAIT_SECONDS
                self.thread.start()

    def reading(self, text: str) -> Reading | None:
        """How the net reads ``text``, or None when it is not available."""
        self.start()
        if not self.loaded.wait(max(0.0, self.ready_by - time.monotonic())) or self.net is None:
            return None
        try:
            return self.net.reading(text)
        except Exception as error:  # the check never fails a message; the patterns ran
            logger.error("The crisis classifier failed on a message (%s)", type(error).__name__)
            return None


loader = Loader(load)
