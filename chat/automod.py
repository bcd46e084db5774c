"""Automod: decides whether a message is held for moderators before anyone sees it.

Checks, in order (the first that fires gives the reason):
1. the channel's blocked terms (exact words/phrases, `*` = any letters), on the raw text and on its
   normalised form (leetspeak, accents, stretched or spelled-out letters);
2. links, when the channel does not allow them, unless the domain or a parent is on its allow-list;
3. the built-in profanity filter at the channel's level (OFF, LOW, MEDIUM, HIGH);
4. caps, character-repeat and word-repeat heuristics.

Blocked terms and links are explicit channel settings, so they apply whatever the automod level;
profanity and the heuristics are "automod" proper and are off at level OFF.

Moderators (and the broadcaster and staff: whoever the caller passes as `is_moderator`) bypass
everything: they can already delete, time out and approve, so holding their messages protects no one,
and they must be able to quote a held message or post a link when they explain a rule.

Every check is a regex scan or a counter over the text, so a review is linear in its length.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from chat import profanity
from chat.models import AutomodLevel, ChatSettings


@dataclass(frozen=True)
class Verdict:
    held: bool
    reason: str = ""  # shown to the sender in an `error` frame and to moderators in the queue


REASON_BLOCKED_TERM = "Held: contains a blocked term."
REASON_LINK = "Held: links are not allowed in this chat."
REASON_PROFANITY = "Held: contains language this channel filters."
REASON_CAPS = "Held: too many capital letters."
REASON_REPEATED_CHARACTER = "Held: a character repeated too many times."
REASON_REPEATED_WORD = "Held: the same word repeated too many times."

CAPS_MIN_LETTERS = 12
CAPS_MAX_SHARE = 0.7
REPEATED_CHARACTER = 10
REPEATED_WORD = 8

# A URL with a scheme, a www. host, or a bare host with an alphabetic TLD. Deliberately at least as
# broad as what chat/fragments.py renders as a link, so nothing it turns into a link slips past.
_LINK = re.compile(
    r"(?i)(?<![\w.-])(?:[a-z][a-z0-9+.-]*://[^\s<>\"']+|(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:[/:?#][^\s<>\"']*)?)"
)
_HOST = re.compile(r"(?i)^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\s]*@)?([^/:?#\s]+)")
_REPEATED_CHARACTER = re.compile(rf"(\S)\1{{{REPEATED_CHARACTER - 1},}}")
_WORD = re.compile(r"\w+")
_WORDLIKE_TERM = re.compile(r"[\w\s*@$]+")


def review(
    *, text: str, chat_settings: ChatSettings, blocked_terms: list[str], is_moderator: bool
) -> Verdict:
    if is_moderator:
        return Verdict(held=False)
    if blocked_terms and _has_blocked_term(text, blocked_terms):
        return Verdict(held=True, reason=REASON_BLOCKED_TERM)
    if not chat_settings.links_allowed and _has_forbidden_link(text, chat_settings.link_allow_list or []):
        return Verdict(held=True, reason=REASON_LINK)
    level = chat_settings.automod_level
    if level == AutomodLevel.OFF:
        return Verdict(held=False)
    if profanity.contains_profanity(text, level):
        return Verdict(held=True, reason=REASON_PROFANITY)
    reason = _heuristics(text)
    return Verdict(held=True, reason=reason) if reason else Verdict(held=False)


def blocked_term_regex(pattern: str) -> str:
    """A case-insensitive whole-word regex for a blocked term on raw text.

    Everything but `*` is escaped, so a moderator's "c++" or "(.*)" is text, never a regex; words of a
    phrase match across any run of whitespace.
    """
    words = []
    for word in pattern.split():
        words.append(r"[^\W\d_]*".join(re.escape(piece) for piece in word.split("*")))
    body = r"\s+".join(w for w in words if w)
    return rf"(?<!\w){body}(?!\w)" if body else ""


def _has_blocked_term(text: str, blocked_terms: list[str]) -> bool:
    raw = [blocked_term_regex(term) for term in blocked_terms]
    raw_pattern = "|".join(p for p in raw if p)
    if raw_pattern and re.search(raw_pattern, text, flags=re.IGNORECASE):
        return True
    # The same terms on normalised text catch "sp4m" and "s.p.a.m" for a blocked "spam". Only for
    # terms made of letters (or their leetspeak): "c++" normalised would be a lone "c".
    normalised = [profanity.term_regex(term) for term in blocked_terms if _is_wordlike(term)]
    normalised_pattern = "|".join(p for p in normalised if p)
    if not normalised_pattern:
        return False
    compiled = re.compile(normalised_pattern)
    return any(compiled.search(variant) for variant in profanity.normalise(text))


def _is_wordlike(term: str) -> bool:
    return bool(_WORDLIKE_TERM.fullmatch(term)) and sum(c.isalpha() for c in term) >= 3


def _normalise_domain(entry: str) -> str:
    match = _HOST.match(entry.strip())
    host = match.group(1) if match else ""
    return host.lower().strip(".").removeprefix("*.")


def _has_forbidden_link(text: str, allow_list: list[str]) -> bool:
    allowed = {d for d in (_normalise_domain(str(entry)) for entry in allow_list) if d}
    for match in _LINK.finditer(text):
        host = _normalise_domain(match.group(0))
        # A parent domain on the list covers its subdomains: "youtube.com" allows "www.youtube.com".
        if not any(host == domain or host.endswith(f".{domain}") for domain in allowed):
            return True
    return False


def _heuristics(text: str) -> str:
    cased = [c for c in text if c.isupper() or c.islower()]
    if len(cased) >= CAPS_MIN_LETTERS and sum(c.isupper() for c in cased) > CAPS_MAX_SHARE * len(cased):
        return REASON_CAPS
    if _REPEATED_CHARACTER.search(text):
        return REASON_REPEATED_CHARACTER
    words = [w.casefold() for w in _WORD.findall(text)]
    if words:
        _, count = Counter(words).most_common(1)[0]
        # Half the message being one word keeps long, ordinary messages with many "the"s out.
        if count >= REPEATED_WORD and count * 2 >= len(words):
            return REASON_REPEATED_WORD
    return ""
