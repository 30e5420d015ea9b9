"""Deletion on request ("/xoa"): everything stored about one user, after they confirmed."""
from __future__ import annotations

import logging
import time
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.progress import LessonProgressStore
from actions.reporting import report_store

logger = logging.getLogger(__name__)


class ActionDeleteMyData(Action):
    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        try:
            deleted = report_store().delete_user(tracker.sender_id)
            lessons = LessonProgressStore(report_store()).delete_user(tracker.sender_id)
        except Exception as error:
            logger.error("deletion failed for sender=%s: %s", tracker.sender_id, type(error).__name__)
            dispatcher.utter_message(response="utter_report_failed")
            return []
        logger.info("deleted %d report(s) and %d lesson record(s) of sender=%s on request",
                    deleted, lessons, tracker.sender_id)
        dispatcher.utter_message(response="utter_data_deleted")
        # The slot tells the tracker store to drop the stored conversation (khien/tracker_store.py).
        return [AllSlotsReset(), SlotSet("forget_me_at", time.time())]
