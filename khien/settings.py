"""One typed settings object, read from the environment. README lists every variable."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Optional

REPO_ROOT = Path(__file__).resolve().parent.parent
VIETNAM = timezone(timedelta(hours=7))


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
    # empty: an SQLite file in var_dir (see __post_init__)
    database_url: str = field(default_factory=lambda: _env("KHIEN_DATABASE_URL", ""))
    retention_days: int = field(default_factory=lambda: int(_env("KHIEN_RETENTION_DAYS", "365")))
    # Fernet key for the one reversible link to a user: the address a counsellor replies to.
    reply_key: str = field(
        default_factory=lambda: os.environ.get("KHIEN_REPLY_KEY") or _dev_secret("KHIEN_REPLY_KEY", _fernet_key)
    )
    # Chat-app channels (bot/telegram.py, bot/zalo.py): each is on when its token or app id is set.
    turns_per_minute: int = field(default_factory=lambda: int(_env("KHIEN_TURNS_PER_MINUTE", "20")))
    public_url: str = field(default_factory=lambda: _env("KHIEN_PUBLIC_URL", "").rstrip("/"))
    telegram_bot_token: str = field(default_factory=lambda: _env("TELEGRAM_BOT_TOKEN", ""))
    telegram_mode: str = field(default_factory=lambda: _env("TELEGRAM_MODE", "webhook"))
    telegram_api_base_url: str = field(
        default_factory=lambda: _env("TELEGRAM_API_BASE_URL", "https://api.telegram.org").rstrip("/")
    )
    telegram_webhook_secret: str = field(default_factory=lambda: _env("KHIEN_TELEGRAM_WEBHOOK_SECRET", ""))
    zalo_app_id: str = field(default_factory=lambda: _env("ZALO_APP_ID", ""))
    zalo_app_secret: str = field(default_factory=lambda: _env("ZALO_APP_SECRET", ""))
    zalo_oa_secret: str = field(default_factory=lambda: _env("ZALO_OA_SECRET", ""))
    zalo_access_token: str = field(default_factory=lambda: _env("ZALO_ACCESS_TOKEN", ""))
    zalo_refresh_token: str = field(default_factory=lambda: _env("ZALO_REFRESH_TOKEN", ""))
    zalo_api_base_url: str = field(
        default_factory=lambda: _env("ZALO_API_BASE_URL", "https://openapi.zalo.me").rstrip("/")
    )
    zalo_oauth_base_url: str = field(
        default_factory=lambda: _env("ZALO_OAUTH_BASE_URL", "https://oauth.zaloapp.com").rstrip("/")
    )
    # Delivery of cases (bot/dispatcher.py) and counsellors (actions/cases.py).
    dispatcher_enabled: bool = field(default_factory=lambda: _env("KHIEN_DISPATCHER", "on") == "on")
    hotline_url: str = field(default_factory=lambda: _env("KHIEN_HOTLINE_URL", ""))
    hotline_secret: str = field(default_factory=lambda: _env("KHIEN_HOTLINE_SECRET", ""))
    counsellor_chat_id: str = field(default_factory=lambda: _env("KHIEN_COUNSELLOR_CHAT_ID", ""))
    claim_sla_seconds: int = field(default_factory=lambda: int(_env("KHIEN_CLAIM_SLA_SECONDS", "120")))
    # "HH:MM-HH:MM" in Viet Nam time when counsellors are on duty; empty means always.
    counsellor_hours: str = field(default_factory=lambda: _env("KHIEN_COUNSELLOR_HOURS", ""))
    # The counsellors' web console (bot/console/): signs its session cookies; a session ends this
    # long after log-in, whatever the activity.
    console_secret: str = field(
        default_factory=lambda: os.environ.get("KHIEN_CONSOLE_SECRET") or _dev_secret("KHIEN_CONSOLE_SECRET")
    )
    console_session_minutes: int = field(default_factory=lambda: int(_env("KHIEN_CONSOLE_SESSION_MINUTES", "480")))

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{Path(self.var_dir) / 'khien.db'}")

    def counsellors_on_duty(self, now: Optional[datetime] = None) -> bool:
        if not self.counsellor_hours:
            return True
        start, end = (time.fromisoformat(part.strip()) for part in self.counsellor_hours.split("-"))
        local = (now or datetime.now(VIETNAM)).astimezone(VIETNAM).time()
        return start <= local < end if start <= end else (local >= start or local < end)


def get_settings() -> Settings:
    return Settings()
