"""The conversation corpus gate (issue 13): tests/conversations/*.yml through the real stack.

It holds the corpus to ``corpus.FLOOR`` (a ratchet under the last measured run);
the issue's targets are ``corpus.TARGETS``, reported by `make converse`.

The corpus runs once (a module fixture); each target is its own test, whose
failure lists the failing conversations with their failures and transcripts.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from bot.conversation import Coach
from bot.launcher import Stack
from tests import corpus
from tests.corpus import FLOOR, Result

pytestmark = pytest.mark.e2e

EXAMPLES = Path(__file__).parent / "data" / "corpus_examples.yml"
HEAD_LINES, TAIL_LINES = 6, 24  # of each failing transcript in a test's message
BUTTON = re.compile(r"   \[\d+\] (.*)")


@pytest.fixture(scope="module")
async def coach(stack: Stack) -> AsyncIterator[Coach]:
    from bot.__main__ import make_coach

    built = make_coach(stack.settings)
    try:
        yield built
    finally:
        await built.rasa.close()


@pytest.fixture(scope="module")
def conversations() -> list[corpus.Conversation]:
    """The corpus, checked before any Rasa starts; an empty one fails the gate."""
    files = corpus.corpus_files()
    if not files:
        pytest.fail(f"no conversation files in {corpus.CORPUS_DIR}: the corpus gate cannot pass")
    return corpus.load_corpus(files)


@pytest.fixture(scope="module")
async def corpus_results(
    conversations: list[corpus.Conversation], stack: Stack, coach: Coach
) -> list[Result]:
    started = time.monotonic()
    results = await corpus.run_corpus(coach, stack.settings, conversations)
    print(f"corpus: {len(results)} conversations in {time.monotonic() - started:.0f} s")
    return results


def explain(results: Sequence[Result], *, non_answers: bool = False) -> str:
    """The failing conversations, each with what failed and the end of its transcript."""
    lines = []
    for result in results:
        problems = result.non_answers if non_answers else result.failures
        if not problems:
            continue
        lines.append(f"--- {result.id} ({result.split}, {result.persona}): {result.note}")
        lines += [f"  ! {problem}" for problem in problems]
        lines += [f"    {line}" for line in short(result.transcript)]
    return "\n".join(lines)


def short(transcript: str) -> list[str]:
    """A transcript with each reply's buttons on one line, its middle cut if long."""
    lines: list[str] = []
    for line in transcript.splitlines():
        button = BUTTON.match(line)
        if button and lines and lines[-1].startswith("   buttons:"):
            lines[-1] += f" | {button[1]}"
        else:
            lines.append(f"   buttons: {button[1]}" if button else line)
    if len(lines) <= HEAD_LINES + TAIL_LINES:
        return lines
    return [*lines[:HEAD_LINES], "…", *lines[-TAIL_LINES:]]


def pass_rate(results: Sequence[Result], split: str) -> tuple[float, list[Result]]:
    chosen = [r for r in results if r.split == split]
    if not chosen:
        pytest.fail(f"the {split} split has no conversations")
    return sum(r.passed for r in chosen) / len(chosen), chosen


def test_tune_split_pass_rate(corpus_results: list[Result]) -> None:
    rate, chosen = pass_rate(corpus_results, "tune")
    assert rate >= FLOOR.tune_pass_rate, (
        f"tune split: {rate:.1%} passed, floor {FLOOR.tune_pass_rate:.0%}\n{explain(chosen)}"
    )


def test_holdout_split_pass_rate(corpus_results: list[Result]) -> None:
    rate, chosen = pass_rate(corpus_results, "holdout")
    assert rate >= FLOOR.holdout_pass_rate, (
        f"holdout split: {rate:.1%} passed, floor {FLOOR.holdout_pass_rate:.0%}\n{explain(chosen)}"
    )


def test_fallback_turns_are_rare(corpus_results: list[Result]) -> None:
    turns = sum(r.user_turns for r in corpus_results)
    fallbacks = sum(len(r.fallbacks) for r in corpus_results)
    assert turns, "no user turns reached Rasa"
    each = [f"{r.id}: {r.fallbacks}" for r in corpus_results if r.fallbacks]
    assert fallbacks / turns <= FLOOR.max_fallback_rate, (
        f"{fallbacks} of {turns} user turns fell back ({fallbacks / turns:.1%}, "
        f"at most {FLOOR.max_fallback_rate:.0%}): {'; '.join(each)}"
    )


def test_no_non_answer_is_stored(corpus_results: list[Result]) -> None:
    found = sum(len(r.non_answers) for r in corpus_results)
    assert found <= FLOOR.max_non_answers, (
        f"{found} non-answer(s) stored\n{explain(corpus_results, non_answers=True)}"
    )


async def test_the_runner_plays_and_reads_back_the_examples(stack: Stack, coach: Coach) -> None:
    """Every step of the runner's examples is played and counted, simple flows are read
    back as stored, and a wrong expectation is caught. (example-full-evening is judged
    only on being played: whether the bot gets it right is the corpus's business.)"""
    conversations = corpus.load_corpus([EXAMPLES])
    results = await corpus.run_corpus(coach, stack.settings, conversations, first_user_id=400_000)
    by_id = {r.id: r for r in results}
    for conversation in conversations:
        result = by_id[conversation.id]
        typed = sum(1 for turn in conversation.turns if isinstance(turn, str) or "press" in turn)
        assert not [f for f in result.failures if f.startswith("turn ")], explain([result])
        assert result.user_turns == typed, f"{result.id}: {result.user_turns} of {typed} counted"
    wrong = by_id["example-wrong-expectation"]
    assert wrong.failures == ["rejections: expected 1 row(s), found 0: []"]
    assert wrong.transcript.startswith("you> hi\ncoach> ")
    simple = [by_id["example-question-mid-form"], by_id["example-next-day-checkin"]]
    assert all(r.passed and not r.non_answers for r in simple), explain(simple)
