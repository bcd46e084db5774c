"""Chat badges from a small registry: later issues register subscriber and other badges here.

A badge resolver answers, for one user in one channel, whether the badge applies; the
context (`BadgeContext`) carries what was already loaded so resolvers add no queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from channels_app.models import Channel, Role


@dataclass(frozen=True)
class BadgeContext:
    user: User
    channel: Channel
    roles: frozenset[str] = field(default_factory=frozenset)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Badge:
    name: str
    title: str
    resolve: Callable[[BadgeContext], bool]


REGISTRY: list[Badge] = []


def register(
    name: str, title: str
) -> Callable[[Callable[[BadgeContext], bool]], Callable[[BadgeContext], bool]]:
    def decorator(resolve: Callable[[BadgeContext], bool]) -> Callable[[BadgeContext], bool]:
        REGISTRY.append(Badge(name, title, resolve))
        return resolve

    return decorator


def badges_for(context: BadgeContext) -> list[dict[str, str]]:
    return [{"name": badge.name, "title": badge.title} for badge in REGISTRY if badge.resolve(context)]


@register("broadcaster", "Broadcaster")
def _broadcaster(ctx: BadgeContext) -> bool:
    return ctx.channel.owner_user_id == ctx.user.pk


@register("staff", "AeThex Live staff")
def _staff(ctx: BadgeContext) -> bool:
    return ctx.user.is_staff


@register("moderator", "Moderator")
def _moderator(ctx: BadgeContext) -> bool:
    return Role.MODERATOR in ctx.roles and ctx.channel.owner_user_id != ctx.user.pk


@register("vip", "VIP")
def _vip(ctx: BadgeContext) -> bool:
    return Role.VIP in ctx.roles


@register("verified", "Verified")
def _verified(ctx: BadgeContext) -> bool:
    return bool(getattr(ctx.user, "is_verified", False))
