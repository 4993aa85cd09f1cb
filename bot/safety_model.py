"""The learned half of the crisis check: sentence embeddings and a classifier over them.

The patterns in bot/safety.py catch the words people use; this net catches paraphrase
("the tablets are counted out on my desk"), over sentence embeddings from
all-MiniLM-L6-v2 (bot/sentence_encoder.py: no network, no PyTorch). The classifier is
fitted at load time on the tuning lines' embeddings that ``python -m bot.safety_train``
stores in ``safety_model.npz``, with the threshold it chose by cross-validation. The patterns keep
the grey band (wording they know to be ambiguous asks directly): the false-alarm budget
(1 %) leaves the net no room for a second, lower threshold.

Loading takes about a second; it starts in a thread when bot.safety is imported, so it
is done before the first message. If it fails, the patterns alone check messages.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.svm import SVC

from bot.sentence_encoder import Encoder

logger = logging.getLogger(__name__)

STORED = Path(__file__).with_name("safety_model.npz")
LOAD_WAIT_SECONDS = 30.0


def classifier() -> SVC:
    """The classifier over embeddings, the same in training, cross-validation and use."""
    return SVC(C=10.0, kernel="rbf", class_weight="balanced")


@dataclass(frozen=True)
class Net:
    encoder: Encoder
    model: SVC
    alarm_at: float  # score from which the bot shows the resources

    def score(self, text: str) -> float:
        """How far ``text`` lies on the crisis side of the classifier's boundary."""
        return float(self.model.decision_function(self.encoder.embed([text]))[0])

    def alarms(self, text: str) -> bool:
        return self.score(text) >= self.alarm_at


def load(stored: Path = STORED) -> Net:
    with np.load(stored) as saved:
        model = classifier().fit(saved["embeddings"], saved["labels"])
        return Net(Encoder(), model, float(saved["alarm_at"]))


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

    def alarms(self, text: str) -> bool | None:
        """Whether the net reads ``text`` as crisis, or None when it is not available."""
        self.start()
        if not self.loaded.wait(max(0.0, self.ready_by - time.monotonic())) or self.net is None:
            return None
        try:
            return self.net.alarms(text)
        except Exception as error:  # the check never fails a message; the patterns ran
            logger.error("The crisis classifier failed on a message (%s)", type(error).__name__)
            return None


loader = Loader(load)
