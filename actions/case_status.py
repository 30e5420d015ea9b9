"""Status by reference code: the caller's own case, in plain words, and nothing more.

A wrong code, or someone else's, reveals nothing (the same answer as a code that does not
exist), and after MAX_FAILURES wrong codes in a row look-ups pause for PAUSE_SECONDS.
"""
from __future__ import annotations

import logging
import time
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.cases import Cases, case_texts
from actions.reporting import report_store
from khien.reference import find_reference

logger = logging.getLogger(__name__)

MAX_FAILURES = 5
PAUSE_SECONDS = 15 * 60
class ActionCaseStatus(Action):
    def name(self) -> Text:
        return "action_case_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        texts = case_texts()
        now = time.time()
        if (tracker.get_slot("case_lookup_paused_until") or 0) > now:
            dispatcher.utter_message(text=texts["too_many_tries"])
            return []
        reference = find_reference((tracker.latest_message or {}).get("text")) or tracker.get_slot("disclosure_reference")
        status = None
        if reference:
            try:
                status = Cases(report_store()).status_for(tracker.sender_id, reference)
            except Exception as error:
                logger.error("case status look-up failed: %s", type(error).__name__)
                dispatcher.utter_message(response="utter_report_failed")
                return []
        if status is None:
            failures = (tracker.get_slot("case_lookup_failures") or 0) + 1
            dispatcher.utter_message(text=texts["unknown_reference"])
            events: List[EventType] = [SlotSet("case_lookup_failures", failures)]
            if failures >= MAX_FAILURES:
                events += [SlotSet("case_lookup_paused_until", now + PAUSE_SECONDS), SlotSet("case_lookup_failures", 0)]
                logger.warning("case look-ups paused for sender=%s after %d wrong codes", tracker.sender_id, failures)
            return events
        dispatcher.utter_message(text=texts["status"][status])
        return [SlotSet("case_lookup_failures", 0)]
