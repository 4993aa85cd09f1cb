"""Build bot/safety_model.npz for the crisis check's learned net: `python -m bot.safety_train`.

It stores the embedding and label of every tuning line (tests/data) and of every NLU
training example (rasa_project/data/nlu: the ``crisis`` intent against all others, so
ordinary coaching talk stays quiet) with the sentences of the harmless ones, the
embeddings of each tuning line's pieces (its sentences, as a message is read), and two
thresholds chosen by cross-validation over the tuning lines, one file held out at a time
(so no file's lines are in the fit and the test at once): the score from which the net
asks, where the whole check (the patterns' own false alarms included) alarms on at most
1 % of the harmless lines, and the score that at most 1 in 400 reach, from which it shows
the resources at once. The held-out set (safety_holdout_5.yml) is never read here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import LeaveOneGroupOut

from bot import safety_model
from bot.safety import Verdict, combine, pattern_verdict, without_idioms
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
    "safety_phrases_round_4.yml",
    "safety_phrases_from_holdout_4.yml",
    "safety_phrases_round_5.yml",
)
LABELS = ("crisis", "not_crisis", "ambiguous")
ASK_FALSE_ALARMS = 0.01  # the budget for any alarm
ALARM_FALSE_ALARMS = 0.0025


def tuning_files() -> list[dict[str, list[str]]]:
    return [yaml.safe_load((DATA / name).read_text()) for name in TUNING_FILES]


def tuning_lines() -> dict[str, list[str]]:
    """Every tuning line by label."""
    loaded = tuning_files()
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
class TuningSet:
    texts: list[str]
    labels: np.ndarray  # 1 for crisis, 0 for a harmless line
    files: np.ndarray  # which tuning file each line is from


@dataclass(frozen=True)
class Embedded:
    lines: np.ndarray  # each tuning line, whole
    pieces: np.ndarray  # every piece of every tuning line (safety_model.pieces)
    owners: np.ndarray  # the tuning line each piece is from


@dataclass(frozen=True)
class CrossValidated:
    tuning: TuningSet
    scores: np.ndarray  # each line's score from a net fitted without its file
    thresholds: safety_model.Thresholds

    def readings(self) -> list[safety_model.Reading]:
        return [self.thresholds.reading(score) for score in self.scores]

    def verdicts(self) -> np.ndarray:
        """The patterns and the out-of-fold net together."""
        return np.array(
            [
                combine(pattern_verdict(text), reading)
                for text, reading in zip(self.tuning.texts, self.readings(), strict=True)
            ]
        )

    def net_recall(self) -> float:
        """Share of crisis lines the net alone reads as crisis or asks about."""
        return float((self.scores >= self.thresholds.ask_at)[self.tuning.labels == 1].mean())

    def net_false_alarms(self) -> float:
        return float((self.scores >= self.thresholds.ask_at)[self.tuning.labels == 0].mean())

    def recall(self, asks: bool = False) -> float:
        """Share of crisis lines given the resources at once (CRISIS), or with ``asks``
        also those asked about (UNSURE: the resources beside the question)."""
        caught = {Verdict.CRISIS, Verdict.UNSURE} if asks else {Verdict.CRISIS}
        return float(np.isin(self.verdicts()[self.tuning.labels == 1], list(caught)).mean())

    def false_alarms(self) -> float:
        """Share of harmless lines that raised an alarm (CRISIS or UNSURE)."""
        return float((self.verdicts()[self.tuning.labels == 0] != Verdict.SAFE).mean())

    def by_file(self) -> list[tuple[str, int, int, int, int, int]]:
        """(file, crisis lines, CRISIS, CRISIS or UNSURE, harmless lines, alarms) per file."""
        verdicts = self.verdicts()
        rows = []
        for index, name in enumerate(TUNING_FILES):
            crisis = (self.tuning.files == index) & (self.tuning.labels == 1)
            harmless = (self.tuning.files == index) & (self.tuning.labels == 0)
            rows.append(
                (
                    name,
                    int(crisis.sum()),
                    int((verdicts[crisis] == Verdict.CRISIS).sum()),
                    int((verdicts[crisis] != Verdict.SAFE).sum()),
                    int(harmless.sum()),
                    int((verdicts[harmless] != Verdict.SAFE).sum()),
                )
            )
        return rows


def cross_validate(
    tuning: TuningSet, embedded: Embedded, always: tuple[np.ndarray, np.ndarray]
) -> CrossValidated:
    """Scores each tuning line (its most worrying piece) with a net fitted without its
    file (``always`` is in every fit), then puts the thresholds where the whole check
    (the patterns' own false alarms included) alarms on at most 1 % of the harmless lines
    and the net shows the resources at once on at most 1 in 400. Only lines the patterns
    leave as SAFE are scored against the thresholds: the net does not read the others."""
    scores = np.zeros(len(tuning.labels))
    for fit, held in LeaveOneGroupOut().split(embedded.lines, tuning.labels, tuning.files):
        in_fit = np.isin(embedded.owners, fit)
        extra = safety_model.harmless_pieces(
            embedded.pieces[in_fit], embedded.owners[in_fit], tuning.labels
        )
        model = safety_model.classifier().fit(
            np.vstack([embedded.lines[fit], extra, always[0]]),
            np.concatenate([tuning.labels[fit], np.zeros(len(extra), int), always[1]]),
        )
        in_held = np.isin(embedded.owners, held)
        piece_scores = model.decision_function(embedded.pieces[in_held])
        for line in held:
            scores[line] = piece_scores[embedded.owners[in_held] == line].max()
    harmless = tuning.labels == 0
    verdicts = [pattern_verdict(text) for text in tuning.texts]
    read = np.array([verdict is Verdict.SAFE for verdict in verdicts])
    pattern_alarms = int((harmless & ~read & np.array([v is not None for v in verdicts])).sum())
    quiet = scores[harmless & read]
    # The budget is the whole check's: the patterns' own false alarms come out of it.
    ask_allowed = max(0, int(ASK_FALSE_ALARMS * harmless.sum()) - pattern_alarms)
    thresholds = safety_model.Thresholds(
        ask_at=threshold(quiet, ask_allowed),
        alarm_at=threshold(quiet, min(ask_allowed, int(ALARM_FALSE_ALARMS * harmless.sum()))),
    )
    return CrossValidated(tuning, scores, thresholds)


def embed_lines(texts: list[str]) -> Embedded:
    """Each line's pieces in one batch, exactly as the check embeds a message."""
    encoder = Encoder()
    lines, pieces, owners = [], [], []
    for index, text in enumerate(texts):
        embedded = safety_model.embed_pieces(encoder, without_idioms(text))
        lines.append(embedded[0])
        pieces.append(embedded)
        owners += [index] * len(embedded)
    return Embedded(np.vstack(lines), np.vstack(pieces), np.array(owners))


def tuning_set() -> TuningSet:
    texts, labels, files = [], [], []
    for index, lines in enumerate(tuning_files()):
        for label, value in (("crisis", 1), ("not_crisis", 0)):
            texts += lines.get(label, [])
            labels += [value] * len(lines.get(label, []))
            files += [index] * len(lines.get(label, []))
    return TuningSet(texts, np.array(labels), np.array(files))


def training_lines() -> tuple[TuningSet, list[str], np.ndarray]:
    """The tuning lines, and the NLU examples with labels (1 for crisis)."""
    examples = nlu_examples()
    return (
        tuning_set(),
        [text for _, text in examples],
        np.array([int(intent == "crisis") for intent, _ in examples]),
    )


def fingerprint(texts: list[str], labels: np.ndarray) -> str:
    """Which lines a stored net was built from."""
    return hashlib.sha256(repr((texts, labels.tolist())).encode()).hexdigest()


def current_fingerprint() -> str:
    tuning, nlu_texts, nlu_labels = training_lines()
    return fingerprint(tuning.texts + nlu_texts, np.concatenate([tuning.labels, nlu_labels]))


def build(stored: Path = safety_model.STORED) -> CrossValidated:
    tuning, nlu_texts, nlu_labels = training_lines()
    embedded, nlu = embed_lines(tuning.texts), embed_lines(nlu_texts)
    # The NLU examples, whole, and the sentences of those outside ``crisis``: in every fit.
    nlu_sentences = safety_model.harmless_pieces(nlu.pieces, nlu.owners, nlu_labels)
    always = (
        np.vstack([nlu.lines, nlu_sentences]),
        np.concatenate([nlu_labels, np.zeros(len(nlu_sentences), int)]),
    )
    checked = cross_validate(tuning, embedded, always)
    np.savez(
        stored,
        embeddings=np.vstack([embedded.lines, always[0]]),
        labels=np.concatenate([tuning.labels, always[1]]),
        pieces=embedded.pieces,
        owners=embedded.owners,
        ask_at=checked.thresholds.ask_at,
        alarm_at=checked.thresholds.alarm_at,
        built_from=current_fingerprint(),
    )
    return checked


def stored_fingerprint(stored: Path = safety_model.STORED) -> str:
    with np.load(stored) as saved:
        return str(saved["built_from"])


def cross_validate_stored(stored: Path = safety_model.STORED) -> CrossValidated:
    """The cross-validation again, from the stored embeddings (no encoding)."""
    tuning, _, _ = training_lines()
    with np.load(stored) as saved:
        embeddings, labels = saved["embeddings"], saved["labels"]
        pieces, owners = saved["pieces"], saved["owners"]
    n = len(tuning.texts)
    embedded = Embedded(embeddings[:n], pieces, owners)
    return cross_validate(tuning, embedded, (embeddings[n:], labels[n:]))


def main() -> None:
    checked = build()
    harmless = int((checked.tuning.labels == 0).sum())
    print(
        f"Wrote {safety_model.STORED}. Cross-validated on the tuning side, one file held out "
        f"at a time ({int(checked.tuning.labels.sum())} crisis lines, {harmless} harmless): the "
        f"net alone catches {checked.net_recall():.1%} with {checked.net_false_alarms():.1%} "
        f"false alarms; with the patterns (tuned on these same lines) {checked.recall():.1%} "
        f"get the resources at once, {checked.recall(asks=True):.1%} with the question, and "
        f"{checked.false_alarms():.1%} false alarms."
    )
    for name, crisis, alarmed, asked, harmless_lines, alarms in checked.by_file():
        print(
            f"  {name}: {alarmed}/{crisis} crisis lines alarm, {asked}/{crisis} with the "
            f"question; {alarms}/{harmless_lines} false alarms"
        )


if __name__ == "__main__":
    main()
