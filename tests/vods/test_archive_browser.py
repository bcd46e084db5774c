"""The Videos page in Chromium: a ready, a processing and a failed VOD; the progress bar follows the
archival live, and a delete asks first. SCREENSHOT_DIR=<folder> keeps the screenshots."""

from __future__ import annotations

import pytest

from tests.browser_helpers import shoot as _shoot
from tests.browser_helpers import sign_in as _login
from tests.vods.archive_factories import VODFactory
from vods.models import VOD, VODStatus
from vods.services import archive

pytestmark = [pytest.mark.browser]


@pytest.fixture
def three_vods(transactional_db, recording, django_capture_on_commit_callbacks) -> tuple[VOD, VOD, VOD]:
    ready = VODFactory.create(status=VODStatus.PROCESSING, title="Friday finals — grand final")
    ready.stream.recordings = [str(recording())]
    ready.stream.save()
    with django_capture_on_commit_callbacks(execute=True):
        archive.vod_archive(vod_id=ready.pk)
    channel = ready.stream.channel
    processing = VODFactory.create(
        stream__channel=channel,
        status=VODStatus.PROCESSING,
        progress=35,
        duration=0,
        title="Late-night chill",
    )
    failed = VODFactory.create(
        stream__channel=channel,
        status=VODStatus.FAILED,
        progress=0,
        duration=0,
        title="Speedrun attempt",
        failure_reason="The remux failed: Invalid data found when processing input",
    )
    return VOD.objects.get(pk=ready.pk), processing, failed


def test_videos_page_follows_progress_live_and_confirms_deletes(three_vods, page, live_server):
    ready, processing, failed = three_vods
    assert ready.status == VODStatus.READY
    _login(page, live_server, ready.channel.owner_user)
    page.goto(f"{live_server.url}/dashboard/videos/?channel={ready.channel.slug}")

    # The poster comes through the access-checked media view (never straight from /media/vods/).
    poster = page.locator(f"#vod-{ready.pk} img.vod-poster")
    assert poster.get_attribute("src") == f"/videos/{ready.pk}/media/poster.jpg"
    loaded = "i => i.complete ? i.naturalWidth : new Promise(ok => i.onload = () => ok(i.naturalWidth))"
    assert poster.evaluate(loaded) > 0
    assert page.locator(f"#vod-{processing.pk} [data-vod-percent]").inner_text() == "35 %"
    assert "Invalid data found" in page.locator(f"#vod-{failed.pk}").inner_text()
    _shoot(page, "dashboard-videos")
    page.locator(f"#vod-{ready.pk} .vod-edit summary").click()
    page.set_viewport_size({"width": 390, "height": 844})
    _shoot(page, "dashboard-videos-phone-edit")
    page.locator(f"#vod-{ready.pk} .vod-edit summary").click()
    page.set_viewport_size({"width": 1280, "height": 900})

    VOD.objects.filter(pk=processing.pk).update(progress=64)
    page.wait_for_function(
        f"document.querySelector('#vod-{processing.pk} [data-vod-progress]').value === 64", timeout=10_000
    )
    VOD.objects.filter(pk=processing.pk).update(status=VODStatus.READY, progress=100, duration=95)
    page.wait_for_selector(f"#vod-{processing.pk} .badge-success", timeout=10_000)  # reloaded when done
    assert page.locator(f"#vod-{processing.pk} .vod-duration").inner_text() == "1:35"

    page.locator(f"#vod-{failed.pk} .vod-delete summary").click()
    assert page.locator(f"#vod-{failed.pk} .vod-delete .btn-danger").is_visible()
    assert VOD.objects.filter(pk=failed.pk).exists()  # opening the confirmation deletes nothing
    page.locator(f"#vod-{failed.pk} .vod-delete .btn-danger").click()
    page.wait_for_selector(f"#vod-{failed.pk}", state="detached")
    assert not VOD.objects.filter(pk=failed.pk).exists()
