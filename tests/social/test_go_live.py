"""Go-live fan-out: in-app notices and e-mails by preference, chunks, reconnects, query budget."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from channels_app.models import Follow
from social import tasks
from social.models import GoLiveNotice, Notification
from streams import services as stream_services
from streams.models import Stream
from tests.factories import FollowFactory, UserFactory, bulk_followers
from tests.streams.helpers import hook, make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def nova():
    return make_channel("nova", title="Building a synth")


def publish(key: str, capture, client_id: str = "1"):
    """The nginx-rtmp publish hook, with the after-commit callbacks (signal, enqueue) run."""
    with capture(execute=True):
        response = hook("publish", key=key, clientid=client_id)
    assert response.status_code == 302
    return response


def publish_done(key: str, capture, client_id: str = "1") -> None:
    with capture(execute=True):
        hook("publish_done", key=key, clientid=client_id)


def test_going_live_notifies_followers_in_app_and_by_email(nova, django_capture_on_commit_callbacks):
    channel, key = nova
    fans = [FollowFactory(channel=channel).user for _ in range(3)]
    publish(key, django_capture_on_commit_callbacks)
    notices = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in notices] == fans
    first = notices[0]
    assert (first.kind, first.channel, first.title, first.text, first.url) == (
        "live",
        channel,
        "Nova_Owner is live",
        "Building a synth",
        "/nova/",
    )
    assert first.stream_id == Stream.objects.get().pk and first.read_at is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(fan.email for fan in fans)
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the other followers' addresses
    assert "/nova/" in mail.outbox[0].body and "is live" in mail.outbox[0].subject


def test_email_preferences_are_respected(nova, django_capture_on_commit_callbacks):
    channel, key = nova
    wants_all = FollowFactory(channel=channel).user
    no_email = FollowFactory(channel=channel, user=UserFactory(email_on_go_live=False)).user
    muted = FollowFactory(channel=channel, notify=False).user
    no_bell = FollowFactory(channel=channel, user=UserFactory(notify_in_app=False)).user
    unverified = FollowFactory(channel=channel, user=UserFactory(verified=False)).user
    inactive = FollowFactory(channel=channel, user=UserFactory(is_active=False)).user
    publish(key, django_capture_on_commit_callbacks)
    in_app = set(Notification.objects.values_list("recipient_id", flat=True))
    assert in_app == {wants_all.pk, no_email.pk, unverified.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([wants_all.email, no_bell.email])
    for person in (muted, inactive):  # the per-channel switch (and a closed account) silence both
        assert person.pk not in in_app and person.email not in {m.to[0] for m in mail.outbox}


def test_no_duplicate_on_a_quick_reconnect(nova, django_capture_on_commit_callbacks):
    channel, key = nova
    FollowFactory(channel=channel)
    publish(key, django_capture_on_commit_callbacks, client_id="1")
    publish_done(key, django_capture_on_commit_callbacks, client_id="1")
    publish(key, django_capture_on_commit_callbacks, client_id="2")  # the encoder came back
    publish(key, django_capture_on_commit_callbacks, client_id="3")  # a second encoder replaced it
    assert Stream.objects.count() == 3
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_going_live_again_after_the_window_notifies_again(nova, django_capture_on_commit_callbacks, settings):
    channel, key = nova
    FollowFactory(channel=channel)
    publish(key, django_capture_on_commit_callbacks, client_id="1")
    publish_done(key, django_capture_on_commit_callbacks, client_id="1")
    earlier = timezone.now() - timedelta(minutes=settings.GO_LIVE_RENOTIFY_MINUTES + 1)
    Stream.objects.update(ended_at=earlier)
    GoLiveNotice.objects.update(notified_at=earlier)
    publish(key, django_capture_on_commit_callbacks, client_id="2")
    assert Notification.objects.count() == 2


def test_the_claim_holds_whichever_worker_runs_first(nova):
    channel, key = nova
    FollowFactory(channel=channel)
    stream = stream_services.ingest_publish(call=stream_services.IngestCall(node="t", client_id="1", key=key))
    # The go-live task delivered twice (a redelivery, or two workers): one fan-out.
    assert tasks.notify_go_live(stream.pk) == 1
    assert tasks.notify_go_live(stream.pk) == 0
    assert Notification.objects.count() == 1


def test_ten_thousand_followers_are_notified_in_chunks(nova, monkeypatch, settings):
    channel, key = nova
    settings.GO_LIVE_CHUNK_SIZE = 1000
    bulk_followers(channel, 10_000)
    Follow.objects.filter(user__username__in=["fan0", "fan1"]).update(notify=False)
    chunks: list[tuple[int, ...]] = []
    run_chunk = tasks.notify_go_live_chunk.delay
    monkeypatch.setattr(
        tasks.notify_go_live_chunk, "delay", lambda *args: chunks.append(args) or run_chunk(*args)
    )
    stream = stream_services.ingest_publish(call=stream_services.IngestCall(node="t", client_id="1", key=key))
    assert tasks.notify_go_live.delay(stream.pk).get() == 10
    assert len(chunks) == 10
    # Keyset ranges: contiguous, non-overlapping, each of at most 1,000 notified follows.
    assert [after for _, after, _ in chunks[1:]] == [last for _, _, last in chunks[:-1]]
    assert Notification.objects.count() == 9_998
    assert Notification.objects.values("recipient_id").distinct().count() == 9_998
    assert len(mail.outbox) == 0  # bulk-created fans have no verified address


def test_one_chunk_costs_a_fixed_number_of_queries(nova, django_assert_max_num_queries, settings):
    channel, key = nova
    bulk_followers(channel, 1500)
    stream = stream_services.ingest_publish(call=stream_services.IngestCall(node="t", client_id="1", key=key))
    ids = list(Follow.objects.filter(channel=channel).order_by("id").values_list("id", flat=True))
    # Stream + channel, the chunk's followers with their preferences, a savepoint and its release,
    # one INSERT. SQLite caps a statement at 999 parameters: there bulk_create writes 111 rows each.
    inserts = 1 if connection.vendor == "postgresql" else math.ceil(1000 / (999 // 9))
    budget = 4 + inserts
    with django_assert_max_num_queries(budget):
        assert tasks.notify_go_live_chunk(stream.pk, ids[0] - 1, ids[999]) == 1000
    with django_assert_max_num_queries(budget):
        assert tasks.notify_go_live_chunk(stream.pk, ids[999], ids[-1]) == 500


def test_the_ingest_hook_survives_a_broken_broker(nova, monkeypatch, django_capture_on_commit_callbacks):
    channel, key = nova
    FollowFactory(channel=channel)

    def broker_down(*args):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.notify_go_live, "delay", broker_down)
    publish(key, django_capture_on_commit_callbacks)
    assert Stream.objects.get().is_live
    assert not Notification.objects.exists()
