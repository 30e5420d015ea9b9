"""Checks every inbound text goes through, whatever the channel."""
from __future__ import annotations

import unicodedata

TOO_LONG_NOTE = "(Tin nhắn dài quá nên mình chỉ đọc được phần đầu thôi nhé.)"


class InvalidMessage(ValueError):
    """The message cannot be read as text; the reason is safe to show to the sender."""


def clean_inbound(text: object, max_chars: int) -> tuple[str, bool]:
    """Returns (text to send to Rasa, whether it was cut). Raises InvalidMessage."""
    if not isinstance(text, str):
        raise InvalidMessage("message must be text")
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    text = text.strip()
    if not text:
        raise InvalidMessage("message is empty")
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False
