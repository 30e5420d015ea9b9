"""Real rasa_sdk trackers and a real report store (SQLite in a temporary folder)."""
import time

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import reporting

DOMAIN_SLOTS = ["at_risk", "reporter_role", "risk_level", "risk_category", "disclosure_started_at",
                "disclosure_reference", "consent_declined_at", "safe_now", "age_band", "consent",
                "relation", "setting", "province", "user_role", "requested_slot"]


def user_event(text, intent="out_of_scope", risk="none", category="none", timestamp=None, metadata=None):
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
             "risk": risk, "category": category, "metadata": metadata or {}}
    return {"event": "user", "text": text, "timestamp": timestamp or time.time(),
            "parse_data": parse, "metadata": metadata or {}}


def make_tracker(messages, slots=None, sender="u_test_pseudonym"):
    """`messages`: list of user_event dicts, oldest first; the last one is the latest message."""
    all_slots = {name: None for name in DOMAIN_SLOTS}
    all_slots.update(slots or {})
    latest = messages[-1]["parse_data"] if messages else {}
    return Tracker(sender, all_slots, latest, messages, False, None, None, "action_listen")


@pytest.fixture
def dispatcher():
    return CollectingDispatcher()


@pytest.fixture
def report_db(tmp_path, monkeypatch):
    """Points the action server's report store at a fresh SQLite file."""
    monkeypatch.setenv("KHIEN_DATABASE_URL", f"sqlite:///{tmp_path / 'reports.db'}")
    monkeypatch.setenv("KHIEN_VAR_DIR", str(tmp_path / "var"))
    reporting.report_store.cache_clear()
    yield reporting.report_store()
    reporting.report_store.cache_clear()


@pytest.fixture
def domain():
    from pathlib import Path

    import yaml

    responses = {}
    for path in sorted(Path(__file__).resolve().parents[2].glob("domain/*.yml")):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    return {"responses": responses}
