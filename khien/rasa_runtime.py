"""A fix to Rasa 3.6's runtime, installed in every process that loads our model.

Rasa checks each answer of the action server with `jsonschema.validate(answer, spec)`. That
call validates the *schema itself* against the JSON Schema meta-schema every time before it
looks at the answer (jsonschema 4.x, draft 2020-12 with $dynamicRef): measured with py-spy
under load, 39% of the Rasa process's CPU went there, more than NLU and dialogue together.
The schema is Rasa's own constant, so it is checked once here and the compiled validator is
reused; answers are validated exactly as before and fail with the same error.

`install()` is called when nlu.components is imported, which Rasa does in every process that
loads a Khiên model (rasa run, rasa shell, tests), so no deployment can run without it.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict


@lru_cache(maxsize=1)
def _action_response_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    validator_class.check_schema(spec)  # once, instead of on every action
    return validator_class(spec)


def validate_action_result(self, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator compiled once: True, or the
    jsonschema ValidationError that `jsonschema.validate` would raise."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result
