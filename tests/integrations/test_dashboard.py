"""Dashboard › Alerts and the overlay page: permissions, the settings form, rotation, test alerts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from channels_app.models import ChannelRole, Role
from integrations import services
from integrations.models import AlertEvent, AlertKind, AlertRule, AlertSettings
from tests.factories import UserFactory
from tests.integrations.factories import alert_channel

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboard-alerts")
ROTATE = reverse("dashboard-alerts-rotate")
TEST = reverse("dashboard-alerts-test")


@pytest.fixture
def alerts(user):
    return alert_channel(slug="nova", owner_user=user)


@pytest.fixture
def owner_client(client, user, alerts):
    client.force_login(user)
    return client


def form_data(settings: AlertSettings, **overrides: str) -> dict[str, str]:
    """The settings form as the page posts it, with `overrides` (rules-N-field or a shared field)."""
    rules = list(settings.rules.order_by("id"))
    data = {
        "volume": "70",
        "tts_min_amount": "0",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for index, rule in enumerate(rules):
        prefix = f"rules-{index}-"
        data.update(
            {
                f"{prefix}id": str(rule.pk),
                f"{prefix}enabled": "on",
                f"{prefix}message_template": rule.message_template,
                f"{prefix}duration_seconds": str(rule.duration_seconds),
                f"{prefix}sound": rule.sound,
            }
        )
        if rule.kind == AlertKind.DONATION:
            data[f"{prefix}min_amount"] = "0"
    data.update(overrides)
    return data


def donation_index(settings: AlertSettings) -> int:
    return [rule.kind for rule in settings.rules.order_by("id")].index(AlertKind.DONATION)


# --- The page ----------------------------------------------------------------------------------


def test_the_owner_sees_settings_the_masked_url_and_an_empty_history(owner_client, alerts):
    response = owner_client.get(PAGE)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Alerts on your stream" in body and "No alerts yet" in body
    assert f"/overlay/nova/alerts?token={alerts.token}" in body  # the hidden "show"/"copy" value
    assert body.count(alerts.token) == 2  # that value and the preview iframe, nothing else
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert 'aria-current="page"' in body and "Alerts</a>" in body


def test_the_history_is_paginated_newest_first(owner_client, alerts):
    for n in range(12):
        services.alert_raid(channel=alerts.channel, from_channel_name=f"raider{n:02d}", viewers=n)

    first = owner_client.get(PAGE).content.decode()
    second = owner_client.get(PAGE, {"channel": "nova", "page": 2}).content.decode()

    assert "raider11 is raiding with 11 viewers!" in first and "raider01" not in first
    assert "Page 1 of 2" in first
    assert "raider01 is raiding" in second and "raider11" not in second


def test_an_editor_may_use_the_page(client, alerts):
    editor = UserFactory()
    ChannelRole.objects.create(channel=alerts.channel, user=editor, role=Role.EDITOR)
    client.force_login(editor)
    assert client.get(PAGE, {"channel": "nova"}).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, alerts):
    for url in (PAGE, ROTATE, TEST):
        response = client.post(url, {"channel": "nova"}) if url != PAGE else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_someone_else_gets_a_404_and_changes_nothing(client, alerts):
    stranger = UserFactory()
    client.force_login(stranger)
    token = alerts.token

    assert client.get(PAGE, {"channel": "nova"}).status_code == 404
    assert client.post(f"{ROTATE}?channel=nova").status_code == 404
    assert client.post(f"{TEST}?channel=nova", {"kind": "follow"}).status_code == 404
    assert client.post(f"{PAGE}?channel=nova", form_data(alerts, volume="5")).status_code == 404
    alerts.refresh_from_db()
    assert (alerts.token, alerts.volume) == (token, 70)


def test_a_moderator_cannot_manage_alerts(client, alerts):
    moderator = UserFactory()
    ChannelRole.objects.create(channel=alerts.channel, user=moderator, role=Role.MODERATOR)
    client.force_login(moderator)
    assert client.get(PAGE, {"channel": "nova"}).status_code == 404


# --- The settings form ------------------------------------------------------------------------


def test_saving_settings_updates_every_rule(owner_client, alerts):
    index = donation_index(alerts)
    data = form_data(
        alerts,
        volume="40",
        tts_min_amount="10.00",
        **{
            f"rules-{index}-min_amount": "2.50",
            f"rules-{index}-duration_seconds": "12",
            f"rules-{index}-message_template": "{name} sent {amount}",
            f"rules-{index}-tts": "on",
            "rules-0-enabled": "",
        },
    )

    response = owner_client.post(f"{PAGE}?channel=nova", data)

    assert response.status_code == 302
    alerts.refresh_from_db()
    assert (alerts.volume, alerts.tts_min_amount_cents) == (40, 1000)
    donation = alerts.rules.get(kind=AlertKind.DONATION)
    assert (donation.min_amount_cents, donation.duration_seconds, donation.tts) == (250, 12, True)
    assert donation.message_template == "{name} sent {amount}"
    assert alerts.rules.get(kind=AlertKind.FOLLOW).enabled is False


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("duration_seconds", "1", "greater than or equal to 2"),
        ("duration_seconds", "31", "less than or equal to 30"),
        ("duration_seconds", "abc", "Enter a whole number"),
        ("message_template", "{nam} followed", "Unknown placeholder {nam}"),
        ("message_template", "{name.__class__}", "Unknown placeholder"),
        ("message_template", "{name:>99999}", "Placeholders take no format"),
        ("message_template", "{name", "Unbalanced braces"),
        ("message_template", "", "This field is required"),
        ("sound", "airhorn", "Select a valid choice"),
        ("min_amount", "-1", "greater than or equal to 0"),
    ],
)
def test_bad_rule_input_is_shown_on_the_form_and_nothing_is_saved(owner_client, alerts, field, value, error):
    index = donation_index(alerts)
    before = list(AlertRule.objects.values_list("message_template", "duration_seconds", "sound"))

    response = owner_client.post(
        f"{PAGE}?channel=nova", form_data(alerts, **{f"rules-{index}-{field}": value})
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    assert "Please fix the highlighted fields." in response.content.decode()
    assert list(AlertRule.objects.values_list("message_template", "duration_seconds", "sound")) == before


def test_bad_shared_fields_are_refused(owner_client, alerts):
    response = owner_client.post(f"{PAGE}?channel=nova", form_data(alerts, volume="101"))
    assert response.status_code == 400
    assert "less than or equal to 100" in response.content.decode()
    alerts.refresh_from_db()
    assert alerts.volume == 70


def test_a_rule_of_another_channel_cannot_be_edited_through_the_form(owner_client, alerts):
    other = alert_channel(slug="vega")
    foreign = other.rules.get(kind=AlertKind.FOLLOW)
    data = form_data(alerts, **{"rules-0-id": str(foreign.pk), "rules-0-message_template": "{name} hacked"})

    response = owner_client.post(f"{PAGE}?channel=nova", data)

    assert response.status_code == 400
    assert "changed since the page loaded" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.message_template == "{name} just followed!"


def test_extra_forms_cannot_create_rules(owner_client, alerts):
    data = form_data(alerts, **{"rules-TOTAL_FORMS": "6", "rules-5-message_template": "{name}"})
    assert owner_client.post(f"{PAGE}?channel=nova", data).status_code == 400
    assert alerts.rules.count() == len(AlertKind)


# --- Rotation and test alerts ------------------------------------------------------------------


def test_rotating_replaces_the_token(owner_client, alerts):
    old = alerts.token
    response = owner_client.post(f"{ROTATE}?channel=nova")
    assert response.status_code == 302
    alerts.refresh_from_db()
    assert alerts.token != old and alerts.token_version == 2
    assert owner_client.get(reverse("alerts-overlay", args=["nova"]), {"token": old}).status_code == 403


def test_rotation_and_tests_refuse_get(owner_client):
    assert owner_client.get(f"{ROTATE}?channel=nova").status_code == 405
    assert owner_client.get(f"{TEST}?channel=nova").status_code == 405


def test_a_test_alert_answers_json_and_is_not_logged(owner_client, alerts):
    response = owner_client.post(f"{TEST}?channel=nova", {"kind": "donation"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    alert = response.json()["alert"]
    assert alert["test"] is True and alert["kind"] == "donation" and str(alert["id"]).startswith("test-")
    assert AlertEvent.objects.count() == 0


def test_a_test_alert_without_javascript_redirects_back(owner_client):
    response = owner_client.post(f"{TEST}?channel=nova", {"kind": "follow"})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?channel=nova"


@pytest.mark.parametrize("kind", ["", "nuke", "FOLLOW"])
def test_a_test_alert_of_an_unknown_kind_is_a_400_error(owner_client, kind):
    response = owner_client.post(f"{TEST}?channel=nova", {"kind": kind}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "kind" in response.json()["error"]["fields"]


# --- The overlay page --------------------------------------------------------------------------


def test_the_overlay_page_needs_the_channels_current_token(client, alerts):
    url = reverse("alerts-overlay", args=["nova"])
    ok = client.get(url, {"token": alerts.token})

    assert ok.status_code == 200
    assert 'data-ws-path="/ws/overlay/nova/alerts/"' in ok.content.decode()
    assert "no-cache" in ok["Cache-Control"] and "no-store" in ok["Cache-Control"]
    assert ok["Referrer-Policy"] == "no-referrer"
    assert "site-header" not in ok.content.decode()


@pytest.mark.parametrize("query", [{}, {"token": ""}, {"token": "nope"}])
def test_a_wrong_token_gets_a_plain_403(client, alerts, query):
    response = client.get(reverse("alerts-overlay", args=["nova"]), query)
    assert response.status_code == 403
    assert response.content == b"Forbidden"
    assert response["Referrer-Policy"] == "no-referrer"


def test_an_unknown_channel_looks_the_same_as_a_wrong_token(client, alerts):
    response = client.get(reverse("alerts-overlay", args=["nobody"]), {"token": alerts.token})
    assert (response.status_code, response.content) == (403, b"Forbidden")


def test_the_overlay_page_costs_few_queries(client, alerts, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(reverse("alerts-overlay", args=["nova"]), {"token": alerts.token})


def test_the_dashboard_page_query_count_does_not_grow_with_history(
    owner_client, alerts, django_assert_max_num_queries
):
    for n in range(10):
        services.alert_raid(channel=alerts.channel, from_channel_name=f"r{n}", viewers=n)
    with django_assert_max_num_queries(15):
        assert owner_client.get(PAGE).status_code == 200


def test_replay_refuses_another_channels_alert_and_unknown_ids(owner_client, alerts):
    other = alert_channel(slug="vega")
    foreign = services.alert_raid(channel=other.channel, from_channel_name="x", viewers=1)
    assert foreign is not None
    for event_id in (foreign.pk, 999999):
        url = reverse("dashboard-alerts-replay", args=[event_id])
        assert owner_client.post(f"{url}?channel=nova").status_code == 404


def test_replay_without_javascript_redirects_to_the_history(owner_client, alerts):
    event = services.alert_raid(channel=alerts.channel, from_channel_name="Vega", viewers=2)
    assert event is not None
    response = owner_client.post(reverse("dashboard-alerts-replay", args=[event.pk]) + "?channel=nova")
    assert response.status_code == 302 and response["Location"].endswith("#recent")


def test_replay_needs_a_manager(client, alerts):
    event = services.alert_raid(channel=alerts.channel, from_channel_name="Vega", viewers=2)
    assert event is not None
    url = reverse("dashboard-alerts-replay", args=[event.pk]) + "?channel=nova"
    assert client.post(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
