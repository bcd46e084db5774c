"""Automod: decides whether a message is held for moderators before anyone sees it.

(Filled in by the automod work: blocked terms exact/wildcard, profanity levels, link allow-list,
caps/repetition/spam heuristics.)
"""

from __future__ import annotations

from dataclasses import dataclass

from chat.models import ChatSettings


@dataclass(frozen=True)
class Verdict:
    held: bool
    reason: str = ""  # shown to the sender in an `error` frame and to moderators in the queue


def review(*, text: str, chat_settings: ChatSettings, blocked_terms: list[str], is_moderator: bool) -> Verdict:
    return Verdict(held=False)
