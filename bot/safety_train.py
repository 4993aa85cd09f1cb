"""Build bot/safety_model.npz for the crisis check's learned net: `python -m bot.safety_train`.

It stores the embedding and label of every tuning line (tests/data) and of every NLU
training example (rasa_project/data/nlu: the ``crisis`` intent against all others, so
ordinary coaching talk stays quiet), and the threshold chosen by 10-fold
cross-validation over the tuning lines: the classifier's score that at most 1 % of the
harmless tuning lines reach. The held-out set (safety_holdout_4.yml) is never read here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from bot import safety_model
from bot.safety import Verdict, combine, normalise, pattern_verdict
from bot.sentence_encoder import Encoder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
NLU = ROOT / "rasa_project" / "data" / "nlu"
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
TUNING_FILES = (
    "safety_phrases.yml",
    "safety_phrases_from_holdout_1.yml",
    "safety_holdout_2.yml",
    "safety_phrases_round_3.yml",
    "safety_phrases_from_holdout_3.yml",
)
LABELS = ("crisis", "not_crisis", "ambiguous")
FALSE_ALARMS = 0.01


def tuning_lines() -> dict[str, list[str]]:
    """Every tuning line by label."""
    loaded = [yaml.safe_load((DATA / name).read_text()) for name in TUNING_FILES]
    return {label: [text for lines in loaded for text in lines.get(label, [])] for label in LABELS}


def nlu_examples() -> list[tuple[str, str]]:
    """(intent, text) for every NLU training example, entity markup removed."""
    examples = []
    for path in sorted(NLU.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            for line in block.get("examples", "").splitlines() if "intent" in block else ():
                examples.append((block["intent"], ENTITY_MARKUP.sub(r"\1", line.strip()[2:])))
    return examples


def threshold(scores: np.ndarray, allowed: int) -> float:
    """The lowest score that at most ``allowed`` of ``scores`` reach."""
    ranked = np.sort(scores)[::-1]
    return float(np.nextafter(ranked[allowed], np.inf)) if allowed < len(ranked) else -np.inf


@dataclass(frozen=True)
class CrossValidated:
    texts: list[str]
    labels: np.ndarray  # 1 for crisis, 0 for a harmless line
    scores: np.ndarray  # each line's score from a net fitted without its fold
    alarm_at: float

    def net_alarms(self) -> np.ndarray:
        """Where the net alone would alarm, whatever the patterns say."""
        return self.scores >= self.alarm_at

    def verdicts(self) -> np.ndarray:
        """The patterns and the out-of-fold net together."""
        return np.array(
            [
                combine(pattern_verdict(text), bool(alarm))
                for text, alarm in zip(self.texts, self.net_alarms(), strict=True)
            ]
        )

    def net_recall(self) -> float:
        return float(self.net_alarms()[self.labels == 1].mean())

    def net_false_alarms(self) -> float:
        return float(self.net_alarms()[self.labels == 0].mean())

    def recall(self) -> float:
        """Share of crisis lines given the resources at once (CRISIS)."""
        return float((self.verdicts()[self.labels == 1] == Verdict.CRISIS).mean())

    def false_alarms(self) -> float:
        """Share of harmless lines that raised an alarm (CRISIS or UNSURE)."""
        return float((self.verdicts()[self.labels == 0] != Verdict.SAFE).mean())


def cross_validate(
    texts: list[str],
    labels: np.ndarray,
    embeddings: np.ndarray,
    always: tuple[np.ndarray, np.ndarray],
) -> CrossValidated:
    """Scores each tuning line with a net fitted without its fold (``always`` is in every
    fit), then puts the threshold where the net alarms on at most 1 % of the harmless
    lines. Only lines the patterns leave as SAFE count: the net never reads the others."""
    scores = np.zeros(len(labels))
    folds = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
    for fit, held in folds.split(embeddings, labels):
        model = safety_model.classifier().fit(
            np.vstack([embeddings[fit], always[0]]), np.concatenate([labels[fit], always[1]])
        )
        scores[held] = model.decision_function(embeddings[held])
    harmless = labels == 0
    read = np.array([pattern_verdict(text) is Verdict.SAFE for text in texts])
    alarm_at = threshold(scores[harmless & read], int(FALSE_ALARMS * harmless.sum()))
    return CrossValidated(texts, labels, scores, alarm_at)


def embed(texts: list[str]) -> np.ndarray:
    """One at a time, exactly as a message is embedded."""
    encoder = Encoder()
    return np.vstack([encoder.embed([normalise(text)]) for text in texts])


def training_lines() -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """The tuning lines and the NLU examples, each with labels (1 for crisis)."""
    lines = tuning_lines()
    texts = lines["crisis"] + lines["not_crisis"]
    labels = np.array([1] * len(lines["crisis"]) + [0] * len(lines["not_crisis"]))
    examples = nlu_examples()
    return (
        texts,
        labels,
        [text for _, text in examples],
        np.array([int(intent == "crisis") for intent, _ in examples]),
    )


def fingerprint(texts: list[str], labels: np.ndarray) -> str:
    """Which lines a stored net was built from."""
    return hashlib.sha256(repr((texts, labels.tolist())).encode()).hexdigest()


def build(stored: Path = safety_model.STORED) -> CrossValidated:
    texts, labels, nlu_texts, nlu_labels = training_lines()
    embeddings, nlu = embed(texts), embed(nlu_texts)
    checked = cross_validate(texts, labels, embeddings, (nlu, nlu_labels))
    np.savez(
        stored,
        embeddings=np.vstack([embeddings, nlu]),
        labels=np.concatenate([labels, nlu_labels]),
        alarm_at=checked.alarm_at,
        built_from=fingerprint(texts + nlu_texts, np.concatenate([labels, nlu_labels])),
    )
    return checked


def stored_fingerprint(stored: Path = safety_model.STORED) -> str:
    with np.load(stored) as saved:
        return str(saved["built_from"])


def cross_validate_stored(stored: Path = safety_model.STORED) -> CrossValidated:
    """The cross-validation again, from the stored embeddings (no encoding)."""
    texts, labels, _, _ = training_lines()
    with np.load(stored) as saved:
        embeddings, all_labels = saved["embeddings"], saved["labels"]
    n = len(texts)
    return cross_validate(texts, labels, embeddings[:n], (embeddings[n:], all_labels[n:]))


def main() -> None:
    checked = build()
    print(
        f"Wrote {safety_model.STORED}. Cross-validated on the tuning side "
        f"({int(checked.labels.sum())} crisis lines, {int((checked.labels == 0).sum())} harmless): "
        f"the net alone catches {checked.net_recall():.1%} with {checked.net_false_alarms():.1%} "
        f"false alarms; with the patterns (tuned on these same lines) {checked.recall():.1%} "
        f"and {checked.false_alarms():.1%}."
    )


if __name__ == "__main__":
    main()
