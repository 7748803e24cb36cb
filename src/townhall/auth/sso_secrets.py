"""The life of a site's SSO secrets: current, previous (a grace period) and retired.

A secret that leaves both slots (rotated out twice, or revoked) is retired: only its
SHA-256 is kept, and no rotation, restart or environment value installs it again.
The environment value (TOWNHALL_SSO_SECRET) counts as a rotation only when it differs
from the value adopted last time, so restarting with an unchanged environment never
undoes a rotation made from the dashboard.
"""

from __future__ import annotations

import hashlib
from typing import Any

MAX_RETIRED = 100


def secret_digest(secret: str) -> str:
    """SHA-256 of a secret, the only trace kept of a retired one."""
    return hashlib.sha256(secret.encode()).hexdigest()


def retired_digests(row: dict[str, Any]) -> list[str]:
    """Digests of the site's retired secrets, oldest first."""
    stored = row.get("retired_sso_secrets") or []
    return [d for d in stored if isinstance(d, str)]


def is_retired(row: dict[str, Any], secret: str | None) -> bool:
    """Whether a secret was rotated out or revoked on this site."""
    if not secret:
        return False
    return secret_digest(secret) in retired_digests(row)


def _retire(row: dict[str, Any], *secrets: str | None) -> list[str]:
    retired = retired_digests(row)
    for secret in secrets:
        if secret and secret_digest(secret) not in retired:
            retired.append(secret_digest(secret))
    return retired[-MAX_RETIRED:]


def adopt_environment_secret(
    row: dict[str, Any], env: str | None
) -> tuple[dict[str, Any], str | None]:
    """Column changes for the environment's secret at start-up, and a warning if any."""
    if not env:
        return {}, None
    digest = secret_digest(env)
    if row.get("sso_env_digest") == digest:
        return {}, None  # unchanged since it was adopted: whatever the dashboard did stands
    if is_retired(row, env):
        return {}, (
            "TOWNHALL_SSO_SECRET holds a secret that was rotated out or revoked; it is "
            "not accepted. Set a new value, or rotate from the dashboard."
        )
    current, previous = row.get("sso_secret"), row.get("previous_sso_secret")
    if env in (current, previous):
        return {"sso_env_digest": digest}, None
    if current and row.get("sso_env_digest") is None:
        # A site from before this record was kept: the value may be one that was
        # rotated out since, so it is noted and not installed.
        return {"sso_env_digest": digest}, (
            "TOWNHALL_SSO_SECRET differs from the site's current secret and may be one "
            "that was rotated out; it is not installed. Change the value (or rotate from "
            "the dashboard) to rotate."
        )
    return {
        "sso_secret": env,
        "previous_sso_secret": current,
        "sso_env_digest": digest,
        "retired_sso_secrets": _retire(row, previous),
    }, None


def rotate(row: dict[str, Any], new_secret: str, *, revoke_previous: bool) -> dict[str, Any]:
    """Column changes for a rotation: the current secret becomes the previous one (or
    is retired at once), and the previous one is retired."""
    current, previous = row.get("sso_secret"), row.get("previous_sso_secret")
    if revoke_previous:
        return {
            "sso_secret": new_secret,
            "previous_sso_secret": None,
            "retired_sso_secrets": _retire(row, previous, current),
        }
    return {
        "sso_secret": new_secret,
        "previous_sso_secret": current,
        "retired_sso_secrets": _retire(row, previous),
    }


def revoke_previous(row: dict[str, Any]) -> dict[str, Any]:
    """Column changes that stop the previous secret from working."""
    return {
        "previous_sso_secret": None,
        "retired_sso_secrets": _retire(row, row.get("previous_sso_secret")),
    }


def live_secrets(row: dict[str, Any]) -> tuple[str, ...]:
    """The secrets tokens may be signed with: current, then previous, never a retired one."""
    retired = set(retired_digests(row))
    return tuple(
        s
        for s in (row.get("sso_secret"), row.get("previous_sso_secret"))
        if s and secret_digest(s) not in retired
    )
