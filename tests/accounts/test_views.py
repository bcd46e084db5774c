"""The HTML pages of accounts: profile, settings (profile, preferences, security), search and home."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from allauth.usersessions.models import UserSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts import services
from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_RE = re.compile(r"aex_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def web(user) -> Client:
    """A browser-like client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def png(size=(200, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 220)).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def profile_data(**overrides):
    data = {
        "display_name": "Nova Storm",
        "bio": "Speedruns.",
        "chat_color": "#22d3ee",
        "time_zone": "Europe/Paris",
    }
    return {**data, **overrides}


def signed_in_session(person, password) -> UserSession:
    """Sign `person` in from another browser so they have a tracked session."""
    other = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile Safari/604.1")
    response = other.post("/accounts/login/", {"login": person.username, "password": password})
    assert response.status_code == 302
    return UserSession.objects.get(user=person, session_key=other.session.session_key)


# --- Access --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["settings", "settings-profile", "settings-preferences", "settings-security"]
)
def test_settings_pages_redirect_anonymous_visitors_to_login(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("settings-token-create", {}),
        ("settings-token-revoke", {"token_id": 1}),
        ("settings-session-end", {"session_id": 1}),
    ],
)
def test_security_actions_need_login_and_post(client, web, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    assert client.post(url).status_code == 302  # to the login page
    assert web.get(url).status_code == 405


def test_settings_index_opens_the_profile_page(web):
    response = web.get(reverse("settings"))
    assert response.status_code == 302
    assert response["Location"] == reverse("settings-profile")


# --- Profile page ----------------------------------------------------------------------


def test_profile_page_shows_the_person(client, user):
    user.bio = "I stream <b>synths</b>."
    user.save()
    response = client.get(reverse("profile", args=[user.username]))
    html = response.content.decode()
    assert response.status_code == 200
    assert user.display_name in html
    assert f"@{user.username}" in html
    assert "I stream &lt;b&gt;synths&lt;/b&gt;." in html  # escaped, never raw HTML
    assert "Edit profile" not in html


def test_profile_page_offers_editing_to_its_owner(web, user):
    response = web.get(reverse("profile", args=[user.username.upper()]))
    assert response.status_code == 200
    assert "Edit profile" in response.content.decode()


def test_profile_joined_date_is_in_the_viewers_time_zone(web, user, other_user):
    other_user.date_joined = other_user.date_joined.replace(year=2025, month=1, day=1, hour=23, minute=30)
    other_user.save()
    user.time_zone = "Asia/Tokyo"  # 23:30 UTC on 1 January is 2 January in Tokyo
    user.save()
    html = web.get(reverse("profile", args=[other_user.username])).content.decode()
    assert "2 January 2025" in html


@pytest.mark.parametrize("username", ["nobody", "inactive"])
def test_profile_page_is_404_for_unknown_or_inactive_people(client, username):
    UserFactory(username="inactive", is_active=False)
    response = client.get(reverse("profile", args=[username]))
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()  # our page, in the site shell


# --- Settings: profile -------------------------------------------------------------------


def test_profile_form_saves_through_the_service(web, user):
    response = web.post(reverse("settings-profile"), profile_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("settings-profile")
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.chat_color, user.time_zone) == (
        "Nova Storm",
        "Speedruns.",
        "#22d3ee",
        "Europe/Paris",
    )
    assert "Your profile was saved." in web.get(reverse("settings-profile")).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("chat_color", "red", "Enter a colour as #RRGGBB."),
        ("chat_color", "#12345g", "Enter a colour as #RRGGBB."),
        ("time_zone", "Mars/Olympus_Mons", "Unknown time zone"),
    ],
)
def test_profile_form_shows_service_errors_under_the_field(web, user, field, value, message):
    before = (user.display_name, user.chat_color, user.time_zone)
    response = web.post(reverse("settings-profile"), profile_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="field-errors"' in html
    assert response.context["form"].errors[field]
    user.refresh_from_db()
    assert (user.display_name, user.chat_color, user.time_zone) == before  # nothing half-saved


def test_a_bad_chat_colour_never_reaches_a_style_attribute(web):
    response = web.post(reverse("settings-profile"), profile_data(chat_color="red;background:url(//x.test)"))
    assert response.status_code == 200
    styles = " ".join(re.findall(r'style="[^"]*"', response.content.decode()))
    assert "x.test" not in styles


def test_profile_form_too_long_display_name_is_a_field_error(web):
    response = web.post(reverse("settings-profile"), profile_data(display_name="x" * 51))
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]


def test_avatar_upload_of_a_non_image_is_a_form_error(web, user):
    fake = SimpleUploadedFile("cat.png", b"#!/bin/sh\necho not an image\n", content_type="image/png")
    response = web.post(reverse("settings-profile"), {**profile_data(display_name="Changed"), "avatar": fake})
    assert response.status_code == 200
    assert "That file is not an image we can read." in response.content.decode()
    assert response.context["form"].errors["avatar"]
    user.refresh_from_db()
    assert not user.avatar
    assert user.display_name != "Changed"  # profile and avatar are saved together or not at all


def test_avatar_upload_is_stored_and_can_be_removed(web, user):
    response = web.post(reverse("settings-profile"), {**profile_data(), "avatar": png()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    html = web.get(reverse("profile", args=[user.username])).content.decode()
    assert user.avatar.url in html

    response = web.post(reverse("settings-profile"), {"remove_avatar": "1"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.avatar


# --- Settings: preferences ----------------------------------------------------------------


def test_preferences_save_and_change_the_theme(web, user):
    data = {"theme": "light", "language": "fr", "email_on_mentions": "on", "notify_in_app": "on"}
    response = web.post(reverse("settings-preferences"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.theme, user.language) == ("light", "fr")
    assert (user.email_on_go_live, user.email_on_mentions, user.email_product_news, user.notify_in_app) == (
        False,
        True,
        False,
        True,
    )
    assert 'data-theme="light"' in web.get(reverse("home")).content.decode()


def test_preferences_reject_an_unknown_theme(web, user):
    response = web.post(reverse("settings-preferences"), {"theme": "neon", "language": "en"})
    assert response.status_code == 200
    assert response.context["form"].errors["theme"]
    user.refresh_from_db()
    assert user.theme == "dark"


# --- Settings: security — API tokens -----------------------------------------------------------


def test_token_creation_shows_the_secret_once_and_stores_only_its_hash(web, user):
    data = {"name": "Chat bot", "scopes": ["chat:read", "chat:write"], "expires_in_days": "30"}
    response = web.post(reverse("settings-token-create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    secrets_shown = set(SECRET_RE.findall(html))
    assert len(secrets_shown) == 1
    secret = secrets_shown.pop()
    assert "only time it is shown" in html

    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.token_hash}
    assert token.scopes == ["chat:read", "chat:write"]
    assert token.expires_at is not None

    again = web.get(reverse("settings-security")).content.decode()
    assert secret not in again
    assert token.prefix in again  # still listed, recognisable by its prefix
    assert secret not in str(dict(web.session))


def test_token_creation_with_htmx_returns_the_page_for_the_swap(web):
    data = {"name": "Overlay", "scopes": ["profile:read"]}
    response = web.post(reverse("settings-token-create"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="api-tokens"' in response.content.decode()
    assert SECRET_RE.search(response.content.decode())


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "bot"}, "scopes", "Choose at least one scope."),
        ({"name": "bot", "scopes": ["root:everything"]}, "scopes", "not one of the available choices"),
        ({"name": "", "scopes": ["chat:read"]}, "name", "Give the token a name"),
        ({"name": "bot", "scopes": ["chat:read"], "expires_in_days": "9999"}, "expires_in_days", "valid"),
    ],
)
def test_token_creation_with_bad_input_shows_errors(web, user, data, field, message):
    response = web.post(reverse("settings-token-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["token_form"].errors[field]
    assert not SECRET_RE.search(response.content.decode())
    assert not ApiToken.objects.filter(user=user).exists()


def test_token_limit_from_the_service_is_shown_on_the_form(web, user, settings):
    settings.API_TOKENS_PER_USER = 1
    services.api_token_create(user=user, name="first", scopes=["chat:read"])
    response = web.post(reverse("settings-token-create"), {"name": "second", "scopes": ["chat:read"]})
    assert response.status_code == 200
    assert "revoke one first" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == 1


def test_revoking_your_token(web, user):
    token, _ = services.api_token_create(user=user, name="bot", scopes=["chat:read"])
    response = web.post(reverse("settings-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_with_htmx_returns_the_updated_row(web, user):
    token, _ = services.api_token_create(user=user, name="bot", scopes=["chat:read"])
    response = web.post(reverse("settings-token-revoke", args=[token.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<tr id="token-{token.pk}"')
    assert "Revoked" in html


def test_revoking_someone_elses_token_is_404(web, other_user):
    token, _ = services.api_token_create(user=other_user, name="theirs", scopes=["chat:read"])
    response = web.post(reverse("settings-token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Settings: security — sessions -------------------------------------------------------------


def test_security_page_lists_sessions_and_marks_this_device(user, password):
    here = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36")
    here.post("/accounts/login/", {"login": user.username, "password": password})
    signed_in_session(user, password)
    html = here.get(reverse("settings-security")).content.decode()
    assert "This device" in html
    assert "Chrome on Linux" in html
    assert "Safari on iPhone" in html
    assert html.count('action="/settings/security/sessions/') == 1  # no sign-out button for this device


def test_ending_your_other_session_signs_it_out(web, user, password):
    session = signed_in_session(user, password)
    response = web.post(reverse("settings-session-end", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content == b""
    assert not UserSession.objects.filter(pk=session.pk).exists()


def test_ending_someone_elses_session_is_404(web, other_user, password):
    session = signed_in_session(other_user, password)
    response = web.post(reverse("settings-session-end", args=[session.pk]))
    assert response.status_code == 404
    assert UserSession.objects.filter(pk=session.pk).exists()


# --- Search, home and the shell ---------------------------------------------------------------------


def test_search_finds_people_by_part_of_their_name(client):
    UserFactory(username="nova_storm", display_name="Nova Storm")
    UserFactory(username="pixelpanda", display_name="Pixel Panda")
    html = client.get(reverse("search"), {"q": "stor"}).content.decode()
    assert "@nova_storm" in html
    assert "@pixelpanda" not in html

    partial = client.get(reverse("search"), {"q": "PANDA"}, HTTP_HX_REQUEST="true").content.decode()
    assert "@pixelpanda" in partial
    assert "<html" not in partial

    dropdown = client.get(
        reverse("search"), {"q": "panda"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-dropdown"
    ).content.decode()
    assert "See all results" in dropdown


def test_search_with_no_match_says_so(client):
    html = client.get(reverse("search"), {"q": "zzzz"}).content.decode()
    assert "Nobody matches" in html


def test_home_shows_newest_members_and_an_honest_live_empty_state(client, user):
    html = client.get(reverse("home")).content.decode()
    assert "Go live in seconds" in html
    assert "Nobody is live right now" in html
    assert reverse("profile", args=[user.username]) in html


def test_header_for_visitors_offers_sign_in_and_sign_up(client):
    html = client.get(reverse("home")).content.decode()
    assert reverse("account_login") in html
    assert reverse("account_signup") in html
    assert 'id="user-menu"' not in html


def test_header_for_members_has_a_user_menu_with_a_post_sign_out(web, user):
    html = web.get(reverse("home")).content.decode()
    assert 'id="user-menu"' in html
    assert reverse("settings-profile") in html
    assert reverse("admin:index") not in html  # staff only
    sign_out = re.search(
        r'<form method="post" action="/accounts/logout/">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert sign_out, "sign out must be a POST form with a CSRF token"


def test_header_shows_admin_to_staff(web, user):
    user.is_staff = True
    user.save()
    assert reverse("admin:index") in web.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/email/",
        "/accounts/password/change/",
    ],
)
def test_allauth_pages_render_in_the_site_shell(web, client, url):
    viewer = web if url in ("/accounts/email/", "/accounts/password/change/") else client
    response = viewer.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert "css/site.css" in html


def test_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("errors/500.html")
    assert "Something went wrong on our side" in html


def test_login_page_says_username_or_email_works(client):
    assert "username or your e-mail" in client.get("/accounts/login/").content.decode()


def test_login_errors_show_on_the_page(client, user):
    response = client.post("/accounts/login/", {"login": user.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "alert-error" in response.content.decode()
