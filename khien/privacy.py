"""Privacy primitives: who a user is, without knowing who they are."""
from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret: str, channel: str, user_id: str) -> str:
    """HMAC-SHA256(secret, channel + user id): stable per user, irreversible without the secret."""
    digest = hmac.new(secret.encode(), f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"u_{digest[:32]}"


def seal_address(key: str, channel: str, address: str) -> str:
    """Encrypts a reply address (channel + channel user id) for storage with a case."""
    from cryptography.fernet import Fernet

    return Fernet(key.encode()).encrypt(f"{channel}:{address}".encode()).decode()


def open_address(key: str, sealed: str) -> tuple[str, str]:
    """(channel, address) from seal_address's output; raises on a wrong key or tampering."""
    from cryptography.fernet import Fernet

    channel, _, address = Fernet(key.encode()).decrypt(sealed.encode()).decode().partition(":")
    return channel, address
