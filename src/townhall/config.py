"""Settings from a TOML file and TOWNHALL_* environment variables, loaded once.

Every option is typed, with its environment name, default and help, in one model;
the commented `townhall.toml.example` is generated from it (`example_toml`). An
unknown key in the file or a value out of range stops start-up with one line naming
the key. Other TOWNHALL_* variables are left alone at start-up (the environment is shared
with other tools, the test suite's own TOWNHALL_TEST_* for one); `townhall check-config`
lists them, since one may be a misspelt setting.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, SettingsConfigDict

from townhall.errors import ConfigError
from townhall.storage.sql.engine import DEFAULT_POOL_SIZE

ENV_PREFIX = "TOWNHALL_"
MiB = 1024 * 1024


class Settings(BaseSettings):
    """Process-wide settings; per-site settings live in the database."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    database_url: str = Field(
        "sqlite+aiosqlite:///townhall.sqlite3",
        min_length=1,
        description="SQLite file (WAL) or postgresql://user@host/db",
    )
    db_pool_size: int = Field(
        DEFAULT_POOL_SIZE,
        ge=1,
        le=100,
        description="PostgreSQL connections each worker keeps; requests beyond wait for one. "
        "Across all workers and instances, two to four per core of the database server",
    )
    redis_url: str | None = Field(
        None,
        description="Redis for live fan-out, shared rate limits and cache invalidation "
        "across instances",
    )
    redis_prefix: str = Field(
        "townhall:",
        min_length=1,
        max_length=64,
        description="Namespace for Redis keys and channels (one per installation sharing a Redis)",
    )
    live_broker: Literal["auto", "memory", "database"] = Field(
        "auto",
        description="Live fan-out without Redis: 'memory' (one process), 'database' (an "
        "event log every process tails), 'auto' (database when serve runs several workers)",
    )
    worker_dir: str | None = Field(
        None,
        description="Set by `townhall serve --workers N`: a private directory of files the "
        "workers share (rate limits, metrics); leave unset",
    )
    sso_secret: str | None = Field(None, description="HS256 secret of the default site's SSO")
    allowed_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Extra origins allowed to embed (comma-separated)"
    )
    public_url: str | None = Field(None, description="The server's public origin behind a proxy")
    rate_limits: bool = Field(True, description="Off only for load tests and benchmarks")
    response_cache: bool = Field(
        True, description="Cache of anonymous reads, invalidated on every visible change"
    )
    cache_ttl_seconds: float = Field(
        2.0,
        gt=0,
        le=3600,
        description="Longest a cached answer lives (bounds changes nobody announces, "
        "such as a closing time passing)",
    )
    cache_versions_file: str | None = Field(
        None,
        description="File of the cache's version slots shared by the workers of a host "
        "(default: beside the SQLite file, or in /dev/shm); 'private' for one process",
    )
    session_days: int = Field(30, ge=1, le=3650, description="Session lifetime in days")
    retention_interval_seconds: float = Field(
        3600.0,
        ge=0,
        le=7 * 86400,
        description="How often the server purges personal data past the site's retention "
        "(0: never; run `townhall purge` from cron instead)",
    )
    max_request_bytes: int = Field(
        64 * 1024, ge=1024, le=16 * MiB, description="Request body limit (413 above)"
    )
    sse_max_per_client: int = Field(
        200,
        ge=1,
        le=100_000,
        description="Concurrent live streams of anonymous readers per client address "
        "(offices and schools share one; signed-in readers are counted per account)",
    )
    sse_keepalive_seconds: float = Field(
        15.0, gt=0, le=3600, description="Keep-alive interval on live streams"
    )
    header_timeout_seconds: float = Field(
        10.0, gt=0, le=600, description="Time a client has to send its request headers (and body)"
    )
    log_level: Literal["debug", "info", "warning", "error", "critical"] = Field(
        "info", description="Least severe log level written"
    )
    log_json: bool = Field(True, description="Structured JSON logs on stderr")
    site_name: str = Field(
        "The Daily Ledger",
        min_length=1,
        max_length=80,
        description="Publisher name (Premium label, reserved names)",
    )
    smtp_url: str | None = Field(
        None,
        description="Mail relay: smtp://user:pass@host:port (STARTTLS when offered), "
        "smtp+starttls://… (STARTTLS required) or smtps://… (TLS from the start); "
        "unset: no e-mail is sent",
    )
    mail_from: str = Field(
        "townhall <noreply@localhost>",
        min_length=3,
        max_length=320,
        description="From address of every e-mail",
    )
    mail_templates_dir: str | None = Field(
        None,
        description="Folder of e-mail templates that replace the built-in ones of the same "
        "name (docs/notifications.md)",
    )
    outbox_sender: bool = Field(
        True,
        description="Deliver the outbox from the server (one process at a time holds the "
        "sender's lease); off when `townhall worker` runs elsewhere",
    )
    outbox_poll_seconds: float = Field(
        1.0, gt=0, le=300, description="How often the sender looks for due messages"
    )
    outbox_retry_seconds: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="First retry delay of a failed delivery; doubles each time, at most 1 hour",
    )
    outbox_give_up_hours: float = Field(
        24.0, gt=0, le=24 * 14, description="Retry a failing delivery for this long, then drop it"
    )
    outbox_keep_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days delivered, given-up and skipped messages stay in the outbox "
        "(the delivery log) before they are deleted",
    )
    webhook_allow_private: bool = Field(
        False,
        description="Allow webhooks to loopback and private addresses (a receiver on "
        "this host or network)",
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="Time a webhook receiver has to answer"
    )

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, raw: Any) -> tuple[str, ...]:
        if isinstance(raw, str):
            raw = raw.split(",")
        return tuple(str(p).strip().rstrip("/") for p in raw if str(p).strip())

    @field_validator(
        "redis_url",
        "sso_secret",
        "public_url",
        "cache_versions_file",
        "smtp_url",
        "mail_templates_dir",
        "worker_dir",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, raw: Any) -> Any:
        return None if raw == "" else raw

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


class _Env(EnvSettingsSource):
    """TOWNHALL_* values from a given mapping (os.environ unless a caller passes one)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._given = env
        super().__init__(Settings)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k.lower(): v for k, v in self._given.items()}


def env_name(key: str) -> str:
    """The environment variable of a setting."""
    return ENV_PREFIX + key.upper()


def _read_toml(path: str | Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    for key in data:
        if key not in Settings.model_fields:
            raise ConfigError(f"{path}: unknown setting '{key}'")
    return data


def _layers(
    path: str | Path | None, env: Mapping[str, str] | None, overrides: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    """(where, values) from the lowest layer to the highest: TOML file, env, options."""
    env = dict(os.environ if env is None else env)
    toml_path = path or env.get("TOWNHALL_CONFIG")
    if toml_path is None and Path("townhall.toml").is_file():
        toml_path = "townhall.toml"
    layers: list[tuple[str, dict[str, Any]]] = []
    if toml_path:
        layers.append((str(toml_path), _read_toml(toml_path)))
    layers.append(("environment", dict(_Env(env)())))
    layers.append(("option", {k: v for k, v in overrides.items() if v is not None}))
    return layers


def setting_origins(
    path: str | Path | None = None, env: Mapping[str, str] | None = None, **overrides: Any
) -> dict[str, str]:
    """Where each setting that is not a default comes from (file name, 'environment',
    'option'), for `townhall check-config`."""
    origin: dict[str, str] = {}
    for where, values in _layers(path, env, overrides):
        origin.update(dict.fromkeys(values, where))
    return origin


def unknown_env_names(env: Mapping[str, str] | None = None) -> list[str]:
    """TOWNHALL_* variables that name no setting (a typo is silently ignored otherwise).
    TOWNHALL_CONFIG names the file; TOWNHALL_TEST_* belong to the test suite."""
    env = os.environ if env is None else env
    known = {env_name(k) for k in Settings.model_fields} | {"TOWNHALL_CONFIG"}
    return sorted(
        k
        for k in env
        if k.upper().startswith(ENV_PREFIX)
        and k.upper() not in known
        and not k.upper().startswith("TOWNHALL_TEST_")
    )


def load_settings(
    path: str | Path | None = None, env: Mapping[str, str] | None = None, **overrides: Any
) -> Settings:
    """Build Settings: defaults < TOML file < TOWNHALL_* env < explicit overrides."""
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for where, values in _layers(path, env, overrides):
        merged.update(values)
        origin.update(dict.fromkeys(values, where))
    try:
        return Settings(**merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else "settings"
        where = origin.get(key, "option")
        name = env_name(key) if where == "environment" else key
        raise ConfigError(f"{name} ({where}): {err['msg']}") from None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


_RULES = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}


def _rule(constraint: Any) -> str:
    """A field constraint in words (for the example file)."""
    for attr, words in _RULES.items():
        if hasattr(constraint, attr):
            return f"{words} {getattr(constraint, attr)}"
    if getattr(constraint, "min_length", None) == 1:
        return "not empty"
    if hasattr(constraint, "min_length"):
        return f"at least {constraint.min_length} characters"
    if hasattr(constraint, "max_length"):
        return f"at most {constraint.max_length} characters"
    return ""


def example_toml() -> str:
    """A commented townhall.toml listing every setting with its default (all commented out)."""
    lines = [
        "# townhall settings (generated from townhall/config.py; do not edit by hand).",
        "# Copy to townhall.toml and uncomment what you change. Each setting can also come",
        "# from its environment variable, which wins over this file.",
    ]
    for key, field in Settings.model_fields.items():
        lines.append("")
        lines.append(f"# {field.description}")
        rules = [_rule(m) for m in field.metadata]
        shown = "; ".join(r for r in rules if r)
        lines.append(f"# env: {env_name(key)}" + (f"; {shown}" if shown else ""))
        choices = get_args(field.annotation) if get_origin(field.annotation) is Literal else ()
        if choices:
            lines[-1] += "; one of " + ", ".join(choices)
        default = field.default
        if default is None:
            lines.append(f'# {key} = ""')
        else:
            lines.append(f"# {key} = {_toml_value(default)}")
    return "\n".join(lines) + "\n"
