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
    # True shows the badge with `title`; a string shows it with that title (e.g. "Tier 2 · 6 months").
    resolve: Callable[[BadgeContext], bool | str]


REGISTRY: list[Badge] = []

# Apps above chat add per-chatter facts (e.g. monetization: the subscription) through these
# providers; the facts are cached with the rest (chat.selectors.member_facts) and reach resolvers
# as `BadgeContext.extra`, so no badge or rule queries per message.
FACT_PROVIDERS: list[Callable[[User, Channel], dict[str, Any]]] = []


def register_facts(
    provider: Callable[[User, Channel], dict[str, Any]],
) -> Callable[[User, Channel], dict[str, Any]]:
    FACT_PROVIDERS.append(provider)
    return provider


def extra_facts(user: User, channel: Channel) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for provider in FACT_PROVIDERS:
        extra.update(provider(user, channel))
    return extra


def register(
    name: str, title: str
) -> Callable[[Callable[[BadgeContext], bool | str]], Callable[[BadgeContext], bool | str]]:
    def decorator(resolve: Callable[[BadgeContext], bool | str]) -> Callable[[BadgeContext], bool | str]:
        REGISTRY.append(Badge(name, title, resolve))
        return resolve

    return decorator


def badges_for(context: BadgeContext) -> list[dict[str, str]]:
    shown = []
    for badge in REGISTRY:
        verdict = badge.resolve(context)
        if verdict:
            shown.append({"name": badge.name, "title": verdict if isinstance(verdict, str) else badge.title})
    return shown


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
