"""Chromium: the dashboard's test buttons reach the overlay preview, alerts queue one at a time,
user text is never HTML, and the pages look right (screenshots: set SCREENSHOT_DIR to keep them).

pytest-django's live_server has no WebSocket, so, as tests/browser/test_chat_browser.py does, the
site runs under uvicorn in a subprocess with its own SQLite file and the in-memory channel layer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aethex.lib.chromium import CHROMIUM_PATH, LAUNCH_ARGS
from tests.browser.uvicorn_site import manage, site_env, uvicorn_site

pytestmark = pytest.mark.browser

PASSWORD = "glowing-nebula-4242"
HOSTILE = '<img src=x onerror="window.__pwned=1">'
SEED = f"""
import json
from decimal import Decimal
from allauth.account.models import EmailAddress
from accounts.models import User
from channels_app import services as channel_services
from integrations import services
from integrations.models import AlertKind

owner = User.objects.create_user(username="nova", email="nova@example.com", password="{PASSWORD}")
EmailAddress.objects.create(user=owner, email=owner.email, primary=True, verified=True)
channel, _ = channel_services.channel_create(owner=owner, slug="nova", title="Alerts test")
settings = services.alert_settings_ensure(channel=channel)
settings.rules.filter(kind=AlertKind.FOLLOW).update(
    duration_seconds=2, message_template='{HOSTILE}{{name}} <b>followed</b>'
)
settings.rules.filter(kind=AlertKind.DONATION).update(duration_seconds=2, tts=False)
settings.rules.filter(kind=AlertKind.RAID).update(
    duration_seconds=2, tts=True, message_template="{{name}} raids!!!!!!!! see https://evil.example/x now"
)
for name, amount, text in [("Mira", "25", "Loved the speedrun!"), ("", "5", ""), ("Kai", "2.50", "gg")]:
    services.alert_donation(
        channel=channel, display_name=name, amount=Decimal(amount), currency="usd", message=text
    )
services.alert_raid(channel=channel, from_channel_name="vega", viewers=48)
print(json.dumps({{"token": settings.token}}))
"""


@dataclass
class Site:
    url: str
    token: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not CHROMIUM_PATH.exists():
        pytest.skip(f"{CHROMIUM_PATH} is not installed (scripts/bootstrap.sh installs it)")
    tmp = tmp_path_factory.mktemp("alerts-site")
    env = site_env(tmp)
    manage(env, "migrate", "-v0")
    token = json.loads(manage(env, "shell", "-c", SEED, timeout=60).stdout.strip().splitlines()[-1])["token"]
    with uvicorn_site(tmp, env) as url:
        yield Site(url=url, token=token)


@pytest.fixture
def browser(site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# Counts the alert cards on the stage after every change: the queue must never show two at once.
WATCH = """() => {
  const stage = document.querySelector('[data-alerts]');
  window.__maxCards = 0; window.__seen = [];
  new MutationObserver(() => {
    const cards = stage.querySelectorAll('.alert-card');
    window.__maxCards = Math.max(window.__maxCards, cards.length);
    for (const card of cards) {
      if (!window.__seen.includes(card.dataset.alertId)) window.__seen.push(card.dataset.alertId);
    }
  }).observe(stage, {childList: true});
}"""


def _signed_in_dashboard(browser, site: Site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site.url}/accounts/login/")
    page.fill("input[name=login]", "nova")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.allauth-form button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    page.goto(f"{site.url}/dashboard/alerts/")
    return page


def test_test_alerts_queue_in_the_preview_one_after_the_other_and_stay_text(browser, site, shots):
    page = _signed_in_dashboard(browser, site)
    preview = page.frame_locator(".alerts-preview iframe")
    preview.locator("[data-alerts][data-connected=true]").wait_for(state="attached")
    frame = next(f for f in page.frames if "/overlay/nova/alerts" in f.url)
    frame.evaluate(WATCH)

    page.click("form[data-test-alert]:has(input[value=follow]) button")
    page.click("form[data-test-alert]:has(input[value=donation]) button")

    first = preview.locator(".alert-card.alert-kind-follow")
    first.wait_for()
    assert preview.locator(".alert-card").count() == 1  # the donation waits its turn
    assert preview.locator(".alert-card-title").inner_text() == f"{HOSTILE}TestFollower <b>followed</b>"
    assert preview.locator(".alert-card img, .alert-card b").count() == 0
    page.wait_for_timeout(600)  # the enter animation
    page.screenshot(path=str(shots / "alerts-dashboard.png"), full_page=True)

    second = preview.locator(".alert-card.alert-kind-donation")
    second.wait_for(timeout=10_000)
    assert first.count() == 0
    assert "TestDonor donated $5.00!" in second.inner_text()
    frame.wait_for_function("document.querySelectorAll('.alert-card').length === 0", timeout=10_000)
    assert frame.evaluate("window.__maxCards") == 1
    assert len(frame.evaluate("window.__seen")) == 2
    assert frame.evaluate("window.__pwned") is None
    assert page.locator("[data-test-status]").inner_text().startswith("Sent:")


def test_the_overlay_on_a_dark_background(browser, site, shots):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_default_timeout(15_000)
    overlay = context.new_page()
    overlay.goto(f"{site.url}/overlay/nova/alerts?token={site.token}")
    overlay.locator("[data-alerts][data-connected=true]").wait_for(state="attached")
    assert overlay.evaluate("getComputedStyle(document.body).backgroundColor") == "rgba(0, 0, 0, 0)"

    dashboard = _signed_in_dashboard(browser, site)
    dashboard.click("form[data-test-alert]:has(input[value=subscription]) button")
    overlay.locator(".alert-card.alert-kind-subscription").wait_for()
    overlay.wait_for_timeout(600)
    # OBS composites the transparent page over the stream: shoot it over a dark "stream".
    overlay.evaluate("document.documentElement.style.setProperty('background', '#1d2633', 'important')")
    overlay.screenshot(path=str(shots / "alerts-overlay.png"))


# The OS speech engine is outside the platform (and absent here): record what would be read.
FAKE_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = (utterance) => {
  window.__spoken.push(utterance.text);
  setTimeout(() => { utterance.onstart && utterance.onstart(); utterance.onend && utterance.onend(); }, 10);
};
"""


def test_an_alert_plays_its_sound_and_reads_a_cleaned_message(browser, site):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    context.add_init_script(FAKE_SPEECH)
    overlay = context.new_page()
    sounds: list[tuple[str, int]] = []
    overlay.on("response", lambda r: sounds.append((r.url, r.status)) if "/sounds/" in r.url else None)
    overlay.goto(f"{site.url}/overlay/nova/alerts?token={site.token}")
    overlay.locator("[data-alerts][data-connected=true]").wait_for(state="attached")

    dashboard = _signed_in_dashboard(browser, site)
    dashboard.click("form[data-test-alert]:has(input[value=raid]) button")

    overlay.wait_for_function("window.__spoken.length === 1")
    assert overlay.evaluate("window.__spoken[0]") == "TestRaider raids!!! see now"
    overlay.wait_for_function("document.querySelector('[data-alerts]').dataset.played === '1'")
    assert [(url.rsplit("/", 1)[-1], status) for url, status in sounds] == [("fanfare.ogg", 200)]


def test_a_wrong_token_gets_a_plain_403_and_the_socket_gives_up(browser, site):
    page = browser.new_page()
    response = page.goto(f"{site.url}/overlay/nova/alerts?token=nope")
    assert response is not None and response.status == 403
    assert page.content().count("Forbidden") == 1


def test_a_rotated_url_stops_the_open_overlay(browser, site):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    overlay = context.new_page()
    overlay.goto(f"{site.url}/overlay/nova/alerts?token={site.token}")
    overlay.locator("[data-alerts][data-connected=true]").wait_for(state="attached")

    dashboard = _signed_in_dashboard(browser, site)
    dashboard.once("dialog", lambda dialog: dialog.accept())
    dashboard.click("#overlay form button[type=submit]")
    dashboard.wait_for_load_state("domcontentloaded")

    overlay.locator("[data-alerts][data-revoked=true]").wait_for(state="attached")
    assert site.token not in dashboard.content()
