"""The creator dashboard's pages: creating a channel, the Stream page and the Settings page."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from PIL import Image

from channels_app import keys
from channels_app import services as channel_services
from channels_app.models import Channel, ChannelPanel, ChannelRole
from streams import services as stream_services
from streams.models import EndReason, Stream, StreamStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _channel(owner, slug: str = "pixel_pilot", **fields):
    return channel_services.channel_create(owner=owner, slug=slug, **fields)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _go_live(key: str, client_id: str = "1") -> Stream:
    return stream_services.ingest_publish(
        call=stream_services.IngestCall(node="test", client_id=client_id, key=key)
    )


def _key_in(html: str) -> str:
    match = re.search(r'id="new-stream-key">([^<]+)<', html)
    assert match, "the page shows no new key"
    return match.group(1)


def _png(size: tuple[int, int] = (400, 400)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "picture.png"
    return buffer


# --- Access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/dashboard/", "/dashboard/stream/", "/dashboard/settings/", "/dashboard/stream/health.json"],
)
def test_dashboard_requires_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_without_channel_shows_the_create_form(user):
    response = _client(user).get("/dashboard/")
    assert response.status_code == 200
    assert b"Create your channel" in response.content


def test_stream_and_settings_pages_lead_to_creation_when_user_has_no_channel(user):
    client = _client(user)
    assert client.get("/dashboard/stream/")["Location"] == "/dashboard/"
    assert client.get("/dashboard/settings/")["Location"] == "/dashboard/"


def test_dashboard_with_channel_shows_the_overview(user):
    _channel(user)
    response = _client(user).get("/dashboard/")
    assert response.status_code == 200
    assert response.templates[0].name == "dashboard/overview.html"  # tests/analytics covers its content


# --- Creating a channel -------------------------------------------------------------------------------


def test_create_channel_shows_the_key_once_and_stores_only_its_hash(user):
    client = _client(user)
    response = client.post(
        "/dashboard/", {"slug": "Pixel_Pilot", "display_name": "Pixel Pilot", "title": "Hi"}
    )
    assert response.status_code == 200
    key = _key_in(response.content.decode())
    channel = Channel.objects.get(slug="pixel_pilot")
    assert channel.owner_user == user
    assert channel.stream_key_hash == keys.hash_stream_key(key)
    assert key not in {channel.stream_key_hash, channel.stream_key_prefix}
    assert b"rtmp://" in response.content  # the OBS set-up comes with it
    again = client.get("/dashboard/stream/", follow=True)
    assert key not in again.content.decode()
    assert channel.stream_key_prefix in again.content.decode()


@pytest.mark.parametrize(
    ("slug", "message"),
    [("dashboard", "reserved"), ("ab", "3–25"), ("Bad-Name!", "3–25")],
)
def test_create_channel_errors_are_shown_on_the_form(user, slug, message):
    response = _client(user).post("/dashboard/", {"slug": slug})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Channel.objects.exists()


def test_create_channel_with_a_taken_slug_is_an_error_on_the_form(user, other_user):
    _channel(other_user)
    response = _client(user).post("/dashboard/", {"slug": "pixel_pilot"})
    assert response.status_code == 200
    assert "taken" in response.content.decode()
    assert Channel.objects.count() == 1


# --- Stream page: key, info, end ----------------------------------------------------------------------


def test_stream_page_shows_the_masked_key_and_server_url(user, settings):
    channel, key = _channel(user)
    response = _client(user).get("/dashboard/stream/")
    body = response.content.decode()
    assert response.status_code == 200
    assert channel.stream_key_prefix in body
    assert key not in body
    assert settings.RTMP_PUBLIC_URL in body


def test_rotate_key_shows_the_new_key_once_and_forgets_the_old_hash(user):
    channel, old_key = _channel(user)
    client = _client(user)
    response = client.post("/dashboard/stream/key/rotate/?channel=pixel_pilot")
    assert response.status_code == 200
    new_key = _key_in(response.content.decode())
    channel.refresh_from_db()
    assert new_key != old_key
    assert channel.stream_key_hash == keys.hash_stream_key(new_key)
    assert not Channel.objects.filter(stream_key_hash=keys.hash_stream_key(old_key)).exists()
    assert new_key not in client.get("/dashboard/stream/").content.decode()


def test_rotate_key_is_post_only(user):
    _channel(user)
    assert _client(user).get("/dashboard/stream/key/rotate/").status_code == 405


def test_stream_info_form_updates_the_channel_and_the_live_stream(user, django_capture_on_commit_callbacks):
    channel, key = _channel(user)
    stream = _go_live(key)
    category = channel_services.category_get_or_create(name="Retro Games")
    data = {"title": "New title", "category": category.pk, "tags": "speedrun, chill", "language": "fr"}
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(user).post("/dashboard/stream/?channel=pixel_pilot", data)
    assert response.status_code == 302
    channel.refresh_from_db()
    stream.refresh_from_db()
    assert (channel.title, channel.category, channel.tags, channel.language) == (
        "New title",
        category,
        ["speedrun", "chill"],
        "fr",
    )
    assert (stream.title, stream.category, stream.tags) == ("New title", category, ["speedrun", "chill"])


def test_stream_info_errors_are_shown_on_the_form(user):
    _channel(user)
    response = _client(user).post(
        "/dashboard/stream/", {"title": "x", "tags": "ok, <b>bad</b>", "language": "en"}
    )
    assert response.status_code == 200
    assert "not a valid tag" in response.content.decode()


def test_end_stream_ends_the_live_session(user):
    _, key = _channel(user)
    stream = _go_live(key)
    response = _client(user).post("/dashboard/stream/end/?channel=pixel_pilot")
    assert response.status_code == 302
    stream.refresh_from_db()
    assert stream.status == StreamStatus.ENDED
    assert stream.end_reason == EndReason.ENDED_BY_CREATOR


def test_end_stream_with_htmx_redirects_the_client(user):
    _, key = _channel(user)
    _go_live(key)
    response = _client(user).post("/dashboard/stream/end/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/dashboard/stream/?channel=pixel_pilot"


def test_health_json_returns_the_live_streams_recent_samples(user):
    _, key = _channel(user)
    stream = _go_live(key)
    stream_services.stream_record_health(
        stream=stream, bitrate_in=4_500_000, fps_measured=59.9, width=1920, height=1080, video_codec="H264"
    )
    data = _client(user).get("/dashboard/stream/health.json").json()
    assert data["status"]["status"] == "live"
    assert data["samples"][0]["bitrate_in"] == 4_500_000
    assert data["samples"][0]["video_codec"] == "H264"


def test_health_json_when_offline_has_no_samples(user):
    _channel(user)
    data = _client(user).get("/dashboard/stream/health.json").json()
    assert data == {"status": data["status"], "samples": [], "window_seconds": 600}
    assert data["status"]["status"] == "offline"


# --- Someone else's channel: 404 everywhere ------------------------------------------------------------

OTHER_GETS = [
    "/dashboard/stream/?channel=night_owl",
    "/dashboard/stream/health.json?channel=night_owl",
    "/dashboard/settings/?channel=night_owl",
]
OTHER_POSTS = [
    "/dashboard/stream/?channel=night_owl",
    "/dashboard/stream/key/rotate/?channel=night_owl",
    "/dashboard/stream/end/?channel=night_owl",
    "/dashboard/settings/?channel=night_owl",
    "/dashboard/settings/images/?channel=night_owl",
    "/dashboard/settings/panels/?channel=night_owl",
    "/dashboard/settings/panels/{panel}/?channel=night_owl",
    "/dashboard/settings/panels/{panel}/delete/?channel=night_owl",
    "/dashboard/settings/panels/{panel}/move/up/?channel=night_owl",
    "/dashboard/settings/roles/?channel=night_owl",
    "/dashboard/settings/roles/{grant}/revoke/?channel=night_owl",
]


@pytest.fixture
def night_owl(other_user):
    channel, key = _channel(other_user, slug="night_owl", title="Lofi")
    panel = channel_services.panel_create(channel=channel, title="About", body="Hi")
    grant = channel_services.channel_role_grant(
        channel=channel, user=UserFactory(), role="moderator", granted_by=other_user
    )
    _go_live(key, client_id="owl")
    return channel, panel, grant


@pytest.mark.parametrize("path", OTHER_GETS)
def test_someone_elses_channel_is_404_on_every_dashboard_page(user, night_owl, path):
    _channel(user)
    assert _client(user).get(path).status_code == 404


@pytest.mark.parametrize("path", OTHER_POSTS)
def test_someone_elses_channel_is_404_on_every_dashboard_action(user, night_owl, path):
    _channel(user)
    channel, panel, grant = night_owl
    data = {"title": "Hacked", "language": "en", "accent_color": "#000000", "username": user.username}
    response = _client(user).post(path.format(panel=panel.pk, grant=grant.pk), data)
    assert response.status_code == 404
    channel.refresh_from_db()
    assert channel.title == "Lofi"
    assert ChannelPanel.objects.filter(pk=panel.pk).exists()
    assert ChannelRole.objects.filter(pk=grant.pk).exists()
    assert Stream.objects.get(channel=channel).status == StreamStatus.LIVE


def test_a_panel_of_another_channel_is_404_even_on_my_channel(user, night_owl):
    _channel(user)
    _, panel, grant = night_owl
    client = _client(user)
    assert client.post(f"/dashboard/settings/panels/{panel.pk}/delete/").status_code == 404
    assert client.post(f"/dashboard/settings/roles/{grant.pk}/revoke/").status_code == 404
    assert ChannelPanel.objects.filter(pk=panel.pk).exists()


# --- Editors --------------------------------------------------------------------------------------------


@pytest.fixture
def editor_setup(user, other_user):
    channel, key = _channel(other_user, slug="night_owl")
    channel_services.channel_role_grant(channel=channel, user=user, role="editor", granted_by=other_user)
    return channel, key


def test_editor_can_edit_stream_info_and_end_the_stream(user, editor_setup):
    channel, key = editor_setup
    stream = _go_live(key)
    client = _client(user)
    page = client.get("/dashboard/stream/?channel=night_owl")
    assert page.status_code == 200
    assert channel.stream_key_prefix not in page.content.decode()  # editors never see the key
    data = {"title": "Edited by the editor", "language": "en"}
    assert client.post("/dashboard/stream/?channel=night_owl", data).status_code == 302
    channel.refresh_from_db()
    assert channel.title == "Edited by the editor"
    assert client.post("/dashboard/stream/end/?channel=night_owl").status_code == 302
    stream.refresh_from_db()
    assert stream.status == StreamStatus.ENDED


def test_editor_cannot_see_settings_or_rotate_the_key(user, editor_setup):
    channel, _ = editor_setup
    old_hash = channel.stream_key_hash
    client = _client(user)
    assert client.get("/dashboard/settings/?channel=night_owl").status_code == 404
    assert client.post("/dashboard/stream/key/rotate/?channel=night_owl").status_code == 404
    assert (
        client.post("/dashboard/settings/panels/?channel=night_owl", {"new-panel-title": "x"}).status_code
        == 404
    )
    channel.refresh_from_db()
    assert channel.stream_key_hash == old_hash
    assert not channel.panels.exists()


def test_editor_gets_a_channel_switcher(user, editor_setup):
    _channel(user)
    response = _client(user).get("/dashboard/stream/")
    assert b'id="channel-switcher"' in response.content
    assert b"(editor)" in response.content


def test_staff_may_open_any_channels_settings(user, other_user):
    _channel(other_user, slug="night_owl")
    user.is_staff = True
    user.save()
    assert _client(user).get("/dashboard/settings/?channel=night_owl").status_code == 200


# --- Settings -----------------------------------------------------------------------------------------


def test_settings_form_saves_the_channel(user):
    channel, _ = _channel(user)
    data = {
        "display_name": "Pixel P",
        "description": "Speedruns",
        "language": "de",
        "accent_color": "#22d3ee",
        "abr_enabled": "on",
    }
    response = _client(user).post("/dashboard/settings/", data)
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.display_name, channel.language, channel.accent_color, channel.abr_enabled) == (
        "Pixel P",
        "de",
        "#22d3ee",
        True,
    )


def test_settings_form_errors_are_shown_not_raised(user):
    channel, _ = _channel(user)
    response = _client(user).post("/dashboard/settings/", {"language": "xx", "accent_color": "purple"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body
    response = _client(user).post("/dashboard/settings/", {"language": "en", "accent_color": "purple"})
    assert response.status_code == 200
    assert "#RRGGBB" in response.content.decode()
    channel.refresh_from_db()
    assert channel.accent_color == "#9b7bff"


def test_avatar_and_banner_upload(user):
    channel, _ = _channel(user)
    response = _client(user).post(
        "/dashboard/settings/images/", {"avatar": _png(), "banner": _png((1200, 300))}
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.avatar.name.endswith(".webp")
    assert channel.banner.name


def test_a_broken_image_is_an_error_on_the_form(user):
    channel, _ = _channel(user)
    junk = io.BytesIO(b"not an image")
    junk.name = "avatar.png"
    response = _client(user).post("/dashboard/settings/images/", {"avatar": junk})
    assert response.status_code == 200
    assert b"field-errors" in response.content
    channel.refresh_from_db()
    assert not channel.avatar


def test_images_form_needs_a_file(user):
    _channel(user)
    response = _client(user).post("/dashboard/settings/images/", {})
    assert response.status_code == 200
    assert "Choose an avatar or a banner" in response.content.decode()


def test_panel_create_update_move_delete(user):
    channel, _ = _channel(user)
    client = _client(user)
    for title in ("Schedule", "Rules"):
        response = client.post(
            "/dashboard/settings/panels/", {"new-panel-title": title, "new-panel-body": "**hi**"}
        )
        assert response.status_code == 302
    schedule, rules = channel.panels.order_by("position", "id")
    assert [schedule.title, rules.title] == ["Schedule", "Rules"]

    prefix = f"panel-{schedule.pk}"
    data = {f"{prefix}-title": "When", f"{prefix}-body": "Mondays", f"{prefix}-link_url": "example.com/s"}
    assert client.post(f"/dashboard/settings/panels/{schedule.pk}/", data).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.title, schedule.link_url) == ("When", "https://example.com/s")

    assert client.post(f"/dashboard/settings/panels/{rules.pk}/move/up/").status_code == 302
    assert list(channel.panels.order_by("position", "id").values_list("title", flat=True)) == [
        "Rules",
        "When",
    ]

    assert client.post(f"/dashboard/settings/panels/{rules.pk}/delete/").status_code == 302
    assert list(channel.panels.values_list("title", flat=True)) == ["When"]


def test_panel_errors_are_shown_on_the_form(user):
    channel, _ = _channel(user)
    client = _client(user)
    response = client.post("/dashboard/settings/panels/", {"new-panel-title": ""})
    assert response.status_code == 200
    assert "Give the panel a title" in response.content.decode()
    panel = channel_services.panel_create(channel=channel, title="About")
    prefix = f"panel-{panel.pk}"
    response = client.post(f"/dashboard/settings/panels/{panel.pk}/", {f"{prefix}-title": "x" * 61})
    assert response.status_code == 200
    assert "at most 60 characters" in response.content.decode()
    assert client.post(f"/dashboard/settings/panels/{panel.pk}/move/sideways/").status_code == 404


def test_role_grant_and_revoke(user, other_user):
    channel, _ = _channel(user)
    client = _client(user)
    response = client.post(
        "/dashboard/settings/roles/", {"username": f"@{other_user.username}", "role": "moderator"}
    )
    assert response.status_code == 302
    grant = ChannelRole.objects.get(channel=channel)
    assert (grant.user, grant.role, grant.granted_by) == (other_user, "moderator", user)
    assert client.post(f"/dashboard/settings/roles/{grant.pk}/revoke/").status_code == 302
    assert not ChannelRole.objects.exists()


@pytest.mark.parametrize(
    ("username", "role", "message"),
    [
        ("nobody_at_all", "vip", "No one is called"),
        ("{me}", "vip", "already has every right"),
        ("{other}", "boss", "valid"),
    ],
)
def test_role_grant_errors_are_shown_on_the_form(user, other_user, username, role, message):
    _channel(user)
    name = username.format(me=user.username, other=other_user.username)
    response = _client(user).post("/dashboard/settings/roles/", {"username": name, "role": role})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ChannelRole.objects.exists()


# --- Query budget -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("panels", [0, 8])
def test_stream_page_query_budget_is_fixed(user, django_assert_max_num_queries, panels):
    channel, key = _channel(user)
    for number in range(panels):
        channel_services.panel_create(channel=channel, title=f"Panel {number}")
    stream = _go_live(key)
    for _ in range(5):
        stream_services.stream_record_health(stream=stream, bitrate_in=3_000_000)
    client = _client(user)
    client.get("/dashboard/stream/")  # the first request records the browser session
    # 5 for the signed-in shell (session, user, allauth's session record), 8 for the page
    with django_assert_max_num_queries(13):
        assert client.get("/dashboard/stream/").status_code == 200


@pytest.mark.parametrize("panels", [1, 10])
def test_settings_page_query_budget_is_fixed(user, django_assert_max_num_queries, panels):
    channel, _ = _channel(user)
    for number in range(panels):
        channel_services.panel_create(channel=channel, title=f"Panel {number}")
    client = _client(user)
    client.get("/dashboard/settings/")  # the first request records the browser session
    with django_assert_max_num_queries(11):
        assert client.get("/dashboard/settings/").status_code == 200
