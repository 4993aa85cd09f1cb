"""Is this message an answer at all? A form never stores one that is not.

"yes" is not a thought, "bye" is not a date, "🙃" or "x" is not a company.
The intent gate (the forms' ``ignored_intents``) keeps requests and questions
away from the slots; this is the second gate, on the words themselves.
"""

from __future__ import annotations

import re

NON_ANSWERS = {
    # assent, refusal, hedges with nothing in them
    "yes",
    "yeah",
    "yea",
    "yep",
    "yup",
    "ya",
    "y",
    "sure",
    "ok",
    "okay",
    "k",
    "kk",
    "fine",
    "alright",
    "no",
    "nope",
    "nah",
    "n",
    "maybe",
    "perhaps",
    "idk",
    "dunno",
    "i dunno",
    "i don't know",
    "i dont know",
    "don't know",
    "dont know",
    "no idea",
    "not sure",
    "unsure",
    "hmm",
    "hm",
    "um",
    "umm",
    "uh",
    "eh",
    "meh",
    "what",
    "huh",
    "why",
    "lol",
    "haha",
    "ugh",
    "idc",
    "whatever",
    "w/e",
    "nothing",
    "none",
    "not important",
    "complicated",
    "private",
    "a secret",
    "secret",
    "doesn't matter",
    "doesnt matter",
    "not saying",
    "rather not say",
    "n/a",
    "na",
    "skip",
    "pass",
    # greetings, thanks and goodbyes
    "hi",
    "hey",
    "hello",
    "hiya",
    "yo",
    "thanks",
    "thank you",
    "thx",
    "ty",
    "cheers",
    "bye",
    "goodbye",
    "bye bye",
    "see ya",
    "see you",
    "cya",
    "later",
    "good night",
    "goodnight",
    "night",
    "gn",
    "ttyl",
    "gotta go",
    "i have to go",
    "i need to go",
    "stop",
    "cancel",
    "done",
    "never mind",
    "nevermind",
    "nvm",
}
_FILLER = re.compile(r"^(?:(?:um+|uh+|well|so|oh|ah|erm|like|just|ok(?:ay)?|yeah|no)[\s,.]+)+")


def _normalise(text: str) -> str:
    lowered = text.lower().replace("’", "'").strip()
    lowered = re.sub(r"[\s.!?,;:~]+$", "", lowered)
    return re.sub(r"\s+", " ", lowered)


def is_non_answer(text: str | None) -> bool:
    """True for text that answers nothing: assent, a greeting, an emoji, a lone letter."""
    if text is None:
        return True
    value = _normalise(text)
    if not re.search(r"[^\W_]", value):  # emoji, punctuation, nothing
        return True
    if len(re.sub(r"[\W_]", "", value)) <= 1 and not value.isdigit():
        return True
    return value in NON_ANSWERS or _FILLER.sub("", value) in NON_ANSWERS


_QUESTION = re.compile(
    r"^(?:why|what|how|who|which|where|when|do|does|did|is|are|can|could|should|would|will|"
    r"wdym|huh)\b[^?]*\?|"
    # typed without the mark: "what does 0 even mean here"
    r"^(?:why|what|how|wdym)\s+(?:does|do|did|should|would|can|could)\s+(?!i\b)",
    re.IGNORECASE,
)


def is_question(text: str | None) -> bool:
    """A question back ("why do you need that?") rather than an answer."""
    return bool(text and _QUESTION.match(text.strip()))


# Words of talk, not of names: "actually cant be bothered", "why does it matter".
CHAT = re.compile(
    r"\b(?:actually|cant|can't|cannot|bothered|don'?t|dont|know|think|guess|whatever|bye|"
    r"thanks|sorry|why|need|matter|cares|idk|dunno|lol|ugh|honestly|tbh|seriously|really|"
    r"feel|feeling|felt|i'?m|im|you|your|me|my|was|were|is|are|it'?s)\b",
    re.IGNORECASE,
)


def is_name(text: str | None) -> bool:
    """Could this be the name of a company, a role or a person? ("email them?" is not)."""
    if not text or is_non_answer(text) or text.strip().endswith("?"):
        return False
    if CHAT.search(text):
        return False
    return not re.fullmatch(r"[\d\s.,/-]+", text.strip())  # "7" answers a rating
