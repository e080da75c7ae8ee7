import os
import sys
from pathlib import Path

import pytest

# Tests draw off-screen; the window test starts its own display and process.
os.environ["MPLBACKEND"] = "Agg"
sys.path.insert(0, str(Path(__file__).parent))


def pytest_terminal_summary(terminalreporter):
    """Beside the summary line, every skip in words: what was not checked, how to check it."""
    from collections import Counter

    reasons = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple):
            reasons[report.longrepr[2].removeprefix("Skipped: ")] += 1
    if reasons:
        terminalreporter.section("not checked on this machine")
        for reason, count in reasons.most_common():
            terminalreporter.write_line(f"{count:>4} skipped: {reason}")


@pytest.fixture
def browser():
    """Headless Chromium (Debian's), or a skip that says what was not checked."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: the app was not checked "
        "in a browser (pip install -e '.[test]')")
    from browser import CHROMIUM, launch

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed: the app was not checked in a "
                    "browser (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        opened = launch(playwright)
        yield opened
        opened.close()
