"""Commenting names that look alike under the current skeleton, for staff review."""

from __future__ import annotations

from townhall.auth.names import look_alike_groups
from townhall.services.context import DEFAULT_SITE, Context


async def look_alike_names(
    ctx: Context, site_id: str = DEFAULT_SITE
) -> list[list[tuple[int, str]]]:
    """Groups of users whose names share a skeleton (oldest first: it holds the name)."""
    async with ctx.read() as tx:
        named = await tx.users.all_names(site_id)
    return look_alike_groups(named)


def report_lines(groups: list[list[tuple[int, str]]]) -> list[str]:
    """The groups as lines of text: the holder first, then the later look-alikes."""
    if not groups:
        return ["no commenting names look alike"]
    lines = [f"{len(groups)} groups of look-alike commenting names (oldest holds the name):"]
    for (holder_id, holder), *later in groups:
        others = ", ".join(f'#{uid} "{name}"' for uid, name in later)
        lines.append(f'  #{holder_id} "{holder}" <- {others}')
    return lines
