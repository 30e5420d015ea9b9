"""The action server can start: every action the domain names is registered, and registering
the package raises nothing (an abstract base class registered as an action would)."""
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

REPO = Path(__file__).resolve().parents[2]


def test_every_custom_action_in_the_domain_is_registered():
    executor = ActionExecutor()
    executor.register_package("actions")
    named = set()
    for path in REPO.glob("domain/**/*.yml"):
        named |= {a for a in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("actions") or []
                  if not a.startswith("utter_")}
    assert named and named <= set(executor.actions), named - set(executor.actions)
