"""Naming feelings: every way our training data says one, mapped to its canonical word."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"


# Feelings of their own, kept in the person's word rather than its nearest canonical
# one: "embarrassed" is not "ashamed", "annoyed" not quite "frustrated". Misspellings
# and slang ("embarassed", "gutted") still map to the canonical name.
KEPT_AS_SAID = frozenset(
    {
        "embarrassed",
        "annoyed",
        "lost",
        "worried",
        "scared",
        "stressed",
        "nervous",
        "humiliated",
        "irritated",
        "discouraged",
        "deflated",
        "bitter",
        "betrayed",
        "overwhelmed",
        "exhausted",
        "shocked",
    }
)
# "more sad than angry", "hurt mostly. and tired": the one they put first.
FIRST_OF_TWO = re.compile(
    r"\b(?:more|mostly|mainly)\s+(?P<feeling>[a-z']+)|\b(?P<then>[a-z']+)\s+(?:mostly|mainly)\b"
)


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
            variant.lower(): variant.lower() if variant.lower() in KEPT_AS_SAID else value
            for variant, value in training.entity_synonyms.items()
            if value in canonical
        }
    )
    return words


MANY = 3  # feelings named at once that make a mix
REPORTED = re.compile(r"\b(?:got|get|gets|getting|been|being|was|were|just|am|i'?m|im)\s+$")


def emotions_named(text: str) -> list[str]:
    """Each feeling named, in order, as its canonical word."""
    words = emotion_words()
    lowered = text.lower()
    taken = [False] * len(lowered)
    found: list[tuple[int, str]] = []
    for phrase in sorted(words, key=len, reverse=True):  # longest first: "not bad" first
        for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            if words[phrase] == "hurt" and REPORTED.search(lowered[: match.start()]):
                continue  # "got rejected again" tells what happened, not how it feels
            if not any(taken[match.start() : match.end()]):
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                found.append((match.start(), words[phrase]))
    return [feeling for _, feeling in sorted(found)]


def canonical_emotion(text: str, entity: str | None = None) -> str | None:
    """The feeling named in ``text``: the last one named ("meh. sad", "angry, no,
    embarrassed" -> the correction), or a mix when three or more are; then the tagger's
    entity, then, in a short answer, a close misspelling."""
    words = emotion_words()
    lowered = text.lower()
    for first in FIRST_OF_TWO.finditer(lowered):
        feeling = first.group("feeling") or first.group("then")
        if feeling in words:
            return words[feeling]
    found = emotions_named(lowered)
    if len(set(found)) >= MANY:  # "like everything at once. sad angry scared"
        return "mixed"
    if found:
        return found[-1]
    if entity and entity.lower() in words:
        return words[entity.lower()]
    if len(lowered.split()) > 4:  # in a long message, "bank" is not a misspelt "blank"
        return None
    for token in re.findall(r"[a-z']{4,}", lowered):
        close = difflib.get_close_matches(token, list(words), n=1, cutoff=0.8)
        if close:
            return words[close[0]]
    return None
