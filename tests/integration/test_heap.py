"""What start-up builds is kept out of the garbage collector's full passes."""

from __future__ import annotations

import gc

from townhall.app import create_app


async def test_start_up_objects_are_frozen_so_full_collections_stay_short(
    sqlite_url, make_settings
):
    gc.unfreeze()
    app = create_app(make_settings(sqlite_url))
    try:
        async with app.router.lifespan_context(app):
            frozen = gc.get_freeze_count()
            # The classifier, word lists, compiled statements: far more than requests make.
            assert frozen > 100_000
            assert len(gc.get_objects(generation=2)) < frozen / 10
    finally:
        gc.unfreeze()
