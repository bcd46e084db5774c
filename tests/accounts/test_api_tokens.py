from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken
from accounts.scopes import SCOPES
from tests.accounts.test_api import ME, assert_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/me/tokens/"


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_create_token_shows_secret_once_and_stores_only_its_hash(auth_client, user):
    response = auth_client.post(TOKENS, {"name": "my bot", "scopes": ["profile:read"], "expires_in_days": 30})
    assert response.status_code == 201, response.content
    body = response.json()
    secret = body["token"]
    assert secret.startswith("aex_") and len(secret) >= 40
    token = ApiToken.objects.get(pk=body["id"])
    assert token.token_hash == services.hash_token(secret)
    assert secret not in (token.token_hash, token.prefix)
    assert secret.startswith(token.prefix)
    listing = auth_client.get(TOKENS).json()
    assert [t["id"] for t in listing] == [token.pk]
    assert "token" not in listing[0]
    assert secret not in auth_client.get(TOKENS).content.decode()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "scopes": ["profile:read"]}, "name"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["root:everything"]}, "scopes"),
        ({"name": "x", "scopes": "profile:read"}, "scopes"),
        ({"name": "x", "scopes": ["profile:read"], "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "scopes": ["profile:read"], "expires_in_days": "soon"}, "expires_in_days"),
        ({"name": "n" * 61, "scopes": ["profile:read"]}, "name"),
    ],
)
def test_create_token_rejects_bad_input(auth_client, payload, field):
    error = assert_error(auth_client.post(TOKENS, payload), 400, "invalid")
    assert field in error["fields"]
    assert not ApiToken.objects.exists()


def test_token_limit_per_user(auth_client, user, settings, make_token):
    settings.API_TOKENS_PER_USER = 2
    make_token(["profile:read"])
    make_token(["profile:read"])
    error = assert_error(auth_client.post(TOKENS, {"name": "third", "scopes": ["profile:read"]}), 400)
    assert "revoke one" in error["fields"]["name"][0]


def test_token_with_scope_reads_profile_and_records_last_use(make_token, user):
    token, secret = make_token(["profile:read"])
    response = bearer(secret).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_without_scope_gets_403(make_token, user):
    _, secret = make_token(["profile:read"])
    error = assert_error(bearer(secret).patch(ME, {"display_name": "Bot"}), 403, "permission_denied")
    assert "scope" in error["message"]
    user.refresh_from_db()
    assert user.display_name != "Bot"


def test_token_with_write_scope_may_patch(make_token, user):
    _, secret = make_token(["profile:write"])
    assert bearer(secret).patch(ME, {"display_name": "Bot"}).status_code == 200
    assert_error(bearer(secret).get(ME), 403)  # write does not imply read


def test_token_cannot_manage_tokens(make_token):
    _, secret = make_token(list(SCOPES))
    assert_error(bearer(secret).get(TOKENS), 403)
    assert_error(bearer(secret).post(TOKENS, {"name": "child", "scopes": ["profile:read"]}), 403)
    assert ApiToken.objects.count() == 1


def test_revoked_token_is_refused(auth_client, make_token):
    token, secret = make_token(["profile:read"])
    assert auth_client.delete(f"{TOKENS}{token.pk}/").status_code == 204
    assert_error(bearer(secret).get(ME), 401, "authentication_failed")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_expired_token_is_refused(make_token):
    token, secret = make_token(["profile:read"], expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(bearer(secret).get(ME), 401)


def test_token_of_deactivated_user_is_refused(make_token, user):
    _, secret = make_token(["profile:read"])
    services.user_deactivate(user=user)
    assert_error(bearer(secret).get(ME), 401)


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer aex_wrong"])
def test_malformed_or_unknown_bearer_is_401(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert_error(api_client.get(ME), 401)


def test_cannot_revoke_someone_elses_token(auth_client, make_token):
    token, _ = make_token(["profile:read"], owner=UserFactory())
    assert_error(auth_client.delete(f"{TOKENS}{token.pk}/"), 404)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_creation_is_throttled(auth_client, settings):
    settings.API_TOKENS_PER_USER = 100
    statuses = [
        auth_client.post(TOKENS, {"name": f"t{i}", "scopes": ["profile:read"]}).status_code for i in range(21)
    ]
    assert statuses[:20] == [201] * 20
    response = auth_client.post(TOKENS, {"name": "one more", "scopes": ["profile:read"]})
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
