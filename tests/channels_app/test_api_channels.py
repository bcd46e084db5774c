from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from channels_app import keys
from channels_app.models import Channel, ChannelRole
from channels_app.services import category_get_or_create
from tests.accounts.test_api import assert_error
from tests.factories import UserFactory
from tests.streams.helpers import hook, make_channel

pytestmark = pytest.mark.django_db

CHANNELS = "/api/v1/channels/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_create_channel_returns_the_key_once_and_stores_its_keyed_hash(auth_client, user):
    category_get_or_create(name="Music")
    response = auth_client.post(
        CHANNELS, {"slug": "Nova_Beats", "title": "Lo-fi", "category": "music", "tags": ["chill", "Chill "]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    key = body["stream_key"]
    assert len(key) >= 32
    channel = Channel.objects.get()
    assert (channel.slug, channel.owner_user, channel.tags) == ("nova_beats", user, ["chill"])
    assert channel.stream_key_hash == keys.hash_stream_key(key)
    assert key not in channel.stream_key_hash and key.startswith(channel.stream_key_prefix)
    assert body["server_url"].startswith("rtmp://")
    detail = auth_client.get(f"{CHANNELS}nova_beats/").json()
    assert "stream_key" not in detail
    assert key not in str(auth_client.get(f"{CHANNELS}nova_beats/stream-key").json())


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("admin", "reserved"),
        ("dashboard", "reserved"),
        ("api", "reserved"),
        ("ab", "3–25"),
        ("has space", "3–25"),
        ("x" * 26, "25 characters"),
        ("", ""),
    ],
)
def test_create_channel_refuses_bad_and_reserved_slugs(auth_client, slug, message):
    error = assert_error(auth_client.post(CHANNELS, {"slug": slug}), 400, "invalid")
    assert message in " ".join(error["fields"]["slug"])
    assert not Channel.objects.exists()


def test_create_channel_refuses_taken_slug_case_insensitively(auth_client):
    make_channel("nova")
    error = assert_error(auth_client.post(CHANNELS, {"slug": "NOVA"}), 400)
    assert "taken" in error["fields"]["slug"][0]


def test_one_channel_per_user_by_default(auth_client):
    assert auth_client.post(CHANNELS, {"slug": "first"}).status_code == 201
    error = assert_error(auth_client.post(CHANNELS, {"slug": "second"}), 400)
    assert "at most 1" in error["fields"]["slug"][0]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"slug": "okay", "tags": ["x"] * 11}, "tags"),
        ({"slug": "okay", "tags": ["<script>"]}, "tags"),
        ({"slug": "okay", "category": "no-such"}, "category"),
        ({"slug": "okay", "accent_color": "purple"}, "accent_color"),
        ({"slug": "okay", "title": "t" * 141}, "title"),
    ],
)
def test_create_channel_bad_fields(auth_client, payload, field):
    error = assert_error(auth_client.post(CHANNELS, payload), 400)
    assert field in error["fields"]


def test_creating_needs_a_signed_in_user(api_client):
    assert_error(api_client.post(CHANNELS, {"slug": "anon"}), 403)


def test_list_and_detail_are_public(api_client):
    make_channel("alpha")
    make_channel("bravo")
    body = api_client.get(CHANNELS).json()
    assert [c["slug"] for c in body["results"]] == ["alpha", "bravo"]
    assert api_client.get(f"{CHANNELS}alpha/").json()["owner"] == "alpha_owner"
    assert_error(api_client.get(f"{CHANNELS}ghost/"), 404)
    assert api_client.get(CHANNELS, {"owner": "bravo_owner"}).json()["count"] == 1
    assert api_client.get(CHANNELS, {"owner": "nobody"}).json()["count"] == 0


def test_owner_patches_settings_others_cannot():
    channel, _ = make_channel("nova")
    owner = client_for(channel.owner_user)
    assert owner.patch(f"{CHANNELS}nova/", {"title": "New", "abr_enabled": True}).status_code == 200
    channel.refresh_from_db()
    assert (channel.title, channel.abr_enabled) == ("New", True)
    assert_error(client_for(UserFactory()).patch(f"{CHANNELS}nova/", {"title": "Hijack"}), 403)
    assert_error(APIClient().patch(f"{CHANNELS}nova/", {"title": "Hijack"}), 403)
    owner.patch(f"{CHANNELS}nova/", {"slug": "renamed"})
    channel.refresh_from_db()
    assert channel.slug == "nova"  # the slug is the channel's address: not editable


def test_editor_may_change_stream_info_but_not_settings():
    channel, _ = make_channel("nova")
    editor = UserFactory()
    ChannelRole.objects.create(channel=channel, user=editor, role="editor")
    client = client_for(editor)
    assert client.patch(f"{CHANNELS}nova/", {"title": "Edited"}).status_code == 200
    error = assert_error(client.patch(f"{CHANNELS}nova/", {"abr_enabled": True}), 403)
    assert "abr_enabled" in error["message"]
    assert_error(client.get(f"{CHANNELS}nova/stream-key"), 403)
    assert_error(client.post(f"{CHANNELS}nova/stream-key/rotate"), 403)


def test_rotate_returns_a_new_key_once(django_capture_on_commit_callbacks):
    channel, old_key = make_channel("nova")
    client = client_for(channel.owner_user)
    body = client.post(f"{CHANNELS}nova/stream-key/rotate").json()
    channel.refresh_from_db()
    assert body["stream_key"] != old_key
    assert channel.stream_key_hash == keys.hash_stream_key(body["stream_key"])
    assert body["prefix"] == channel.stream_key_prefix
    assert "stream_key" not in client.get(f"{CHANNELS}nova/stream-key").json()


def test_token_scopes_guard_channel_management(make_token, user):
    make_channel("mine", owner=user)
    _, read_only = make_token(["profile:read"])
    _, manage = make_token(["channels:manage"])
    for secret, expected in ((read_only, 403), (manage, 200)):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert client.patch(f"{CHANNELS}mine/", {"title": "Bot title"}).status_code == expected
        assert client.get(f"{CHANNELS}mine/stream-key").status_code == expected


def test_stream_endpoint_reports_live_state():
    _, key = make_channel("nova", title="Live coding")
    client = APIClient()
    assert client.get(f"{CHANNELS}nova/stream").json()["status"] == "offline"
    hook("publish", key=key)
    body = client.get(f"{CHANNELS}nova/stream").json()
    assert (body["status"], body["title"], body["viewer_count"], body["hls_url"]) == (
        "live",
        "Live coding",
        0,
        "/hls/nova/index.m3u8",
    )
    assert body["started_at"]
    assert_error(client.get(f"{CHANNELS}ghost/stream"), 404)


def test_health_endpoint_is_for_managers_only():
    from streams import services
    from streams.models import Stream

    channel, key = make_channel("nova")
    hook("publish", key=key)
    services.stream_record_health(
        stream=Stream.objects.get(), bitrate_in=4_500_000, fps_declared=30, width=1280
    )
    body = client_for(channel.owner_user).get(f"{CHANNELS}nova/health").json()
    assert body["live"] is True
    assert body["samples"][0]["bitrate_in"] == 4_500_000
    assert_error(client_for(UserFactory()).get(f"{CHANNELS}nova/health"), 403)
    assert_error(APIClient().get(f"{CHANNELS}nova/health"), 401)


def test_roles_grant_list_revoke():
    channel, _ = make_channel("nova")
    owner = client_for(channel.owner_user)
    mod = UserFactory(username="mod_maya")
    created = owner.post(f"{CHANNELS}nova/roles/", {"username": "mod_maya", "role": "moderator"})
    assert created.status_code == 201
    assert (
        owner.post(f"{CHANNELS}nova/roles/", {"username": "mod_maya", "role": "moderator"}).status_code == 201
    )
    assert ChannelRole.objects.filter(user=mod).count() == 1  # granting twice changes nothing
    assert [r["username"] for r in owner.get(f"{CHANNELS}nova/roles/").json()] == ["mod_maya"]
    assert_error(owner.post(f"{CHANNELS}nova/roles/", {"username": "ghost", "role": "vip"}), 404)
    assert_error(owner.post(f"{CHANNELS}nova/roles/", {"username": "mod_maya", "role": "king"}), 400)
    owner_name = channel.owner_user.username
    assert_error(owner.post(f"{CHANNELS}nova/roles/", {"username": owner_name, "role": "vip"}), 400)
    assert_error(client_for(mod).get(f"{CHANNELS}nova/roles/"), 403)
    assert owner.delete(f"{CHANNELS}nova/roles/{created.json()['id']}/").status_code == 204
    assert_error(owner.delete(f"{CHANNELS}nova/roles/{created.json()['id']}/"), 404)


def test_panels_crud():
    channel, _ = make_channel("nova")
    owner = client_for(channel.owner_user)
    created = owner.post(
        f"{CHANNELS}nova/panels/", {"title": "About", "body": "**Hi**", "link_url": "https://x.org"}
    )
    assert created.status_code == 201
    panel_id = created.json()["id"]
    assert APIClient().get(f"{CHANNELS}nova/panels/").json()[0]["title"] == "About"
    assert (
        owner.patch(f"{CHANNELS}nova/panels/{panel_id}/", {"title": "Schedule"}).json()["title"] == "Schedule"
    )
    assert_error(owner.post(f"{CHANNELS}nova/panels/", {"link_url": "javascript:alert(1)"}), 400)
    assert_error(client_for(UserFactory()).delete(f"{CHANNELS}nova/panels/{panel_id}/"), 403)
    assert owner.delete(f"{CHANNELS}nova/panels/{panel_id}/").status_code == 204


def test_categories_list(api_client):
    category_get_or_create(name="Just Chatting")
    assert [c["slug"] for c in api_client.get("/api/v1/categories/").json()["results"]] == ["just-chatting"]


def test_panel_move_swaps_neighbours_and_renumbers():
    from channels_app import services
    from channels_app.models import ChannelPanel

    channel, _ = make_channel("nova")
    first, _, third = (services.panel_create(channel=channel, title=t, position=9) for t in "ABC")
    services.panel_move(panel=third, direction="up")
    assert list(ChannelPanel.objects.order_by("position").values_list("title", "position")) == [
        ("A", 0),
        ("C", 1),
        ("B", 2),
    ]
    services.panel_move(panel=first, direction="up")  # already first: only renumbered
    assert ChannelPanel.objects.get(pk=first.pk).position == 0


def test_a_refused_update_leaves_the_callers_instance_as_stored():
    from django.core.exceptions import ValidationError

    from channels_app import services

    channel, _ = make_channel("nova", title="Before")
    with pytest.raises(ValidationError):
        services.channel_update(channel=channel, title="After", accent_color="not a colour")
    assert (channel.title, channel.accent_color) == ("Before", "#9b7bff")
