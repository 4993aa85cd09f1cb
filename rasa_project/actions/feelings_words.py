"""Naming feelings: every way our training data says one, mapped to its canonical word."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"


@lru_cache(maxsize=1)
def emotion_words() -> dict[str, str]:
    """Every way of naming a feeling in our training data -> its canonical name.

    Read from the NLU synonyms, so the model and this lookup never disagree.
    """
    from rasa.shared.nlu.training_data.loading import load_data

    training = load_data(str(NLU_DATA))
    canonical = {  # synonyms of other entities ("applied" -> screening) are not feelings
        entity["value"]
        for example in training.entity_examples
        for entity in example.get("entities", [])
        if entity["entity"] == "emotion"
    }
    words = {value.lower(): value for value in canonical}
    words.update(
        {
            variant.lower(): value
            for variant, value in training.entity_synonyms.items()
            if value in canonical
        }
    )
    return words


def canonical_emotion(text: str, entity: str | None = None) -> str | None:
    """The feeling named in ``text``: the last one named ("meh. sad", "angry, no,
    embarrassed" -> the correction), then the tagger's entity, then, in a short answer,
    a close misspelling."""
    words = emotion_words()
    lowered = text.lower()
    phrases = sorted(words, key=len, reverse=True)
    taken = [False] * len(lowered)
    found: list[tuple[int, str]] = []
    for phrase in phrases:  # longest first: "not bad" before "bad"
        for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            if not any(taken[match.start() : match.end()]):
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                found.append((match.start(), words[phrase]))
    if found:
        return max(found)[1]
    if entity and entity.lower() in words:
        return words[entity.lower()]
    if len(lowered.split()) > 4:  # in a long message, "bank" is not a misspelt "blank"
        return None
    for token in re.findall(r"[a-z']{4,}", lowered):
        close = difflib.get_close_matches(token, phrases, n=1, cutoff=0.8)
        if close:
            return words[close[0]]
    return None
