from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from channels_app.models import Category, Channel, Follow
from chat.models import Message
from streams.models import Stream, StreamStatus

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"viewer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Users have a verified primary address unless built with verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


# --- Directory (issue 5): categories, channels and streams without going through the ingest hooks.


class StreamCategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ChannelOwnerFactory(UserFactory):
    """A user who cannot sign in: hashing a real password costs ~1 s on this CPU, per channel."""

    password = "!unusable"  # type: ignore[assignment]


class StreamChannelFactory(factory.django.DjangoModelFactory[Channel]):
    """A channel with a throw-away key hash (tests that publish use tests.streams.helpers.make_channel)."""

    class Meta:
        model = Channel

    owner_user = factory.SubFactory(ChannelOwnerFactory)
    slug = factory.Sequence(lambda n: f"chan{n:04d}")
    display_name = factory.LazyAttribute(lambda c: c.slug.title())
    stream_key_hash = factory.Sequence(lambda n: f"{n:064x}")
    stream_key_prefix = "test"


class LiveStreamFactory(factory.django.DjangoModelFactory[Stream]):
    """A live session with the directory's figures set directly (viewer_count, trending_score)."""

    class Meta:
        model = Stream

    channel = factory.SubFactory(StreamChannelFactory)
    status = "live"
    title = factory.LazyAttribute(lambda s: f"{s.channel.slug} live")
    language = "en"
    ingest_node = "edge-1"
    ingest_client_id = factory.Sequence(lambda n: str(n))


class FollowFactory(factory.django.DjangoModelFactory[Follow]):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    notify = True


def bulk_followers(channel: Channel, count: int, *, prefix: str = "fan", **user_fields: object) -> list[User]:
    """`count` users following `channel`, written with bulk_create (fast enough for 10,000)."""
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.com", password="!", **user_fields)
            for n in range(count)
        ]
    )
    Follow.objects.bulk_create([Follow(user=user, channel=channel) for user in users])
    return users


# --- Streams and chat for the dashboard's analytics (tests/analytics) ----------------------------


class StreamSessionFactory(factory.django.DjangoModelFactory[Stream]):
    """A past live session (pass channel=); status=StreamStatus.LIVE for one in progress."""

    class Meta:
        model = Stream

    status = StreamStatus.ENDED
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=3))
    ended_at = factory.LazyAttribute(
        lambda s: s.started_at + timedelta(hours=1) if s.status == StreamStatus.ENDED else None
    )
    title = factory.Sequence(lambda n: f"Stream number {n}")
    ingest_node = "test-node"
    ingest_client_id = factory.Sequence(lambda n: f"c{n}")


class ChatMessageFactory(factory.django.DjangoModelFactory[Message]):
    """A visible chat message (pass channel=, and stream= for one sent during a stream)."""

    class Meta:
        model = Message

    user = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"message {n}")
