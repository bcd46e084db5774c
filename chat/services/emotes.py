"""Writes on emotes: upload (validated, resized to 1x/2x/4x) and delete; global or per channel.

Errors are ValidationError keyed by the argument at fault ("code", "upload", "channel",
"subscriber_only"), so the dashboard form, the API and the admin show them on the right field.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.models import User
from channels_app.models import Channel
from chat import selectors
from chat.emotes import emote_images
from chat.models import Emote

CODE_RE = re.compile(r"[A-Za-z0-9_]{2,25}")
MAX_CHANNEL_EMOTES = 50


def _code_error(message: str) -> ValidationError:
    return ValidationError({"code": [message]})


def emote_code_check(*, code: str, channel: Channel | None) -> None:
    """A valid code not yet used where it would be seen: in this channel, and among global emotes
    (a channel emote may not shadow a global one, nor a global one take a code channels already use,
    so a code means one image everywhere it appears)."""
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise _code_error("An emote code is 2–25 letters, digits or underscores.")
    if Emote.objects.filter(code=code, channel__isnull=True).exists():
        raise _code_error("A global emote already uses that code.")
    if channel is not None and Emote.objects.filter(code=code, channel=channel).exists():
        raise _code_error("This channel already has an emote with that code.")
    if channel is None and Emote.objects.filter(code=code).exists():
        raise _code_error("A channel emote already uses that code.")


def emote_create(
    *,
    code: str,
    upload: UploadedFile,
    channel: Channel | None = None,
    created_by: User | None,
    subscriber_only: bool = False,
) -> Emote:
    """Create an emote; `channel=None` makes a global one (staff). Images are processed before the
    transaction opens, so the database is never locked while Pillow works."""
    if channel is None and subscriber_only:
        raise ValidationError({"subscriber_only": ["Only a channel's emote can be for its subscribers."]})
    emote_code_check(code=code, channel=channel)  # fail fast, before decoding anything
    images, animated = emote_images(upload)
    emote = _emote_save(
        code=code,
        channel=channel,
        created_by=created_by,
        subscriber_only=subscriber_only,
        images=images,
        animated=animated,
    )
    transaction.on_commit(lambda: selectors.forget_emotes(channel=channel))
    return emote


@transaction.atomic
def _emote_save(
    *,
    code: str,
    channel: Channel | None,
    created_by: User | None,
    subscriber_only: bool,
    images: dict[str, ContentFile],
    animated: bool,
) -> Emote:
    if channel is not None:
        # Serialise a channel's concurrent uploads so the count below stays true.
        Channel.objects.select_for_update().filter(pk=channel.pk).first()
        if Emote.objects.filter(channel=channel).count() >= MAX_CHANNEL_EMOTES:
            raise ValidationError({"channel": [f"A channel can have at most {MAX_CHANNEL_EMOTES} emotes."]})
    emote_code_check(code=code, channel=channel)  # again, now serialised with other uploads
    emote = Emote(
        code=code,
        channel=channel,
        created_by=created_by,
        subscriber_only=subscriber_only,
        animated=animated,
        image_1x=images["1x"],
        image_2x=images["2x"],
        image_4x=images["4x"],
    )
    emote.full_clean(exclude=["image_1x", "image_2x", "image_4x"])  # files are ours, written on save
    try:
        with transaction.atomic():
            emote.save()
    except IntegrityError:  # a global and a channel upload of one code raced past the checks
        _delete_files(emote)
        raise _code_error("That emote code is taken.") from None
    return emote


@transaction.atomic
def emote_delete(*, emote: Emote) -> None:
    channel = emote.channel
    emote.delete()
    # Files go only once the row is surely gone; a rolled-back delete keeps a working emote.
    transaction.on_commit(lambda: _delete_files(emote))
    transaction.on_commit(lambda: selectors.forget_emotes(channel=channel))


def _delete_files(emote: Emote) -> None:
    for field in (emote.image_1x, emote.image_2x, emote.image_4x):
        if field.name:
            field.storage.delete(field.name)


def emotes_of(*, channel: Channel | None) -> list[Emote]:
    """A channel's own emotes, or the global ones (channel=None), by code."""
    query = Q(channel=channel) if channel is not None else Q(channel__isnull=True)
    return list(Emote.objects.filter(query).order_by("code"))
