"""Fundraising campaigns: goal, deadline, progress from paid donations (refunds lower it), owner only."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from monetization.models import Campaign, Donation
from tests.factories import StreamChannelFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return StreamChannelFactory(slug="nova")


def _later(days=7):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def test_progress_counts_paid_donations_in_the_window(api_client, channel):
    api_client.force_login(channel.owner_user)
    Donation.objects.create(
        channel=channel, display_name="early", amount_cents=9999, stripe_payment_intent_id="pi_0"
    )
    started = api_client.post(
        "/api/v1/channels/nova/campaign",
        {"title": "New mic", "goal_cents": 10_000, "ends_at": _later()},
        format="json",
    )
    assert started.status_code == 201 and started.json()["raised_cents"] == 0
    Donation.objects.create(
        channel=channel, display_name="a", amount_cents=2500, stripe_payment_intent_id="pi_1"
    )
    Donation.objects.create(
        channel=channel,
        display_name="b",
        amount_cents=5000,
        stripe_payment_intent_id="pi_2",
        status="refunded",
    )
    body = api_client.get("/api/v1/channels/nova/campaign").json()
    assert (body["raised_cents"], body["percent"], body["title"]) == (2500, 25, "New mic")


def test_only_the_owner_runs_campaigns(api_client, channel):
    api_client.force_login(UserFactory())
    response = api_client.post(
        "/api/v1/channels/nova/campaign",
        {"title": "x", "goal_cents": 500, "ends_at": _later()},
        format="json",
    )
    assert response.status_code == 403 and not Campaign.objects.exists()
    assert APIClient().post("/api/v1/channels/nova/campaign", {}, format="json").status_code in (
        401,
        403,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "goal_cents": 50, "ends_at": _later()}, "goal_cents"),
        ({"title": "x", "goal_cents": 500, "ends_at": _later(-1)}, "ends_at"),
        ({"title": "x", "goal_cents": 500, "ends_at": _later(400)}, "ends_at"),
        ({"goal_cents": 500, "ends_at": _later()}, "title"),
    ],
)
def test_bad_campaign_input_is_refused(api_client, channel, body, field):
    api_client.force_login(channel.owner_user)
    response = api_client.post("/api/v1/channels/nova/campaign", body, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


def test_a_new_campaign_ends_the_running_one_and_delete_ends_it(api_client, channel):
    api_client.force_login(channel.owner_user)
    for title in ("one", "two"):
        api_client.post(
            "/api/v1/channels/nova/campaign",
            {"title": title, "goal_cents": 500, "ends_at": _later()},
            format="json",
        )
    assert api_client.get("/api/v1/channels/nova/campaign").json()["title"] == "two"
    assert api_client.delete("/api/v1/channels/nova/campaign").status_code == 204
    assert api_client.get("/api/v1/channels/nova/campaign").status_code == 404


def test_overlay_page_is_public_and_404_for_unknown(client, channel):
    assert client.get("/overlay/nova/campaign/").status_code == 200
    assert client.get("/overlay/nobody/campaign/").status_code == 404


def test_dashboard_starts_a_campaign(client, channel):
    client.force_login(channel.owner_user)
    ends = (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/dashboard/monetization/?channel=nova",
        {"action": "campaign_start", "c-title": "Desk", "c-goal": "250.00", "c-ends_at": ends},
    )
    assert response.status_code == 302
    assert Campaign.objects.get().goal_cents == 25_000
    page = client.get("/dashboard/monetization/?channel=nova")
    assert b"$0.00 of $250.00" in page.content
