"""One typed settings object, read from the environment. README lists every variable."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _var_dir() -> Path:
    return Path(os.environ.get("KHIEN_VAR_DIR", REPO_ROOT / "var"))


def _dev_secret(name: str, make=lambda: secrets.token_hex(32)) -> str:
    """A random secret kept under var/, so a developer's pseudonyms and sealed addresses
    survive restarts. Production sets the variable; this fallback is for the embedded default.
    """
    path = _var_dir() / f".{name.lower()}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    var_dir: Path = field(default_factory=_var_dir)
    rasa_url: str = field(default_factory=lambda: _env("KHIEN_RASA_URL", "http://127.0.0.1:5005"))
    gateway_host: str = field(default_factory=lambda: _env("KHIEN_GATEWAY_HOST", "127.0.0.1"))
    gateway_port: int = field(default_factory=lambda: int(_env("KHIEN_GATEWAY_PORT", "8000")))
    max_message_chars: int = field(default_factory=lambda: int(_env("KHIEN_MAX_MESSAGE_CHARS", "2000")))
    pseudonym_secret: str = field(
        default_factory=lambda: os.environ.get("KHIEN_PSEUDONYM_SECRET") or _dev_secret("KHIEN_PSEUDONYM_SECRET")
    )
    model_dir: Path = field(default_factory=lambda: Path(_env("KHIEN_MODEL_DIR", str(REPO_ROOT / "models"))))
    log_level: str = field(default_factory=lambda: _env("KHIEN_LOG_LEVEL", "INFO"))
    database_url: str = field(
        default_factory=lambda: _env("KHIEN_DATABASE_URL", f"sqlite:///{_var_dir() / 'khien.db'}")
    )
    retention_days: int = field(default_factory=lambda: int(_env("KHIEN_RETENTION_DAYS", "365")))
    # Fernet key for the one reversible link to a user: the address a counsellor replies to.
    reply_key: str = field(
        default_factory=lambda: os.environ.get("KHIEN_REPLY_KEY") or _dev_secret("KHIEN_REPLY_KEY", _fernet_key)
    )


def get_settings() -> Settings:
    return Settings()
