"""Writes on channels: creation, settings, branding, stream keys, suspension, roles and panels."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from aethex.images import avatar_from_upload, fitted_webp
from channels_app import keys
from channels_app.models import Category, Channel, ChannelPanel, ChannelRole, Follow, Role
from channels_app.signals import channel_suspended, channel_updated, follow_changed, stream_key_rotated
from channels_app.validators import normalise_tags

EDITABLE_FIELDS = (
    "display_name",
    "title",
    "description",
    "category",
    "tags",
    "language",
    "is_mature",
    "accent_color",
    "abr_enabled",
)
BANNER_SIZE = (1200, 300)
MAX_PANELS = 20


@transaction.atomic
def channel_create(*, owner: User, slug: str, **fields: Any) -> tuple[Channel, str]:
    """Create a channel with a fresh stream key; returns the key, which is never shown again."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    User.objects.select_for_update().filter(pk=owner.pk).first()  # serialise a user's concurrent creations
    if Channel.objects.filter(owner_user=owner).count() >= settings.CHANNELS_PER_USER:
        raise ValidationError({"slug": [f"You can own at most {settings.CHANNELS_PER_USER} channel(s)."]})
    key, key_hash, prefix = keys.new_stream_key()
    channel = Channel(
        owner_user=owner,
        slug=(slug or "").strip().lower(),
        stream_key_hash=key_hash,
        stream_key_prefix=prefix,
        display_name=fields.pop("display_name", "") or owner.display_name or owner.username,
        **fields,
    )
    if "tags" in fields:
        channel.tags = normalise_tags(fields["tags"])
    channel.full_clean()
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:  # lost a race for the same slug
        raise ValidationError({"slug": ["That channel name is taken."]}) from None
    return channel, key


@transaction.atomic
def channel_update(*, channel: Channel, **changes: Any) -> Channel:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    if "tags" in changes:
        changes["tags"] = normalise_tags(changes["tags"] or [])
    for name, value in changes.items():
        setattr(channel, name, value)
    try:
        channel.full_clean(validate_unique=False)
    except ValidationError:
        channel.refresh_from_db(fields=list(changes))  # the caller's instance stays as stored
        raise
    channel.save(update_fields=list(changes))
    transaction.on_commit(lambda: channel_updated.send(sender=Channel, channel=channel, fields=set(changes)))
    return channel


def channel_set_image(*, channel: Channel, kind: str, upload: UploadedFile) -> Channel:
    """Replace the channel's avatar (square) or banner (wide); the old file goes after commit."""
    if kind not in ("avatar", "banner"):
        raise ValueError(kind)
    try:
        image = avatar_from_upload(upload) if kind == "avatar" else fitted_webp(upload, size=BANNER_SIZE)
    except ValidationError as exc:
        raise ValidationError({kind: exc.messages}) from None
    field = getattr(channel, kind)
    old_name = field.name if field else ""
    with transaction.atomic():
        field.save(image.name or f"{kind}.webp", image, save=False)
        channel.save(update_fields=[kind])
        transaction.on_commit(lambda: old_name and field.storage.delete(old_name))
    return channel


@transaction.atomic
def stream_key_rotate(*, channel: Channel) -> str:
    """A new key replaces the old at once; a publisher using the old one is dropped after commit."""
    key, key_hash, prefix = keys.new_stream_key()
    channel.stream_key_hash, channel.stream_key_prefix = key_hash, prefix
    channel.stream_key_created_at = timezone.now()
    channel.save(update_fields=["stream_key_hash", "stream_key_prefix", "stream_key_created_at"])
    transaction.on_commit(lambda: stream_key_rotated.send(sender=Channel, channel=channel))
    return key


@transaction.atomic
def channel_suspend(*, channel: Channel, reason: str) -> Channel:
    channel.suspended_at = timezone.now()
    channel.suspended_reason = reason.strip()[:300]
    channel.save(update_fields=["suspended_at", "suspended_reason"])
    transaction.on_commit(lambda: channel_suspended.send(sender=Channel, channel=channel))
    return channel


@transaction.atomic
def channel_unsuspend(*, channel: Channel) -> Channel:
    channel.suspended_at = None
    channel.suspended_reason = ""
    channel.save(update_fields=["suspended_at", "suspended_reason"])
    return channel


# --- Roles ---------------------------------------------------------------------------


@transaction.atomic
def channel_role_grant(*, channel: Channel, user: User, role: str, granted_by: User | None) -> ChannelRole:
    if role not in Role.values:
        raise ValidationError({"role": [f"Choose one of {', '.join(Role.values)}."]})
    if user.pk == channel.owner_user_id:
        raise ValidationError({"user": ["The broadcaster already has every right on their channel."]})
    grant, _ = ChannelRole.objects.get_or_create(
        channel=channel, user=user, role=role, defaults={"granted_by": granted_by}
    )
    return grant


@transaction.atomic
def channel_role_revoke(*, grant: ChannelRole) -> None:
    grant.delete()


# --- Panels ----------------------------------------------------------------------------

PANEL_FIELDS = ("title", "body", "link_url", "position")


@transaction.atomic
def panel_create(*, channel: Channel, **fields: Any) -> ChannelPanel:
    if ChannelPanel.objects.filter(channel=channel).count() >= MAX_PANELS:
        raise ValidationError({"title": [f"A channel has at most {MAX_PANELS} panels."]})
    panel = ChannelPanel(channel=channel, **{k: v for k, v in fields.items() if k in PANEL_FIELDS})
    panel.full_clean()
    panel.save()
    return panel


@transaction.atomic
def panel_update(*, panel: ChannelPanel, **changes: Any) -> ChannelPanel:
    changes = {k: v for k, v in changes.items() if k in PANEL_FIELDS}
    for name, value in changes.items():
        setattr(panel, name, value)
    panel.full_clean()
    panel.save()
    return panel


@transaction.atomic
def panel_delete(*, panel: ChannelPanel) -> None:
    panel.delete()


@transaction.atomic
def panel_move(*, panel: ChannelPanel, direction: str) -> None:
    """Swap a panel with its neighbour ("up" or "down") and renumber the channel's panels 0..n."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": ["Move a panel up or down."]})
    panels = list(
        ChannelPanel.objects.select_for_update().filter(channel=panel.channel_id).order_by("position", "id")
    )
    index = next(i for i, p in enumerate(panels) if p.pk == panel.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(panels):
        panels[index], panels[target] = panels[target], panels[index]
    for position, each in enumerate(panels):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])


@transaction.atomic
def category_get_or_create(*, name: str) -> Category:
    category, _ = Category.objects.get_or_create(name=name, defaults={"slug": slugify(name)[:80]})
    return category


def _announce_follow(channel: Channel, user: User, following: bool) -> None:
    transaction.on_commit(
        lambda: follow_changed.send(sender=Channel, channel=channel, user=user, following=following)
    )


@transaction.atomic
def follow_create(*, user: User, channel: Channel, notify: bool = True) -> tuple[Follow, bool]:
    """Follow a channel; following again is a no-op that returns the existing follow (created=False)."""
    if channel.owner_user_id == user.pk:
        raise ValidationError("You cannot follow your own channel.", code="own_channel")
    if channel.is_suspended:
        raise ValidationError("This channel is suspended.", code="suspended")
    follow, created = Follow.objects.get_or_create(user=user, channel=channel, defaults={"notify": notify})
    if created:
        _announce_follow(channel, user, True)
    return follow, created


@transaction.atomic
def follow_delete(*, user: User, channel: Channel) -> bool:
    """Unfollow; returns False when there was nothing to undo (unfollowing twice is not an error)."""
    deleted, _ = Follow.objects.filter(user=user, channel=channel).delete()
    if deleted:
        _announce_follow(channel, user, False)
    return bool(deleted)


@transaction.atomic
def follow_set_notify(*, follow: Follow, notify: bool) -> Follow:
    follow.notify = notify
    follow.save(update_fields=["notify"])
    return follow
