"""The built-in profanity filter: a modest list of representative terms per automod level, and the
normalisation that sees through leetspeak, stretched letters and spaced-out words.

The lists are deliberately short: they catch the common cases, and each channel adds its own blocked
terms for the rest. Matching is whole-token on normalised text, so "Scunthorpe", "assess" and
"classic" are never caught by the terms hidden inside them (the Scunthorpe problem).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from chat.models import AutomodLevel

# A term is a word or phrase; a trailing "*" also matches any letters after it ("fuck*" catches
# "fucking"), so inflections need no separate entries. Only terms at or below the channel's level apply.
TERMS: dict[int, tuple[str, ...]] = {
    # LOW: slurs and hate. A few representative entries; channels extend them with blocked terms.
    AutomodLevel.LOW: (
        "nigger*",
        "nigga*",
        "faggot*",
        "fag",
        "fags",
        "kike*",
        "spic",
        "spics",
        "tranny",
        "trannies",
        "retard",
        "retards",
        "retarded",
        "kys",
        "kill yourself",
        "gas the jews",
    ),
    # MEDIUM: also sexual and violent terms.
    AutomodLevel.MEDIUM: (
        "cunt*",
        "cock",
        "cocks",
        "cocksucker*",
        "pussy",
        "pussies",
        "blowjob*",
        "porn*",
        "rape",
        "raped",
        "rapes",
        "raping",
        "rapist*",
        "cum",
        "cumshot*",
        "slut*",
        "whore*",
        "i will kill you",
        "behead*",
    ),
    # HIGH: also common swearing.
    AutomodLevel.HIGH: (
        "fuck*",
        "motherfuck*",
        "shit",
        "shits",
        "shitty",
        "shitting",
        "shithead*",
        "bullshit*",
        "bitch*",
        "ass",  # not "asses": with stretched letters allowed it would match "assess"
        "asshole*",
        "bastard*",
        "dick",
        "dickhead*",
        "piss*",
        "wtf",
        "stfu",
    ),
}

# Leetspeak; "!" only counts as an "i" inside a word (see _LEET_BANG), so "shit!" still ends in "t".
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "@": "a", "$": "s"})
_LEET_BANG = re.compile(r"!(?=[a-z0-9@$])")
_TOKEN = re.compile(r"[a-z]+")


def normalise(text: str) -> list[str]:
    """Lower-case letter tokens with accents, leetspeak and separators undone.

    Returns one or two strings of space-separated tokens: the plain tokens, and (when the text spells
    words out a letter at a time, as in "f.u.c.k" or "f u c k") the same with those runs joined.
    Stretched letters ("fuuuuck") are left alone here: the term patterns allow any repeat of a letter.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _LEET_BANG.sub("i", plain).translate(_LEET)
    tokens = _TOKEN.findall(plain)
    variants = [" ".join(tokens)]
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:  # the empty sentinel flushes the last run
        if len(token) == 1:
            run.append(token)
            continue
        # Three or more single letters in a row are a spelled-out word; shorter runs are ordinary ("a", "i").
        joined.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if token:
            joined.append(token)
    if joined != tokens:
        variants.append(" ".join(joined))
    return variants


def term_regex(term: str) -> str:
    """A regex for one term over normalised text: every letter may repeat, "*" means more letters.

    The term goes through the same normalisation as messages, so a channel's "h3ll*" matches "hello".
    """
    words = []
    for word in term.split():
        pieces = []
        for piece in word.split("*"):
            letters = "".join(normalise(piece)[0].split())
            pieces.append("".join(f"{re.escape(letter)}+" for letter in letters))
        words.append("[a-z]*".join(pieces))
    body = " ".join(w for w in words if w)
    return rf"(?<![a-z])(?:{body})(?![a-z])" if body else ""


@cache
def level_pattern(level: int) -> re.Pattern[str] | None:
    """One compiled alternation of every term at or below `level` (cached: the lists never change)."""
    parts = [term_regex(term) for lvl, terms in TERMS.items() if lvl <= level for term in terms]
    parts = [p for p in parts if p]
    return re.compile("|".join(parts)) if parts else None


def contains_profanity(text: str, level: int) -> bool:
    pattern = level_pattern(level)
    if pattern is None:
        return False
    return any(pattern.search(variant) for variant in normalise(text))
