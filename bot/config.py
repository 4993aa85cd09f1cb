"""Settings read once from the environment, shared by every process we start."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA_PROJECT = PROJECT_ROOT / "rasa_project"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    telegram_token: str | None = field(repr=False)
    telegram_base_url: str | None
    rasa_url: str | None
    rasa_token: str = field(repr=False)
    rasa_port: int = 5005
    action_port: int = 5055
    allowed_user_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"
    rasa_log_level: str = "WARNING"  # Rasa's and the action server's own level
    retention_days: int = 180

    @property
    def db_path(self) -> Path:
        return self.data_dir / "coach.db"

    @property
    def tracker_db_path(self) -> Path:
        return self.data_dir / "rasa-tracker.db"

    @property
    def rasa_base_url(self) -> str:
        return self.rasa_url or f"http://127.0.0.1:{self.rasa_port}"

    def is_allowed(self, user_id: int) -> bool:
        return not self.allowed_user_ids or user_id in self.allowed_user_ids


def _secret(data_dir: Path) -> str:
    """The shared secret for Rasa's HTTP API and our webhook channel.

    Kept in DATA_DIR so that a restarted front end can still talk to a Rasa
    server that an earlier run started with the same secret.
    """
    path = data_dir / "rasa-token"
    if path.exists():
        return path.read_text().strip()
    token = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(token)
    return token


def _user_ids(raw: str) -> frozenset[int]:
    return frozenset(int(part) for part in raw.replace(",", " ").split() if part.strip())


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("DATA_DIR") or PROJECT_ROOT / "data").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings(
        data_dir=data_dir,
        telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_base_url=env.get("TELEGRAM_BASE_URL") or None,
        rasa_url=env.get("RASA_URL") or None,
        rasa_token=env.get("RASA_TOKEN") or _secret(data_dir),
        rasa_port=int(env.get("RASA_PORT", "5005")),
        action_port=int(env.get("ACTION_PORT", "5055")),
        allowed_user_ids=_user_ids(env.get("ALLOWED_USER_IDS", "")),
        log_level=env.get("LOG_LEVEL", "INFO").upper(),
        rasa_log_level=env.get("RASA_LOG_LEVEL", "WARNING").upper(),
        retention_days=int(env.get("RETENTION_DAYS", "180")),
    )
