from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
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
