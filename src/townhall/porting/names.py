"""Commenting names for imported authors: their old name when the site's rules allow it,
made unique with a number, or "Imported reader N" when it is reserved or profane."""

from __future__ import annotations

from collections import Counter
from typing import Any

from townhall.auth import names
from townhall.domain.site import SiteConfig
from townhall.errors import NameInvalid
from townhall.services.context import DEFAULT_SITE
from townhall.storage.protocols import Stores

RENAMED = "Imported reader"


class ImportedNames:
    """The names one import run gives out, asking the database as little as it can."""

    def __init__(self, site: SiteConfig, renamed: list[tuple[str, str]]) -> None:
        from townhall.moderation.pipeline import Rules

        self.site = site
        self.rules: Any = Rules.from_settings(site.moderation)
        self.renamed = renamed  # (old name, new name), reported by the import
        self.given: set[str] = set()
        self.next_number: Counter[str] = Counter()
        self.bases: dict[str | None, tuple[str | None, bool]] = {}
        self.held_keys: set[str] = set()  # name keys users hold in the database
        self.free_keys: set[str] = set()  # name keys nobody held when asked

    def base(self, raw: str | None) -> tuple[str | None, bool]:
        """The name an author's new names start from, and whether theirs was refused."""
        if raw in self.bases:
            return self.bases[raw]
        from townhall.moderation.pipeline import name_problem

        try:
            base: str | None = names.clean_name(raw or "")
        except NameInvalid:
            base = None
        refused = base is not None and bool(
            names.reserved_problem(base, self.site.name) or name_problem(base, self.rules)
        )
        self.bases[raw] = (RENAMED if refused else base), refused
        return self.bases[raw]

    @staticmethod
    def _candidate(base: str, refused: bool, n: int) -> str:
        if refused:
            return f"{RENAMED} {n + 1}"
        return base if n == 0 else f"{base[:26]} {n + 1}"

    async def prefetch(self, tx: Stores, raws: list[str | None]) -> None:
        """Ask once which of a batch's first-choice names are taken."""
        keys = []
        for raw in raws:
            base, refused = self.base(raw)
            if base is not None:
                key = names.name_key(self._candidate(base, refused, self.next_number[base]))
                if key not in self.given and key not in self.held_keys:
                    keys.append(key)
        if keys:
            taken = await tx.imports.taken_name_keys(DEFAULT_SITE, keys)
            self.held_keys.update(taken)
            self.free_keys.update(k for k in keys if k not in taken)

    async def free_name(self, tx: Stores, raw: str | None) -> tuple[str | None, str | None]:
        """The author's old name if it passes the rules, made unique with a number if needed.

        A name the site would refuse today (reserved for staff or the publisher, or
        profane) is replaced with a neutral one, and the change is reported.
        """
        base, refused = self.base(raw)
        if base is None:
            return None, None
        start = self.next_number[base]
        for n in range(start, start + 1000):
            candidate = self._candidate(base, refused, n)
            key = names.name_key(candidate)
            if key in self.given or key in self.held_keys:
                continue
            if key not in self.free_keys and await tx.imports.taken_name_keys(DEFAULT_SITE, [key]):
                self.held_keys.add(key)
                continue
            self.given.add(key)
            # Every number below was taken (the run only adds names): the next author of
            # this name starts after it.
            self.next_number[base] = n + 1
            if refused:
                self.renamed.append((raw or "", candidate))
            return candidate, key
        return None, None
