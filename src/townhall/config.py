"""Settings from a TOML file and TOWNHALL_* environment variables, loaded once."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from townhall.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class Settings:
    """Process-wide settings; per-site settings live in the database."""

    database_url: str = "sqlite+aiosqlite:///townhall.sqlite3"
    redis_url: str | None = None
    redis_prefix: str = "townhall:"
    sso_secret: str | None = None
    allowed_origins: tuple[str, ...] = ()
    public_url: str | None = None
    rate_limits: bool = True
    response_cache: bool = True
    session_days: int = 30
    max_request_bytes: int = 64 * 1024
    sse_max_per_client: int = 200  # anonymous streams per address: offices share one
    sse_keepalive_seconds: float = 15.0
    header_timeout_seconds: float = 10.0
    log_level: str = "info"
    log_json: bool = True
    site_name: str = "The Daily Ledger"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


def _coerce(name: str, raw: Any, current: Any) -> Any:
    if isinstance(current, bool) or name in ("rate_limits", "response_cache"):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ConfigError(f"{name} must be on/off, got {raw!r}")
    if isinstance(current, int) and not isinstance(current, bool):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if isinstance(current, float):
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if isinstance(current, tuple):
        if isinstance(raw, str):
            return tuple(p.strip().rstrip("/") for p in raw.split(",") if p.strip())
        return tuple(str(p).rstrip("/") for p in raw)
    return None if raw in ("", None) else str(raw)


def load_settings(
    path: str | Path | None = None, env: dict[str, str] | None = None, **overrides: Any
) -> Settings:
    """Build Settings: defaults < TOML file < TOWNHALL_* env < explicit overrides."""
    env = dict(os.environ if env is None else env)
    values: dict[str, Any] = {}
    defaults = Settings()
    known = {f.name: getattr(defaults, f.name) for f in fields(Settings) if f.name != "extra"}
    toml_path = path or env.get("TOWNHALL_CONFIG")
    if toml_path is None and Path("townhall.toml").is_file():
        toml_path = "townhall.toml"
    extra: dict[str, Any] = {}
    if toml_path:
        try:
            data = tomllib.loads(Path(toml_path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {toml_path}: {exc}") from None
        for key, raw in data.items():
            if key in known:
                values[key] = _coerce(key, raw, known[key])
            else:
                extra[key] = raw
    for key, current in known.items():
        raw = env.get(f"TOWNHALL_{key.upper()}")
        if raw is not None:
            values[key] = _coerce(key, raw, current)
    for key, raw in overrides.items():
        if raw is not None:
            values[key] = _coerce(key, raw, known[key])
    return Settings(**values, extra=extra)
