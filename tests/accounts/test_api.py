from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_me_requires_authentication(api_client):
    response = api_client.get(ME)
    error = assert_error(response, 401, "not_authenticated")
    assert "Bearer" in response["WWW-Authenticate"]
    assert error["fields"] == {}


def test_me_returns_profile_and_preferences(auth_client, user):
    body = auth_client.get(ME).json()
    assert body["username"] == user.username
    assert body["email"] == user.email
    assert body["theme"] == "dark"
    assert body["avatar_url"] is None


def test_me_patch_updates_profile_and_preferences(auth_client, user):
    response = auth_client.patch(
        ME, {"display_name": "Nova", "chat_color": "#ff8800", "time_zone": "Europe/Paris", "theme": "light"}
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert (user.display_name, user.chat_color, user.time_zone, user.theme) == (
        "Nova",
        "#ff8800",
        "Europe/Paris",
        "light",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"chat_color": "red"}, "chat_color"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"theme": "neon"}, "theme"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"bio": "b" * 501}, "bio"),
        ({"language": "xx"}, "language"),
        ({"email_on_go_live": "perhaps"}, "email_on_go_live"),
    ],
)
def test_me_patch_rejects_bad_input_field_by_field(auth_client, user, payload, field):
    error = assert_error(auth_client.patch(ME, payload), 400, "invalid")
    assert field in error["fields"]
    user.refresh_from_db()
    assert user.display_name == user.username.title()  # nothing written


def test_me_patch_ignores_read_only_fields(auth_client, user):
    auth_client.patch(ME, {"username": "hijack", "email": "x@example.com"})
    user.refresh_from_db()
    assert user.username != "hijack"
    assert user.email != "x@example.com"


def test_malformed_json_is_a_parse_error_not_a_500(auth_client):
    response = auth_client.generic("PATCH", ME, "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_unsupported_media_type_has_error_shape(auth_client):
    response = auth_client.generic("PATCH", ME, "a=b", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_method_not_allowed_has_error_shape(auth_client):
    assert_error(auth_client.put(ME, {}), 405, "method_not_allowed")


def test_unknown_api_path_is_json_404(api_client):
    assert_error(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_public_user_profile_and_404(api_client, user):
    body = api_client.get(reverse("api-user", args=[user.username.upper()])).json()
    assert body["username"] == user.username
    assert "email" not in body
    assert_error(api_client.get(reverse("api-user", args=["ghost"])), 404, "not_found")


def test_inactive_user_profile_is_hidden(api_client, user):
    user.is_active = False
    user.save()
    assert_error(api_client.get(reverse("api-user", args=[user.username])), 404)


def test_schema_and_docs_are_served(api_client):
    schema = api_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    assert api_client.get("/api/docs/").status_code == 200


def test_api_docs_need_no_cdn(api_client):
    page = api_client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()
