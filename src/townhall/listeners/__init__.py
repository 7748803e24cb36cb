"""Listeners of the change feed: effects that follow a committed write."""

from __future__ import annotations

from townhall.listeners.cache import CacheListener
from townhall.listeners.live import LiveListener

__all__ = ["CacheListener", "LiveListener"]
