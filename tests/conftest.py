import os
import sys
from pathlib import Path

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
