from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from chat.models import (
    BlockedTerm,
    ChatBan,
    Emote,
    Message,
    MessageReport,
    MessageState,
    ModerationAction,
    ReportStatus,
)
from chat.services.reports import report_create
from tests.factories import UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db

ADMIN = "/admin/chat"


@pytest.fixture
def staff():
    return UserFactory(username="ops_staff", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def channel():
    return make_channel("nova")[0]


@pytest.fixture
def sender():
    return UserFactory(username="troll")


def run_action(client: Client, model: str, action: str, *objects, follow: bool = False, query: str = ""):
    response = client.post(
        f"{ADMIN}/{model}/{query}",
        {"action": action, "_selected_action": [o.pk for o in objects]},
        follow=follow,
    )
    assert response.status_code == (200 if follow else 302), response.content
    return response


def notices(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_chat_admin_is_closed_to_non_staff(client, user):
    client.force_login(user)
    for model in ["message", "messagereport", "moderationaction", "emote", "chatban", "blockedterm"]:
        assert client.get(f"{ADMIN}/{model}/").status_code == 302


@pytest.mark.parametrize(
    "model", ["message", "messagereport", "moderationaction", "emote", "chatban", "blockedterm"]
)
def test_changelists_render_and_search(staff_client, model, channel, sender):
    Message.objects.create(channel=channel, user=sender, text="hello")
    page = staff_client.get(f"{ADMIN}/{model}/", {"q": "troll"})
    assert page.status_code == 200


def test_message_admin_opens_on_the_held_queue(staff_client, channel, sender):
    Message.objects.create(channel=channel, user=sender, text="seen by all")
    Message.objects.create(
        channel=channel,
        user=sender,
        text="waiting for a mod",
        state=MessageState.HELD,
        held_reason="Held: x.",
    )
    page = staff_client.get(f"{ADMIN}/message/")
    assert b"waiting for a mod" in page.content
    assert b"seen by all" not in page.content
    everything = staff_client.get(f"{ADMIN}/message/", {"queue": "all"})
    assert b"seen by all" in everything.content


def test_approve_and_deny_held_messages(staff_client, staff, channel, sender):
    first, second = (
        Message.objects.create(channel=channel, user=sender, text=t, state=MessageState.HELD) for t in "ab"
    )
    response = run_action(staff_client, "message", "approve", first, follow=True)
    assert "Approved 1." in notices(response)
    run_action(staff_client, "message", "deny", second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (MessageState.VISIBLE, MessageState.DENIED)
    kinds = set(ModerationAction.objects.filter(moderator=staff).values_list("kind", flat=True))
    assert kinds == {"approve", "deny"}


def test_delete_message_action_soft_deletes_and_logs(staff_client, staff, channel, sender):
    message = Message.objects.create(channel=channel, user=sender, text="rude")
    run_action(staff_client, "message", "delete_messages", message, query="?queue=all")
    message.refresh_from_db()
    assert message.deleted_at is not None and message.deleted_by == staff
    assert Message.objects.filter(pk=message.pk).exists()


def test_refused_service_calls_are_reported_not_raised(staff_client, channel):
    owners_message = Message.objects.create(channel=channel, user=channel.owner_user, text="mine")
    response = run_action(
        staff_client, "message", "delete_messages", owners_message, follow=True, query="?queue=all"
    )
    assert any(n.startswith("Refused:") for n in notices(response))
    owners_message.refresh_from_db()
    assert owners_message.deleted_at is None


@pytest.fixture
def report(channel, sender, user):
    message = Message.objects.create(channel=channel, user=sender, text="buy followers at scam dot biz")
    Message.objects.create(channel=channel, user=sender, text="earlier context line")
    return report_create(message=message, reporter=user, reason="scam")


def test_report_page_shows_message_context_and_buttons(staff_client, report):
    page = staff_client.get(f"{ADMIN}/messagereport/{report.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "buy followers at scam dot biz" in body
    assert "earlier context line" in body
    for value in ["dismiss", "delete", "timeout", "ban"]:
        assert f'name="_report_action" value="{value}"' in body


def test_report_page_button_resolves_in_one_click(staff_client, report, sender, channel):
    response = staff_client.post(
        f"{ADMIN}/messagereport/{report.pk}/change/", {"_report_action": "timeout"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("/admin/chat/messagereport/")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACTIONED
    assert ChatBan.objects.get(channel=channel, user=sender).expires_at is not None


def test_report_list_opens_on_open_reports(staff_client, report, channel, sender, other_user):
    closed = Message.objects.create(channel=channel, user=sender, text="already handled")
    MessageReport.objects.create(message=closed, reporter=other_user, status=ReportStatus.DISMISSED)
    page = staff_client.get(f"{ADMIN}/messagereport/")
    assert b"scam dot biz" in page.content and b"already handled" not in page.content


@pytest.mark.parametrize(
    ("action", "check"),
    [
        ("dismiss", lambda r: r.status == ReportStatus.DISMISSED and r.message.deleted_at is None),
        ("delete_message", lambda r: r.status == ReportStatus.ACTIONED and r.message.deleted_at is not None),
        ("timeout_sender", lambda r: ChatBan.objects.get(user=r.message.user).expires_at is not None),
        ("ban_sender", lambda r: ChatBan.objects.get(user=r.message.user).expires_at is None),
    ],
)
def test_report_actions(staff_client, report, action, check):
    run_action(staff_client, "messagereport", action, report)
    report.refresh_from_db()
    report.message.refresh_from_db()
    assert report.status != ReportStatus.OPEN
    assert check(report)


def test_report_action_on_two_reports_of_one_message_acts_once(staff_client, report, other_user):
    second = report_create(message=report.message, reporter=other_user)
    response = run_action(staff_client, "messagereport", "ban_sender", report, second, follow=True)
    assert ModerationAction.objects.filter(kind="ban").count() == 1
    assert not MessageReport.objects.filter(status=ReportStatus.OPEN).exists()
    assert not any(n.startswith("Refused:") for n in notices(response))


def test_moderation_log_is_read_only(staff_client, report, staff):
    run_action(staff_client, "messagereport", "ban_sender", report)
    action = ModerationAction.objects.get()
    assert staff_client.get(f"{ADMIN}/moderationaction/add/").status_code == 403
    page = staff_client.get(f"{ADMIN}/moderationaction/{action.pk}/change/")
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b"<form")[-1]
    assert staff_client.post(f"{ADMIN}/moderationaction/{action.pk}/delete/").status_code == 403
    assert staff_client.get(f"{ADMIN}/moderationaction/", {"kind": "ban"}).status_code == 200


def png(size=(64, 64)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 200, 0, 255)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "emote.png"
    return buffer


def test_emote_add_form_uploads_through_the_service(staff_client, staff, channel):
    response = staff_client.post(
        f"{ADMIN}/emote/add/", {"code": "novaWave", "channel": channel.pk, "upload": png()}
    )
    assert response.status_code == 302, response.content
    emote = Emote.objects.get(code="novaWave")
    assert emote.channel == channel and emote.created_by == staff
    assert emote.image_4x.name.endswith(".webp")


def test_emote_add_form_shows_service_errors(staff_client):
    response = staff_client.post(f"{ADMIN}/emote/add/", {"code": "x", "upload": png((10, 10))})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "code" in errors
    assert not Emote.objects.exists()
    response = staff_client.post(f"{ADMIN}/emote/add/", {"code": "okCode", "upload": png((10, 10))})
    assert "upload" in response.context["adminform"].form.errors


def test_emote_delete_goes_through_the_service(staff_client, channel, django_capture_on_commit_callbacks):
    staff_client.post(f"{ADMIN}/emote/add/", {"code": "gone", "upload": png()})
    emote = Emote.objects.get()
    name, storage = emote.image_1x.name, emote.image_1x.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{ADMIN}/emote/{emote.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Emote.objects.exists() and not storage.exists(name)


def test_lift_ban_unbans_through_the_service(staff_client, staff, channel, sender):
    ban = ChatBan.objects.create(channel=channel, user=sender, reason="spam")
    timeout = ChatBan.objects.create(
        channel=channel, user=UserFactory(), expires_at=timezone.now() + timezone.timedelta(minutes=5)
    )
    sitewide = ChatBan.objects.create(channel=None, user=UserFactory())
    run_action(staff_client, "chatban", "lift", ban, timeout, sitewide)
    assert not ChatBan.objects.exists()
    assert ModerationAction.objects.filter(kind="unban", moderator=staff).count() >= 2


def test_bans_cannot_be_deleted_behind_the_log(staff_client, channel, sender):
    ban = ChatBan.objects.create(channel=channel, user=sender)
    assert staff_client.post(f"{ADMIN}/chatban/{ban.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ChatBan.objects.filter(pk=ban.pk).exists()


@pytest.mark.parametrize(
    ("where", "seconds", "kind"),
    [("channel", "", "ban"), ("channel", "600", "timeout"), ("everywhere", "", "ban")],
)
def test_staff_add_bans_and_timeouts_through_the_services(
    staff_client, staff, channel, sender, where, seconds, kind
):
    assert staff_client.get(f"{ADMIN}/chatban/add/").status_code == 200
    form = {"user": sender.pk, "channel": channel.pk if where == "channel" else "", "reason": "raid spam"}
    response = staff_client.post(f"{ADMIN}/chatban/add/", {**form, "timeout_seconds": seconds})

    assert response.status_code == 302, response.content
    ban = ChatBan.objects.get(user=sender)
    assert ban.channel == (channel if where == "channel" else None)
    assert (ban.expires_at is not None) == (kind == "timeout")
    logged = ModerationAction.objects.get(target=sender, moderator=staff)
    assert logged.kind == kind and logged.reason == "raid spam"


def test_ban_add_form_shows_what_the_service_refuses(staff_client, channel, sender):
    sitewide_timeout = {"user": sender.pk, "channel": "", "timeout_seconds": "60", "reason": ""}
    owner = channel.owner_user
    on_the_broadcaster = {"user": owner.pk, "channel": channel.pk, "timeout_seconds": "", "reason": ""}
    too_long = {"user": sender.pk, "channel": channel.pk, "timeout_seconds": str(15 * 86400), "reason": ""}
    for form in (sitewide_timeout, on_the_broadcaster, too_long):
        response = staff_client.post(f"{ADMIN}/chatban/add/", form)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
    assert not ChatBan.objects.exists()
    assert not ModerationAction.objects.exists()


def test_blocked_term_add_and_remove_go_through_the_services(staff_client, staff, channel):
    response = staff_client.post(f"{ADMIN}/blockedterm/add/", {"channel": channel.pk, "pattern": "  Spam*  "})
    assert response.status_code == 302, response.content
    term = BlockedTerm.objects.get()
    assert term.pattern == "spam*" and term.created_by == staff
    staff_client.post(f"{ADMIN}/blockedterm/{term.pk}/delete/", {"post": "yes"})
    assert not BlockedTerm.objects.exists()
    logged = ModerationAction.objects.filter(kind="term").values_list("details", flat=True)
    assert list(logged) == [{"removed": "spam*"}, {"added": "spam*"}]


def test_blocked_term_add_refusal_shows_on_the_form(staff_client, channel):
    response = staff_client.post(f"{ADMIN}/blockedterm/add/", {"channel": channel.pk, "pattern": "***"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not BlockedTerm.objects.exists()
