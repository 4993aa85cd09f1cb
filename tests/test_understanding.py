"""Reading answers out of what people type: names in sentences, ratings, non-answers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from actions.answers import is_non_answer, is_question  # noqa: E402
from actions.corrections import NOT_CLAUSE  # noqa: E402
from actions.followup import skill_gap  # noqa: E402
from actions.understanding import (  # noqa: E402
    company_clause,
    company_in,
    contact_in,
    rating_in,
    role_in,
)


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("got turned down by google today", "google"),
        ("rejected by Acme Labs after the phone screen", "Acme Labs"),
        ("just heard back from deutsche bank, it's a no", "deutsche bank"),
        ("my interview with monzo went nowhere", "monzo"),
        ("spotify rejected me lol", "spotify"),
        ("hi, back again. ovo energy turned me down for the analyst role", "ovo energy"),
        ("ghosted for 3 weeks and then rejected by hellofresh. ops analyst.", "hellofresh"),
        ("rejected by booking.com today", "booking.com"),
        ("your application for Junior QA Engineer\n\nHi Sam", None),  # a role, not a company
        ("i applied to the natural history museum", "natural history museum"),
        ("just got the no from the nhs trust for the band 5 admin job", "nhs trust"),
        ("i went to the bank today", None),  # "the" and no name: a careful reader asks
        ("they said no", None),
        ("got rejected again", None),
        (
            "so dunmore housing association rang today to say they went with an internal "
            "candidate for the payroll officer role. honestly I'd like to at least ask them",
            "dunmore housing association",
        ),
        (
            "They refused me today. It was Hoffmann Logistik GmbH, the job as PM",
            "Hoffmann Logistik GmbH",
        ),
        ("interview with google tomorrow", "google"),
        ("another one for the collection 🙃 ibm this time", "ibm"),
        ("no luck this time either", None),
        ("arup just rejected me", "arup"),
        ("rejected by just eat", "just eat"),
        ("todays was from Lumen Health. same role", "Lumen Health"),
        ("I have received a negative answer from Allianz", "Allianz"),
        ("another no, from the council this time", "council"),
    ],
)
def test_a_company_named_inside_a_sentence(text: str, company: str | None) -> None:
    assert company_in(text) == company


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("for the junior analyst role", "junior analyst"),
        ("rejected for the backend dev position at monzo", "backend dev"),
        ("applied as a data scientist at meta", "data scientist"),
        ("rejected from Siemens for the position of test engineer. It was after", "test engineer"),
        ("no role mentioned here", None),
        ("rejected by bumble for community mod", "community mod"),
        ("rejected by google for no reason", None),
    ],
)
def test_a_role_named_inside_a_sentence(text: str, role: str | None) -> None:
    assert role_in(text) == role


@pytest.mark.parametrize(
    ("text", "tagged", "role"),
    [
        (
            "for like six weeks for a supply chain analyst job, recruiter call",
            "analyst",
            "supply chain analyst",
        ),
        (
            "rejected by unilever for the marketing grad scheme after the final",
            "grad scheme",
            "marketing grad scheme",
        ),
        (
            "visitor experience assistant, it was only part time",
            "experience assistant",
            "visitor experience assistant",
        ),
        (
            "booking.com rejected me. customer service team lead. after the final round",
            "customer",
            "customer service team lead",
        ),
        ("rejected by revolut for the ops role after the phone screen", "ops", "ops"),
        ("typo, i meant product manager", "product manager", "product manager"),
    ],
)
def test_the_whole_title_around_the_part_the_tagger_found(
    text: str, tagged: str, role: str
) -> None:
    assert role_in(text, tagged) == role


@pytest.mark.parametrize(
    ("text", "rating"),
    [("gutted, like a 7", 7), ("8/10 angry", 8), ("prob a 3", 3), ("10 out of 10", 10)],
)
def test_a_rating_said_beside_the_feeling(text: str, rating: int) -> None:
    assert rating_in(text) == rating


def test_a_number_that_is_not_a_rating_is_left_alone() -> None:
    assert rating_in("applied to 3 places this week") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("can you help me email sarah the recruiter", "Sarah"),
        ("the recruiter is called tom", "Tom"),
        ("priya from hr", "Priya"),
        ("the hiring manager, tom reyes", "Tom"),
        ("marcus, he's the hiring manager", "Marcus"),
        ("help me email them", None),
        ("I don't know the name of the person, it was only HR", None),
        ("The recruiter was Mr. Dubois", "Mr Dubois"),
        ("annoyed mostly. can you help me write back to priya", "Priya"),
    ],
)
def test_the_contact_named_in_a_request(text: str, name: str | None) -> None:
    assert contact_in(text) == name


@pytest.mark.parametrize("text", ["yes", "Yeah.", "bye!", "🙃", "x", "ok thanks", "idk", "nope"])
def test_non_answers(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["Acme", "BBC", "a 7", "i'm not good enough", "3M", "Next"])
def test_real_answers_are_answers(text: str) -> None:
    assert not is_non_answer(text)


def test_a_question_back_is_not_an_answer() -> None:
    assert is_question("why do you need that?")
    assert is_question("what does 0 even mean here")  # typed without the mark
    assert not is_question("I'll never get a job?? maybe")
    assert not is_question("what is wrong with me")  # a thought, not a question back


def test_the_part_taken_back_is_dropped_from_a_correction() -> None:
    assert NOT_CLAUSE.sub("", "sorry i meant monzo, not revolut") == "sorry i meant monzo"


def test_feedback_names_the_skill_gap() -> None:
    assert skill_gap("they got back to me and said i needed more sql experience") == (
        "more sql experience"
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("no not tonight", "deny"),
        ("no, one's enough for today", "deny"),
        ("nope that's it for tonight", "deny"),
        ("thanks thats it for now", "goodbye"),
        ("ok night", "goodbye"),
        ("actually cant be bothered. bye", "goodbye"),
        ("yes please", "affirm"),
        ("i keep thinking about the interview", None),
    ],
)
def test_a_plain_answer_is_read_again_when_the_model_is_unsure(
    text: str, intent: str | None
) -> None:
    from plain_words import plain_intent

    assert plain_intent(text) == intent


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("rejected by sky, phone screen. not interested in feelings tbh, lets plan", "plan_form"),
        (
            "kestrel said no. skip the feelings, i want the email first and then a plan",
            "followup_form",
        ),
        ("got rejected by google today", None),
        ("today i get a two line email saying they went with someone else", None),
        ("can you help me write an email to them asking why", "followup_form"),
        ("fine. annoyed. 3. now can we plan", "plan_form"),
        ("can we skip the feelings part", "action_depersonalize"),
    ],
)
def test_a_step_asked_for_with_the_rejection_comes_next(text: str, form: str | None) -> None:
    from actions.listening import asked_to_skip_to

    assert asked_to_skip_to(text) == form


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("it was monzo", "monzo"),
        ("Acme Labs", "Acme Labs"),
        ("marks and spencer, for the buying assistant grad role", "marks and spencer"),
        ("actually cant be bothered. bye", None),
        ("7", None),
        ("email them?", None),
        ("amazon sorry hit send too early", "amazon"),
        ("product design. why do you ask?", "product design"),
        ("the company that shall not be named. ok fine it's shell", "shell"),
        ("oh sorry, it's the wellcome trust, the research grants officer job", "wellcome trust"),
        ("it's not important", None),
        ("dunno honestly, it was a while ago", None),
    ],
)
def test_a_bare_answer_to_which_company(answer: str, name: str | None) -> None:
    from actions.rejection import short_answer

    assert short_answer(answer) == name


def test_a_payload_entity_that_is_not_text_is_ignored() -> None:
    """A typed '/share_feedback{"company": {"x": 1}}' reaches actions only through Rasa
    directly, but an action must not fail on it (make fuzz found two that did)."""
    from actions.common import as_number, latest_entity
    from rasa_sdk import Tracker

    tracker = Tracker(
        "7",
        {"intensity": "high"},
        {"text": "/share_feedback", "entities": [{"entity": "company", "value": {"x": 1}}]},
        [],
        False,
        None,
        {},
        "action_listen",
    )
    assert latest_entity(tracker, "company") is None
    assert as_number(tracker.get_slot("intensity")) is None
    assert as_number(7) == 7.0 and as_number(True) is None


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("rejected. apple. retail specialist", "apple"),
        ("another no. ocado this time, graduate software engineer", "ocado"),
        ("rejected again. feeling rubbish", None),
        ("hi, back again. ovo energy turned me down", None),
        ("another one today: atom bank, junior ux designer", "atom bank"),  # not "blank"
        ("oh sorry, it's the wellcome trust", None),
        ("Long story short: Thought Machine, platform engineer, three rounds", "Thought Machine"),
    ],
)
def test_the_bare_clause_of_a_terse_report_is_the_company(text: str, company: str | None) -> None:
    assert company_clause(text) == company


@pytest.mark.parametrize(
    ("text", "tagged", "company"),
    [
        ("rejected by starling bank for the data analyst role", "Starling", "starling bank"),
        ("still waiting on octopus energy after the interview", "octopus", "octopus energy"),
        ("ocado data engineer role, after three rounds", "ocado", "ocado"),
    ],
)
def test_the_whole_company_name_around_the_part_the_tagger_found(
    text: str, tagged: str, company: str
) -> None:
    assert company_in(text, tagged) == company


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("today they emailed to say they've offered it to someone else", True),
        ("they hired someone internal in the end", True),
        ("google turned me down", True),
        ("i picked another one to apply to", False),
        ("i'm applying to canva tomorrow", False),
        ("I have received a negative answer from Allianz", True),
    ],
)
def test_a_rejection_told_in_many_ways(text: str, told: bool) -> None:
    from actions.understanding import TOLD_A_REJECTION

    assert bool(TOLD_A_REJECTION.search(text)) is told


@pytest.mark.parametrize(
    ("text", "rating"),
    [("fine. annoyed. 3. now can we plan", 3), ("annoyed, 10", 10), ("3 interviews so far", None)],
)
def test_a_rating_given_as_a_clause_of_its_own(text: str, rating: int | None) -> None:
    from actions.understanding import bare_rating

    assert bare_rating(text) == rating


@pytest.mark.parametrize(
    ("text", "thought"),
    [
        (
            "8. and i keep thinking i'll be stuck in retail forever. anyway",
            "i keep thinking i'll be stuck in retail forever",
        ),
        ("my head keeps saying i blew it", "my head keeps saying i blew it"),
        ("8, pretty bad", None),
        (
            "Disappointed, 5/10, mostly thinking I should have practised SQL. Can we plan?",
            "mostly thinking I should have practised SQL",
        ),
    ],
)
def test_the_thought_told_before_it_was_asked(text: str, thought: str | None) -> None:
    from actions.understanding import thought_in

    assert thought_in(text) == thought


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("So I just got the email from Wise, it's a no for the senior designer role", True),
        ("Lost out on the PM role at Monzo after the final", True),
        ("is it a no brainer to apply again", False),
    ],
)
def test_more_ways_a_rejection_is_told(text: str, told: bool) -> None:
    from actions.understanding import TOLD_A_REJECTION

    assert bool(TOLD_A_REJECTION.search(text)) is told


def test_a_name_given_in_a_correction_is_the_contact() -> None:
    from actions.corrections import NAME_GIVEN

    found = NAME_GIVEN.search("Sorry, I made mistake, his name is Dupont, not Dubois")
    assert found and found.group("name") == "Dupont"


@pytest.mark.parametrize(
    ("text", "reports"),
    [
        ("Now they answered me. They told that my English was not enough fluent", True),
        ("and they've just sent feedback: they wanted more verilog experience", True),
        ("the recruiter said my case study was strong", True),
        ("they probably had someone internal", False),
        ("i said no to the offer", False),
    ],
)
def test_what_a_company_said_back_told_in_passing(text: str, reports: bool) -> None:
    from actions.followup import REPORTS_FEEDBACK

    assert bool(REPORTS_FEEDBACK.search(text)) is reports


@pytest.mark.parametrize(
    ("text", "feeling"),
    [
        ("like everything at once. sad angry scared", "mixed"),
        ("angry, no, embarrassed", "embarrassed"),
        ("sad and angry", "angry"),
    ],
)
def test_three_feelings_at_once_are_a_mix(text: str, feeling: str) -> None:
    from actions.feelings_words import canonical_emotion

    assert canonical_emotion(text) == feeling


def told(text: str, companies: list[str]) -> list[dict]:
    """What rejections_told reads from ``text``, where the tagger found ``companies``."""
    from actions.understanding import rejections_told
    from rasa_sdk import Tracker

    entities = [
        {"entity": "company", "value": name, "start": text.index(name)} for name in companies
    ]
    message = {"text": text, "intent": {"name": "report_rejection"}, "entities": entities}
    return rejections_told(
        Tracker("u", {}, message, [{"event": "user", "text": text}], False, None, {}, "")
    )


def test_several_rejections_in_one_message_each_with_its_own_details() -> None:
    text = (
        "Starling turned me down for the product analyst role after the final round. Then "
        "an automated no from Revolut for a data analyst job I'd forgotten I applied to"
    )

    assert told(text, ["Starling", "Revolut"]) == [
        {"company": "Starling", "role": "product analyst", "stage": "final"},
        {"company": "Revolut", "role": "data analyst", "stage": "screening"},
    ]


def test_a_company_still_waited_on_is_not_another_rejection() -> None:
    text = "i'm still waiting on octopus energy, but ocado said no after three rounds"

    assert told(text, ["octopus energy", "ocado"]) == []


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("same kind of admin job, they never even called me", "screening"),
        ("they never called me back after the interview", "interview"),
        ("I did not have any interview, only I sent my CV", "screening"),
        ("after the portfolio review", "interview"),
    ],
)
def test_how_far_it_got_in_plain_words(text: str, stage: str) -> None:
    from actions.parsing import parse_stage

    assert parse_stage(text) == stage


def test_a_title_said_with_its_band_is_the_role() -> None:
    from actions.understanding import role_clause

    assert role_clause("leeds teaching hospitals, band 4 admin role, after it") == "band 4 admin"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("sure why not, i can be ignored twice", "affirm"),
        ("yes, but not tonight", None),
        ("can i just vent into the void for a sec", "start_journal"),
        ("i need to rant about this", "start_journal"),
    ],
)
def test_what_an_unsure_reading_is_read_again_as(text: str, intent: str | None) -> None:
    from actions.reread import WANTS_TO_WRITE, YES_WITH_ASIDE

    heard = "affirm" if YES_WITH_ASIDE.match(text) else None
    heard = heard or ("start_journal" if WANTS_TO_WRITE.search(text) else None)
    assert heard == intent


def test_a_role_seen_yesterday_is_not_an_application_sent_yesterday() -> None:
    from datetime import date

    from actions.understanding import application_facts
    from rasa_sdk import Tracker

    text = "yes, there's a role at Grant Thornton I saw yesterday, an audit associate thing"
    message = {"text": text, "intent": {"name": "inform"}, "entities": []}
    heard = Tracker("u", {}, message, [{"event": "user", "text": text}], False, None, {}, "")

    facts = application_facts(heard, today=date(2026, 12, 3))

    assert facts == {"app_company": "Grant Thornton", "app_role": "audit associate"}
