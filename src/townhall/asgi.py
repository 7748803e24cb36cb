"""ASGI entry points for uvicorn (settings from the environment)."""

from __future__ import annotations

from townhall.app import create_app


def __getattr__(name: str):
    # Built lazily so importing this module has no side effects.
    if name == "app":
        return create_app()
    if name == "demo_app":
        return create_app(demo=True)
    raise AttributeError(name)
