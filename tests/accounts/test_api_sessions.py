from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from rest_framework.test import APIClient

from tests.accounts.test_api import assert_error
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/me/sessions/"


def app_login(user) -> APIClient:
    token = (
        APIClient()
        .post("/_allauth/app/v1/auth/login", {"username": user.username, "password": PASSWORD})
        .json()["meta"]["session_token"]
    )
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=token, HTTP_USER_AGENT="AeThex Test App/1.0")
    return client


def test_sessions_list_marks_the_current_one_and_signs_out_another(user):
    phone, laptop = app_login(user), app_login(user)
    listing = phone.get(SESSIONS).json()
    assert len(listing) == 2
    current = [s for s in listing if s["is_current"]]
    assert len(current) == 1
    other = next(s for s in listing if not s["is_current"])

    assert phone.delete(f"{SESSIONS}{other['id']}/").status_code == 204
    assert laptop.get("/api/v1/me/").status_code == 401
    assert phone.get("/api/v1/me/").status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1


def test_cannot_sign_out_someone_elses_session(user):
    stranger = app_login(UserFactory())
    mine = app_login(user)
    their_session = UserSession.objects.exclude(user=user).get()
    assert_error(mine.delete(f"{SESSIONS}{their_session.pk}/"), 404)
    assert stranger.get("/api/v1/me/").status_code == 200


def test_sessions_need_a_session_not_a_token(make_token):
    _, secret = make_token(["profile:read", "profile:write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert_error(client.get(SESSIONS), 403)
