"""The clip pages in Chromium: the trim editor's handles obey the keyboard and the 5-60 s bound,
submit lands on the clip page; screenshots of the clip page, the editor and the manager
(set SCREENSHOT_DIR to keep them)."""

from __future__ import annotations

import pytest

from tests.browser_helpers import shoot as _shoot
from tests.browser_helpers import sign_in as _login
from tests.factories import LiveStreamFactory
from tests.vods.clip_factories import ClipFactory, make_vod, verified_user
from vods.clips.tasks import render_clip
from vods.models import Clip

pytestmark = pytest.mark.browser


def test_trim_editor_keyboard_bounds_and_submit(page, live_server, monkeypatch):
    monkeypatch.setattr(render_clip, "delay", lambda clip_id: None)
    vod = make_vod(seconds=90, files=False, title="Grand final")
    user = verified_user()
    _login(page, live_server, user)
    page.goto(f"{live_server.url}/videos/{vod.pk}/clip/")
    end = page.locator("[data-handle=end]")
    assert page.locator("[data-length]").inner_text() == "30.0 s"
    end.focus()
    for _ in range(40):
        end.press("Shift+ArrowRight")  # +1 s each: stops at 60 s of length
    assert page.locator("[data-length]").inner_text() == "60.0 s"
    page.fill("[data-input=end]", "2")
    page.locator("[data-input=end]").blur()
    assert page.locator("[data-length]").inner_text() == "5.0 s"  # never below 5 s
    _shoot(page, "clip-trim-editor")
    page.click("[data-submit]")
    page.wait_for_url("**/clip/*/")
    clip = Clip.objects.get()
    assert (clip.start, clip.duration, clip.creator) == (0, 5, user)


def test_clip_page_and_manager_render(page, live_server):
    clip = ClipFactory(title="Clutch round", views=1234, likes_count=56)
    for n in range(3):
        ClipFactory(channel=clip.channel, title=f"Another moment {n}", featured=n == 0)
    ClipFactory(channel=clip.channel, title="Still rendering", status="rendering")
    _login(page, live_server, clip.channel.owner_user)
    page.goto(f"{live_server.url}/clip/{clip.slug}/")
    assert page.locator("h1.clip-title").inner_text() == "Clutch round"
    page.click("[data-like]")
    page.wait_for_selector("[data-like][aria-pressed=true]")
    assert page.locator("[data-likes]").inner_text() == "57"
    _shoot(page, "clip-page")
    page.goto(f"{live_server.url}/dashboard/clips/?channel={clip.channel.slug}")
    assert page.locator("table.clip-table tbody tr").count() == 5
    _shoot(page, "clip-manager")


def test_live_clip_button_posts_and_toasts_the_answer(page, live_server):
    stream = LiveStreamFactory()  # live, but nginx-rtmp has recorded nothing: the API says too early
    _login(page, live_server, verified_user())
    page.goto(f"{live_server.url}/{stream.channel.slug}/")
    page.click("[data-clip-live]")
    toast = page.wait_for_selector(".toast-error")
    assert "only just started" in toast.inner_text()
