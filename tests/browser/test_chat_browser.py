"""Two real Chromium pages chat with each other over the room socket.

pytest-django's live_server is WSGI-only (no WebSocket), so this starts the site as it runs for
real: uvicorn with the flags of Procfile.dev (so the room's frames take the raw-write path of
aethex/lib/wsframe.py, as in production), in a subprocess on a free port, against its own SQLite
file and without REDIS_URL (the in-memory channel layer and hub are enough inside the one process).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from aethex.lib.chromium import CHROMIUM_PATH, LAUNCH_ARGS
from tests.browser.uvicorn_site import manage, site_env, uvicorn_site

pytestmark = pytest.mark.browser

PASSWORD = "glowing-nebula-4242"
SEED = f"""
from allauth.account.models import EmailAddress
from accounts.models import User
from channels_app import services

def person(username):
    email = f"{{username}}@example.com"
    user = User.objects.create_user(username=username, email=email, password="{PASSWORD}")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user

owner = person("nova")
person("pixelfan")
services.channel_create(owner=owner, slug="nova", title="Chat test")
"""


@dataclass
class Site:
    url: str


@pytest.fixture(scope="module")
def asgi_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not CHROMIUM_PATH.exists():
        pytest.skip(f"{CHROMIUM_PATH} is not installed (scripts/bootstrap.sh installs it)")
    tmp = tmp_path_factory.mktemp("chat-site")
    env = site_env(tmp)
    manage(env, "migrate", "-v0")
    manage(env, "shell", "-c", SEED)
    with uvicorn_site(tmp, env) as url:
        yield Site(url=url)


@pytest.fixture
def browser(asgi_site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=LAUNCH_ARGS)
        yield instance
        instance.close()


def _signed_in_page(browser, site: Site, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.allauth-form button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    page.goto(f"{site.url}/nova/")
    page.wait_for_selector("[data-chat-form]:not([hidden])")
    page.wait_for_function("document.querySelector('[data-chat]').dataset.state === 'open'")
    return page


def test_two_pages_chat_with_each_other(browser, asgi_site):
    streamer = _signed_in_page(browser, asgi_site, "nova")
    viewer = _signed_in_page(browser, asgi_site, "pixelfan")

    viewer.fill("[data-chat-input]", "hello from the viewer <b>not bold</b>")
    viewer.keyboard.press("Enter")
    seen = streamer.locator(".chat-line", has_text="hello from the viewer")
    seen.wait_for()
    assert seen.locator(".chat-name").inner_text() == "pixelfan"
    # Markup in a message is text, never HTML.
    assert seen.locator("b").count() == 0
    assert "<b>not bold</b>" in seen.locator(".chat-text").inner_text()
    assert viewer.locator("[data-chat-input]").input_value() == ""

    # The streamer answers with a mention: the viewer's copy is highlighted for them.
    streamer.fill("[data-chat-input]", "@pixelfan welcome!")
    streamer.keyboard.press("Enter")
    reply = viewer.locator(".chat-line", has_text="welcome!")
    reply.wait_for()
    assert "is-mention" in (reply.get_attribute("class") or "")
    assert reply.locator(".chat-badge-broadcaster").count() == 1

    # The streamer moderates: hover tools delete the viewer's message on both pages.
    line = streamer.locator(".chat-line", has_text="hello from the viewer")
    line.hover()
    line.locator("[data-tool=delete]").click()
    viewer.locator(".chat-line.is-deleted").wait_for()
    assert viewer.locator(".chat-line.is-deleted .chat-text").inner_text() == "message deleted"

    # A new page gets the history on connect.
    late = _signed_in_page(browser, asgi_site, "pixelfan")
    late.locator(".chat-line", has_text="welcome!").wait_for()
