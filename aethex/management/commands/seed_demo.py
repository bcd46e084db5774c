"""Create the demo users and nova's demo channel (idempotent), and print the logins.

The passwords are fixed and printed, so the command refuses to run with DEBUG off unless
``--force`` is given. Running it again creates nothing new, puts back a demo password that
was changed, and prints the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts import services
from accounts.models import User
from channels_app import services as channel_services
from channels_app.models import Channel


@dataclass(frozen=True)
class DemoUser:
    role: str
    username: str
    password: str
    display_name: str
    bio: str
    chat_color: str
    staff: bool = False


DEMO_USERS = (
    DemoUser(
        role="admin (staff, superuser)",
        username="ops",
        password="aethex-ops-demo",  # noqa: S106 - printed demo password, DEBUG only
        display_name="AeThex Ops",
        bio="Keeps the lights on. Moderation and operations console at /admin/.",
        chat_color="#F5A524",
        staff=True,
    ),
    DemoUser(
        role="creator",
        username="nova",
        password="aethex-nova-demo",  # noqa: S106
        display_name="Nova Creator",
        bio="Speedruns, synthwave and Sunday art streams. Be kind in chat!",
        chat_color="#9B5DE5",
    ),
    DemoUser(
        role="viewer",
        username="sam",
        password="aethex-sam-demo",  # noqa: S106
        display_name="Sam Viewer",
        bio="Lurker, clip collector, occasional backseat gamer.",
        chat_color="#00BBF9",
    ),
)


@transaction.atomic
def ensure_demo_user(spec: DemoUser) -> User:
    user = User.objects.filter(username__iexact=spec.username).first()
    if user is None:
        email = f"{spec.username}@example.com"
        if spec.staff:
            user = User.objects.create_superuser(username=spec.username, email=email, password=spec.password)
        else:
            user = User.objects.create_user(username=spec.username, email=email, password=spec.password)
        services.user_update_profile(
            user=user, display_name=spec.display_name, bio=spec.bio, chat_color=spec.chat_color
        )
    elif not user.check_password(spec.password):
        user.set_password(spec.password)  # the printed login must keep working
        user.save(update_fields=["password"])
    if not EmailAddress.objects.filter(
        user=user, email__iexact=user.email, primary=True, verified=True
    ).exists():
        services.user_mark_email_verified(user=user)
    return user


@dataclass(frozen=True)
class DemoChannel:
    owner: str
    slug: str
    title: str
    category: str
    tags: tuple[str, ...]
    description: str


DEMO_CHANNEL = DemoChannel(
    owner="nova",
    slug="nova",
    title="Signal check: test pattern, 440 Hz and a lot of colour bars",
    category="Science & Technology",
    tags=("English", "Test Pattern", "Chill"),
    description="The demo channel of this instance: `make run` streams a test pattern here.",
)


@transaction.atomic
def ensure_demo_channel(spec: DemoChannel) -> Channel:
    """The demo channel; left as it is once it exists (its creator may have edited it)."""
    channel = Channel.objects.filter(slug__iexact=spec.slug).first()
    if channel is None:
        owner = User.objects.get(username__iexact=spec.owner)
        category = channel_services.category_get_or_create(name=spec.category)
        # The key is discarded: `manage.py demo_stream` rotates it and uses the new one in-process.
        channel, _key = channel_services.channel_create(
            owner=owner,
            slug=spec.slug,
            title=spec.title,
            category=category,
            tags=list(spec.tags),
            description=spec.description,
        )
    return channel


# (viewer, channel): the demo viewer follows the demo channel, so its Following rail, the
# go-live notification and followers-only chat can be tried at once.
DEMO_FOLLOWS = (("sam", "nova"), ("ops", "nova"))


def ensure_demo_follows() -> int:
    """Follow again what a demo user unfollowed; following twice is a no-op in the service."""
    created = 0
    for username, slug in DEMO_FOLLOWS:
        user = User.objects.get(username__iexact=username)
        channel = Channel.objects.get(slug__iexact=slug)
        created += channel_services.follow_create(user=user, channel=channel)[1]
    return created


class Command(BaseCommand):
    help = (
        "Create demo users with verified e-mail addresses and a demo channel (idempotent), print the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (the passwords are public!)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with publicly known passwords; it runs only with DEBUG on. "
                "Pass --force to run it anyway (never on a public instance)."
            )
        users = [(spec, ensure_demo_user(spec)) for spec in DEMO_USERS]
        channel = ensure_demo_channel(DEMO_CHANNEL)
        ensure_demo_follows()
        self.stdout.write("Demo logins (development only; the passwords are public):")
        for spec, user in users:
            self.stdout.write(
                f"  {spec.role:<26} {user.username:<10} password: {spec.password:<22} {user.email}"
            )
        self.stdout.write(f"Demo channel: /{channel.slug}/ ({DEMO_CHANNEL.owner}); `make run` streams to it.")
        followers = ", ".join(username for username, slug in DEMO_FOLLOWS if slug == channel.slug)
        self.stdout.write(f"Following {channel.slug}: {followers} (they are notified when it goes live).")
