"""Take the README's screenshot of the playground: a race on Rosenbrock's valley.

Needs the app extra, Playwright and Debian's chromium: ``python docs/make_app_screenshot.py``.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from browser import app_page  # noqa: E402

SCENE = "?problem=rosenbrock&optimizer=momentum&lr=0.0002&max_iter=1500&x0=-1.5,2.0"


def main():
    with app_page(SCENE, width=1480, height=1000) as page:
        for name, rate in (("adam", "0.05"), ("gd", "0.001")):
            page.get_by_role("button", name="add this run to the race").click()
            page.wait_for_timeout(800)
            page.locator("select").filter(
                has=page.locator("option[value='adam']")).select_option(name)
            page.wait_for_timeout(800)
            box = page.get_by_label("learning rate (type any)")
            box.fill(rate)
            box.press("Enter")
            page.wait_for_timeout(1200)
        page.screenshot(path=str(HERE / "app.png"))
    print(HERE / "app.png")


if __name__ == "__main__":
    main()
