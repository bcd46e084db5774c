from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client

from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def run_action(client: Client, action: str, *users) -> None:
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [u.pk for u in users]})
    assert response.status_code == 302, response.content


def test_admin_is_branded_and_searchable(staff_client):
    UserFactory(username="findme", email="findme@example.com")
    page = staff_client.get(CHANGELIST, {"q": "findme"})
    assert page.status_code == 200
    assert b"AeThex Live ops" in page.content
    assert b"findme@example.com" in page.content


def test_admin_deactivate_signs_out_and_revokes_tokens(
    staff_client, make_token, django_capture_on_commit_callbacks
):
    target = UserFactory()
    make_token(["profile:read"], owner=target)
    target_browser = Client()
    target_browser.post(
        "/accounts/login/", {"login": target.username, "password": "correct-horse-battery-staple"}
    )
    assert target_browser.get("/api/v1/me/").status_code == 200
    assert UserSession.objects.filter(user=target).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        run_action(staff_client, "deactivate", target)
    assert target_browser.get("/api/v1/me/").status_code in (401, 403)
    assert not UserSession.objects.filter(user=target).exists()
    target.refresh_from_db()
    assert not target.is_active
    assert ApiToken.objects.get(user=target).revoked_at is not None


def test_admin_force_password_reset_mails_a_link_and_kills_the_password(staff_client):
    target = UserFactory()
    run_action(staff_client, "force_password_reset", target)
    target.refresh_from_db()
    assert not target.has_usable_password()
    assert mail.outbox[-1].to == [target.email]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_admin_mark_email_verified(staff_client):
    target = UserFactory(verified=False)
    run_action(staff_client, "mark_email_verified", target)
    address = EmailAddress.objects.get(user=target)
    assert address.verified and address.primary


def test_admin_is_closed_to_non_staff(client, user):
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 302
