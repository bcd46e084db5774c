from __future__ import annotations

import json

import pytest

from tests.aethex.subprocess_django import run_django

HEALTHZ = (
    "import django, json; django.setup(); from django.test import Client;"
    "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
)


def healthz(tmp_path, **env: str) -> tuple[int, dict]:
    result = run_django(HEALTHZ, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split("\n", 1)
    return int(status), json.loads(body)


@pytest.mark.django_db
def test_healthz_is_ok_with_the_configured_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "channel_layer": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_naming_redis_when_redis_is_down(tmp_path):
    status, body = healthz(tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert set(body["down"]) == {"cache", "channel_layer", "broker"}
    for name in body["down"]:
        assert body["checks"][name].startswith("down:")
    assert "Connection" in body["checks"]["cache"]


def test_healthz_is_503_naming_the_database_when_it_is_down(tmp_path):
    status, body = healthz(tmp_path, DATABASE_URL="postgres://nobody:hunter2@127.0.0.1:1/aethex")
    assert status == 503
    assert body["down"] == ["database"]
    assert "hunter2" not in json.dumps(body)  # credentials never leak into the report


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


def test_500_page_renders_when_the_database_is_down(tmp_path):
    code = (
        "import django; django.setup(); from django.test import RequestFactory;"
        "from aethex.views import server_error;"
        "r = server_error(RequestFactory().get('/boom')); print(r.status_code, b'</html>' in r.content)"
    )
    result = run_django(code, tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/aethex")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "True"]
