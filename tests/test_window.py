"""The live window, in a real X display (Xvfb), with the Tk backend.

Skipped where Xvfb, xdotool or tkinter is missing.
"""
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

pytestmark = pytest.mark.display

if not (shutil.which("Xvfb") and shutil.which("xdotool")):
    pytest.skip("Xvfb or xdotool is not installed: the live window was not checked "
                "(apt-get install xvfb xdotool)", allow_module_level=True)
pytest.importorskip("tkinter", reason="tkinter is missing from this Python: the live window "
                    "was not checked (install Python with Tk, e.g. apt-get install python3-tk)")

GREEN = np.array([0x00, 0x9E, 0x73])


@pytest.fixture
def display():
    server = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1600x1000x24"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    number = server.stdout.readline().strip()
    display = f":{number}"
    # Wait until the display takes connections: a busy machine can be slow to, and
    # matplotlib then decides it is headless and refuses the window.
    from PIL import ImageGrab

    deadline = time.time() + 20
    while True:
        try:
            ImageGrab.grab(xdisplay=display)
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    yield display
    server.terminate()
    server.wait(10)


def find_window(env, name, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = subprocess.run(["xdotool", "search", "--name", name], env=env,
                               capture_output=True, text=True).stdout.split()
        if found:
            return found[0]
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"gdviz exited ({process.returncode}) before a window "
                                 f"appeared:\n{out}\n{err}")
        time.sleep(0.2)
    raise AssertionError(f"no window named {name!r} appeared in {timeout} s")


def green_pixels(display):
    from PIL import ImageGrab

    screen = np.asarray(ImageGrab.grab(xdisplay=display).convert("RGB")).astype(int)
    mask = np.all(np.abs(screen - GREEN) < 40, axis=-1)
    return np.argwhere(mask)


def test_seed_opens_a_window_animates_and_stays_open_until_q(display):
    env = dict(os.environ, DISPLAY=display, MPLBACKEND="TkAgg")
    process = subprocess.Popen(
        [sys.executable, "-m", "gdviz", "seed", "--seed", "0", "--pause", "0.05"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        window = find_window(env, "gdviz seed", process)
        # 13 frames at 0.05 s; the first two and the last held their reading time (15
        # characters a second: about 6 s each for the first two): finished.
        time.sleep(15)
        assert process.poll() is None, "the window must stay open at the end"
        # The final line rises steeply across the panel; the starting line
        # (b0=0.27, b1=0.13) was nearly flat, so a tall green line means the
        # animation reached its last frames.
        rows = green_pixels(display)[:, 0]
        assert len(rows) > 300
        assert np.ptp(rows) > 400
        subprocess.run(["xdotool", "key", "--window", window, "q"], env=env,
                       capture_output=True)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.splitlines()[-1].startswith("49.48015552913")
    assert "saved:" not in out  # with a display, nothing is written
    assert "Traceback" not in err


def screenshot(display):
    from PIL import ImageGrab

    return np.asarray(ImageGrab.grab(xdisplay=display).convert("RGB")).astype(int)


def send(env, window, key):
    subprocess.run(["xdotool", "key", "--window", window, key], env=env, capture_output=True)
    time.sleep(0.8)


def test_keys_pause_step_back_and_quit(display):
    env = dict(os.environ, DISPLAY=display, MPLBACKEND="TkAgg")
    process = subprocess.Popen(
        [sys.executable, "-m", "gdviz", "seed", "--seed", "0", "--every", "20", "--pause", "0.4"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        window = find_window(env, "gdviz seed", process)
        time.sleep(2.0)
        send(env, window, "space")  # pause
        paused = screenshot(display)
        time.sleep(1.2)
        assert np.array_equal(screenshot(display), paused), "space must pause the animation"
        send(env, window, "Right")
        forward = screenshot(display)
        assert not np.array_equal(forward, paused), "right arrow must step forward"
        send(env, window, "Left")
        assert np.array_equal(screenshot(display), paused), "left arrow must step back"
        send(env, window, "space")  # resume
        time.sleep(7.5)  # a frame with new words is held up to 7 s to be read
        assert not np.array_equal(screenshot(display), paused), "space must resume"
        send(env, window, "q")
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
