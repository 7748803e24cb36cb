"""Errors with a stable code, an HTTP status and public fields."""

from __future__ import annotations


class TownhallError(Exception):
    """Base of every error the API renders as problem details."""

    code = "internal"
    status = 500
    title = "Internal error"

    def __init__(self, detail: str, **fields: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields


class ConfigError(TownhallError):
    code, status, title = "config", 500, "Configuration error"


class ValidationFailed(TownhallError):
    """Input broke a rule; `errors` names each field and rule."""

    code, status, title = "validation", 422, "Invalid input"

    def __init__(self, detail: str, *, field: str, rule: str, **fields: object) -> None:
        super().__init__(
            detail, errors=[{"field": field, "rule": rule, "message": detail}], **fields
        )


class NameInvalid(TownhallError):
    code, status, title = "name-invalid", 422, "Commenting name not accepted"

    def __init__(self, detail: str, *, rule: str) -> None:
        super().__init__(
            detail, rule=rule, errors=[{"field": "name", "rule": rule, "message": detail}]
        )


class Unauthenticated(TownhallError):
    code, status, title = "unauthenticated", 401, "Sign-in required"


class InvalidToken(TownhallError):
    code, status, title = "invalid-token", 401, "Token refused"


class InvalidCredentials(TownhallError):
    code, status, title = "invalid-credentials", 401, "Wrong e-mail or password"


class Forbidden(TownhallError):
    code, status, title = "forbidden", 403, "Not allowed"


class NameRequired(TownhallError):
    code, status, title = "name-required", 403, "Commenting name required"


class PremiumRequired(TownhallError):
    code, status, title = "premium-required", 403, "Premium subscription required"


class OwnComment(TownhallError):
    code, status, title = "own-comment", 403, "Not on your own comment"


class Banned(TownhallError):
    code, status, title = "banned", 403, "Account banned"


class Suspended(TownhallError):
    code, status, title = "suspended", 403, "Account suspended"


class ConfirmationFailed(TownhallError):
    """A signed-in reader did not prove it is them (password or fresh sign-in token)."""

    code, status, title = "confirmation-failed", 403, "Confirmation failed"


class NotFound(TownhallError):
    code, status, title = "not-found", 404, "Not found"


class Conflict(TownhallError):
    code, status, title = "conflict", 409, "Conflict"


class StoryClosed(TownhallError):
    code, status, title = "story-closed", 409, "Story closed for comments"


class LikesClosed(TownhallError):
    code, status, title = "likes-closed", 409, "Story closed for likes"


class StoryArchived(TownhallError):
    code, status, title = "story-archived", 409, "Story archived"


class EditWindowClosed(TownhallError):
    code, status, title = "edit-window-closed", 409, "Edit window closed"


class AlreadyReported(TownhallError):
    code, status, title = "already-reported", 409, "Already reported"


class CommentRejected(TownhallError):
    code, status, title = "comment-rejected", 422, "Comment rejected"


class PayloadTooLarge(TownhallError):
    code, status, title = "payload-too-large", 413, "Request body too large"


class RateLimited(TownhallError):
    code, status, title = "rate-limited", 429, "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, limit: str) -> None:
        super().__init__(detail, retry_after=retry_after, limit=limit)
        self.retry_after = retry_after
