from __future__ import annotations

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from channels_app.models import Channel

LOGIN_LINE = re.compile(
    r"^\s+(?P<role>.+?)\s{2,}(?P<username>\w+)\s+password: (?P<password>\S+)\s+(?P<email>\S+)$"
)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def logins(output: str) -> dict[str, str]:
    return {m["username"]: m["password"] for line in output.splitlines() if (m := LOGIN_LINE.match(line))}


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


@pytest.mark.django_db
def test_seed_demo_is_idempotent(debug) -> None:
    first = seed()
    counts = (User.objects.count(), EmailAddress.objects.count())

    second = seed()

    assert second == first
    assert (User.objects.count(), EmailAddress.objects.count()) == counts == (3, 3)


@pytest.mark.django_db
def test_seed_demo_users_log_in_with_the_printed_passwords(debug) -> None:
    printed = logins(seed())

    assert set(printed) == {"ops", "nova", "sam"}
    for username, password in printed.items():
        assert Client().login(username=username, password=password), username


@pytest.mark.django_db
def test_seed_demo_users_have_verified_primary_emails_and_profiles(debug) -> None:
    seed()

    for user in User.objects.all():
        assert EmailAddress.objects.get(user=user, primary=True).verified
        assert user.display_name and user.bio and user.chat_color
    staff = User.objects.get(username="ops")
    assert staff.is_staff and staff.is_superuser
    assert not User.objects.filter(is_staff=True).exclude(username="ops").exists()


@pytest.mark.django_db
def test_seed_demo_restores_a_changed_demo_password(debug) -> None:
    printed = logins(seed())
    nova = User.objects.get(username="nova")
    nova.set_password("something-else-entirely")
    nova.save()

    seed()

    assert Client().login(username="nova", password=printed["nova"])


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed()

    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_runs_without_debug_when_forced(settings) -> None:
    settings.DEBUG = False

    assert set(logins(seed("--force"))) == {"ops", "nova", "sam"}


@pytest.mark.django_db
def test_seed_demo_creates_novas_demo_channel_once(debug) -> None:
    output = seed()
    seed()

    channel = Channel.objects.get()
    assert channel.slug == "nova" and channel.owner_user == User.objects.get(username="nova")
    assert channel.title and channel.tags
    assert channel.category is not None and channel.category.name == "Science & Technology"
    assert "Demo channel: /nova/" in output
    assert channel.stream_key_prefix not in output  # nothing of the key is ever printed


@pytest.mark.django_db
def test_seed_demo_leaves_an_edited_demo_channel_alone(debug) -> None:
    seed()
    Channel.objects.filter(slug="nova").update(title="My own title")

    seed()

    assert Channel.objects.get().title == "My own title"
