"""A real Chromium signs up through the HTML forms, confirms its e-mail and ends signed in."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import User

PASSWORD = "glowing-nebula-4242"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _mandatory_verification(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def fill_signup(page, *, email: str, username: str, password2: str = PASSWORD) -> None:
    page.fill("input[name=email]", email)
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", password2)
    page.click("form.allauth-form button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def test_signup_verify_email_and_land_signed_in(page, live_server):
    page.goto(f"{live_server.url}/")
    page.click("header >> text=Sign up")
    assert page.url.endswith("/accounts/signup/")

    # A typo in the second password is caught and shown under the field, nothing is created.
    fill_signup(page, email="nova@example.com", username="nova_storm", password2=PASSWORD + "x")
    assert page.locator(".field-errors").first.is_visible()
    assert not User.objects.filter(username="nova_storm").exists()

    fill_signup(page, email="nova@example.com", username="nova_storm")
    assert page.url.endswith("/accounts/confirm-email/")
    assert "Verify" in page.locator("h1").inner_text()
    assert page.locator("#user-menu").count() == 0  # not signed in before confirming

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nova@example.com"]
    match = re.search(r"/accounts/confirm-email/[^/\s]+/", str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    page.goto(live_server.url + match.group(0))
    page.click("form.allauth-form button[type=submit]")  # "Confirm"
    page.wait_for_load_state("domcontentloaded")

    menu_button = page.locator("[data-menu-toggle]")
    assert menu_button.is_visible()
    assert "nova_storm" in menu_button.inner_text()
    menu_button.click()
    menu = page.locator("#user-menu")
    assert menu.is_visible()
    assert menu.locator("text=Settings").is_visible()
    assert User.objects.get(username="nova_storm").emailaddress_set.get().verified

    # Signing out is a POST from the menu and brings back the visitor header.
    menu.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("header >> text=Sign in").is_visible()


def test_api_token_is_created_shown_once_and_revoked_with_htmx(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("form.allauth-form button[type=submit]")
    page.wait_for_load_state("domcontentloaded")

    page.goto(f"{live_server.url}/settings/security/")
    page.fill("#create-token-form input[name=name]", "Chat bot")
    page.check("input[name=scopes][value='chat:write']")
    page.click("#create-token-form button[type=submit]")
    secret = page.locator("#new-token-secret").inner_text(timeout=10_000)
    assert secret.startswith("aex_")
    assert page.url.endswith("/settings/security/")  # swapped in place by htmx, no navigation

    page.once("dialog", lambda dialog: dialog.accept())  # hx-confirm asks before revoking
    page.locator("tr", has_text="Chat bot").locator("button", has_text="Revoke").click()
    page.locator("tr", has_text="Chat bot").locator(".badge", has_text="Revoked").wait_for()
    assert user.api_tokens.get().revoked_at is not None

    page.reload()
    assert secret not in page.content()
