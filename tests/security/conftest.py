"""Browser fixtures shared with the end-to-end suite (system Chromium, a live demo server)."""

from tests.e2e.conftest import (  # noqa: F401
    browser_context_args,
    browser_type_launch_args,
    live_server,
    publisher_origin,
)


def pytest_collection_modifyitems(config, items) -> None:
    """Run browser tests after every async test (sync Playwright keeps its loop running)."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None
            or "page" in getattr(item, "fixturenames", ())
        )
    )
