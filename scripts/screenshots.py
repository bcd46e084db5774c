"""Take Chromium screenshots of the main pages, at desktop and phone sizes, to look at them.

It starts nothing: point it at a running server and a user that can sign in, e.g.

    .venv/bin/python scripts/screenshots.py --username demo --password '...'

With --live-channel / --offline-channel it also shoots the channel pages and the embed (waiting
for the live player to play), with --chat-channel (+ --chat-mod-username, a moderator of it) the
chat: the panel as a moderator (held strip, hover tools, timeout menu, user card, emote picker),
a viewer's panel after sending, the phone layout, popout, the OBS overlay over a colourful
background, and the dashboard's Chat & moderation page (--chat-only: just those), with
--username's own channel the dashboard's Stream and Settings pages, and with --new-username
(a user without a channel) the create form, its errors and the stream key shown once (this
creates the channel <new-username>_tv; run it once per new user).

Files land in var/screenshots/<viewport>-<page>.png (var/ is ignored by git).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from aethex.lib.chromium import CHROMIUM_PATH, LAUNCH_ARGS

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
ANONYMOUS_PAGES = [
    ("home", "/"),
    ("signup", "/accounts/signup/"),
    ("login", "/accounts/login/"),
    ("password-reset", "/accounts/password/reset/"),
    ("search", "/search/?q=a"),
    ("password-reset-done", "/accounts/password/reset/done/"),
    ("verification-sent", "/accounts/confirm-email/"),
    ("confirm-email-bad-link", "/accounts/confirm-email/not-a-key/"),
    ("inactive", "/accounts/inactive/"),
]
SIGNED_IN_PAGES = [
    ("home-signed-in", "/"),
    ("profile", "/u/{username}/"),
    ("settings-profile", "/settings/profile/"),
    ("settings-preferences", "/settings/preferences/"),
    ("settings-security", "/settings/security/"),
    ("settings-email", "/accounts/email/"),
    ("settings-password", "/accounts/password/change/"),
    ("settings-sessions", "/accounts/sessions/"),
    ("reauthenticate", "/accounts/reauthenticate/"),
    ("sign-out", "/accounts/logout/"),
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8123", help="the running site")
    parser.add_argument("--out", default="var/screenshots", type=Path, help="output folder")
    parser.add_argument("--username", required=True, help="a user who can sign in (username or e-mail)")
    parser.add_argument("--password", required=True)
    parser.add_argument("--profile", help="username for the profile page (default: --username)")
    parser.add_argument(
        "--create-token",
        action="store_true",
        help="also create an API token through the form to capture its one-time secret (it stays)",
    )
    parser.add_argument("--live-channel", help="slug of a live channel (channel page + embed)")
    parser.add_argument("--offline-channel", help="slug of an offline channel with panels")
    parser.add_argument("--new-username", help="a user with no channel: the dashboard's create flow")
    parser.add_argument("--chat-channel", help="slug of a channel with chat history (chat shots)")
    parser.add_argument("--chat-only", action="store_true", help="only the chat shots")
    parser.add_argument("--chat-mod-username", help="a moderator of --chat-channel (password: --password)")
    parser.add_argument("--new-password", help="password of --new-username (default: --password)")
    return parser.parse_args(argv)


def shoot(page: Page, base_url: str, path: str, target: Path) -> None:
    response = page.goto(base_url + path, wait_until="networkidle")
    status = response.status if response else "?"
    page.screenshot(path=str(target), full_page=True)
    print(f"{status} {path} -> {target}")


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("form.allauth-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"Could not sign in as {username}: check --username and --password.")


def signup_errors(page: Page, base_url: str, target: Path) -> None:
    """The sign-up form after a bad submission: nothing is created, every field shows its error."""
    page.goto(base_url + "/accounts/signup/")
    page.fill("input[name=email]", "not-an-address@")
    page.fill("input[name=username]", "a!")
    page.fill("input[name=password1]", "12345")
    page.fill("input[name=password2]", "54321")
    page.evaluate("document.querySelector('form.allauth-form').noValidate = true")
    page.click("form.allauth-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(target), full_page=True)
    print(f"bad sign-up -> {target}")


def search_dropdown(page: Page, base_url: str, target: Path) -> None:
    """Live results under the header search box (behind the search button on phones)."""
    page.goto(base_url + "/", wait_until="networkidle")
    toggle = page.locator("[data-search-toggle]")
    if toggle.is_visible():
        toggle.click()
    page.fill("#header-q", "a")
    page.wait_for_selector("#search-dropdown .result, #search-dropdown .result-empty")
    page.screenshot(path=str(target))
    print(f"search dropdown -> {target}")


def token_created(page: Page, base_url: str, target: Path) -> None:
    page.goto(base_url + "/settings/security/")
    page.fill("input[name=name]", "Screenshot bot")
    page.check("input[name=scopes][value='chat:read']")
    page.check("input[name=scopes][value='chat:write']")
    page.select_option("select[name=expires_in_days]", "30")
    page.click("#create-token-form button[type=submit]")
    page.wait_for_selector("#new-token-secret")
    page.evaluate("window.scrollTo(0, 0)")  # a full-page shot draws the sticky header where it is scrolled
    page.screenshot(path=str(target), full_page=True)
    print(f"token created -> {target}")


def wait_playing(page: Page) -> None:
    """Wait until the live player's clock advances (hls.js loaded, muted autoplay started)."""
    page.wait_for_function(
        "() => { const v = document.querySelector('video#player'); return v && v.currentTime > 1.5; }",
        timeout=20000,
    )
    page.mouse.move(10, 10)  # the player's controls show on hover; keep them out of the shot


def watch_pages(page: Page, args: argparse.Namespace, name: str) -> None:
    if args.live_channel:
        page.goto(f"{args.base_url}/{args.live_channel}/", wait_until="domcontentloaded")
        wait_playing(page)
        page.screenshot(path=str(args.out / f"{name}-channel-live.png"), full_page=True)
        print(f"live channel -> {name}-channel-live.png")
        page.hover("video#player")
        page.screenshot(path=str(args.out / f"{name}-channel-live-controls.png"))
        page.goto(f"{args.base_url}/embed/{args.live_channel}/", wait_until="domcontentloaded")
        wait_playing(page)
        page.screenshot(path=str(args.out / f"{name}-embed-live.png"))
        print(f"embed -> {name}-embed-live.png")
    if args.offline_channel:
        shoot(page, args.base_url, f"/{args.offline_channel}/", args.out / f"{name}-channel-offline.png")
        shoot(page, args.base_url, f"/embed/{args.offline_channel}/", args.out / f"{name}-embed-offline.png")


def dashboard_pages(page: Page, args: argparse.Namespace, name: str) -> None:
    page.goto(args.base_url + "/dashboard/stream/", wait_until="networkidle")
    page.wait_for_timeout(500)  # the health charts draw after the module loads
    page.screenshot(path=str(args.out / f"{name}-dashboard-stream.png"), full_page=True)
    print(f"dashboard stream -> {name}-dashboard-stream.png")
    shoot(page, args.base_url, "/dashboard/settings/", args.out / f"{name}-dashboard-settings.png")


def wait_chat(page: Page) -> None:
    page.wait_for_selector("[data-chat-list] .chat-line", timeout=10000)
    page.wait_for_timeout(400)  # emotes load, the list settles at the bottom


def chat_shots(browser: Browser, args: argparse.Namespace) -> None:
    """The chat as a moderator and as a viewer, popout, overlay and the dashboard page."""
    slug, out = args.chat_channel, args.out
    context = browser.new_context(viewport={"width": 1366, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    sign_in(page, args.base_url, args.chat_mod_username or args.username, args.password)
    page.goto(f"{args.base_url}/{slug}/", wait_until="domcontentloaded")
    wait_chat(page)
    page.screenshot(path=str(out / "desktop-chat-channel-mod.png"))
    line = page.locator(".chat-line").nth(-3)
    line.hover()
    page.screenshot(path=str(out / "desktop-chat-mod-tools.png"))
    line.locator("[data-tool=timeout]").click()
    page.screenshot(path=str(out / "desktop-chat-timeout-menu.png"))
    page.keyboard.press("Escape")
    page.locator(".chat-line .chat-name").nth(-3).click()
    page.wait_for_selector(".user-card")
    page.screenshot(path=str(out / "desktop-chat-user-card.png"))
    page.locator("[data-chat-card-close]").click()
    page.click("[data-emote-toggle]")
    page.wait_for_selector(".emote-pick")
    page.screenshot(path=str(out / "desktop-chat-emote-picker.png"))
    page.keyboard.press("Escape")
    print("chat (moderator) -> desktop-chat-*.png")
    page.goto(f"{args.base_url}/dashboard/chat/?channel={slug}", wait_until="networkidle")
    page.screenshot(path=str(out / "desktop-dashboard-chat.png"), full_page=True)
    print("dashboard chat -> desktop-dashboard-chat.png")
    context.close()

    for name, size in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1)
        page = context.new_page()
        sign_in(page, args.base_url, args.username, args.password)
        page.goto(f"{args.base_url}/{slug}/", wait_until="domcontentloaded")
        wait_chat(page)
        if name != "desktop":
            page.wait_for_timeout(6000)  # the same user just sent from the desktop: outwait slow mode
        page.fill("[data-chat-input]", f"hello from the {name} screenshot Pog")
        page.keyboard.press("Enter")
        page.wait_for_selector(f".chat-line:has-text('hello from the {name} screenshot')")
        page.wait_for_timeout(300)
        if name == "phone":  # chat sits under the player: scroll it up to the top of the screen
            page.evaluate("window.scrollTo(0, document.querySelector('.watch-chat').offsetTop - 120)")
            page.wait_for_timeout(300)
        page.screenshot(path=str(out / f"{name}-chat-channel-viewer.png"))
        page.goto(f"{args.base_url}/dashboard/chat/", wait_until="networkidle")
        if name == "phone":
            page.screenshot(path=str(out / "phone-dashboard-chat.png"), full_page=True)
        context.close()
    print("chat (viewer) -> desktop/phone-chat-channel-viewer.png")

    context = browser.new_context(viewport={"width": 420, "height": 760}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{args.base_url}/popout/{slug}/chat", wait_until="domcontentloaded")
    wait_chat(page)
    page.screenshot(path=str(out / "popout-chat-anonymous.png"))
    # The overlay as OBS shows it: transparent, over whatever the stream shows.
    page.set_viewport_size({"width": 480, "height": 720})
    page.set_content(
        '<body style="margin:0;height:100vh;background:linear-gradient(135deg,#1f2a6b,#c2185b 45%,#ffb300)">'
        f'<iframe src="{args.base_url}/overlay/{slug}/chat" style="border:0;width:100%;height:100%"'
        ' allowtransparency="true"></iframe></body>'
    )
    page.frame_locator("iframe").locator(".chat-line").first.wait_for()
    page.wait_for_timeout(600)
    page.screenshot(path=str(out / "overlay-chat.png"))
    page.goto(f"{args.base_url}/overlay/{slug}/chat", wait_until="domcontentloaded")
    wait_chat(page)
    page.screenshot(path=str(out / "overlay-chat-transparent.png"), omit_background=True)
    print("popout and overlay -> popout-chat-anonymous.png, overlay-chat*.png")
    context.close()


def create_channel_flow(browser: Browser, args: argparse.Namespace, name: str, size: tuple[int, int]) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1)
    page = context.new_page()
    sign_in(page, args.base_url, args.new_username, args.new_password or args.password)
    page.goto(args.base_url + "/dashboard/", wait_until="networkidle")
    if "/dashboard/stream/" in page.url:
        print(f"{args.new_username} already has a channel: skipping the create flow")
        context.close()
        return
    page.screenshot(path=str(args.out / f"{name}-dashboard-create.png"), full_page=True)
    page.fill("input[name=slug]", "dashboard")
    page.click("form[action='/dashboard/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(args.out / f"{name}-dashboard-create-errors.png"), full_page=True)
    print(f"create channel (form, errors) -> {name}-dashboard-create*.png")
    if name == "desktop":
        page.fill("input[name=slug]", f"{args.new_username}_tv"[:25])
        page.fill("input[name=title]", "First stream!")
        page.click("form[action='/dashboard/'] button[type=submit]")
        page.wait_for_selector("#new-stream-key")
        page.screenshot(path=str(args.out / f"{name}-dashboard-key-once.png"), full_page=True)
        print(f"key shown once -> {name}-dashboard-key-once.png")
    context.close()


def capture_viewport(browser: Browser, args: argparse.Namespace, name: str, size: tuple[int, int]) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1)
    page = context.new_page()
    for page_name, path in ANONYMOUS_PAGES:
        shoot(page, args.base_url, path, args.out / f"{name}-{page_name}.png")
    signup_errors(page, args.base_url, args.out / f"{name}-signup-errors.png")
    search_dropdown(page, args.base_url, args.out / f"{name}-search-dropdown.png")
    sign_in(page, args.base_url, args.username, args.password)
    profile = args.profile or args.username
    for page_name, path in SIGNED_IN_PAGES:
        shoot(page, args.base_url, path.format(username=profile), args.out / f"{name}-{page_name}.png")
    if args.create_token:
        token_created(page, args.base_url, args.out / f"{name}-settings-token-created.png")
    watch_pages(page, args, name)
    dashboard_pages(page, args, name)
    # The open user menu, as it is what a signed-in viewer reaches for most.
    page.goto(args.base_url + "/", wait_until="networkidle")
    page.click("[data-menu-toggle]")
    page.screenshot(path=str(args.out / f"{name}-user-menu.png"))
    context.close()


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    args.base_url = args.base_url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=LAUNCH_ARGS)
        try:
            if args.chat_only:
                chat_shots(browser, args)
                return 0
            for name, size in VIEWPORTS.items():
                capture_viewport(browser, args, name, size)
            if args.chat_channel:
                chat_shots(browser, args)
            if args.new_username:
                for name, size in reversed(VIEWPORTS.items()):  # phone first: desktop creates the channel
                    create_channel_flow(browser, args, name, size)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
