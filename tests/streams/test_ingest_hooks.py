from __future__ import annotations

import pytest

from streams.models import EndReason, Stream, StreamStatus
from tests.streams.helpers import hook, make_channel

pytestmark = pytest.mark.django_db


def test_publish_with_the_right_key_goes_live_and_renames_to_the_slug():
    channel, key = make_channel(title="Building a synth")
    response = hook("publish", key=key)
    assert response.status_code == 302
    assert response["Location"] == "nova"  # nginx-rtmp renames: the key never names a file
    stream = Stream.objects.get()
    assert stream.is_live
    assert (stream.channel, stream.title, stream.ingest_node, stream.ingest_client_id) == (
        channel,
        "Building a synth",
        "edge-1",
        "1",
    )
    assert stream.publisher_addr == "203.0.113.9"


def test_wrong_key_is_refused_and_writes_nothing():
    make_channel()
    response = hook("publish", key="live_not-the-key")
    assert response.status_code == 403
    assert not Stream.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"secret": ""}, "no secret"),
        ({"secret": "guess"}, "wrong secret"),
        ({"remote_addr": "198.51.100.7"}, "not an ingest address"),
    ],
)
def test_hooks_refuse_callers_without_the_secret_or_from_elsewhere(kwargs, why):
    _, key = make_channel()
    for event in ("publish", "publish_done", "update", "record_done"):
        response = hook(event, key=key, **kwargs)
        assert response.status_code == 403, (event, why)
        assert response.json()["error"]["code"] == "permission_denied"
    assert not Stream.objects.exists()


def test_hooks_only_take_post():
    from django.test import Client

    assert Client().get("/ingest/rtmp/publish").status_code == 405


def test_suspended_channel_cannot_publish():
    from channels_app import services

    channel, key = make_channel()
    services.channel_suspend(channel=channel, reason="spam")
    assert hook("publish", key=key).status_code == 403
    assert not Stream.objects.exists()


def test_duplicated_publish_keeps_one_session():
    _, key = make_channel()
    assert hook("publish", key=key).status_code == 302
    assert hook("publish", key=key).status_code == 302
    assert Stream.objects.count() == 1


def test_second_publisher_replaces_the_first_session_cleanly():
    _, key = make_channel()
    hook("publish", key=key, clientid="1")
    hook("publish", key=key, clientid="2")
    first, second = Stream.objects.order_by("pk")
    assert (first.status, first.end_reason) == (StreamStatus.ENDED, EndReason.REPLACED)
    assert second.is_live
    # The first encoder's late callbacks now belong to an ended session: it is dropped, nothing revives.
    assert hook("update", key=key, clientid="1").status_code == 403
    assert hook("publish_done", key=key, clientid="1").status_code == 204
    second.refresh_from_db()
    assert second.is_live


def test_publish_done_ends_the_session_and_repeats_are_harmless():
    _, key = make_channel()
    hook("publish", key=key)
    assert hook("publish_done", key=key).status_code == 204
    stream = Stream.objects.get()
    assert (stream.status, stream.end_reason) == (StreamStatus.ENDED, EndReason.PUBLISHER_LEFT)
    ended_at = stream.ended_at
    assert hook("publish_done", key=key).status_code == 204
    stream.refresh_from_db()
    assert stream.ended_at == ended_at


def test_publish_done_before_publish_leaves_nothing_live():
    """Out of order: the done callback overtakes the publish; the late publish must not go live."""
    _, key = make_channel()
    assert hook("publish_done", key=key, clientid="7").status_code == 204
    assert hook("publish", key=key, clientid="7").status_code == 403
    assert not Stream.objects.filter(status=StreamStatus.LIVE).exists()


def test_publish_done_after_key_rotation_still_finds_its_session():
    from channels_app import services

    channel, key = make_channel()
    hook("publish", key=key)
    services.stream_key_rotate(channel=channel)  # ends the session already (and drops the publisher)
    assert hook("publish_done", key=key).status_code == 204
    assert Stream.objects.get().status == StreamStatus.ENDED


def test_update_refreshes_a_live_session_and_drops_an_ended_one():
    _, key = make_channel()
    hook("publish", key=key)
    before = Stream.objects.get().last_update_at
    assert hook("update", key=key).status_code == 204
    assert Stream.objects.get().last_update_at > before
    hook("publish_done", key=key)
    assert hook("update", key=key).status_code == 403
    assert hook("update", key=key, clientid="99").status_code == 403


def test_record_done_stores_each_recording_once():
    _, key = make_channel()
    hook("publish", key=key)
    hook("publish_done", key=key)
    for _ in range(2):
        assert hook("record_done", key=key, path="/var/rec/nova-1.flv").status_code == 204
    hook("record_done", key=key, path="/var/rec/nova-2.flv")
    assert Stream.objects.get().recordings == ["/var/rec/nova-1.flv", "/var/rec/nova-2.flv"]


def test_missing_clientid_is_a_400():
    _, key = make_channel()
    response = hook("publish", key=key, clientid="")
    assert response.status_code == 400
    assert not Stream.objects.exists()


def test_sessions_on_two_ingest_nodes_with_the_same_client_id_do_not_mix():
    _, key_a = make_channel("alpha")
    _, key_b = make_channel("bravo")
    hook("publish", key=key_a, node="edge-1", clientid="5")
    hook("publish", key=key_b, node="edge-2", clientid="5")
    hook("publish_done", key=key_a, node="edge-1", clientid="5")
    assert list(Stream.objects.filter(status="live").values_list("channel__slug", flat=True)) == ["bravo"]


def test_update_for_a_local_player_is_not_a_publisher_check():
    """nginx-rtmp also sends call=update_play for the relay to the HLS app: never drop it."""
    _, key = make_channel()
    hook("publish", key=key)
    hook("publish_done", key=key)
    assert hook("update", key=key, clientid="12", call="update_play").status_code == 204
    assert hook("update", key=key, call="update_publish").status_code == 403
