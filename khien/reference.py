"""Case reference codes: short, unguessable, easy to read aloud ('K7M-4QX-9PA').

Made by the report store (actions/store.py), recognised in what people type by the NLU
(nlu/components.py, ReferenceCodeDetector) and by the status action (actions/case_status.py).
"""
from __future__ import annotations

import re
import secrets
from typing import Optional

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: nothing to confuse when read aloud or typed.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
_SYMBOL = f"[{ALPHABET}]"
# Children type codes in lower case too, and our normaliser may space the hyphens.
PATTERN = re.compile(rf"\b({_SYMBOL}{{3}})\s*-\s*({_SYMBOL}{{3}})\s*-\s*({_SYMBOL}{{3}})\b", re.IGNORECASE)


def new_reference() -> str:
    """Nine symbols in three groups: 25^9 ≈ 3.8e12 codes."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(9))
    return f"{symbols[:3]}-{symbols[3:6]}-{symbols[6:]}"


def find_reference(text: Optional[str]) -> Optional[str]:
    match = PATTERN.search(text or "")
    return "-".join(match.groups()).upper() if match else None
