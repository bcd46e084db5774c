"""Template tags: the chat panel (channel page, popout) and who may run a channel's chat."""

from __future__ import annotations

from typing import Any

from django import template

from channels_app import selectors as channel_selectors
from channels_app.models import Channel

register = template.Library()


@register.inclusion_tag("chat/_panel.html", takes_context=True)
def chat_panel(context: template.Context, channel: Channel, variant: str = "panel") -> dict[str, Any]:
    from chat.views import panel_context  # views import forms and services; load them on first use

    return panel_context(context["request"], channel, variant)


@register.simple_tag(takes_context=True)
def chat_can_moderate(context: template.Context, channel: Channel) -> bool:
    return channel_selectors.user_can_moderate(user=context["request"].user, channel=channel)
