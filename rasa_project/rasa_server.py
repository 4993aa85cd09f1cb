"""``python -m rasa_server <rasa command>``: Rasa's command line, with five changes.

- ``run`` takes the auth token from the ``RASA_TOKEN`` environment variable instead of
  the command line, where every local user could read it in ``ps``.
- Replies from the action server are checked against Rasa's response schema with one
  compiled validator. Rasa 3.6 calls ``jsonschema.validate`` for every custom action,
  which first re-checks the schema against its meta-schema: about 33 ms per action on
  a 2-core machine, the largest single cost of a message (see the benchmark notes).
- skops (the logistic regression's file format) is imported before TensorFlow: on
  its first import it looks up every numpy and scipy ufunc in every loaded module,
  about 8 s once TensorFlow and Rasa are loaded, a fraction of a second before.
- ``test nlu --cross-validation`` draws the same folds every run. Rasa 3.6 shuffles
  them anew each time: the same data and config scored 0.876 and 0.883 in two runs,
  more than the changes we needed to see.
- Logs never hold what people wrote or a secret: every record is cleaned by
  ``bot.log_privacy`` (texts that reach our channel are remembered and withheld), and
  Rasa's structured log events have the values Rasa itself marks as user content
  withheld and their exceptions left to that cleaning (structlog would render every
  frame's local variables).
"""

from __future__ import annotations

import os
import sys
from functools import cache, partial
from typing import Any

import sklearn.model_selection
import skops.io  # noqa: F401  (must come before TensorFlow and Rasa: see above)
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.utils import log_utils

from bot import log_privacy


@cache
def action_reply_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of once per reply
    return validator_class(schema)


def validate_action_reply(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """Same contract as ``RemoteAction._validate_action_result``: True or ValidationError."""
    error: ValidationError | None = best_match(action_reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid. For more information about "
            f"the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


CROSS_VALIDATION_SEED = 0
_StratifiedKFold = sklearn.model_selection.StratifiedKFold


def seed_cross_validation() -> None:
    """Rasa imports ``StratifiedKFold`` when it draws the folds: give it a fixed seed."""
    sklearn.model_selection.StratifiedKFold = partial(  # type: ignore[misc]
        _StratifiedKFold, random_state=CROSS_VALIDATION_SEED
    )


# The keys rasa.utils.log_utils._anonymizer hands to Rasa Pro's anonymization.
USER_CONTENT_KEYS = frozenset(
    {
        "text", "response_text", "user_text", "slot_values", "parse_data_text",
        "parse_data_entities", "prediction_events", "tracker_latest_message",
        "prefilled_slots", "message", "response", "slot_candidates", "rasa_event",
        "rasa_events", "tracker_states", "current_states", "old_states", "successes",
        "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
        "json_message",
    }
)  # fmt: skip


def withhold_user_content(_logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor in place of Rasa's ``_anonymizer``, first in its chain."""
    for key in USER_CONTENT_KEYS & event.keys():
        event[key] = "[withheld]"
    if event.get("exc_info") or method == "exception":
        event["exc_info"] = False
    return event


def install() -> None:
    RemoteAction._validate_action_result = validate_action_reply  # type: ignore[method-assign]
    seed_cross_validation()
    log_privacy.install([os.environ.get("RASA_TOKEN")])
    log_utils._anonymizer = withhold_user_content  # read when Rasa configures structlog


def rasa_argv(args: list[str], token: str | None) -> list[str]:
    """Rasa's argv for ``args``, with the token joined to its option by ``=``.

    Apart, a token that begins with ``-`` (one in 64 of ours) reads as an option.
    """
    if args[:1] == ["run"]:
        if not token:
            raise SystemExit("rasa_server run: RASA_TOKEN is not set")
        args = [*args, f"--auth-token={token}"]
    return ["rasa", *args]


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    sys.argv = rasa_argv(sys.argv[1:], os.environ.get("RASA_TOKEN"))
    rasa_main()


if __name__ == "__main__":
    main()
