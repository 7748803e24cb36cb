"""Input limits, each defined once: parameter models, the lane, services and stores import them."""

from __future__ import annotations

from typing import Final

# A database id: a signed 64-bit integer, never wider (wider ones are refused, not crashed on).
MIN_ID: Final = 1
MAX_ID: Final = 2**63 - 1

# The publisher's story id: any text of this length, slashes, spaces and % included.
STORY_KEY_MIN: Final = 1
STORY_KEY_MAX: Final = 255

# Listings: comment pages, threads, moderation queues, user histories, the audit log.
PAGE_LIMIT_DEFAULT: Final = 20
REPLIES_LIMIT_DEFAULT: Final = 50
LIST_LIMIT_MAX: Final = 100
USER_SEARCH_LIMIT_MAX: Final = 200
CURSOR_MAX: Final = 200
AUDIT_CURSOR_MAX: Final = 20
COUNT_STORIES_MAX: Final = 100

# Text sent by readers and staff.
BODY_MAX: Final = 20_000  # a body in any request; the site's max_body (at most this) decides
NOTE_MAX: Final = 500
REASON_MAX: Final = 500
STORY_URL_MAX: Final = 2000
STORY_TITLE_MAX: Final = 500
STORY_TITLE_KEPT: Final = 300  # a story title is cut to this once made plain text
NAME_INPUT_MAX: Final = 200  # what a name field accepts before the name rules judge it
SEARCH_MAX: Final = 200
BULK_MAX: Final = 100
# Bulk decisions over a filtered queue: how many comments one may cover, how long a
# preview may wait before it is acted on, and the undo window's bounds and default.
BULK_FILTER_MAX: Final = 50_000
BULK_PREVIEW_SECONDS: Final = 30 * 60
BULK_UNDO_MINUTES_DEFAULT: Final = 15
BULK_UNDO_MINUTES_MAX: Final = 24 * 60
BULK_TOKEN_MAX: Final = 64
AGE_HOURS_MAX: Final = 24 * 365
# A trust level staff set by hand lasts at most this many hours (or until changed).
TRUST_HOURS_MAX: Final = 24 * 365
# An author's appeal against a removal: one short text.
APPEAL_MAX: Final = 500
# A moderator's note on a reader, or a warning to them.
NOTE_TEXT_MAX: Final = 1000
# Statistics cover at most this many days; the transparency report this many months.
STATS_DAYS_MAX: Final = 90
TRANSPARENCY_MONTHS: Final = 12
FEATURE_NOTE_MAX: Final = 500  # a pick's public note: why staff picked the comment
PROMPT_MAX: Final = 500  # a story's question above the form
FEATURED_MAX: Final = 50  # picks listed for one story (and shown above its first page)

# The precision of automatic holds is measured over this many past days.
PRECISION_DAYS_MIN: Final = 1
PRECISION_DAYS_DEFAULT: Final = 30
PRECISION_DAYS_MAX: Final = 365

# Credentials.
SESSION_TOKEN_MAX: Final = 512
SSO_TOKEN_MAX: Final = 4096
EMAIL_MAX: Final = 320
PASSWORD_INPUT_MAX: Final = 256

# Languages: a BCP 47 tag as a site setting or in a catalogue's address, a catalogue's
# version in its address, and the publisher's own texts (the comment section's share
# travels with every first page, so it is capped in all).
LANGUAGE_TAG_MIN: Final = 2
LANGUAGE_TAG_MAX: Final = 12
CATALOGUE_VERSION_MAX: Final = 40
OVERRIDE_TEXT_MAX: Final = 1000
WIDGET_OVERRIDES_MAX_BYTES: Final = 32 * 1024

# Live streams: a resume point looks like `<milliseconds>-<sequence>`.
EVENT_ID_MAX: Final = 41
EVENT_ID_PATTERN: Final = r"^[0-9]{1,20}(-[0-9]{1,20})?$"

# The most recent comments of an author that posting looks at (repeats, bursts).
RECENT_POSTS_CHECKED = 20


def is_db_id(value: object) -> bool:
    """Whether value is an integer a database id column can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and MIN_ID <= value <= MAX_ID
