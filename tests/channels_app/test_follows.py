"""Follows: the API (follow, unfollow, notify switch, followers, following), the button, the rail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from channels_app.models import Follow
from streams import services as stream_services
from streams.models import Stream
from tests.accounts.test_api import assert_error
from tests.factories import FollowFactory, UserFactory, bulk_followers
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db

CHANNELS = "/api/v1/channels/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def go_live(key: str, client_id: str = "1") -> Stream:
    call = stream_services.IngestCall(node="t", client_id=client_id, key=key)
    return stream_services.ingest_publish(call=call)


@pytest.fixture
def channel():
    return make_channel("nova")[0]


# --- POST / DELETE / PATCH /api/v1/channels/{slug}/follow -------------------------------------


def test_follow_returns_the_state_and_the_follower_count(channel, user):
    response = api_as(user).post(f"{CHANNELS}nova/follow")
    assert response.status_code == 201, response.content
    body = response.json()
    state = (body["channel"], body["following"], body["notify"], body["follower_count"])
    assert state == ("nova", True, True, 1)
    assert body["followed_at"]
    assert Follow.objects.filter(user=user, channel=channel).exists()


def test_following_twice_is_idempotent(channel, user):
    client = api_as(user)
    client.post(f"{CHANNELS}nova/follow")
    again = client.post(f"{CHANNELS}nova/follow")
    assert again.status_code == 200
    assert again.json()["follower_count"] == 1
    assert Follow.objects.count() == 1


def test_unfollow_returns_the_state_and_twice_is_not_an_error(channel, user):
    client = api_as(user)
    client.post(f"{CHANNELS}nova/follow")
    FollowFactory(channel=channel)
    for _ in range(2):
        response = client.delete(f"{CHANNELS}nova/follow")
        assert response.status_code == 200
        body = response.json()
        assert (body["following"], body["notify"], body["followed_at"], body["follower_count"]) == (
            False,
            False,
            None,
            1,
        )
    assert not Follow.objects.filter(user=user).exists()


def test_follow_needs_a_signed_in_user(channel):
    for method in ("post", "delete", "patch"):
        assert_error(getattr(APIClient(), method)(f"{CHANNELS}nova/follow"), 401)
    assert not Follow.objects.exists()


def test_follow_an_unknown_channel_is_404(user):
    assert_error(api_as(user).post(f"{CHANNELS}nobody_here/follow"), 404, "not_found")
    assert_error(api_as(user).delete(f"{CHANNELS}nobody_here/follow"), 404, "not_found")


def test_following_your_own_channel_is_refused_with_the_error_shape(channel):
    error = assert_error(api_as(channel.owner_user).post(f"{CHANNELS}nova/follow"), 400, "invalid")
    assert "own channel" in error["message"]
    assert not Follow.objects.exists()


def test_token_without_the_profile_write_scope_cannot_follow(channel, make_token):
    _, secret = make_token(["profile:read"])
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert_error(client.post(f"{CHANNELS}nova/follow"), 403)


def test_patch_switches_go_live_notices_for_one_channel(channel, user):
    client = api_as(user)
    client.post(f"{CHANNELS}nova/follow")
    response = client.patch(f"{CHANNELS}nova/follow", {"notify": False})
    assert response.status_code == 200
    assert response.json()["notify"] is False
    assert Follow.objects.get(user=user).notify is False


def test_patch_needs_a_follow_and_a_boolean(channel, user):
    client = api_as(user)
    assert_error(client.patch(f"{CHANNELS}nova/follow", {"notify": False}), 404)
    client.post(f"{CHANNELS}nova/follow")
    error = assert_error(client.patch(f"{CHANNELS}nova/follow", {"notify": "perhaps"}), 400, "invalid")
    assert "notify" in error["fields"]
    assert_error(client.patch(f"{CHANNELS}nova/follow", {}), 400, "invalid")


# --- GET /api/v1/channels/{slug}/followers -----------------------------------------------------


def test_followers_list_is_paginated_newest_first_with_dates(channel):
    old = FollowFactory(channel=channel)
    Follow.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    new = FollowFactory(channel=channel)
    response = api_as(channel.owner_user).get(f"{CHANNELS}nova/followers?page_size=1")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"]
    assert [row["username"] for row in body["results"]] == [new.user.username]
    assert body["results"][0]["followed_at"]
    assert "notify" not in body["results"][0]  # a follower's own switch stays private


def test_only_the_broadcaster_and_staff_see_the_followers(channel, user):
    FollowFactory(channel=channel, user=user)
    assert_error(APIClient().get(f"{CHANNELS}nova/followers"), 401)
    assert_error(api_as(user).get(f"{CHANNELS}nova/followers"), 403, "permission_denied")
    staff = UserFactory(is_staff=True)
    assert api_as(staff).get(f"{CHANNELS}nova/followers").json()["count"] == 1
    assert_error(api_as(staff).get(f"{CHANNELS}nobody_here/followers"), 404)


# --- GET /api/v1/me/following/ ----------------------------------------------------------------


def test_following_list_puts_live_channels_first_with_viewer_counts(user):
    quiet, _ = make_channel("quiet")
    busy, busy_key = make_channel("busy")
    small, small_key = make_channel("small")
    for each in (quiet, small, busy):
        FollowFactory(channel=each, user=user)
    go_live(busy_key)
    go_live(small_key, client_id="2")
    Stream.objects.filter(channel=busy).update(viewer_count=40)
    Stream.objects.filter(channel=small).update(viewer_count=3)
    FollowFactory(channel=quiet)  # someone else's follow is not listed
    response = api_as(user).get("/api/v1/me/following/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["channel"], r["is_live"], r["viewer_count"]) for r in rows] == [
        ("busy", True, 40),
        ("small", True, 3),
        ("quiet", False, 0),
    ]
    assert rows[0]["notify"] is True and rows[0]["followed_at"]


def test_following_list_needs_a_signed_in_user():
    assert_error(APIClient().get("/api/v1/me/following/"), 401)


# --- The button on the channel page, the rail, the pages --------------------------------------


def test_follow_button_works_without_javascript(channel, user):
    client = Client()
    client.force_login(user)
    response = client.post("/nova/follow/", {"action": "follow"})
    assert response.status_code == 302 and response["Location"] == "/nova/"
    assert Follow.objects.filter(user=user, channel=channel).exists()
    page = client.get("/nova/").content.decode()
    assert 'value="unfollow"' in page and "1 follower" in page
    client.post("/nova/follow/", {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_follow_button_with_htmx_returns_the_new_button(channel, user):
    client = Client()
    client.force_login(user)
    response = client.post("/nova/follow/", {"action": "follow"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-follow" in html and 'value="unfollow"' in html and "1 follower" in html
    assert "<html" not in html


def test_follow_button_form_needs_csrf_and_sign_in(channel, user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post("/nova/follow/", {"action": "follow"}).status_code == 403
    anonymous = Client().post("/nova/follow/", {"action": "follow"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().post("/nobody_here/follow/", {"action": "follow"}).status_code == 404
    assert not Follow.objects.exists()


def test_own_channel_page_shows_the_count_but_no_follow_button(channel):
    client = Client()
    client.force_login(channel.owner_user)
    html = client.get("/nova/").content.decode()
    assert "0 followers" in html and 'value="follow"' not in html


def test_rail_lists_followed_channels_live_first_in_a_fixed_number_of_queries(
    user, django_assert_max_num_queries
):
    make_channel("nova")
    client = Client()
    client.force_login(user)
    client.get("/nova/")
    with CaptureQueriesContext(connection) as few:
        client.get("/nova/")
    for n in range(8):
        each, key = make_channel(f"chan{n}")
        FollowFactory(channel=each, user=user)
        if n % 2:
            go_live(key, client_id=str(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/nova/").content.decode()
    rail = html.split('class="watch-rail"')[1].split("</aside>")[0]
    order = [f"chan{n}" for n in range(8) if f"/chan{n}/" in rail]
    assert len(order) == 8
    assert rail.index("/chan1/") < rail.index("/chan6/")  # live before offline
    assert rail.count("is-live") == 4


def test_followers_dashboard_page_is_the_owners(channel, user):
    FollowFactory(channel=channel, user=user)
    owner = Client()
    owner.force_login(channel.owner_user)
    page = owner.get("/dashboard/followers/")
    assert page.status_code == 200
    assert user.username in page.content.decode()
    other = Client()
    other.force_login(user)
    assert other.get("/dashboard/followers/?channel=nova").status_code == 404
    assert Client().get("/dashboard/followers/").status_code == 302


def test_followers_dashboard_page_empty_state(channel):
    owner = Client()
    owner.force_login(channel.owner_user)
    assert "No followers yet" in owner.get("/dashboard/followers/").content.decode()


def test_following_page_lists_follows_and_switches_notify(channel, user):
    FollowFactory(channel=channel, user=user)
    client = Client()
    client.force_login(user)
    html = client.get("/following/").content.decode()
    assert "/nova/" in html and "Notify me when live" in html
    response = client.post("/following/nova/notify/", {})  # an unchecked box sends nothing
    assert response.status_code == 302
    assert Follow.objects.get(user=user).notify is False
    client.post("/following/nova/notify/", {"notify": "on"}, HTTP_HX_REQUEST="true")
    assert Follow.objects.get(user=user).notify is True
    assert client.post("/following/someone/notify/", {"notify": "on"}).status_code == 404


def test_following_page_empty_state_and_sign_in():
    assert Client().get("/following/").status_code == 302
    client = Client()
    client.force_login(UserFactory())
    assert "You don’t follow anyone yet" in client.get("/following/").content.decode()


def test_follow_admin_lists_follows(channel, user):
    FollowFactory(channel=channel, user=user)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/channels_app/follow/")
    assert response.status_code == 200
    assert user.username in response.content.decode()


def test_bulk_followers_helper_counts(channel):
    bulk_followers(channel, 5)
    assert Follow.objects.filter(channel=channel).count() == 5


def test_seed_demo_adds_follows_once(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    for _ in range(2):
        call_command("seed_demo", stdout=StringIO())
    follows = Follow.objects.filter(channel__slug="nova")
    assert sorted(follows.values_list("user__username", flat=True)) == ["ops", "sam"]
