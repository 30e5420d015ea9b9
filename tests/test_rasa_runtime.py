"""khien/rasa_runtime.py: the action server's answers are validated as Rasa validates them."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import nlu.components  # noqa: F401  (installs the fix, as loading a model does)
from khien.rasa_runtime import validate_action_result

ANSWERS = [
    {"events": [{"event": "slot", "name": "at_risk", "value": True}], "responses": [{"text": "Chào em"}]},
    {"events": [], "responses": []},
    {},
    {"events": [{"event": "followup", "name": "action_escalate"}]},
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": [{"text": "x"}], "events": [{"event": 42}]},
]


def test_loading_the_model_installs_the_compiled_validator():
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("answer", ANSWERS)
def test_same_verdict_and_error_as_jsonschema_validate(answer):
    spec = RemoteAction.action_response_format_spec()
    try:
        jsonschema.validate(answer, spec)
        expected = None
    except jsonschema.ValidationError as error:
        expected = error
    action = RemoteAction("action_x", None)
    if expected is None:
        assert action._validate_action_result(answer) is True
    else:
        with pytest.raises(jsonschema.ValidationError) as raised:
            action._validate_action_result(answer)
        assert raised.value.message.startswith(expected.message)
        assert "Failed to validate Action server response" in raised.value.message
        assert list(raised.value.path) == list(expected.path)
