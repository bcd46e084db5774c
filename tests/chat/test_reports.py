from __future__ import annotations

import pytest
from django.utils import timezone

from channels_app.models import ChannelRole
from chat.models import ChatBan, Message, MessageReport, MessageState, ModerationAction, ReportStatus
from chat.services.messages import ChatRefused
from chat.services.reports import report_context, report_create, report_resolve, reports_open
from tests.factories import UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return make_channel("nova")[0]


@pytest.fixture
def sender():
    return UserFactory(username="troll")


@pytest.fixture
def message(channel, sender):
    return Message.objects.create(channel=channel, user=sender, text="something rude")


@pytest.fixture
def mod(channel):
    user = UserFactory(username="mod_mo")
    ChannelRole.objects.create(channel=channel, user=user, role="moderator")
    return user


def test_report_create_stores_an_open_report(message, user):
    report = report_create(message=message, reporter=user, reason="  rude   words ")
    assert report.status == ReportStatus.OPEN
    assert report.reason == "rude words"
    assert list(reports_open()) == [report]


def test_reporting_twice_returns_the_same_report(message, user):
    first = report_create(message=message, reporter=user, reason="rude")
    second = report_create(message=message, reporter=user, reason="still rude")
    assert second.pk == first.pk and second.reason == "rude"
    assert MessageReport.objects.count() == 1


def test_cannot_report_your_own_message(message, sender):
    with pytest.raises(ChatRefused) as error:
        report_create(message=message, reporter=sender)
    assert error.value.code == "invalid"
    assert not MessageReport.objects.exists()


@pytest.mark.parametrize(
    "change", [{"deleted_at": timezone.now()}, {"state": MessageState.DENIED}, {"state": MessageState.HELD}]
)
def test_cannot_report_a_message_no_longer_in_chat(message, user, change):
    Message.objects.filter(pk=message.pk).update(**change)
    message.refresh_from_db()
    with pytest.raises(ChatRefused):
        report_create(message=message, reporter=user)


def test_reason_is_bounded(message, user):
    report = report_create(message=message, reporter=user, reason="x" * 1000)
    assert len(report.reason) == 300


def test_dismiss_resolves_every_open_report_of_the_message(message, user, other_user, mod, sender):
    first = report_create(message=message, reporter=user)
    report_create(message=message, reporter=other_user)
    resolved = report_resolve(report=first, moderator=mod, action="dismiss")
    assert resolved.status == ReportStatus.DISMISSED and resolved.resolved_by == mod
    assert set(MessageReport.objects.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    message.refresh_from_db()
    assert message.deleted_at is None
    assert not ChatBan.objects.exists()


def test_delete_action_deletes_the_message_and_logs_it(message, user, mod):
    report = report_resolve(
        report=report_create(message=message, reporter=user), moderator=mod, action="delete"
    )
    assert report.status == ReportStatus.ACTIONED
    message.refresh_from_db()
    assert message.deleted_at is not None and message.deleted_by == mod
    assert ModerationAction.objects.get().kind == "delete"


def test_timeout_action_times_the_sender_out_for_ten_minutes(message, user, mod, sender, channel):
    report = report_create(message=message, reporter=user, reason="spam")
    report_resolve(report=report, moderator=mod, action="timeout")
    ban = ChatBan.objects.get(channel=channel, user=sender)
    assert 590 <= (ban.expires_at - timezone.now()).total_seconds() <= 600
    action = ModerationAction.objects.get(kind="timeout")
    assert action.duration_seconds == 600 and action.target == sender and "spam" in action.reason


def test_ban_action_bans_the_sender(message, user, mod, sender, channel):
    report_resolve(report=report_create(message=message, reporter=user), moderator=mod, action="ban")
    assert ChatBan.objects.get(channel=channel, user=sender).expires_at is None
    assert ModerationAction.objects.filter(kind="ban", target=sender).exists()


def test_only_moderators_resolve(message, user, other_user):
    report = report_create(message=message, reporter=user)
    for action in ["dismiss", "delete", "ban"]:
        with pytest.raises(ChatRefused) as error:
            report_resolve(report=report, moderator=other_user, action=action)
        assert error.value.code == "forbidden"
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN


def test_resolving_twice_or_with_an_unknown_action_is_refused(message, user, mod):
    report = report_create(message=message, reporter=user)
    with pytest.raises(ChatRefused):
        report_resolve(report=report, moderator=mod, action="explode")
    report_resolve(report=report, moderator=mod, action="dismiss")
    with pytest.raises(ChatRefused):
        report_resolve(report=report, moderator=mod, action="ban")
    assert not ChatBan.objects.exists()


def test_report_context_is_the_senders_recent_messages_in_that_channel(message, user, channel, sender):
    elsewhere = make_channel("orbit")[0]
    Message.objects.create(channel=elsewhere, user=sender, text="other channel")
    later = Message.objects.create(channel=channel, user=sender, text="and again")
    Message.objects.create(channel=channel, user=user, text="someone else")
    report = report_create(message=message, reporter=user)
    assert report_context(report=report) == [later, message]
