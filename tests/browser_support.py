"""Launching the system's headless Chromium with Playwright, for the HTML report's browser tests.

Playwright's own browser downloads are never used (`playwright install` is not run): the tests
drive the Chromium the machine has (Debian's `chromium`; `.ci/run` installs it in CI), or the one
named by HYPELINT_CHROMIUM.
"""
from __future__ import annotations

import os
import shutil
from typing import Optional

# No GPU, no sandbox (CI runs as root in a container), and nothing that talks to the network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")


def find_chromium() -> Optional[str]:
    """The Chromium executable to drive, or None."""
    configured = os.environ.get("HYPELINT_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else shutil.which(configured)
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def why_no_browser() -> Optional[str]:
    """None when a browser test can run, else the reason it cannot (for pytest.skip)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if find_chromium() is None:
        return ("no Chromium found (install Debian's `chromium`, e.g. `apt-get install -y chromium`, "
                "or set HYPELINT_CHROMIUM to a Chromium executable)")
    return None


def launch(playwright):
    """A headless Chromium browser from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
