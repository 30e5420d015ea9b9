"""One turn of a conversation, whatever the channel: the path every inbound text takes.

clean and check the text -> map chat commands -> keyed pseudonym and sealed reply address ->
Rasa -> replies (with a note when the text was cut, with 111 when Rasa cannot answer).
While a counsellor talks to the child (live handoff), the text goes to the counsellor instead
and the bot stays quiet. Channel adapters (web chat, Telegram, Zalo) call `converse` and render
the replies.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Optional

from bot.messages import TOO_LONG_NOTE, clean_inbound
from bot.rasa_client import NO_REPLY, UNAVAILABLE_REPLY, RasaClient, RasaUnavailable
from khien.privacy import pseudonym, seal_address
from khien.settings import Settings

# Called with (report reference, anonymised text) when a child writes during a live handoff.
CounsellorNotifier = Callable[[str, str], Awaitable[None]]

logger = logging.getLogger(__name__)

# Chat commands every channel understands, as the Rasa intents they stand for.
COMMANDS = {
    "/start": "/greet",
    "/help": "/help_menu",
    "/menu": "/help_menu",
    "/xoa": "/delete_my_data",
    "/dung": "/stop_flow",
}


def map_command(text: str) -> str:
    command = text.split()[0].split("@")[0].lower() if text.startswith("/") else ""
    return COMMANDS.get(command, text)


async def converse(rasa: RasaClient, settings: Settings, channel: str, user_id: str,
                   text: object, cases=None,
                   notify_counsellor: Optional[CounsellorNotifier] = None) -> tuple[bool, list[dict[str, Any]]]:
    """Returns (answered, replies). Raises bot.messages.InvalidMessage for unreadable text.

    `cases` (actions.cases.Cases) enables the live handoff; without it every turn goes to Rasa.
    """
    cleaned, was_cut = clean_inbound(text, settings.max_message_chars)
    sender = pseudonym(settings.pseudonym_secret, channel, user_id)
    if cases is not None and await relayed_to_counsellor(cases, sender, cleaned, notify_counsellor):
        return True, []
    metadata = {"channel": channel, "reply_to": seal_address(settings.reply_key, channel, user_id)}
    try:
        replies = await rasa.send(sender, map_command(cleaned), metadata)
    except RasaUnavailable:
        return False, UNAVAILABLE_REPLY
    if not replies:  # Rasa answered nothing (e.g. the action server died mid-turn): never silence
        logger.warning("rasa gave no reply for sender=%s", sender)
        replies = NO_REPLY
    return True, ([{"text": TOO_LONG_NOTE}, *replies] if was_cut else replies)


async def relayed_to_counsellor(cases, sender: str, text: str,
                                notify_counsellor: Optional[CounsellorNotifier]) -> bool:
    """During a live handoff the child's message goes to the counsellor (anonymised, like
    everything stored), not to Rasa. Returns whether it did. A store that cannot be reached
    leaves the turn to Rasa: the child is never left without an answer."""
    try:
        report = await asyncio.to_thread(cases.active_handoff_for, sender)
        if report is None:
            return False
        anonymised = await asyncio.to_thread(cases.record_from_child, report.id, text)
    except Exception as error:
        logger.error("handoff check failed for sender=%s: %s", sender, type(error).__name__)
        return False
    if notify_counsellor is not None:
        try:
            await notify_counsellor(report.reference, anonymised)
        except Exception as error:  # the message is stored; the console shows it anyway
            logger.warning("counsellor not notified for %s: %s", report.reference, type(error).__name__)
    return True
