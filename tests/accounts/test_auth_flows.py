"""Sign-up → e-mail verification → login, through the HTML forms and through allauth headless."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
NEW_PASSWORD = "glowing-nebula-4242"


@pytest.fixture(autouse=True)
def _mandatory_verification(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def confirmation_key() -> str:
    assert mail.outbox, "no e-mail was sent"
    body = str(mail.outbox[-1].body)
    match = re.search(r"/accounts/confirm-email/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def test_html_signup_verify_and_login_by_username_or_email(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nova@example.com",
            "username": "nova",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="nova")
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session  # mandatory verification: not signed in yet

    key = confirmation_key()
    assert client.get(f"/accounts/confirm-email/{key}/").status_code == 200
    response = client.post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)

    for login in ("nova", "NOVA@example.com"):
        fresh = Client()
        response = fresh.post("/accounts/login/", {"login": login, "password": NEW_PASSWORD})
        assert response.status_code == 302, response.content
        assert fresh.session["_auth_user_id"] == str(user.pk)


def test_html_login_without_verified_email_is_held(client):
    UserFactory(username="pending", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "pending", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh verification link was sent


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"email": "bad", "username": "okname", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            "email",
        ),
        (
            {"email": "a@example.com", "username": "x", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            "username",
        ),
        (
            {
                "email": "a@example.com",
                "username": "admin",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            "username",
        ),
        (
            {
                "email": "a@example.com",
                "username": "has space",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            "username",
        ),
        (
            {"email": "a@example.com", "username": "okname", "password1": "123", "password2": "123"},
            "password1",
        ),
        (
            {
                "email": "a@example.com",
                "username": "okname",
                "password1": NEW_PASSWORD,
                "password2": "other-pass-1",
            },
            "password2",
        ),
    ],
)
def test_html_signup_shows_field_errors(client, data, field):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()


def test_html_signup_refuses_taken_username_case_insensitively(client):
    UserFactory(username="Taken")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "username": "taken",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


def test_html_signup_with_taken_email_reveals_nothing_and_creates_nothing(client):
    """allauth's enumeration protection: the page looks like success, the owner gets a warning e-mail."""
    UserFactory(username="owner", email="taken@example.com")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "TAKEN@example.com",
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not User.objects.filter(username="newcomer").exists()
    assert mail.outbox[-1].to == ["taken@example.com"]


def test_password_reset_mails_a_working_link(client):
    user = UserFactory(username="forgetful")
    assert client.post("/accounts/password/reset/", {"email": user.email}).status_code == 302
    link = re.search(r"(/accounts/password/reset/key/\S+/)", str(mail.outbox[-1].body))
    assert link
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


# --- allauth headless (app client, X-Session-Token) -----------------------------------------


def headless(token: str | None = None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_X_SESSION_TOKEN=token)
    return client


def test_headless_signup_verify_login_and_use_the_api():
    response = headless().post(
        f"{APP}/auth/signup", {"email": "app@example.com", "username": "appuser", "password": NEW_PASSWORD}
    )
    assert response.status_code == 401  # pending flow: verify_email
    body = response.json()
    flows = {flow["id"]: flow for flow in body["data"]["flows"]}
    assert flows["verify_email"].get("is_pending")
    session_token = body["meta"]["session_token"]

    response = headless(session_token).post(f"{APP}/auth/email/verify", {"key": confirmation_key()})
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["is_authenticated"] is True
    session_token = response.json()["meta"].get("session_token", session_token)  # rotated on login

    me = headless(session_token).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "appuser"

    login = headless().post(f"{APP}/auth/login", {"email": "app@example.com", "password": NEW_PASSWORD})
    assert login.status_code == 200, login.content
    second_token = login.json()["meta"]["session_token"]
    assert headless(second_token).get("/api/v1/me/").json()["email"] == "app@example.com"


def test_headless_login_by_username_and_wrong_password():
    UserFactory(username="streamer")
    ok = headless().post(
        f"{APP}/auth/login", {"username": "streamer", "password": "correct-horse-battery-staple"}
    )
    assert ok.status_code == 200
    bad = headless().post(f"{APP}/auth/login", {"username": "streamer", "password": "nope-nope-nope"})
    assert bad.status_code == 400
    assert bad.json()["errors"]


def test_headless_session_token_is_invalid_after_logout():
    UserFactory(username="leaver")
    token = (
        headless()
        .post(f"{APP}/auth/login", {"username": "leaver", "password": "correct-horse-battery-staple"})
        .json()["meta"]["session_token"]
    )
    assert headless(token).delete(f"{APP}/auth/session").status_code == 401
    assert headless(token).get("/api/v1/me/").status_code in (401, 403)


def test_headless_login_locks_after_repeated_failures():
    """allauth's login_failed limit (5 per 5 minutes per account): even the right password is refused."""
    UserFactory(username="target")
    for i in range(5):
        headless().post(f"{APP}/auth/login", {"username": "target", "password": f"wrong-{i}"})
    response = headless().post(
        f"{APP}/auth/login", {"username": "target", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["errors"]] == ["too_many_login_attempts"]


def test_signup_is_rate_limited_per_ip():
    statuses = [
        headless()
        .post(f"{APP}/auth/signup", {"email": f"s{i}@example.com", "username": f"s{i}_x", "password": "x"})
        .status_code
        for i in range(21)
    ]
    assert statuses[-1] == 429


def test_email_change_takes_effect_after_the_new_address_is_confirmed(client):
    user = UserFactory(username="mover", email="old@example.com")
    client.force_login(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "old@example.com"  # not before confirmation
    assert mail.outbox[-1].to == ["new@example.com"]
    client.post(f"/accounts/confirm-email/{confirmation_key()}/")
    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == ["new@example.com"]
