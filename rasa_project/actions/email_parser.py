"""Recognise a pasted rejection email and pull out company, role and stage.

Everything is regular expressions over the raw text. Names are read as runs of
capitalised words ("Acme Corp", "Head of Finance"), found either after an
anchor phrase in the body ("position at X", "the X role") or in the signature
("The X Team", "Recruiting, X", a last line that is just a company name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- names ------------------------------------------------------------------

_CAP = r"[A-Z0-9][\w'’.+#-]*"
# A company: capitalised words (and connectors) on one line; trimmed in _clean_company.
# Both runs are bounded, which also keeps backtracking linear on hostile input.
NAME = rf"{_CAP}(?:[ \t]+(?:&|and|of|de|la|du|van|von|der|{_CAP})){{0,7}}"
# A job title: capitalised words, with "of", "and", "&", "in", "/" inside.
ROLE = rf"{_CAP}(?:[ \t]+(?:of|and|&|in|/|{_CAP})){{0,7}}"

ROLE_NOUN = r"(?i:position|role|opening|post|vacancy|job|programme|program|scheme|application)"

# --- company ----------------------------------------------------------------

COMPANY_PATTERNS = (
    # "the Backend Engineer position at Acme Corp", "career opportunities with Harbor Bank"
    rf"(?i:position|role|roles|opening|openings|job|jobs|vacancy|vacancies|post|opportunity|"
    rf"opportunities|career|careers|programme|program|team|everyone|here|us|office)"
    rf"\s+(?i:at|with)\s+({NAME})",
    # "interest in Harlow Distribution", "application to Orbital Systems", "joining X"
    rf"(?i:interest\s+in|application\s+to|applying\s+to|applied\s+to|joining|interviewing\s+"
    rf"(?:with|at)|working\s+(?:with|at))\s+(?:(?i:joining)\s+)?({NAME})",
)

SIGNATURE_PATTERNS = (
    # "Ben from Tidewater Software", "Lily @ Paperplane Media"
    rf"^.*?\s(?i:from|@|at)\s+({NAME})$",
    # "Recruiting, Alder & Finch Architects", "Maya Chen | Recruiter | Sunleaf Foods"
    rf"^.*(?:,|\||\s[-–—]\s)\s*({NAME})$",
    # "The Acme Corp Recruiting Team", "Orbital Systems Careers", "Greenfield Energy HR"
    rf"^(?:The\s+)?({NAME})$",
    # "The Quillon team", "the Northwind careers team"
    rf"^(?i:the\s+)?({NAME})\s+(?i:(?:recruiting|recruitment|talent|hiring|careers|hr)\s+)?"
    r"(?i:team|careers)$",
)
# The sender's own domain in a forwarded header ("From: careers@quillon.io"); mail
# services and hiring platforms send for many companies and name none.
SENDER_DOMAIN = re.compile(r"^\s*From:.*?@(?:[\w-]+\.)*?([\w-]+)\.[a-z]{2,}(?:\.[a-z]{2})?\b", re.M)
NOT_A_SENDER = {
    "gmail",
    "googlemail",
    "outlook",
    "hotmail",
    "yahoo",
    "icloud",
    "mail",
    "proton",
    "protonmail",
    "greenhouse",
    "lever",
    "workday",
    "myworkday",
    "myworkdayjobs",
    "smartrecruiters",
    "ashbyhq",
    "workable",
    "teamtailor",
    "bamboohr",
    "icims",
    "taleo",
    "successfactors",
    "linkedin",
    "indeed",
}

# Department words trailing a name in a signature ("Acme Recruiting Team").
DEPARTMENT_WORDS = {
    "team",
    "recruiting",
    "recruitment",
    "talent",
    "acquisition",
    "careers",
    "career",
    "hr",
    "hiring",
    "people",
    "human",
    "resources",
    "campus",
    "graduate",
    "early",
    "services",
    "department",
}
# A signature line holding one of these is a job title, not a company ("Senior Recruiter").
TITLE_WORDS = {
    "recruiter",
    "manager",
    "lead",
    "head",
    "director",
    "coordinator",
    "specialist",
    "officer",
    "advisor",
    "partner",
    "chief",
    "president",
    "vp",
    "founder",
    "ceo",
    "cto",
    "coo",
}
LEGAL_FORMS = r"(?:&|\b(?:Inc|Ltd|LLC|LLP|PLC|plc|GmbH|Corp|Co|Group|Limited|AG|SA|BV)\b\.?)"
CONNECTORS = {"&", "and", "of", "de", "la", "du", "van", "von", "der"}
NOT_COMPANY = {"the", "this", "that", "our", "your", "we", "us", "you", "i", "a", "an", "it"}

SIGN_OFF = re.compile(
    r"^(?:(?:kind|best|warm|warmest|with\s+best)\s+)?(?:regards|wishes)\b|^best\b|^cheers\b|"
    r"^(?:yours\s+)?(?:sincerely|faithfully|truly)\b|^thanks?\b|^thank\s+you\b|^warmly\b|"
    r"^all\s+the\s+best\b|^take\s+care\b|^respectfully\b|^many\s+thanks\b",
    re.IGNORECASE,
)

# --- role -------------------------------------------------------------------

ROLE_PATTERNS = (
    # "the Backend Engineer position", "the Summer Analyst Program", "your Data Analyst application"
    rf"\b(?i:the|our|a|an|your|this)\s+({ROLE})\s+{ROLE_NOUN}\b",
    # "the position of Credit Risk Analyst", "the role of Warehouse Team Leader"
    rf"\b(?i:position|role|post|job)\s+(?i:of|as)\s+(?:(?i:an?|the)\s+)?({ROLE})",
    # "Re: Data Analyst application", "Subject: Frontend Developer"
    rf"^[ \t]*(?i:re|subject|fwd?)[ \t]*:[ \t]*({ROLE})(?:[ \t]+{ROLE_NOUN})?[ \t]*$",
    # "Your application for Junior Project Engineer", "candidacy for SRE (Req #1) at X"
    rf"(?i:application|candidacy|applying|applied)\s+(?i:for|as)\s+(?:(?i:the|an?)\s+)?({ROLE})"
    rf"(?=[ \t]*(?:$|\(|,|[-–—|]|(?i:at|with)\b))",
)

# Capitalised words that open a sentence or a subject line, not a job title.
NOT_ROLE = {"your", "our", "the", "this", "application", "update", "thank", "thanks"}

# --- stage ------------------------------------------------------------------

# A step the candidate is NOT going on to ("not progressing it to the interview stage",
# "unable to offer you an interview", "won't be moving you to the final round"). It
# says nothing about what did happen, except that a refused interview means screening.
NOT_TAKEN = re.compile(
    r"(\b(?:not|unable\s+to|won[’']?t|cannot|can[’']?t|didn[’']?t)\b(?:\s+[\w’']+){0,4}?\s+"
    r"(?:progress|move|moving|invit|offer|shortlist|tak|advanc|select|put|proceed)\w*"
    r"[^.\n]{0,40}?)\b(?:(next|final|further|second|last)\s+)?"
    r"(?:interviews?|rounds?|stages?|assessment)\b(?:\s+(?:stage|round))?",
    re.IGNORECASE,
)
STAGE_PATTERNS = (
    (
        "final",
        r"\bfinal[\s-]+(?:round|stage|interview|panel)s?\b|\blast\s+(?:round|stage|"
        r"interview)s?\b|\bon-?\s?site\b|\bfinalists?\b|\bassessment\s+cent(?:re|er)\b|"
        r"\boffer\s+stage\b",
    ),
    (
        "interview",
        r"\binterview(?:s|ed|ing|ers?)?\b|\b(?:speaking|spoke|spoken|talking|chatting)"
        r"\s+(?:with|to)\b|\b(?:meet|met|meeting)\s+(?:with\s+)?(?:you|us|the\s+"
        r"(?:\w+\s+)?team|our|so\s+many)\b|\brounds?\b|\bphone\s+(?:screen|call)\b|"
        r"\bconversations?\s+with\b|\bpanel\b|\btake[\s-]home\b|\btechnical\s+"
        r"(?:test|task|assessment|session)\b",
    ),
    (
        "screening",
        r"\bno_interview\b|\bappl(?:ied|ying|ication|ications|icants?)\b|\bcandidacy\b|"
        r"\b(?:cv|resume|résumé)\b|\bshortlist",
    ),
)

# --- email or chat ------------------------------------------------------------

EMAIL_SIGNALS = {
    "greeting": r"^\s*(?:dear|hi|hello|hey|good\s+(?:morning|afternoon|evening))\b[^\n.!?]{0,40}"
    r"(?:[,:!]|$)",
    "closing": r"\b(?:(?:kind|best|warm)\s+)?regards\b|\bsincerely\b|\bbest\s+(?:of\s+luck|wishes)"
    r"\b|\ball\s+the\s+best\b|\bwish(?:es)?\s+you\b|\btake\s+care\b|^\s*(?:best|cheers|"
    r"warmly|thanks),?\s*$|\bgood\s+luck\s+(?:with|in)\s+your\b",
    "company_voice": r"\b(?:we|we've|we're|we'd|we'll|our\s+team|our\s+company)\b|\bthe\s+"
    r"(?:\w+\s+)?(?:team|panel|committee|manager)\s+(?:has|have|felt|decided)\b",
    "to_reader": r"\byour\s+(?:\w+\s+)?(?:application|candidacy|interest|time|interview|cv|"
    r"resume|details|search|experience|background|skills)\b|\bthank(?:s|\s+you)\s+(?:so\s+much\s+)?"
    r"(?:again\s+)?for\b",
    "rejection": r"\bunfortunately\b|\bregret\b|\banother\s+candidate\b|\bother\s+(?:candidates|"
    r"applicants)\b|\bdecided\s+to\s+(?:pursue|proceed|go|move)\b|"
    r"\bmov(?:e|ing)\s+forward\b|\bnot\s+(?:been\s+)?successful\b|\bbeen\s+filled\b|"
    r"\b(?:not|unable\s+to)\s+(?:be\s+|to\s+)?(?:tak|mov|progress|proceed|continu|offer|"
    r"shortlist|select|invit|extend)\w*",
    "layout": r"\n[ \t]*\n|^(?:subject|re|from|to)[ \t]*:|(?<![\w.+-])[\w.+-]{1,64}@[\w-]+\.\w",
}
# Typed, not pasted: lower-case "i", or the company talked about as "they".
CHAT_SIGNALS = r"(?-i:\bi\b)|\bthey\s+(?:said|went|told|sent|emailed|picked|chose|decided)\b"


# A legal footer names the regulator or the registry, never the company hiring.
DISCLAIMER = re.compile(
    r"\b(?:confidential|intended\s+(?:solely|only)|authori[sz]ed\s+(?:and\s+regulated\s+)?by|"
    r"registered\s+(?:in|office|number)|company\s+(?:no|number)|privacy\s+(?:notice|policy)|"
    r"unsubscribe|received\s+(?:it|this)\s+in\s+error)\b",
    re.IGNORECASE,
)
# A phone number, address or link in a signature ("m: +44 7700 900412").
CONTACT_DETAILS = re.compile(
    r"^\s*(?:(?:m|t|p|f|e|w|tel|phone|mobile|mob|email|web|direct)\s*[:.]|\+?\d[\d ()-]{6,}\s*$|"
    r"www\.|https?://|\S+@\S+\.\w+\s*$)",
    re.IGNORECASE,
)
# A person's name on its own line under the sign-off: "Priya Shah", "Jordan".
SIGNER = re.compile(r"^[A-Z][a-z'’-]+(?:[ \t]+[A-Z][a-z'’-]+){0,2}$")


@dataclass(frozen=True)
class ParsedEmail:
    company: str | None
    role: str | None
    stage: str
    contact: str | None = None  # who signed it: the person a reply would go to


def looks_like_email(text: str) -> bool:
    """True for a pasted email rather than a line typed in chat.

    Counts families of email signals (greeting, closing, the company's "we",
    addressing the reader, rejection wording, paragraphs or headers); a chat
    tell costs one.
    """
    families = sum(
        bool(re.search(pattern, text, re.IGNORECASE | re.MULTILINE))
        for pattern in EMAIL_SIGNALS.values()
    )
    if re.search(CHAT_SIGNALS, text, re.IGNORECASE):
        families -= 1
    return families >= 3


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _clean_company(raw: str, text: str) -> str | None:
    """Trim a captured run: stop at a sentence end, drop department words and connectors."""
    words = raw.split()
    for index, word in enumerate(words):
        if word.endswith(".") and index < len(words) - 1:
            words = words[: index + 1]
            break
    while words and (words[-1].lower().rstrip(".") in DEPARTMENT_WORDS or words[-1] in CONNECTORS):
        words.pop()
    if len(words) > 1 and words[0] == "The":
        words = words[1:]
    lowered = {word.lower().rstrip(".") for word in words}
    if (
        not words
        or len(words) > 6
        or lowered & TITLE_WORDS
        or words[0].lower() in NOT_COMPANY | DEPARTMENT_WORDS
    ):
        return None
    name = " ".join(words).rstrip(".,;:!?")
    # A period is part of the name only where the name stands on its own line ("Finch & Co.").
    if name + "." in _lines(text):
        return name + "."
    return name


def _company_inline(text: str) -> str | None:
    for pattern in COMPANY_PATTERNS:
        for match in re.finditer(pattern, text):
            if re.match(rf"[ \t]+{ROLE_NOUN}\b", text[match.end(1) :]):
                continue  # "interest in Backend Engineer position": a role, not a company
            name = _clean_company(match.group(1), text)
            if name:
                return name
    return None


def _signature_block(text: str) -> list[str]:
    """The short trailing lines (sign-off, name, title, company), last first."""
    block: list[str] = []
    for line in reversed(_lines(text)):
        words = len(line.split())
        if words > 7 or (words >= 4 and line[-1] in ".!?"):
            break
        block.append(line)
    return block


def _company_signature(text: str) -> str | None:
    block = _signature_block(text)
    for position, line in enumerate(block):
        if SIGN_OFF.match(line):
            continue
        for index, pattern in enumerate(SIGNATURE_PATTERNS):
            match = re.match(pattern, line)
            name = _clean_company(match.group(1), text) if match else None
            if not name:
                continue
            if index < 2 or len(name.split()) < len(line.split()):
                return name  # an explicit form: "from X", "Title, X", "X Careers"
            previous = block[position + 1] if position + 1 < len(block) else ""
            if position == 0 and (
                re.search(LEGAL_FORMS, line) or (previous and not SIGN_OFF.match(previous))
            ):
                return name  # a bare last line: "Hartley & Moss LLP", or under a name or title
    return None


def _company_sender(text: str) -> str | None:
    match = SENDER_DOMAIN.search(text)
    if not match or match.group(1).lower() in NOT_A_SENDER:
        return None
    return match.group(1).capitalize()


def _company(text: str) -> str | None:
    """Body phrases first (a recruiter's agency signs for its client), then the
    signature, then the sender's domain."""
    return _company_inline(text) or _company_signature(text) or _company_sender(text)


def _role(text: str) -> str | None:
    for pattern in ROLE_PATTERNS:
        for match in re.finditer(pattern, text, re.MULTILINE):
            words = match.group(1).split()
            while words and words[-1] in {"of", "and", "&", "in", "/"}:
                words.pop()
            if words and words[0].lower() not in NOT_ROLE and len(words) <= 7:
                return " ".join(words).rstrip(".,")
    return None


def _blank_untaken(match: re.Match[str]) -> str:
    """Keep the lead-in, drop the step; a refused interview leaves a screening marker."""
    step = match.group()[len(match.group(1)) :]
    refused_interview = not match.group(2) and "interview" in step.lower()
    return match.group(1) + (" no_interview " if refused_interview else " ")


def _stage(text: str) -> str:
    lowered = NOT_TAKEN.sub(_blank_untaken, text).lower()
    for stage, pattern in STAGE_PATTERNS:
        if re.search(pattern, lowered):
            return stage
    return "unknown"


def _signer(text: str, company: str | None) -> str | None:
    """The name under the sign-off ("Best wishes,\nPriya Shah\nTalent Partner"), when
    it is not the company's."""
    lines = _lines(text)
    for index, line in enumerate(lines[:-1]):
        if SIGN_OFF.match(line) and len(line.split()) <= 4:
            name = lines[index + 1]
            words = {word.lower() for word in name.split()}
            if (
                SIGNER.match(name)
                and not words & (TITLE_WORDS | DEPARTMENT_WORDS | NOT_COMPANY)
                and not (company and (company in name or name in company))
            ):
                return name
    return None


def parse_rejection_email(text: str) -> ParsedEmail:
    """Company, role, stage and signer read from a pasted rejection email (None where
    not stated)."""
    text = "\n".join(
        line
        for line in text.split("\n")
        if not DISCLAIMER.search(line) and not CONTACT_DETAILS.match(line)
    )
    company = _company(text)
    return ParsedEmail(
        company=company, role=_role(text), stage=_stage(text), contact=_signer(text, company)
    )
