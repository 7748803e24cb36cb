"""Per-site settings with defaults, validated; stored as JSON on the site row."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from townhall import i18n
from townhall.auth.sso_secrets import live_secrets
from townhall.domain.limits import BODY_MAX, LANGUAGE_TAG_MAX, LANGUAGE_TAG_MIN
from townhall.domain.urls import is_safe_link, normalize_origin
from townhall.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything a site's admins can change without a restart."""

    id: str
    name: str
    sso_secrets: tuple[str, ...] = ()
    version: int = 1
    premium_label: str = ""
    learn_more_url: str = "/subscribe"
    # Empty heading, call to action and guidelines mean the catalogue's, in each reader's
    # language (docs/i18n.md); text set here is shown as written in every language.
    guidelines: tuple[str, ...] = ()
    guidelines_url: str = "/community-guidelines"
    heading: str = ""
    call_to_action: str = ""
    # The language of the section when neither the element nor the page names one.
    language: str = i18n.REFERENCE
    # Publisher's overrides of catalogue messages: surface → language → message id → text.
    messages: dict[str, Any] = field(default_factory=dict)
    local_accounts: bool = True
    max_body: int = 5000
    edit_window_seconds: int = 600
    report_threshold: int = 3
    premium_read_restricted: bool = False
    allowed_origins: tuple[str, ...] = ()
    post_rate_per_minute: int = 6
    moderation: dict[str, Any] = field(default_factory=dict)
    # Moderators are e-mailed when this many comments wait in Pending (0: never) and,
    # when set, when reader reports hide a comment; at most once per period each.
    alert_pending_threshold: int = 0
    alert_on_reports: bool = False
    alert_every_minutes: int = 30
    # Days abuse-prevention data (address hashes, addresses in the audit log) is kept, and
    # days a deleted account's commenting name stays taken (docs/privacy.md).
    retention_days: int = 90
    name_quarantine_days: int = 30

    @property
    def premium_name(self) -> str:
        """Label of the Premium stream ("<Publisher> Premium" unless set).

        A leading "The" is dropped so the label reads in running text:
        "There are no Daily Ledger Premium comments yet".
        """
        if self.premium_label:
            return self.premium_label
        name = self.name[4:] if self.name.lower().startswith("the ") else self.name
        return f"{name} Premium"


# Keys admins may set through the API, with their type and bounds.
_EDITABLE: dict[str, tuple[type, Any]] = {
    "premium_label": (str, (0, 80)),
    "learn_more_url": (str, (0, 500)),
    "guidelines": (list, (0, 20)),
    "guidelines_url": (str, (0, 500)),
    "heading": (str, (0, 80)),
    "call_to_action": (str, (0, 200)),
    "local_accounts": (bool, None),
    "max_body": (int, (1, BODY_MAX)),
    "edit_window_seconds": (int, (0, 86_400)),
    "report_threshold": (int, (1, 1000)),
    "premium_read_restricted": (bool, None),
    "allowed_origins": (list, (0, 100)),
    "post_rate_per_minute": (int, (1, 1000)),
    "moderation": (dict, None),
    "language": (str, (LANGUAGE_TAG_MIN, LANGUAGE_TAG_MAX)),
    "messages": (dict, None),
    "alert_pending_threshold": (int, (0, 100_000)),
    "alert_on_reports": (bool, None),
    "alert_every_minutes": (int, (1, 1440)),
    "retention_days": (int, (1, 3650)),
    "name_quarantine_days": (int, (0, 3650)),
}
EDITABLE_KEYS = frozenset(_EDITABLE)
# Settings the widget and dashboard turn into links.
_LINKS = frozenset({"learn_more_url", "guidelines_url"})


def _origins(values: list[str]) -> list[str]:
    """Embedding origins as browsers send them ('https://host[:port]'), or refuse."""
    out = []
    for value in values:
        origin = normalize_origin(value)
        if origin is None:
            raise ValidationFailed(
                f"allowed_origins: '{value[:80]}' is not an http(s) origin like "
                "https://news.example.org (no path)",
                field="allowed_origins",
                rule="origin",
            )
        out.append(origin)
    return out


def validate_settings(changes: dict[str, Any]) -> dict[str, Any]:
    """Check a settings patch field by field; raise naming the first bad one."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in _EDITABLE:
            raise ValidationFailed(f"unknown setting '{key}'", field=key, rule="unknown")
        kind, bounds = _EDITABLE[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationFailed(f"{key} must be an integer", field=key, rule="type")
        if kind is not int and not isinstance(value, kind):
            raise ValidationFailed(f"{key} must be a {kind.__name__}", field=key, rule="type")
        if kind is int and bounds and not bounds[0] <= value <= bounds[1]:
            raise ValidationFailed(
                f"{key} must be between {bounds[0]} and {bounds[1]}", field=key, rule="range"
            )
        if kind in (str, list) and bounds and not bounds[0] <= len(value) <= bounds[1]:
            raise ValidationFailed(
                f"{key} length must be between {bounds[0]} and {bounds[1]}",
                field=key,
                rule="length",
            )
        if kind is list and not all(isinstance(v, str) and len(v) <= 500 for v in value):
            raise ValidationFailed(f"{key} must be a list of short strings", field=key, rule="type")
        if key in _LINKS and not is_safe_link(value):
            raise ValidationFailed(
                f"{key} must be an http(s) address or a path starting with a single /",
                field=key,
                rule="url",
            )
        if key == "allowed_origins":
            value = _origins(value)
        out[key] = value
    if "language" in out and out["language"] not in i18n.LANGUAGES:
        raise ValidationFailed(
            f"language must be one of {', '.join(i18n.CODES)}", field="language", rule="language"
        )
    if "messages" in out:
        out["messages"] = i18n.validate_overrides(out["messages"])
    if "moderation" in out:
        from townhall.moderation.pipeline import Rules

        try:
            Rules.from_settings(out["moderation"])
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(
                f"moderation settings: {exc}", field="moderation", rule="invalid"
            ) from None
    return out


def site_config_from_row(row: dict[str, Any]) -> SiteConfig:
    """Build a SiteConfig from a sites row (unknown JSON keys are ignored)."""
    stored = dict(row.get("settings") or {})
    known = {f.name for f in fields(SiteConfig)}
    values: dict[str, Any] = {}
    for key, value in stored.items():
        if key in known and key in _EDITABLE:
            values[key] = tuple(value) if isinstance(value, list) else value
    secrets = live_secrets(row)
    return SiteConfig(
        id=row["id"],
        name=row["name"],
        sso_secrets=secrets,
        version=row.get("settings_version") or 1,
        **values,
    )
