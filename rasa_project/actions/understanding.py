"""Everything one message answers, for the form that is open and the ones ahead.

People say more than they are asked ("got turned down by acme labs for the
junior analyst role after the phone screen, gutted, like a 7"). The CRF's
entities come first; where it finds nothing, a few phrase patterns read names
that follow "at/by/with/from" or precede "role/position", in any case.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from rasa_sdk import Tracker

from actions.answers import is_name, is_non_answer
from actions.common import latest_entity, latest_intent, user_text
from actions.feelings_words import canonical_emotion
from actions.parsing import clean_name, parse_stage
from bot import spoken

# Words that end a name read from free text ("by acme labs after the call").
_STOP = (
    r"for|as|after|before|because|but|and|so|since|when|who|which|that|today|tonight|"
    r"yesterday|tomorrow|tmrw|this|last|on|in|again|either|though|tho|lol|haha|smh|ugh|today's|"
    r"about|over|via|through|which|where|yet|too|now|rn|tbh|ngl|fml|idk|i|im|i'm|it|its|"
    r"it's|they|their|we|me|my|or|nor|if|then|than|with|without|at|by|from|to|of|the|"
    r"role|job|position|post|opening|internship|interview|round|stage|screen|call|email|"
    r"went|is|was|were|are|said|says|rejected|turned|ghosted|sent|got|replied|did|does|"
    r"didn't|never|has|have|had|gave|told|wants|wanted|called|emailed|decided|chose|picked|"
    r"gone|lol"
)
_NAME_WORD = r"[\w&'’+-]+(?:\.[\w&'’+-]+)*"  # "booking.com", but not "hellofresh."
_NAME = rf"(?:(?!(?:{_STOP})\b){_NAME_WORD})(?:[ \t]+(?!(?:{_STOP})\b){_NAME_WORD}){{0,3}}"
NOT_A_COMPANY = {
    "them",
    "him",
    "her",
    "me",
    "us",
    "you",
    "work",
    "home",
    "all",
    "least",
    "first",
    "last",
    "once",
    "a startup",
    "a company",
    "the company",
    "a recruiter",
    "the recruiter",
    "email",
    "phone",
    "hr",
    "linkedin",
    "lunch",
    "night",
    "dinner",
    "back",
    "hi",
    "hey",
    "hello",
    "again",
    "we",
    "they",
    "i",
    "no",
    "not",
    "nope",
    "no luck",
}
# "the X trust" is a name even with "the" before it ("no from the nhs trust").
_ORG_NOUN = (
    r"(?:trust|council|museum|bank|group|agency|university|college|association|foundation|"
    r"ministry|department|hospital|library|school|institute|society|charity|authority|"
    r"gallery|theatre|company|partnership|federation|commission|service)"
)
COMPANY_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b(?:rejected|turned\s+down|ghosted|dumped|declined|binned|refused)\s+(?:me\s+)?"
        rf"(?:by|from|at)\s+(?P<name>{_NAME})",
        rf"\b(?:applied|application|apply)\s+(?:to|at|with)\s+(?P<name>(?!the\b|a\b|an\b){_NAME})",
        rf"\b(?:interview(?:ed|ing)?|final|onsite|screen)\s+(?:at|with|for)\s+"
        rf"(?P<name>(?!the\b|a\b|an\b){_NAME})",
        rf"\b(?:no|rejection|email|news|call|letter|message|answer|reply|response|one|was|came)"
        rf"\s+from\s+(?P<name>{_NAME})",
        rf"\b(?:from|by|at|with|to)\s+the\s+(?P<name>(?:{_NAME_WORD}\s+){{1,3}}{_ORG_NOUN})\b",
        rf"\b(?:no|one|rejection|rejected)?,?\s*from\s+the\s+(?P<name>{_ORG_NOUN})\b",
        rf"\b(?:sent|send|sending|submitted|submitting)\s+(?:one|it|an?\s+application|my\s+"
        rf"(?:cv|resume|application))?\s*(?:off\s+)?(?:to|at)\s+(?P<name>{_NAME})",
        # "it was Hoffmann Logistik GmbH": a name that ends like a company's
        rf"\b(?:it\s+was|it'?s|its)\s+(?:at\s+|with\s+)?(?P<name>(?:{_NAME_WORD}\s+){{0,3}}"
        rf"(?:gmbh|ltd|limited|plc|inc|llc|ag|labs?|group|logisti[ck]s?|bank|trust|council))\b",
        rf"\b(?:company|employer|firm|organisation|organization)(?:'s|\s+name)?\s+"
        rf"(?:is|was|:|=)\s+(?P<name>{_NAME})",
        rf"(?:^|[.!?;:]\s+)(?:(?:so|well|ok|okay|and|but|update|um|welp|right)[,:]?\s+)?"
        rf"(?P<name>{_NAME})\s+(?:rejected|rang|phoned|called|wrote|came\s+back|"
        rf"turned\s+(?:me\s+)?down|ghosted|said\s+no|"
        rf"passed|dropped|binned|declined|didn'?t\s+(?:pick|choose|want|take|hire)|"
        rf"went\s+with|won'?t\s+be|aren'?t|are\s+not|is\s+not|isn'?t|have\s+decided|"
        rf"decided|replied|emailed|got\s+back)\b",
        rf"\b(?:heard\s+back\s+from|back\s+from|at|with|by)\s+"
        rf"(?!(?:least|all|once|first)\b)(?P<name>{_NAME})",
        # "another one for the collection 🙃 ibm this time"
        rf"(?:^|[^\w\s]\s*)(?P<name>(?:(?!(?:{_STOP})\b){_NAME_WORD})(?:\s+(?!(?:{_STOP})\b)"
        rf"{_NAME_WORD})?)\s+this\s+time\b",
    )
)
_ROLE_WORDS = (
    r"(?:manager|engineer|eng|developer|dev|analyst|designer|scientist|intern|internship|"
    r"associate|consultant|assistant|officer|coordinator|specialist|lead|director|writer|"
    r"editor|producer|researcher|accountant|nurse|teacher|architect|administrator|executive|"
    r"rep|representative|swe|sre|pm|handler|journalist|technician|programmer|trainee|"
    r"graduate|apprentice|advis[oe]r|agent|clerk|cashier|barista|chef|planner|strategist|"
    r"marketer|recruiter|tester|qa|partner|head|vp|cook|driver|operative|worker|controller|"
    r"auditor|lawyer|paralegal|solicitor|pharmacist|therapist|copywriter|buyer|merchandiser|"
    r"scheme|programme|program|mod|moderator|exec|crew|attendant|steward|stewardess|admin|"
    r"receptionist|secretary)s?"
)
ROLE_NOUNS = re.compile(rf"\b{_ROLE_WORDS}$", re.IGNORECASE)
_ROLE_NOUN = r"(?:role|position|job|post|opening|internship|grad\s+scheme|vacancy|gig)"
ROLE_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(?P<name>(?:junior|jr|senior|sr|graduate|grad|lead|principal|staff|head\s+of|"
        r"trainee|associate|assistant|entry[- ]level)\s+[\w/&+#-]+(?:\s+(?!(?:at|with|for|in|"
        r"after|before|role|position|job|and|but|because|this|that|today|tonight|tomorrow|"
        r"yesterday|on|last|next|earlier|already|so|i)\b)[\w/&+#-]+){0,2})",
        r"\b(?:job|role|position|post)\s+(?:of|as)\s+(?:an?\s+)?"
        r"(?P<name>[\w/&+#-]+(?:\s+[\w/&+#-]+){0,3}?)"
        r"(?=\s*(?:[,.;!?]|$|\s+(?:at|with|and|after|before|in|but)\b))",
        r"\b(?:job|role|position|title|post)\s+(?:is|was|:|=)\s+(?:an?\s+|the\s+)?"
        r"(?P<name>[\w/&+#-]+(?:\s+[\w/&+#-]+){0,4}?)(?=\s*(?:[,.;!?]|$|\s+(?:at|with|and)\b))",
        rf"\b(?:for|the|a|an|my)\s+(?P<name>(?:(?!(?:the|a|an|for|my|this|that)\b)"
        rf"[\w/&+#()-]+\s+){{1,5}}?){_ROLE_NOUN}\b",
        r"\bas\s+(?:a|an|the)\s+(?P<name>[\w/&+#-]+(?:\s+[\w/&+#-]+){0,3}?)"
        r"(?=\s+(?:at|with|for|in)\b|[,.!?]|$)",
        # "rejected by bumble for community mod": a title ends in a job word
        rf"\bfor\s+(?:the\s+|a\s+|an\s+)?(?P<name>(?:(?!(?:the|a|an|my|this|that|me|it)\b)"
        rf"[\w/&+#-]+\s+){{0,3}}{_ROLE_WORDS})\b",
    )
)
REJECTION_WORDS = re.compile(
    r"\b(?:reject\w*|turned|ghosted|no\b|didn'?t|not|nope|unsuccessful|declined|said)\b",
    re.IGNORECASE,
)


# How people say they were turned down, also in passing ("stripe rejected me after
# the tech test, skip the feelings, let's plan").
TOLD_A_REJECTION = re.compile(
    r"\b(?:reject\w*|turned\s+(?:me\s+)?down|said\s+no|ghosted|refus\w*|unsuccessful|"
    r"didn'?t\s+(?:get|make)\s+(?:it|the\s+job|the\s+role|through)|not\s+(?:moving|progressing)\s+"
    r"(?:forward|me)|got\s+a\s+no|passed\s+on\s+me|dropped\s+me|declined\s+me|binned\s+me|"
    r"(?:went|gone|going|go)\s+with\s+(?:someone|somebody|another|an?\s+(?:internal|other|different))|"
    r"(?:they|they'?ve|they\s+have)\s+(?:chose|chosen|picked|hired|selected|"
    r"offered\s+(?:it|the\s+\w+)\s+to)\s+(?:someone|somebody|another|an?\s+(?:internal|other|"
    r"different))|"
    r"not\s+successful|didn'?t\s+get\s+(?:it|the\s+\w+)|"
    r"(?:it'?s|its|it\s+was|got|another)\s+a\s+(?:\w+\s+)?no|another\s+no|lost\s+out|"
    r"negative\s+(?:answer|response|reply|news|result)|not\s+(?:been\s+)?(?:selected|shortlisted)|"
    r"(?:\d+|two|three|four|five)\s+(?:nos|rejections)|(?:and|with)\s+a\s+no\s+(?:this|today|tonight|"
    r"yesterday|last|on|after|from))\b",
    re.IGNORECASE,
)


def clauses(text: str) -> list[str]:
    """The short pieces of a terse message: "rejected. apple. retail specialist"."""
    return [part.strip() for part in re.split(r"[,.;:!?\n]| - ", text) if part.strip()]


def role_clause(text: str) -> str | None:
    """A clause that is a job title on its own ("junior product manager")."""
    for part in clauses(text):
        part = re.sub(rf"\s+{_ROLE_NOUN}$", "", part, flags=re.IGNORECASE)  # "researcher role"
        part = re.sub(
            r"^(?:the\s+)?(?:same|similar)\s+(?:kind|sort|type)\s+of\s+", "", part, flags=re.I
        )
        words = part.split()
        if len(words) <= 6 and ROLE_NOUNS.search(part) and not REJECTION_WORDS.search(part):
            return clean_name(re.sub(r"^(?:for|as)\s+(?:the|a|an)?\s*", "", part, flags=re.I))
    return None


HOW_IT_FEELS = re.compile(
    r"^(?:feel\w*|so|very|really|just|pretty|a\s+bit|kinda|quite|bit|totally)\b", re.I
)


def _ends_like_an_org(part: str) -> bool:
    """ "atom bank" names a bank, not a misspelt "blank"."""
    return bool(_ORG_SUFFIX.match(part.split()[-1]))


def company_clause(text: str) -> str | None:
    """In a terse report, the bare clause that can only be the company ("apple")."""
    # "Long story short: Thought Machine, ...": what leads in to a colon is no name
    parts = clauses(re.sub(r"^[^:\n]{0,30}:", "", text) if ":" in text else text)
    if len(parts) < 2:
        return None
    for part in parts:
        part = re.sub(r"\s+(?:this\s+time|again|too|as\s+well)$", "", part, flags=re.I)
        words = part.split()
        if (
            len(words) <= 3
            and not REJECTION_WORDS.search(part)
            and not ROLE_NOUNS.search(part)
            and parse_stage(part) is None
            and not re.search(rf"\b(?:{_STOP})\b", part, re.IGNORECASE)
            and is_name(part)
            and not (canonical_emotion(part) and not _ends_like_an_org(part))
            and not HOW_IT_FEELS.match(part)
            and part.lower() not in NOT_A_COMPANY
        ):
            return clean_name(part)
    return None


RATING = re.compile(
    r"\b(?P<n>10|[0-9])\s*(?:/\s*10|out\s+of\s+10)\b|"
    r"\b(?:like|about|around|maybe|prob(?:ably)?|solid|easy|strong)\s+(?:an?\s+)?(?P<m>10|[0-9])\b",
    re.IGNORECASE,
)
CONTACT_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(?P<name>[a-z][a-z'-]+)\s*,?\s+(?:he'?s|she'?s|they'?re|is|was)\s+(?:the|my|our)\s+"
        r"(?:recruiter|hiring|hr|talent|interviewer|manager)",
        r"\bname\b[^.!?]{0,25}?\b(?:is|it'?s|its|was)\s+(?P<name>[a-z][a-z'-]+)\b",
        r"\b(?:address(?:ed)?\s+(?:it\s+)?to|send\s+it\s+to|write\s+it\s+to)\s+"
        r"(?P<title>(?:mr|mrs|ms|miss|dr)\.?\s+)?(?P<name>[a-z][a-z'-]+)\b",
        r"\b(?:email|e-mail|message|write\s+(?:back\s+)?to|reply\s+(?:back\s+)?to|get\s+back\s+to|"
        r"contact|thank|dm)\s+(?P<name>[a-z][a-z'-]+)\b",
        r"\b(?P<name>[a-z][a-z'-]+)\s+(?:the|from|in)\s+(?:recruiter|hr|talent|hiring|people)\b",
        r"\b(?:recruiter|hiring\s+manager|hr\s+person|interviewer)(?:'s\s+name)?\s*,?\s+"
        r"(?:(?:is|was)\s+)?(?:(?:called|named)\s+)?(?P<title>(?:mr|mrs|ms|miss|dr)\.?\s+)?"
        r"(?P<name>[a-z][a-z'-]+)\b",
        r"\b(?:called|named)\s+(?P<name>[a-z][a-z'-]+)\b",
    )
)
NOT_A_NAME = {
    "email",
    "message",
    "write",
    "contact",
    "call",
    "ask",
    "thank",
    "them",
    "they",
    "the",
    "her",
    "him",
    "back",
    "recruiter",
    "company",
    "someone",
    "somebody",
    "a",
    "an",
    "it",
    "me",
    "us",
    "you",
    "hr",
    "whoever",
    "their",
    "about",
    "to",
    "and",
    "for",
    "called",
    "named",
    "is",
    "was",
    "first",
    "out",
    "now",
    "later",
    "please",
    "asap",
    "today",
    "tomorrow",
    "tonight",
    "again",
    "this",
    "that",
    "anyone",
    "everyone",
    "people",
    "team",
    "manager",
    "hiring",
    "so",
    "just",
    "quickly",
    "properly",
    "politely",
    "what",
    "why",
    "how",
    "asking",
    "saying",
    "something",
    "only",
    "not",
    "no",
    "nobody",
    "unknown",
    "he's",
    "she's",
    "he",
    "she",
}


# "they went with an internal candidate": a person, not who said no.
_SOMEONE = re.compile(
    r"\b(?:candidate|applicant|someone|somebody|person|people|other|another|one)s?\b", re.I
)


_TRAILING_ADVERB = re.compile(
    r"(?:\s+(?:just|already|finally|also|still|literally|officially|actually|even|basically))+$",
    re.IGNORECASE,
)


def _first(
    patterns: tuple[re.Pattern[str], ...], text: str, *, not_a: re.Pattern[str] | None = None
) -> str | None:
    for pattern in patterns:
        for match in pattern.finditer(text):
            # "arup just rejected me": the adverb is not part of the name
            name = _TRAILING_ADVERB.sub("", match.group("name").strip(" ,.!?'\""))
            value = clean_name(name)
            if (
                value
                and value.lower() not in NOT_A_COMPANY
                and not (not_a and not_a.search(value))
                and not is_non_answer(value)
            ):
                return value
    return None


def company_in(text: str, entity: str | None = None) -> str | None:
    """The company a message names, from the CRF's entity or an "at/by/with X" phrase."""
    named = clean_name(entity)
    if named and named.lower() not in NOT_A_COMPANY and not is_non_answer(named):
        return widen_company(named, text)
    return _first(COMPANY_PATTERNS, text, not_a=_SOMEONE)


_TITLE_WORD = re.compile(r"[\w/&+#-]+")
_NOT_IN_A_TITLE = re.compile(
    rf"^(?:{_STOP}|a|an|me|us|only|just|part|full|time|meant|mean|typo|sorry|actually|"
    r"like|maybe|prob|probably|basically|literally|honestly|well|oh|ok|okay|yeah|yes|no|"
    r"nope|be|been|being|some|any|another|other|his|her|our|your|what|whatever|apply|"
    r"applying|do|doing|try|trying|still|even|also|really|very|new|next|one)$",
    re.IGNORECASE,
)
# Words that end a company's name ("starling bank", "octopus energy") when the tagger
# found only its first word.
_ORG_SUFFIX = re.compile(
    rf"^(?:{_ORG_NOUN}|labs?|energy|ltd|plc|inc|llc|gmbh|studios?|games|health|capital|"
    r"partners|digital|media|analytics|logistics|technologies|tech|solutions|systems|"
    r"insurance|consulting|retail|foods?|pharma|motors|airways|airlines|housing)$",
    re.IGNORECASE,
)


def widen(entity: str, text: str, *, max_words: int = 5) -> str:
    """The whole title around a tagged piece of it: the tagger often finds "analyst"
    in "supply chain analyst" or "grad scheme" in "marketing grad scheme". Neighbouring
    words join while they belong to no sentence around it (no punctuation between)."""
    match = re.search(rf"(?<![\w-]){re.escape(entity)}(?![\w-])", text, re.IGNORECASE)
    if not match:
        return entity
    before = re.split(r"[,.;:!?()\n]", text[: match.start()])[-1].split()
    after = re.split(r"[,.;:!?()\n]", text[match.end() :])[0].split()
    words = match.group(0).split()
    while before and len(words) < max_words and _TITLE_WORD.fullmatch(before[-1]):
        if _NOT_IN_A_TITLE.match(before[-1]):
            break
        words.insert(0, before.pop())
    for word in after:
        if (
            len(words) >= max_words
            or not _TITLE_WORD.fullmatch(word)
            or _NOT_IN_A_TITLE.match(word)
        ):
            break
        words.append(word)
    return " ".join(words)


def widen_company(entity: str, text: str) -> str:
    """ "starling bank" when the tagger found "Starling"."""
    match = re.search(rf"(?<![\w-]){re.escape(entity)}(?![\w-])", text, re.IGNORECASE)
    if not match:
        return entity
    after = re.split(r"[,.;:!?()\n]", text[match.end() :])[0].split()
    words = [match.group(0)]
    for word in after[:2]:
        if not _ORG_SUFFIX.match(word):
            break
        words.append(word)
    return " ".join(words)


def role_in(text: str, entity: str | None = None) -> str | None:
    named = clean_name(entity)
    if named and not is_non_answer(named):
        return clean_name(widen(named, text)) or named
    return _first(ROLE_PATTERNS, text)


def rating_in(text: str) -> int | None:
    """An explicit 0-10 rating said beside something else ("gutted, like a 7")."""
    match = RATING.search(text)
    if not match:
        return None
    return int(match.group("n") or match.group("m"))


DONT_KNOW = re.compile(r"\b(?:don'?t|do\s+not|dont|no)\s+(?:know|idea)\b", re.IGNORECASE)


def respelt_contact(text: str, contact: str | None) -> str | None:
    """ "sorry its sara no h": a name spelt a little differently from the contact's."""
    if not contact:
        return None
    first, *rest = contact.split()  # "Sarah Lin": the first name is the one respelt
    for word in re.findall(r"[A-Za-z'-]{2,}", text):
        close = difflib.SequenceMatcher(None, word.lower(), first.lower()).ratio() >= 0.75
        if close and word.lower() != first.lower():
            return " ".join([word[:1].upper() + word[1:], *rest])
    return None


def contact_in(text: str) -> str | None:
    """The person a note should go to: "email sarah the recruiter", "address it to mr patel"."""
    if DONT_KNOW.search(text):
        return None
    for pattern in CONTACT_PATTERNS:
        match = pattern.search(text)
        if match and match.group("name").lower() not in NOT_A_NAME:
            name = match.group("name")
            title = (match.groupdict().get("title") or "").strip().rstrip(".").title()
            return " ".join(filter(None, [title, name[:1].upper() + name[1:]]))
    return None


STAGE_ORDER = ("screening", "interview", "final")


def furthest_stage(stages: list[str | None]) -> str | None:
    """The furthest stage named ("phone screen, then the final round" -> final);
    "not sure" inside a sentence is not an answer yet."""
    known = [stage for stage in stages if stage in STAGE_ORDER]
    return max(known, key=STAGE_ORDER.index) if known else None


# "still waiting on octopus energy, but ocado said no": the other company said no.
_WAITING_ON = (
    r"\b(?:waiting\s+(?:on|for|to\s+hear\s+(?:back\s+)?from)|"
    r"haven'?t\s+heard\s+(?:back\s+)?(?:from|off))\s+(?:\w+\s+)?"
)


def rejecting_company(tracker: Tracker, text: str) -> str | None:
    """The company the tagger found that the message does not say it is still waiting on."""
    named = [
        value for value in tracker.get_latest_entity_values("company") if isinstance(value, str)
    ]
    waited_on = {
        name for name in named if re.search(_WAITING_ON + re.escape(name), text, re.IGNORECASE)
    }
    return next((name for name in named if name not in waited_on), named[0] if named else None)


def rejection_facts(tracker: Tracker) -> dict[str, Any]:
    """Company, role and stage of a rejection, and a feeling said with it."""
    text = user_text(tracker) or ""
    if not text:
        return {}
    rejecting = rejecting_company(tracker, text)
    if rejecting and rejecting.lower() == (contact_in(text) or "").lower():
        rejecting = None  # "write to Marcus, the recruiter at GoCardless": a person
    facts: dict[str, Any] = {
        "company": company_in(text, rejecting) or company_clause(text),
        "role": role_in(text, latest_entity(tracker, "role")) or role_clause(text),
        "stage": furthest_stage(
            [parse_stage(value) for value in tracker.get_latest_entity_values("stage")]
            + [parse_stage(text)]
        ),
    }
    facts.update(feeling_facts(tracker))
    return {slot: value for slot, value in facts.items() if value is not None}


def rejections_told(tracker: Tracker) -> list[dict[str, Any]]:
    """Several rejections in one message ("Starling turned me down after the final round.
    Then an automated no from Revolut for a data analyst job"): company, role and stage of
    each, read from the part of the message that runs up to the next company named."""
    text = user_text(tracker) or ""
    entities = tracker.latest_message.get("entities") or []
    companies: list[dict[str, Any]] = []
    for entity in sorted(entities, key=lambda found: found.get("start") or 0):
        named = str(entity.get("value") or "")
        seen = {company["value"].lower() for company in companies}
        # "still waiting on octopus energy, but ocado said no": one rejection
        waited_on = re.search(_WAITING_ON + re.escape(named), text, re.IGNORECASE)
        if entity.get("entity") == "company" and named and named.lower() not in seen:
            companies += [] if waited_on else [entity]
    if len(companies) < 2 or not TOLD_A_REJECTION.search(text):
        return []
    starts = [0, *[company["start"] for company in companies[1:]], len(text)]
    told = []
    for company, start, end in zip(companies, starts[:-1], starts[1:], strict=True):
        part = text[start:end]
        roles = [
            str(entity["value"])
            for entity in entities
            if entity.get("entity") == "role" and start <= (entity.get("start") or 0) < end
        ]
        told.append(
            {
                "company": clean_name(str(company["value"])),
                "role": role_in(part, roles[0] if roles else None),
                "stage": parse_stage(part),
            }
        )
    # "jet2 and ryanair both after the assessment day": said once for both
    for index, rejection in enumerate(told):
        later = [other["stage"] for other in told[index + 1 :] if other["stage"]]
        rejection["stage"] = rejection["stage"] or (later[0] if later else None)
    return told


def bare_rating(text: str) -> int | None:
    """A rating given as a clause of its own ("fine. annoyed. 3. now can we plan")."""
    return next((int(part) for part in clauses(text) if re.fullmatch(r"10|[0-9]", part)), None)


# The thought behind the feeling, told before it was asked for.
THOUGHT_SAID = re.compile(
    r"\b(?:i\s+keep\s+(?:thinking|telling\s+myself|saying\s+to\s+myself)|"
    r"(?:mostly|just|can'?t\s+stop|keep)\s+thinking|"
    r"all\s+i\s+(?:can\s+)?think\s+(?:about\s+)?is|the\s+thought\s+is|"
    r"my\s+(?:brain|head)\s+(?:keeps\s+)?(?:saying|says|telling\s+me))\b[^.!?\n]{6,}",
    re.IGNORECASE,
)


def thought_in(text: str) -> str | None:
    match = THOUGHT_SAID.search(text)
    return match.group(0).strip() if match else None


def feeling_facts(tracker: Tracker) -> dict[str, Any]:
    """A feeling named in passing, and how strong it is when a rating is given."""
    text = user_text(tracker) or ""
    facts: dict[str, Any] = {}
    entity = latest_entity(tracker, "emotion")
    # A feeling word inside a report ("they let me down", "no luck") is not yet a
    # feeling named: only the tagger's entity, or a message that is about feelings.
    named = entity or latest_intent(tracker) in ("express_feeling", "self_blame")
    emotion = canonical_emotion(text, entity) if text and named else None
    if emotion and emotion.lower() != "no":
        facts["emotion"] = emotion.lower()
        rating = rating_in(text)
        if rating is not None:
            facts["intensity"] = float(rating)
    return facts


SEEN = re.compile(r"\b(?:saw|seen|spotted|found|noticed|posted|came\s+across|came\s+up)\b", re.I)
SENDING = re.compile(r"\b(?:send|sent|sending|appl(?:y|ied|ying)|submit\w*|get\s+it\s+in)\b", re.I)


def application_facts(tracker: Tracker, *, today: Any) -> dict[str, Any]:
    """An application said in one line: "monzo, backend dev, friday" or "sent one to X"."""
    text = user_text(tracker) or ""
    if not text:
        return {}
    facts: dict[str, Any] = {}
    # "Yes, also Philips, the trainee in marketing": the yes and the "also" are not names
    parts = [
        re.sub(
            r"^(?:(?:also|and|plus|then|one\s+more|another(?:\s+one)?)\s*:?\s+)+",
            "",
            part.strip(),
            flags=re.IGNORECASE,
        )
        for part in re.split(r"[,;.\n]| - ", text)
        if part.strip() and not is_non_answer(part)
    ]
    when = spoken.application_date(text, today=today)
    if when and when.status == "applied" and SEEN.search(text) and not SENDING.search(text):
        when = None  # "a role at Grant Thornton I saw yesterday": when it was seen, not sent
    if len(parts) >= 2:
        facts["app_company"] = (
            clean_name(latest_entity(tracker, "company"))
            or _first(COMPANY_PATTERNS, parts[0], not_a=_SOMEONE)
            or clean_name(parts[0])
        )
        facts["app_role"] = clean_name(latest_entity(tracker, "role")) or clean_name(parts[1])
    else:
        facts["app_company"] = company_in(text, latest_entity(tracker, "company"))
        facts["app_role"] = role_in(text, latest_entity(tracker, "role"))
    if when:
        facts["app_when"] = when.day.isoformat() if when.day else when.said
        facts["app_status"] = when.status
    return {
        slot: value
        for slot, value in facts.items()
        if value is not None and not (slot != "app_status" and is_non_answer(str(value)))
    }
