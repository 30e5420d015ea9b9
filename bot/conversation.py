"""One turn of a conversation, whatever the channel: the path every inbound text takes.

clean and check the text -> map chat commands -> keyed pseudonym and sealed reply address ->
Rasa -> replies (with a note when the text was cut, with 111 when Rasa cannot answer).
Channel adapters (web chat, Telegram, Zalo) call `converse` and render the replies.
"""
from __future__ import annotations

import logging
from typing import Any

from bot.messages import TOO_LONG_NOTE, clean_inbound
from bot.rasa_client import UNAVAILABLE_REPLY, RasaClient, RasaUnavailable
from khien.privacy import pseudonym, seal_address
from khien.settings import Settings

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
                   text: object) -> tuple[bool, list[dict[str, Any]]]:
    """Returns (Rasa answered, replies). Raises bot.messages.InvalidMessage for unreadable text."""
    cleaned, was_cut = clean_inbound(text, settings.max_message_chars)
    sender = pseudonym(settings.pseudonym_secret, channel, user_id)
    metadata = {"channel": channel, "reply_to": seal_address(settings.reply_key, channel, user_id)}
    try:
        replies = await rasa.send(sender, map_command(cleaned), metadata)
    except RasaUnavailable:
        return False, UNAVAILABLE_REPLY
    return True, ([{"text": TOO_LONG_NOTE}, *replies] if was_cut else replies)
