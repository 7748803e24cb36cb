"""E-mail: multipart text + HTML from templates the publisher can override, sent over SMTP."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import aiosmtplib
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

SMTP_SCHEMES = ("smtp", "smtps", "smtp+starttls")


class MailError(Exception):
    """The relay refused the message or could not be reached (retried later)."""


@dataclass(frozen=True)
class Relay:
    """Where mail goes, from TOWNHALL_SMTP_URL."""

    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool | None  # None: when the server offers it

    @classmethod
    def from_url(cls, url: str) -> Relay:
        """Parse smtp://user:pass@host:port, smtps://… or smtp+starttls://…."""
        parts = urlsplit(url)
        if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
            raise ValueError("expected smtp://, smtps:// or smtp+starttls://host:port")
        tls = parts.scheme == "smtps"
        default = 465 if tls else 587 if parts.scheme == "smtp+starttls" else 25
        return cls(
            host=parts.hostname,
            port=parts.port or default,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=tls,
            start_tls=True if parts.scheme == "smtp+starttls" else None if not tls else False,
        )


def template_env(override_dir: str | None) -> Environment:
    """Templates: the publisher's folder first, then the built-in ones; HTML autoescaped."""
    loaders: list[Any] = []
    if override_dir:
        loaders.append(FileSystemLoader(str(Path(override_dir))))
    loaders.append(PackageLoader("townhall.delivery", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        keep_trailing_newline=True,
    )


def render(env: Environment, kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) of an e-mail kind."""
    subject = env.get_template(f"{kind}.subject.txt").render(context)
    subject = " ".join(subject.split())
    ctx = {**context, "subject": subject}
    text = env.get_template(f"{kind}.txt").render(ctx)
    html = env.get_template(f"{kind}.html").render(ctx)
    return subject, text, html


def compose(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    unsubscribe_url: str | None,
) -> EmailMessage:
    """A multipart/alternative message with one-click unsubscribe headers (RFC 8058)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    domain = _domain(sender)
    # Stable per outbox message, so a resend after a crash is recognisably the same mail.
    msg["Message-ID"] = f"<{message_id}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"


async def send(relay: Relay, msg: EmailMessage, wait: float = 30.0) -> None:
    """Hand the message to the relay; MailError when it does not take it."""
    try:
        await aiosmtplib.send(
            msg,
            hostname=relay.host,
            port=relay.port,
            username=relay.username,
            password=relay.password,
            use_tls=relay.use_tls,
            start_tls=relay.start_tls,
            timeout=wait,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}") from exc
