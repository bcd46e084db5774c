"""Payouts: onboarding at Stripe's boundary, request bounds, approve → transfer → paid, failures, webhooks."""

from __future__ import annotations

import pytest
import stripe
from django.conf import settings as django_settings
from django.urls import reverse

from monetization import ledger, localstripe_setup, payouts, tasks
from monetization.models import ConnectAccount, LedgerTransaction, Payout
from tests.factories import StreamChannelFactory, UserFactory
from tests.monetization.conftest import event, post_event
from tests.monetization.payouts_support import CLOSED_ACCOUNT, fund, ready_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def channel(db):
    return StreamChannelFactory(slug="nova")


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


def balances(channel) -> tuple[int, int, int]:
    """(creator_balance, payouts_in_transit, payouts) of the channel, summed from the ledger."""
    available, transit, paid = (
        ledger.balance(ledger.account(kind, channel))
        for kind in ("creator_balance", "payouts_in_transit", "payouts")
    )
    return available, transit, paid


def request(client, user, body):
    client.force_login(user)
    return client.post("/api/v1/payouts/", body, content_type="application/json")


# --- Onboarding -------------------------------------------------------------------------------------


def test_onboarding_creates_an_express_account_and_sends_to_the_account_link(connect_api, client, channel):
    client.force_login(channel.owner_user)
    response = client.post(f"{reverse('dashboard-payouts')}?channel=nova", {"action": "onboard"})
    assert response.status_code == 302
    account = ConnectAccount.objects.get(channel=channel)
    assert response["Location"] == f"https://connect.stripe.com/setup/e/{account.stripe_account_id}/onboard"
    created, link = connect_api.requests
    assert (
        created["form"]["type"] == "express"
        and created["form"]["capabilities[transfers][requested]"] == "true"
    )
    assert (
        link["form"]["type"] == "account_onboarding"
        and "/dashboard/payouts/return/" in link["form"]["return_url"]
    )
    assert not account.ready


def test_return_from_onboarding_reads_the_account_flags(connect_api, client, channel):
    client.force_login(channel.owner_user)
    client.post(f"{reverse('dashboard-payouts')}?channel=nova", {"action": "onboard"})
    account = ConnectAccount.objects.get(channel=channel)
    connect_api.accounts[account.stripe_account_id] |= {"payouts_enabled": True, "details_submitted": True}
    response = client.get(f"{reverse('payouts-return')}?channel=nova")
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.ready


def test_account_updated_webhook_marks_the_account_ready_once(client, channel):
    account = ConnectAccount.objects.create(channel=channel, stripe_account_id="acct_1Webhook00000000")
    url = localstripe_setup.local_endpoint("http://testserver").url
    payload = event(
        "account.updated",
        {
            "id": account.stripe_account_id,
            "object": "account",
            "payouts_enabled": True,
            "details_submitted": True,
        },
    )
    assert post_event(client, url, payload).status_code == 200
    account.refresh_from_db()
    assert account.ready


def test_local_test_onboarding_marks_the_account_ready(client, channel, settings):
    settings.STRIPE_LOCAL_CHECKOUT = True
    client.force_login(channel.owner_user)
    response = client.post(f"{reverse('dashboard-payouts')}?channel=nova", {"action": "onboard"})
    assert response["Location"] == f"{reverse('payouts-test-onboarding')}?channel=nova"
    assert client.get(response["Location"]).status_code == 200
    client.post(response["Location"])
    assert ConnectAccount.objects.get(channel=channel).ready


def test_test_onboarding_is_refused_with_real_stripe(client, channel, settings):
    settings.STRIPE_LOCAL_CHECKOUT = False
    ConnectAccount.objects.create(channel=channel, stripe_account_id="acct_1Real000000000000")
    client.force_login(channel.owner_user)
    assert client.post(f"{reverse('payouts-test-onboarding')}?channel=nova").status_code == 404
    assert not ConnectAccount.objects.get(channel=channel).ready


def test_onboarding_page_is_for_the_owner_only(client, channel):
    client.force_login(UserFactory())
    assert (
        client.post(f"{reverse('dashboard-payouts')}?channel=nova", {"action": "onboard"}).status_code == 404
    )
    assert not ConnectAccount.objects.exists()


# --- Requests -------------------------------------------------------------------------------------


def test_request_reserves_the_amount_in_the_ledger(client, channel):
    ready_account(channel)
    fund(channel, 12_000)
    response = request(client, channel.owner_user, {"channel": "nova", "amount_cents": 7_000})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "requested"
    assert balances(channel) == (5_000, 7_000, 0)
    payout = Payout.objects.get()
    assert LedgerTransaction.objects.filter(idempotency_key=f"payout:{payout.pk}:reserve").exists()


def test_request_without_amount_takes_the_whole_balance(client, channel):
    ready_account(channel)
    fund(channel, 8_888)
    assert request(client, channel.owner_user, {"channel": "nova"}).json()["amount_cents"] == 8_888
    assert balances(channel) == (0, 8_888, 0)


def test_request_below_minimum_is_refused(client, channel, settings):
    settings.PAYOUT_MINIMUM_CENTS = 5_000
    ready_account(channel)
    fund(channel, 12_000)
    response = request(client, channel.owner_user, {"channel": "nova", "amount_cents": 4_999})
    assert response.status_code == 400
    assert "amount_cents" in response.json()["error"]["fields"]
    assert not Payout.objects.exists() and balances(channel) == (12_000, 0, 0)


def test_request_above_balance_is_refused(client, channel):
    ready_account(channel)
    fund(channel, 6_000)
    response = request(client, channel.owner_user, {"channel": "nova", "amount_cents": 6_001})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert not Payout.objects.exists()


def test_request_needs_a_ready_account(client, channel):
    ConnectAccount.objects.create(channel=channel, stripe_account_id="acct_1Unfinished00000")
    fund(channel, 9_000)
    response = request(client, channel.owner_user, {"channel": "nova"})
    assert response.status_code == 409
    assert "onboarding" in response.json()["error"]["message"]


def test_request_by_someone_else_is_forbidden(client, channel):
    ready_account(channel)
    fund(channel, 9_000)
    assert request(client, UserFactory(), {"channel": "nova"}).status_code == 403
    assert not Payout.objects.exists()


def test_request_anonymous_is_refused(client, channel):
    response = client.post("/api/v1/payouts/", {"channel": "nova"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_request_unknown_channel_is_404(client, channel):
    assert request(client, channel.owner_user, {"channel": "nowhere"}).status_code == 404


@pytest.mark.parametrize(
    "body", [{}, {"channel": "nova", "amount_cents": -5}, {"channel": "nova", "amount_cents": "x"}]
)
def test_request_bad_input_is_400(client, channel, body):
    response = request(client, channel.owner_user, body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_history_lists_the_owners_payouts_paginated(client, channel):
    ready_account(channel)
    fund(channel, 30_000)
    for _ in range(3):
        payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=5_000)
    client.force_login(channel.owner_user)
    body = client.get("/api/v1/payouts/?channel=nova&page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert {row["status"] for row in body["results"]} == {"requested"}


def test_history_is_forbidden_to_others_and_needs_a_channel(client, channel):
    client.force_login(UserFactory())
    assert client.get("/api/v1/payouts/?channel=nova").status_code == 403
    assert client.get("/api/v1/payouts/").status_code == 400
    assert client.get("/api/v1/payouts/?channel=nowhere").status_code == 404


# --- Staff decisions, transfers, failures ----------------------------------------------------------


def approve(client, staff, payout, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("admin:monetization_payout_changelist"),
            {"action": "approve", "_selected_action": [payout.pk]},
            follow=True,
        )


def test_approve_transfers_and_books_the_payout(
    connect_api, client, channel, staff, django_capture_on_commit_callbacks
):
    ready_account(channel)
    fund(channel, 10_000)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    response = approve(client, staff, payout, django_capture_on_commit_callbacks)
    assert b"1 payout(s) approved" in response.content
    payout.refresh_from_db()
    assert payout.status == "paid" and payout.decided_by == staff
    (transfer,) = connect_api.transfers.values()
    assert payout.stripe_transfer_id == transfer["id"]
    assert transfer["amount"] == 6_000 and transfer["destination"] == "acct_1TestReady000000"
    assert connect_api.requests[-1]["idempotency_key"] == f"aethex-payout-{payout.pk}"
    assert balances(channel) == (4_000, 0, 6_000)


def test_retried_transfer_task_does_not_pay_twice(
    connect_api, channel, staff, django_capture_on_commit_callbacks
):
    ready_account(channel)
    fund(channel, 10_000)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    with django_capture_on_commit_callbacks(execute=True):
        payouts.payout_approve(payout=payout, staff=staff)
    tasks.payout_transfer(payout.pk)
    assert len(connect_api.transfers) == 1
    assert balances(channel) == (4_000, 0, 6_000)


def test_refused_transfer_fails_and_restores_the_balance(
    connect_api, client, channel, staff, django_capture_on_commit_callbacks
):
    ready_account(channel, CLOSED_ACCOUNT)
    fund(channel, 10_000)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    approve(client, staff, payout, django_capture_on_commit_callbacks)
    payout.refresh_from_db()
    assert payout.status == "failed" and "closed" in payout.failure_reason
    assert balances(channel) == (10_000, 0, 0)


def test_reversed_transfer_webhook_restores_the_balance_once(
    connect_api, client, channel, staff, django_capture_on_commit_callbacks
):
    ready_account(channel)
    fund(channel, 10_000)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    approve(client, staff, payout, django_capture_on_commit_callbacks)
    transfer = next(iter(connect_api.transfers.values())) | {"reversed": True, "amount_reversed": 6_000}
    url = localstripe_setup.local_endpoint("http://testserver").url
    payload = event("transfer.reversed", transfer)
    assert post_event(client, url, payload).status_code == 200
    assert post_event(client, url, payload).status_code == 200  # redelivery
    # The same reversal under another event id (Stripe can send transfer.updated too) changes nothing.
    post_event(client, url, event("transfer.reversed", transfer, event_id="evt_other"))
    payout.refresh_from_db()
    assert payout.status == "failed"
    assert balances(channel) == (10_000, 0, 0)
    assert LedgerTransaction.objects.filter(kind="payout_failed").count() == 1


def test_hold_keeps_the_reserve_and_approve_after_hold_pays(
    connect_api, client, channel, staff, django_capture_on_commit_callbacks
):
    ready_account(channel)
    fund(channel, 10_000)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    client.force_login(staff)
    client.post(
        reverse("admin:monetization_payout_changelist"), {"action": "hold", "_selected_action": [payout.pk]}
    )
    payout.refresh_from_db()
    assert payout.status == "held" and not connect_api.transfers
    assert balances(channel) == (4_000, 6_000, 0)
    approve(client, staff, payout, django_capture_on_commit_callbacks)
    payout.refresh_from_db()
    assert payout.status == "paid"


def test_cancel_gives_the_reserve_back_and_paid_cannot_be_cancelled(
    connect_api, client, channel, staff, django_capture_on_commit_callbacks
):
    ready_account(channel)
    fund(channel, 20_000)
    first = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    second = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    approve(client, staff, second, django_capture_on_commit_callbacks)
    response = client.post(
        reverse("admin:monetization_payout_changelist"),
        {"action": "cancel", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert b"1 payout(s) cancelled" in response.content and b"cannot be cancelled" in response.content
    assert balances(channel) == (14_000, 0, 6_000)


def test_transfer_stuck_after_stripe_outage_is_retried_by_staff(
    connect_api, client, channel, staff, monkeypatch
):
    ready_account(channel)
    fund(channel, 10_000)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=6_000)
    Payout.objects.filter(pk=payout.pk).update(status="approved")
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")  # nothing listens: Stripe unreachable
    with pytest.raises(stripe.APIConnectionError):
        payouts.payout_transfer(payout_id=payout.pk)
    payout.refresh_from_db()
    assert payout.status == "in_transit" and balances(channel) == (4_000, 6_000, 0)
    monkeypatch.setattr(stripe, "api_base", django_settings.STRIPE_API_HOST)
    client.force_login(staff)
    client.post(
        reverse("admin:monetization_payout_changelist"), {"action": "retry", "_selected_action": [payout.pk]}
    )
    payout.refresh_from_db()
    assert payout.status == "paid" and len(connect_api.transfers) == 1
    assert balances(channel) == (4_000, 0, 6_000)


def test_admin_actions_need_staff(client, channel):
    client.force_login(channel.owner_user)
    response = client.get(reverse("admin:monetization_payout_changelist"))
    assert response.status_code == 302  # to the admin login


# --- Monthly run ------------------------------------------------------------------------------------


def test_monthly_run_pays_ready_channels_above_the_minimum(
    connect_api, channel, settings, django_capture_on_commit_callbacks
):
    settings.PAYOUT_MINIMUM_CENTS = 5_000
    settings.PAYOUT_REQUIRE_APPROVAL = False
    ready_account(channel)
    fund(channel, 7_500)
    poor = StreamChannelFactory()
    ready_account(poor, "acct_1Poor0000000000")
    fund(poor, 4_000)
    unready = StreamChannelFactory()
    ConnectAccount.objects.create(channel=unready, stripe_account_id="acct_1Unready00000000")
    fund(unready, 9_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.monthly_payouts() == 1
    payout = Payout.objects.get()
    assert payout.channel == channel and payout.automatic and payout.status == "paid"
    assert balances(channel) == (0, 0, 7_500)


def test_monthly_run_waits_for_approval_when_required(connect_api, channel, settings):
    settings.PAYOUT_REQUIRE_APPROVAL = True
    ready_account(channel)
    fund(channel, 7_500)
    tasks.monthly_payouts()
    assert Payout.objects.get().status == "requested" and not connect_api.transfers


def test_monthly_run_is_on_the_beat_schedule_and_payments_queue(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-payouts"]
    assert entry["task"] == "monetization.tasks.monthly_payouts"
    assert entry["schedule"].day_of_month == {1}
    assert settings.CELERY_TASK_ROUTES["monetization.tasks.*"] == {"queue": "payments"}
