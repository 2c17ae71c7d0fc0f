"""Settings of the web front: the web part of ops/settings.py (the environment is read there)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from ops.report import tracker_url
from ops.settings import DEFAULT_FEEDBACK_DB, Settings, parse_origins

__all__ = ["WebConfig", "parse_origins"]


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    bot_url: str = "http://localhost:5005"       # Rasa server with the REST channel
    allowed_origins: Tuple[str, ...] = ()          # origins allowed to call /api (CORS)
    feedback_db: Path = DEFAULT_FEEDBACK_DB
    guide_path: Optional[Path] = None              # None: guide_kb's default (GUIDE_PATH or repo)
    access_log: bool = False
    # the bot's tracker store (SQLAlchemy URL): 👍/👎 only for messages a sender received; None
    # takes every rating (a page without a bot behind it)
    tracker_url: Optional[str] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "WebConfig":
        """Raises ops.settings.ConfigurationError naming the variable that cannot work."""
        settings = Settings.from_env() if env is None else Settings.from_env(env)
        return cls.from_settings(settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> "WebConfig":
        return cls(host=settings.web_host, port=settings.web_port,
                   bot_url=settings.browser_bot_url,
                   allowed_origins=settings.web_allowed_origins,
                   feedback_db=settings.feedback_db, access_log=settings.web_access_log,
                   tracker_url=tracker_url(settings))

    @classmethod
    def coerce(cls, value: "WebConfig | Mapping | None") -> "WebConfig":
        """create_app accepts a WebConfig, a dict of its fields, or None (environment)."""
        if value is None:
            return cls.from_env()
        if isinstance(value, cls):
            return value
        data = dict(value)
        if "allowed_origins" in data and isinstance(data["allowed_origins"], str):
            data["allowed_origins"] = parse_origins(data["allowed_origins"])
        if "allowed_origins" in data:
            data["allowed_origins"] = tuple(o.rstrip("/") for o in data["allowed_origins"])
        for key in ("feedback_db", "guide_path"):
            if data.get(key) is not None:
                data[key] = Path(data[key])
        if "bot_url" in data:
            data["bot_url"] = str(data["bot_url"]).rstrip("/")
        return cls(**data)

