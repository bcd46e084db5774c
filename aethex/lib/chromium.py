"""How this project starts headless Chromium (Debian's package) for browser tests and screenshots."""

from __future__ import annotations

from pathlib import Path

CHROMIUM_PATH = Path("/usr/bin/chromium")
# The machine has no internet: without the background-networking flags Chromium keeps
# opening connections that are refused.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
