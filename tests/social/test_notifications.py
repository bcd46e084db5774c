"""Notifications over the API and on pages: list, unread count, mark read, mark all read, the bell."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from social import selectors
from social.models import Notification
from tests.accounts.test_api import assert_error
from tests.factories import UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications/"


def notice(user, title: str = "nova is live", **fields) -> Notification:
    return Notification.objects.create(recipient=user, title=title, url="/nova/", **fields)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def page_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_is_the_users_own_newest_first_with_the_unread_count(user, other_user):
    channel, _ = make_channel("nova")
    old = notice(user, "first", channel=channel)
    new = notice(user, "second")
    notice(other_user, "not yours")
    body = api_as(user).get(API).json()
    assert [n["id"] for n in body["results"]] == [new.pk, old.pk]
    assert body["count"] == 2 and body["unread"] == 2
    assert body["results"][1]["channel"] == "nova" and body["results"][1]["read"] is False


def test_list_is_paginated_and_filters_unread(user):
    for n in range(3):
        notice(user, f"n{n}")
    Notification.objects.filter(title="n0").update(read_at="2026-01-01T00:00:00Z")
    client = api_as(user)
    page = client.get(f"{API}?page_size=2").json()
    assert page["count"] == 3 and page["next"] and len(page["results"]) == 2
    assert {n["title"] for n in client.get(f"{API}?unread=true").json()["results"]} == {"n1", "n2"}


def test_mark_read_and_read_all(user):
    first, second = notice(user), notice(user)
    client = api_as(user)
    response = client.post(f"{API}{first.pk}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.post(f"{API}{first.pk}/read").status_code == 200  # reading twice is fine
    assert client.get(API).json()["unread"] == 1
    assert client.post(f"{API}read-all").json() == {"marked": 1, "unread": 0}
    second.refresh_from_db()
    assert second.read_at is not None


def test_someone_elses_notification_is_404_and_unchanged(user, other_user):
    theirs = notice(other_user)
    assert_error(api_as(user).post(f"{API}{theirs.pk}/read"), 404)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    api_as(user).post(f"{API}read-all")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_api_needs_a_signed_in_user():
    assert_error(APIClient().get(API), 401)
    assert_error(APIClient().post(f"{API}read-all"), 401)
    assert_error(APIClient().post(f"{API}1/read"), 401)


def test_read_needs_the_write_scope(user, make_token):
    _, secret = make_token(["profile:read"])
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(API).status_code == 200
    assert_error(client.post(f"{API}read-all"), 403)


def test_bell_shows_the_unread_count_and_follows_reads(user, django_capture_on_commit_callbacks):
    notice(user)
    notice(user)
    client = page_as(user)
    html = client.get("/following/").content.decode()
    assert "data-bell" in html and "Notifications, 2 unread" in html
    with django_capture_on_commit_callbacks(execute=True):  # the cached count is forgotten after commit
        client.post("/notifications/read-all/")
    assert "Notifications, 0 unread" in client.get("/following/").content.decode()


def test_bell_count_is_cached_and_forgotten_on_new_notices(user, django_assert_num_queries):
    notice(user)
    assert selectors.unread_count(user=user) == 1
    with django_assert_num_queries(0):
        assert selectors.unread_count(user=user) == 1
    selectors.forget_unread(user_ids=[user.pk])
    notice(user)
    assert selectors.unread_count(user=user) == 2


def test_anonymous_pages_have_no_bell():
    assert "data-bell" not in Client().get("/").content.decode()


def test_notifications_page_lists_and_marks_read(user):
    first = notice(user, "Nova is live")
    client = page_as(user)
    html = client.get("/notifications/").content.decode()
    assert "Nova is live" in html and "Mark all as read" in html and "is-unread" in html
    response = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/nova/"
    first.refresh_from_db()
    assert first.read_at is not None


def test_notifications_page_mark_read_returns_to_the_page_not_elsewhere(user):
    first = notice(user)
    client = page_as(user)
    back = client.post(f"/notifications/{first.pk}/read/", {"next": "https://evil.example/"})
    assert back["Location"] == "/notifications/"


def test_notifications_page_empty_state_and_sign_in(user, other_user):
    assert Client().get("/notifications/").status_code == 302
    assert "Nothing here yet" in page_as(user).get("/notifications/").content.decode()
    theirs = notice(other_user)
    assert page_as(user).post(f"/notifications/{theirs.pk}/read/").status_code == 404


def test_notification_admin_lists_and_marks_read(user):
    notice(user, "Admin sees this")
    client = page_as(UserFactory(is_staff=True, is_superuser=True))
    assert "Admin sees this" in client.get("/admin/social/notification/").content.decode()
    ids = list(Notification.objects.values_list("pk", flat=True))
    client.post(
        "/admin/social/notification/", {"action": "mark_read", "_selected_action": [str(i) for i in ids]}
    )
    assert not Notification.objects.filter(read_at__isnull=True).exists()
