from __future__ import annotations

import pytest

from aethex.lib.chromium import CHROMIUM_PATH, LAUNCH_ARGS


@pytest.fixture
def page(monkeypatch, live_server):
    """A headless Chromium page; `live_server` runs the site in a thread of this process."""
    if not CHROMIUM_PATH.exists():
        pytest.skip(f"{CHROMIUM_PATH} is not installed (scripts/bootstrap.sh installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()
