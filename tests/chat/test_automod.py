from __future__ import annotations

import time

import pytest

from chat import automod, profanity
from chat.models import AutomodLevel, ChatSettings


def settings_(level: int = AutomodLevel.HIGH, *, links_allowed: bool = True, allow: list | None = None):
    return ChatSettings(automod_level=level, links_allowed=links_allowed, link_allow_list=allow or [])


def review(text: str, *, terms: list[str] | None = None, moderator: bool = False, **kwargs):
    return automod.review(
        text=text, chat_settings=settings_(**kwargs), blocked_terms=terms or [], is_moderator=moderator
    )


def test_ordinary_message_passes():
    assert review("hello chat, great play!") == automod.Verdict(held=False)


@pytest.mark.parametrize("text", ["I love spam", "SPAM it", "so much spam.", "spam"])
def test_blocked_term_holds_whole_word_case_insensitively(text):
    verdict = review(text, terms=["spam"])
    assert verdict.held
    assert verdict.reason == automod.REASON_BLOCKED_TERM


@pytest.mark.parametrize("text", ["spammer here", "spamming", "SPAMS"])
def test_blocked_wildcard_matches_trailing_letters(text):
    assert review(text, terms=["spam*"]).held


def test_blocked_term_without_wildcard_is_not_a_substring_match():
    assert not review("spammer here", terms=["spam"]).held
    assert not review("aspam", terms=["spam*"]).held


def test_blocked_phrase_matches_across_spacing():
    assert review("please   buy   followers now", terms=["buy followers"]).held
    assert not review("buy more followers", terms=["buy followers"]).held


def test_blocked_terms_are_never_regex():
    assert not review("anything at all", terms=[".*"]).held
    assert not review("aaaa", terms=["a+"]).held
    assert review("I write c++ daily", terms=["c++"]).held
    assert not review("I write c daily", terms=["c++"]).held
    assert review("look (.) here", terms=["(.)"]).held
    assert review("look (.a) here", terms=["(.*)"]).held  # only * is special: any letters


def test_blocked_term_sees_through_leetspeak_and_separators():
    assert review("so much sp4m", terms=["spam"]).held
    assert review("s.p.a.m", terms=["spam"]).held
    assert review("spaaaaam", terms=["spam"]).held


def test_blocked_terms_apply_even_with_automod_off():
    assert review("spam", terms=["spam"], level=AutomodLevel.OFF).held


@pytest.mark.parametrize(
    "text", ["fuck this", "F U C K", "f.u.c.k", "fuuuuuck", "FuCkInG hell", "sh1t", "$hit", "sh!t happens"]
)
def test_profanity_high_catches_normalised_swearing(text):
    verdict = review(text, level=AutomodLevel.HIGH)
    assert verdict.held
    assert verdict.reason == automod.REASON_PROFANITY


def test_profanity_catches_accents_and_trailing_punctuation():
    assert review("fück", level=AutomodLevel.HIGH).held
    assert review("what the shit!", level=AutomodLevel.HIGH).held


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United won",
        "we need to assess this",
        "a classic play",
        "the cocktail bar",
        "passing the assassin",
        "grapes and rapeseed",
        "fire retardant",
        "cumulative score",
        "Dickens wrote books",
        "I am a big fan of shiitake",
    ],
)
def test_profanity_avoids_the_scunthorpe_problem(text):
    assert not review(text, level=AutomodLevel.HIGH).held


def test_profanity_levels_are_cumulative():
    swear, sexual = "oh fuck", "watch porn"
    assert not review(swear, level=AutomodLevel.MEDIUM).held
    assert review(swear, level=AutomodLevel.HIGH).held
    assert not review(sexual, level=AutomodLevel.LOW).held
    assert review(sexual, level=AutomodLevel.MEDIUM).held
    assert review(sexual, level=AutomodLevel.HIGH).held
    assert review("kys", level=AutomodLevel.LOW).held
    assert review("k y s", level=AutomodLevel.LOW).held


def test_profanity_off_holds_nothing():
    assert not review("fuck", level=AutomodLevel.OFF).held
    assert not review("WHAT IS GOING ON HERE", level=AutomodLevel.OFF).held


def test_normalise_joins_spelled_out_words_but_keeps_short_words():
    assert profanity.normalise("a cat") == ["a cat"]
    assert profanity.normalise("f-u-c-k you") == ["f u c k you", "fuck you"]
    assert profanity.normalise("h3ll0 W0RLD") == ["hello world"]


@pytest.mark.parametrize(
    "text",
    [
        "see https://evil.example/path",
        "go to evil.com now",
        "www.example.org",
        "HTTP://EXAMPLE.NET",
        "mail me at someone@example.com",
        "ftp://files.example.com/x",
    ],
)
def test_links_held_when_not_allowed(text):
    verdict = review(text, links_allowed=False)
    assert verdict.held
    assert verdict.reason == automod.REASON_LINK


def test_links_pass_when_allowed():
    assert not review("see https://evil.example/path", links_allowed=True).held


def test_allow_list_covers_domain_and_subdomains_only():
    allow = ["youtube.com", "https://clips.twitch.tv/"]
    assert not review("https://www.youtube.com/watch?v=x", links_allowed=False, allow=allow).held
    assert not review("youtube.com", links_allowed=False, allow=allow).held
    assert not review("clips.twitch.tv/abc", links_allowed=False, allow=allow).held
    assert review("twitch.tv/abc", links_allowed=False, allow=allow).held
    assert review("evilyoutube.com", links_allowed=False, allow=allow).held
    assert review("youtube.com.evil.io", links_allowed=False, allow=allow).held
    assert review("youtube.com and bad.io", links_allowed=False, allow=allow).held


def test_text_that_is_not_a_link_passes_without_links():
    for text in ["score 3.5 points", "e.g. this", "i.e. that", "wait... what", "v1.2"]:
        assert not review(text, links_allowed=False).held, text


def test_caps_heuristic():
    assert review("THIS IS SO LOUD RIGHT NOW").reason == automod.REASON_CAPS
    assert not review("OK LOL").held  # too short to judge
    assert not review("GG everyone, well played").held


def test_repeated_character_heuristic():
    assert review("nooooooooooo").reason == automod.REASON_REPEATED_CHARACTER
    assert not review("noooooooo").held  # nine


def test_repeated_word_heuristic():
    assert review(" ".join(["spam"] * 8)).reason == automod.REASON_REPEATED_WORD
    assert not review(" ".join(["spam"] * 7)).held
    ordinary = " ".join(f"the cat {n} sat on the mat" for n in range(4))
    assert not review(ordinary).held  # "the" 8 times in a longer message


def test_moderators_bypass_everything():
    for text, kwargs in [
        ("spam", {"terms": ["spam"]}),
        ("https://evil.example", {"links_allowed": False}),
        ("fuck", {}),
        ("THIS IS SO LOUD RIGHT NOW", {}),
    ]:
        assert not review(text, moderator=True, **kwargs).held


def test_review_of_long_hostile_input_is_quick():
    texts = ["a" * 500, "as" * 250, "f " * 250, "s" + "s" * 499 + "!", "a." * 250, "x@" * 250]
    terms = [f"term{n}*" for n in range(50)]
    started = time.perf_counter()
    for text in texts:
        review(text, terms=terms, links_allowed=False)
    assert time.perf_counter() - started < 1.0
