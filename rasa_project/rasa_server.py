"""``python -m rasa_server <rasa run options>``: Rasa's ``rasa run``, with two changes.

- The auth token comes from the ``RASA_TOKEN`` environment variable instead of the
  command line, where every local user could read it in ``ps``.
- Replies from the action server are checked against Rasa's response schema with one
  compiled validator. Rasa 3.6 calls ``jsonschema.validate`` for every custom action,
  which first re-checks the schema against its meta-schema: about 55 ms per action on
  a 2-core machine, the largest single cost of a message (see the benchmark notes).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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


def main() -> None:
    from rasa.__main__ import main as rasa_main

    RemoteAction._validate_action_result = validate_action_reply  # type: ignore[method-assign]
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", os.environ["RASA_TOKEN"]]
    rasa_main()


if __name__ == "__main__":
    main()
