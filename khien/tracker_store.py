"""Rasa's SQL tracker store, made private.

* Free text is anonymised before it is stored: what a child typed reaches the conversation
  store only with names, phone numbers, addresses and schools replaced by placeholders.
* A conversation can be forgotten: when the action server sets the `forget_me_at` slot (after
  the user confirmed /xoa), every stored event of that sender is deleted and only what comes
  after the request is kept.

Configured in endpoints.yml as `type: khien.tracker_store.PrivateSQLTrackerStore`.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, List

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)
FORGET_SLOT = "forget_me_at"


def redact_event(data: Dict[str, Any]) -> Dict[str, Any]:
    """The stored form of an event: user text (and its copy in parse_data) anonymised."""
    from actions.anonymiser import anonymise

    if data.get("event") == "user" and data.get("text"):
        data["text"] = anonymise(data["text"])
        parse = data.get("parse_data")
        if isinstance(parse, dict) and parse.get("text"):
            parse["text"] = data["text"]
    return data


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that anonymises text at rest and honours deletion requests."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            events: List[Event] = list(self._additional_events(session, tracker))
            forget_at = max((i for i, e in enumerate(events)
                             if isinstance(e, SlotSet) and e.key == FORGET_SLOT), default=None)
            if forget_at is not None:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                events = events[forget_at + 1:]
                logger.info("conversation of sender=%s forgotten on request", tracker.sender_id)
            for event in events:
                data = redact_event(event.as_dict())
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            session.commit()
