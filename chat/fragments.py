"""Message text → fragments (text, emote, mention, link), parsed once on the server.

Clients render fragments with DOM text nodes; nothing here is HTML.
"""

from __future__ import annotations

import re
from typing import Any

# A link is a scheme URL or a bare domain with a known-looking TLD; trailing punctuation stays text.
LINK_RE = re.compile(r"(?i)\b(?:https?://[^\s<>\"']+|(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/[^\s<>\"']*)?)")
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,25})\b")
_TRAILING = ".,!?;:)]}'\""


def _links(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in LINK_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        spans.append((match.start(), match.start() + len(url), url))
    return spans


def parse(text: str, emotes: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Split `text` into fragments. `emotes` maps an emote code to its urls (url, url_2x, url_4x)."""
    fragments: list[dict[str, Any]] = []
    position = 0
    specials: list[tuple[int, int, dict[str, Any]]] = []
    for start, end, url in _links(text):
        href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        specials.append((start, end, {"type": "link", "url": href, "text": url}))
    for match in MENTION_RE.finditer(text):
        if not any(s <= match.start() < e for s, e, _ in specials):
            specials.append((match.start(), match.end(), {"type": "mention", "username": match.group(1)}))
    for match in re.finditer(r"\S+", text):
        if match.group(0) in emotes and not any(s <= match.start() < e for s, e, _ in specials):
            specials.append(
                (
                    match.start(),
                    match.end(),
                    {"type": "emote", "code": match.group(0), **emotes[match.group(0)]},
                )
            )
    for start, end, fragment in sorted(specials, key=lambda item: item[0]):
        if start > position:
            fragments.append({"type": "text", "text": text[position:start]})
        fragments.append(fragment)
        position = end
    if position < len(text):
        fragments.append({"type": "text", "text": text[position:]})
    return fragments


def has_link(fragments: list[dict[str, Any]]) -> bool:
    return any(fragment["type"] == "link" for fragment in fragments)


def only_emotes(fragments: list[dict[str, Any]]) -> bool:
    """Emote-only mode: emotes and whitespace, nothing else."""
    return any(f["type"] == "emote" for f in fragments) and all(
        f["type"] == "emote" or (f["type"] == "text" and not f["text"].strip()) for f in fragments
    )
