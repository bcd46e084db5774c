"""What a personal API token may do. Session and X-Session-Token requests carry every scope."""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "profile:read": "Read your profile and preferences",
    "profile:write": "Change your profile, avatar and preferences",
    "channels:read": "Read your channels' private data (followers, settings)",
    "channels:manage": "Change your channels' settings and stream keys",
    "chat:read": "Read chat as you",
    "chat:write": "Send chat messages and moderate as you",
    "streams:manage": "Update stream title, category and tags",
    "money:read": "Read your revenue and payouts",
    "clips:write": "Make, like, edit and delete clips as you",
}

SCOPE_CHOICES = list(SCOPES.items())
