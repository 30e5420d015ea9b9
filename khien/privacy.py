"""Privacy primitives: who a user is, without knowing who they are."""
from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret: str, channel: str, user_id: str) -> str:
    """HMAC-SHA256(secret, channel + user id): stable per user, irreversible without the secret."""
    digest = hmac.new(secret.encode(), f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"u_{digest[:32]}"
