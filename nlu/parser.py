"""Parse text with a trained Khiên model, outside the Rasa server (triage CLI, evaluations)."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Iterable, Iterator


def latest_model(model_dir: Path) -> Path:
    models = sorted(model_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {model_dir}: run `make train` first")
    return models[-1]


class ModelParser:
    """Loads the NLU part of a trained model once; parses many texts."""

    def __init__(self, model_path: Path) -> None:
        import logging

        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        # Rasa's parse debug lines carry message text: they must never be printed.
        configure_structlog(logging.WARNING)

        self.model_path = model_path
        self._agent = Agent.load(str(model_path))
        self._loop = asyncio.new_event_loop()

    def parse(self, text: str) -> dict[str, Any]:
        return self._loop.run_until_complete(self._agent.parse_message(text))

    def triage(self, text: str) -> dict[str, Any]:
        """The stable triage record (DESIGN.md: `khien triage`)."""
        parsed = self.parse(text)
        intent = parsed.get("intent") or {}
        return {
            "intent": intent.get("name"),
            "confidence": round(float(intent.get("confidence") or 0.0), 4),
            "risk": parsed.get("risk", "none"),
            "category": parsed.get("category", "none"),
            "escalate": bool(parsed.get("escalate", False)),
        }


def read_items(lines: Iterable[str]) -> Iterator[tuple[Any, str]]:
    """JSON lines `{"id", "text"}` or plain text lines; blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                item = json.loads(line)
                if isinstance(item, dict) and isinstance(item.get("text"), str):
                    yield item.get("id", number), item["text"]
                    continue
            except json.JSONDecodeError:
                pass
        yield number, line
