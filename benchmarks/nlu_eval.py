"""``python -m benchmarks.nlu_eval``: how well the NLU understands people, and what it should not.

1. 5-fold cross-validation of our own NLU data (``rasa test nlu --cross-validation``).
2. CLINC150 (evaluation only, read from ../shared/eval-data): how many everyday requests
   the coach was not built for are taken as one of our action-taking intents.
3. GoEmotions (informational): how often the feel-it stage recognises a named feeling.

Writes ``data/nlu-eval.json``. The external data is never copied into the repository
and never used for training or tuning.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT, RASA_PROJECT
from bot.launcher import MODEL_DIR

EVAL_DATA = PROJECT_ROOT.parent / "shared" / "eval-data"
EVAL_REPORT = PROJECT_ROOT / "data" / "nlu-eval.json"
OOD_DEV = PROJECT_ROOT / "benchmarks" / "data" / "ood_dev.txt"
THRESHOLD_SWEEP = (0.5, 0.6, 0.7, 0.8, 0.9)

# Intents after which the bot does something (saves, starts a stage, deletes, …).
ACTION_INTENTS = (
    "report_rejection",
    "paste_rejection_email",
    "express_feeling",
    "self_blame",
    "request_followup",
    "share_feedback",
    "plan_next",
    "add_application",
    "start_journal",
    "export_journal",
    "set_checkin",
    "stop_checkin",
    "delete_data",
    "crisis",
)
# CLINC150 intents that are also ours (small talk and meta), so matching them is right.
CLINC_EXCLUDED = {
    "greeting": "greet",
    "goodbye": "goodbye",
    "thank_you": "thank",
    "yes": "affirm",
    "no": "deny",
    "maybe": "affirm/deny",
    "cancel": "skip",
    "are_you_a_bot": "bot_challenge",
    "who_made_you": "bot_challenge",
    "what_is_your_name": "bot_challenge",
    "who_do_you_work_for": "bot_challenge",
    "what_can_i_ask_you": "help",
}
# Our canonical emotion values (synonyms.yml) in GoEmotions' Ekman groups; the
# rest (numb, tired, jealous) have no clear group.
EKMAN_OF_EMOTION = {
    "angry": "anger",
    "frustrated": "anger",
    "sad": "sadness",
    "disappointed": "sadness",
    "hurt": "sadness",
    "hopeless": "sadness",
    "worthless": "sadness",
    "ashamed": "sadness",
    "anxious": "fear",
    "relieved": "joy",
    "confused": "surprise",
}
EXAMPLES = 20


def fallback_threshold(config: Path = RASA_PROJECT / "config.yml") -> float:
    """The FallbackClassifier's threshold in the NLU pipeline."""
    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    for component in pipeline:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    raise ValueError(f"no FallbackClassifier in {config}")


def latest_model(folder: Path = MODEL_DIR) -> Path:
    models = sorted(folder.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {folder}; run `make train`")
    return models[-1]


# Cross-validation


def cross_validation(folds: int, work: Path) -> dict:
    """``rasa test nlu --cross-validation`` on our NLU data; its macro-averaged F1."""
    out = work / "cv"
    log = work / "cv.log"
    start = time.monotonic()
    with log.open("wb") as output:
        code = subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa_server",  # Rasa's command line, with the folds seeded
                "test",
                "nlu",
                "--nlu",
                "data/nlu",
                "--config",
                "config.yml",
                "--cross-validation",
                "--folds",
                str(folds),
                "--out",
                str(out),
            ],
            cwd=RASA_PROJECT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
            stdout=output,
            stderr=subprocess.STDOUT,
        ).returncode
    seconds = round(time.monotonic() - start, 1)
    if code != 0:
        tail = log.read_text(errors="replace")[-2000:]
        return {"error": f"rasa test nlu exited with {code}", "log_tail": tail}
    intents = json.loads((out / "intent_report.json").read_text())
    result = {
        "folds": folds,
        "seconds": seconds,
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_weighted_f1": round(intents["weighted avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", float("nan")), 4),
        "per_intent_f1": per_label_f1(intents),
    }
    entity_report = out / "SavedCRFEntityExtractor_report.json"  # the learned entity tagger
    if entity_report.exists():
        entities = json.loads(entity_report.read_text())
        result["entity_macro_f1"] = round(entities["macro avg"]["f1-score"], 4)
        result["per_entity_f1"] = per_label_f1(entities)
    result["method"] = (
        f"cd rasa_project && python -m rasa_server test nlu --nlu data/nlu --config config.yml "
        f"--cross-validation --folds {folds} (the folds drawn with a fixed seed, the same every "
        "run): predictions on the held-out folds, pooled"
    )
    return result


def per_label_f1(report: dict) -> dict[str, float]:
    """F1 of each label of a sklearn-style report, worst first."""
    labels = {
        name: round(values["f1-score"], 3)
        for name, values in report.items()
        if isinstance(values, dict) and "f1-score" in values and not name.endswith(" avg")
    }
    return dict(sorted(labels.items(), key=lambda item: item[1]))


# Out-of-scope acceptance


def clinc_utterances(data: dict) -> list[tuple[str, str, str]]:
    """(text, CLINC intent, split) from ``test`` and ``oos_test``, less our overlapping ones."""
    return [
        (text, intent, split)
        for split in ("test", "oos_test")
        for text, intent in data[split]
        if intent not in CLINC_EXCLUDED
    ]


def accepted(prediction: dict, threshold: float) -> bool:
    """Whether the coach would act on this parse: one of our action intents, confidently."""
    intent = prediction.get("intent") or {}
    return intent.get("name") in ACTION_INTENTS and (intent.get("confidence") or 0) >= threshold


def false_accepts(
    items: Sequence[tuple[str, str, str]], predictions: Sequence[dict], threshold: float
) -> dict:
    """Share of CLINC utterances taken as ours, by our intent, by CLINC intent and split."""
    hits = [
        (item, prediction)
        for item, prediction in zip(items, predictions, strict=True)
        if accepted(prediction, threshold)
    ]
    per_split = Counter(split for _, _, split in items)
    hit_split = Counter(item[2] for item, _ in hits)
    return {
        "utterances": len(items),
        "false_accepts": len(hits),
        "false_accept_pct": round(100 * len(hits) / len(items), 2) if items else None,
        "by_split": {
            split: {
                "utterances": total,
                "false_accepts": hit_split[split],
                "pct": round(100 * hit_split[split] / total, 2),
            }
            for split, total in per_split.items()
        },
        "by_our_intent": dict(Counter(p["intent"]["name"] for _, p in hits).most_common()),
        "by_clinc_intent_top": dict(Counter(item[1] for item, _ in hits).most_common(15)),
        "predicted_intents": dict(
            Counter((p.get("intent") or {}).get("name") for p in predictions).most_common()
        ),
        "examples": [
            {
                "text": item[0],
                "clinc_intent": item[1],
                "predicted": prediction["intent"]["name"],
                "confidence": round(prediction["intent"]["confidence"], 3),
            }
            for item, prediction in most_confident(hits, EXAMPLES)
        ],
    }


def most_confident(hits: list[tuple[tuple, dict]], count: int) -> list[tuple[tuple, dict]]:
    """The most confident false accepts, at most one per CLINC intent."""
    chosen: dict[str, tuple[tuple, dict]] = {}
    for item, prediction in sorted(hits, key=lambda hit: -hit[1]["intent"]["confidence"]):
        chosen.setdefault(item[1], (item, prediction))
        if len(chosen) == count:
            break
    return list(chosen.values())


def ood_dev_lines(path: Path = OOD_DEV) -> list[str]:
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def ood_dev_acceptance(texts: Sequence[str], predictions: Sequence[dict], threshold: float) -> dict:
    """Our own out-of-domain development set: how much is taken as ours, per threshold.

    This set, not CLINC150, is what a fallback threshold may be chosen on."""
    taken = [p for p in predictions if accepted(p, threshold)]
    return {
        "lines": len(texts),
        "accepted": len(taken),
        "accepted_pct": round(100 * len(taken) / len(texts), 2),
        "by_our_intent": dict(Counter(p["intent"]["name"] for p in taken).most_common()),
        "accepted_pct_by_threshold": {
            str(level): round(100 * sum(accepted(p, level) for p in predictions) / len(texts), 2)
            for level in THRESHOLD_SWEEP
        },
        "method": f"{OOD_DEV.relative_to(PROJECT_ROOT)} (written by us, never trained on), "
        "parsed like CLINC150",
    }


# Emotions


def goemotions_items(folder: Path) -> list[tuple[str, str, str]]:
    """(text, emotion, Ekman group) of single-label, non-neutral test comments."""
    names = (folder / "emotions.txt").read_text().split()
    ekman = {
        emotion: group
        for group, emotions in json.loads((folder / "ekman_mapping.json").read_text()).items()
        for emotion in emotions
    }
    items = []
    with (folder / "test.tsv").open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            labels = row[1].split(",")
            if len(labels) == 1 and names[int(labels[0])] != "neutral":
                emotion = names[int(labels[0])]
                items.append((row[0], emotion, ekman.get(emotion, "")))
    return items


def emotion_recognition(
    items: Sequence[tuple[str, str, str]], predictions: Sequence[dict], threshold: float
) -> dict:
    """How often a feeling is recognised, and whether it lands in the right Ekman group."""
    feeling = entity = agree = mapped = 0
    by_group: dict[str, Counter] = {}
    for (_, _, group), prediction in zip(items, predictions, strict=True):
        intent = prediction.get("intent") or {}
        is_feeling = (
            intent.get("name") == "express_feeling" and intent.get("confidence", 0) >= threshold
        )
        values = [
            e.get("value") for e in prediction.get("entities", []) if e.get("entity") == "emotion"
        ]
        groups = {EKMAN_OF_EMOTION.get(str(value)) for value in values} - {None}
        feeling += is_feeling
        entity += bool(values)
        if groups:
            mapped += 1
            agree += group in groups
        counts = by_group.setdefault(group, Counter())
        counts["comments"] += 1
        counts["express_feeling"] += is_feeling
        counts["emotion_entity"] += bool(values)
    total = len(items)
    return {
        "comments": total,
        "express_feeling_pct": round(100 * feeling / total, 2) if total else None,
        "emotion_entity_pct": round(100 * entity / total, 2) if total else None,
        "entity_in_same_ekman_group_pct": round(100 * agree / mapped, 2) if mapped else None,
        "by_ekman_group": {
            group: {
                "comments": counts["comments"],
                "express_feeling_pct": round(
                    100 * counts["express_feeling"] / counts["comments"], 1
                ),
                "emotion_entity_pct": round(100 * counts["emotion_entity"] / counts["comments"], 1),
            }
            for group, counts in sorted(by_group.items())
        },
        "predicted_intents": dict(
            Counter((p.get("intent") or {}).get("name") for p in predictions).most_common(8)
        ),
    }


async def parse_all(model: Path, texts: Sequence[str]) -> tuple[list[dict], float]:
    """Parse every text with the trained model, loaded once in this process; also
    returns the seconds loading took."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    if str(RASA_PROJECT) not in sys.path:
        sys.path.insert(0, str(RASA_PROJECT))  # the pipeline's own intent classifier
    start = time.monotonic()
    agent = Agent.load(str(model))
    loaded = time.monotonic() - start
    return [await agent.parse_message(text) for text in texts], loaded


def external(threshold: float, model: Path, limit: int | None) -> dict:
    """CLINC150 and GoEmotions figures, or why they were skipped."""
    clinc_file = EVAL_DATA / "clinc150" / "data_full.json"
    emotions_dir = EVAL_DATA / "goemotions"
    result: dict[str, Any] = {
        "clinc150": {"skipped": f"{clinc_file} is absent"},
        "goemotions": {"skipped": f"{emotions_dir / 'test.tsv'} is absent"},
    }
    clinc = clinc_utterances(json.loads(clinc_file.read_text())) if clinc_file.exists() else []
    feelings = goemotions_items(emotions_dir) if (emotions_dir / "test.tsv").exists() else []
    clinc, feelings = clinc[:limit], feelings[:limit]
    own = ood_dev_lines()[:limit]
    texts = [text for text, *_ in clinc + feelings] + own
    start = time.monotonic()
    predictions, load_seconds = asyncio.run(parse_all(model, texts))
    seconds = time.monotonic() - start - load_seconds
    if clinc:
        result["clinc150"] = {
            **false_accepts(clinc, predictions[: len(clinc)], threshold),
            "threshold": threshold,
            "our_action_intents": list(ACTION_INTENTS),
            "excluded_clinc_intents": CLINC_EXCLUDED,
            "method": "keys test + oos_test of clinc150/data_full.json, less the CLINC intents "
            "that are also ours (excluded_clinc_intents, with the intent of ours they match); "
            "each parsed by the trained model in-process (rasa Agent); a false accept is a "
            "prediction of one of our action intents with confidence >= the "
            "FallbackClassifier threshold of config.yml",
        }
    result["ood_dev"] = ood_dev_acceptance(own, predictions[len(texts) - len(own) :], threshold)
    if feelings:
        result["goemotions"] = {
            **emotion_recognition(
                feelings, predictions[len(clinc) : len(clinc) + len(feelings)], threshold
            ),
            "method": "GoEmotions test comments with exactly one label other than neutral; "
            "express_feeling counted at confidence >= the fallback threshold; the emotion "
            "entity's value mapped to an Ekman group where one fits (informational: Reddit "
            "comments are not people naming their own feeling)",
        }
    result["model_load_seconds"] = round(load_seconds, 1)
    result["parse_seconds"] = round(seconds, 1)
    result["parses_per_s"] = round(len(predictions) / seconds, 1) if seconds else None
    return result


def previous_cross_validation(path: Path) -> dict:
    """The cross-validation of an earlier report, when this run skips it."""
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"skipped": "--skip-cv"}
    cv = old.get("cross_validation") or {}
    if "intent_macro_f1" not in cv:
        return {"skipped": "--skip-cv"}
    return {**cv, "carried_over_from": cv.get("carried_over_from") or old.get("generated_at")}


def summary(path: Path = EVAL_REPORT) -> dict:
    """The headline NLU figures of an earlier ``make eval``, for the benchmark report."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"missing": f"{path} not found; run `make eval`"}
    clinc = data.get("clinc150") or {}
    own = data.get("ood_dev") or {}
    cv = data.get("cross_validation") or {}
    emotions = data.get("goemotions") or {}
    return {
        "from": str(path),
        "generated_at": data.get("generated_at"),
        "model": data.get("model"),
        "model_modified": data.get("model_modified"),
        "cross_validation": {
            key: cv.get(key)
            for key in (
                "folds",
                "intent_macro_f1",
                "intent_weighted_f1",
                "entity_macro_f1",
                "carried_over_from",
            )
            if key in cv
        }
        if "intent_macro_f1" in cv
        else cv,
        "clinc150": {
            key: clinc.get(key)
            for key in ("false_accept_pct", "utterances", "threshold", "by_our_intent")
        }
        if "false_accept_pct" in clinc
        else clinc,
        "ood_dev": {key: own.get(key) for key in ("lines", "accepted_pct") if key in own},
        "goemotions": {
            key: emotions.get(key)
            for key in ("comments", "express_feeling_pct", "emotion_entity_pct")
        }
        if "comments" in emotions
        else emotions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nlu_eval", description=__doc__)
    parser.add_argument("--skip-cv", action="store_true", help="only CLINC150 and GoEmotions")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, help="parse at most this many of each data set")
    parser.add_argument("--out", type=Path, default=EVAL_REPORT)
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=UserWarning)  # Rasa's notes on the domain

    model = latest_model()
    threshold = fallback_threshold()
    report: dict[str, Any] = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model": model.name,
        "model_modified": datetime.fromtimestamp(model.stat().st_mtime, timezone.utc).isoformat(
            timespec="seconds"
        ),
        "fallback_threshold": threshold,
    }
    if args.skip_cv:
        report["cross_validation"] = previous_cross_validation(args.out)
    else:
        print(f"{args.folds}-fold cross-validation (trains {args.folds} models) …", flush=True)
        with tempfile.TemporaryDirectory(prefix="nlu-eval-") as work:
            report["cross_validation"] = cross_validation(args.folds, Path(work))
    print("parsing CLINC150, GoEmotions and our OOD dev set with the trained model …", flush=True)
    report.update(external(threshold, model, args.limit))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary(args.out), indent=2))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
