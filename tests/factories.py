from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from channels_app.models import Channel, Follow

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
