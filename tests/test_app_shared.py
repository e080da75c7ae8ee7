"""``gdviz app`` as a shared server for a class, tried as an attacker and as a class would:
the real server in a subprocess, real HTTP, real Chromium where a browser matters."""
import http.client
import socket
import time
from pathlib import Path

import pytest

from skip_reasons import PANEL

pytest.importorskip("panel", reason=PANEL)

from browser import (CHROMIUM, READY, SETTLED, AppServer, page_numbers,  # noqa: E402
                     problem_select, tree_cpu_seconds, tree_rss)

HEAVY = ("/?problem=mlp&hidden=64&max_iter=20000&settle=0&optimizer=adam"
         "&race=gd;momentum;nesterov;rmsprop;adagrad;adamw")
PAYLOAD = '<img src=x onerror="window.__owned = (window.__owned || 0) + 1">'


@pytest.fixture(scope="module")
def server():
    # A heavy request meets the time budget in 5 s rather than the default 10. One server
    # process: every process below it is then a worker, whose CPU the tests measure
    # (test_several_server_processes_answer_and_stop_together checks --processes 2).
    app = AppServer(args=["--allow-host", "class.example.org", "--max-seconds", "5",
                          "--processes", "1"])
    yield app
    if app.process.poll() is None:
        app.stop()


def request(server, path="/", host=None, headers=()):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{server.port}")
    for name, value in headers:
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


WEBSOCKET = (("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
             ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="))


def test_a_foreign_host_name_is_refused_for_the_page_and_the_websocket(server):
    port = server.port
    assert request(server)[0] == 200
    status, body = request(server, host=f"evil.example:{port}")
    assert status == 403 and b"--allow-host" in body and b"<" not in body
    rebound = (("Origin", f"http://evil.example:{port}"),) + WEBSOCKET
    assert request(server, "/ws", host=f"evil.example:{port}", headers=rebound)[0] == 403
    # An allowed name, but the websocket asked from another site's page: refused too.
    foreign_page = (("Origin", "http://evil.example"),) + WEBSOCKET
    assert request(server, "/ws", headers=foreign_page)[0] == 403
    # The name given with --allow-host (a reverse proxy's public name) is answered.
    assert request(server, host="class.example.org")[0] == 200
    assert request(server, host=f"localhost:{port}")[0] == 200


def test_a_bare_get_of_a_heavy_link_runs_nothing(server):
    before = tree_cpu_seconds(server.process.pid)
    started = time.monotonic()
    status, _ = request(server, HEAVY)  # what an <img> on another site's page does
    assert status == 200 and time.monotonic() - started < 5
    time.sleep(2)
    assert tree_cpu_seconds(server.process.pid) - before < 0.5  # no run in any worker


chromium = pytest.mark.skipif(CHROMIUM is None, reason=(
    "Debian's chromium is not installed: the app was not checked in a browser "
    "(apt-get install chromium)"))


def open_page(browser, server, path="/", ready=True):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url.rstrip("/") + path)
    if ready:
        page.wait_for_function(READY, timeout=60_000)
    return page


def move_rate(page):
    """A slider move as a student makes it; the time until the new path has arrived."""
    page.evaluate("""() => {
      window._gdviz_arrived = undefined;
      Bokeh.documents[0].get_model_by_name('full0').connect(
        Bokeh.documents[0].get_model_by_name('full0').properties.data.change,
        () => { if (window._gdviz_arrived === undefined) window._gdviz_arrived = performance.now(); });
      window._gdviz_moved = performance.now();
    }""")
    page.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window._gdviz_arrived !== undefined", timeout=60_000)
    return page.evaluate("() => (window._gdviz_arrived - window._gdviz_moved) / 1000")


def test_a_heavy_scene_of_one_page_does_not_hold_up_another(server, browser):
    student = open_page(browser, server)
    heavy = open_page(browser, server, HEAVY, ready=False)
    time.sleep(1.0)  # the heavy scene is running in a worker now
    took = [move_rate(student) for _ in range(3)]
    assert max(took) < 2.0, took
    heavy.wait_for_function(READY, timeout=60_000)
    heavy.wait_for_function(SETTLED, timeout=60_000)
    words = heavy.evaluate("() => Bokeh.documents[0].get_model_by_name('error').text")
    assert "this server gives a request at most" in words  # over budget: stopped, and said
    status = heavy.evaluate("() => Bokeh.documents[0].get_model_by_name('status').text")
    assert status.count("stopped by the server's budget") == 7


def test_memory_comes_back_after_heavy_pages_close(server, browser):
    time.sleep(1)
    baseline = tree_rss(server.process.pid)
    for _ in range(2):
        page = open_page(browser, server, HEAVY)
        page.wait_for_function(SETTLED, timeout=60_000)
        page.close()
    time.sleep(8)  # the memory is given back once, 5 s after the first page closed
    after = tree_rss(server.process.pid)
    assert after - baseline < 200 * 2**20, (baseline / 2**20, after / 2**20)


def test_link_and_upload_payloads_are_never_html(server, browser, tmp_path):
    from urllib.parse import quote

    # The five links open at once (each page waits on its own run, not on the others).
    pages = [open_page(browser, server, "/" + query, ready=False)
             for query in (f"?lr={quote(PAYLOAD)}", f"?{quote(PAYLOAD)}=1",
                           f"?problem=expression&formula={quote(PAYLOAD)}",
                           f"?race={quote(PAYLOAD)}", f"?problem={quote(PAYLOAD)}")]
    for page in pages:
        # Polled on a timer: four of the five are background tabs, whose animation frames
        # (Playwright's default polling) a busy machine's Chromium throttles.
        page.wait_for_function(READY, timeout=60_000, polling=200)
        page.wait_for_function(SETTLED, timeout=60_000, polling=200)
        error = page.get_by_text("the link's settings were not used")
        assert error.count() == 1
        assert page.locator("img[src=x]").count() == 0
        assert page.evaluate("() => window.__owned") is None and page.dialogs == []
        page.close()
    import csv

    data = tmp_path / "evil.csv"
    with open(data, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([PAYLOAD, "score"])
        writer.writerows([h, 3 * h + 1] for h in range(10))
    page = open_page(browser, server)
    problem_select(page).select_option(label="your CSV data")
    page.locator("input[type=file]").set_input_files(str(data))
    page.wait_for_function("() => location.search.includes('problem=linear')", timeout=30_000)
    page.wait_for_function(SETTLED, timeout=30_000)
    page.wait_for_timeout(500)
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("() => window.__owned") is None and page.dialogs == []
    # The column's name, in the picker as text (its label is escaped: Choices.js takes HTML).
    assert any(text.startswith(PAYLOAD) for text in page.locator(".choices__item").all_inner_texts())


def test_an_upload_over_the_limit_is_answered_and_the_page_lives_on(server, browser, tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "w") as out:
        out.write("x,y\n")
        line = "1.2345678,2.3456789\n"
        out.write(line * (11 * 2**20 // len(line)))
    page = open_page(browser, server)
    problem_select(page).select_option(label="your CSV data")
    page.locator("input[type=file]").set_input_files(str(big))
    # Said in the page, by the file box itself, before a byte is sent.
    page.get_by_text("File is too large", exact=True).wait_for(timeout=30_000)
    assert page.get_by_text("Maximum file size is").count() >= 1
    small = Path(__file__).resolve().parent.parent / "docs" / "data" / "study-hours.csv"
    page.locator("input[type=file]").set_input_files(str(small))
    page.wait_for_function("() => location.search.includes('problem=linear')", timeout=30_000)
    page.wait_for_function(SETTLED, timeout=60_000)
    assert len(page_numbers(page, "full0", "x")) > 1  # the page goes on working


def test_the_address_bar_follows_a_new_problem_at_once(server, browser):
    page = open_page(browser, server)
    problem_select(page).select_option(label="Himmelblau")
    page.wait_for_function("() => location.search.includes('problem=himmelblau')",
                           timeout=2_000)


def test_only_loopback_by_default_and_the_limits_are_printed():
    app = AppServer()
    try:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", app.port)) == 0
        code, out = app.stop()
    finally:
        if app.process.poll() is None:
            app.process.kill()
    said = "".join(app.said)
    assert code == 0 and "gdviz app: stopped" in out
    assert "answers for host names localhost, 127.0.0.1, ::1 (--allow-host NAME adds one)" in said
    assert "a request may take 10 s, 1024 MB and 2×10⁸ parameter × row steps" in said


def test_a_full_playground_says_so_in_the_links_language(browser):
    """Past --max-sessions a visitor gets one line, in the language the link asks for; the
    server's own lines are in the language it was started in."""
    app = AppServer(args=["--max-sessions", "1", "--processes", "1", "--lang", "zh"])
    try:
        said = "".join(app.said)
        assert "练习场在 http://" in said and "最多同时 1 个页面" in said, said
        held = open_page(browser, app)  # the one page the server allows, open in a browser
        for path, line in (("/?lang=zh", "练习场已满（已打开 1 个页面）。请一分钟后再试。"),
                           ("/", "The playground is full (1 page open). Try again in a minute.")):
            page = open_page(browser, app, path, ready=False)
            page.get_by_text(line).wait_for(timeout=30_000)
            assert page.dialogs == []
            page.close()
    finally:
        if app.process.poll() is None:
            app.stop()


@pytest.mark.parametrize("module", ["gdviz.__main__", "this", "antigravity", "gdviz.cli",
                                    "os", "panel.__main__", "pip.__main__"])
def test_the_components_route_imports_no_module_a_url_names(server, module):
    """Panel's /components/<module>/… route imports the module the URL names: the gate
    answers 404 before anything is imported, and the server answers on (one GET of
    gdviz.__main__ used to run the command line inside it and stop it)."""
    status, body = request(server, f"/components/{module}/X/css/a.css")
    assert status == 404 and body == b"gdviz app: not found\n"
    assert server.process.poll() is None
    assert request(server)[0] == 200


def test_a_refusal_is_said_in_the_visitors_language(server):
    """The gate's one line follows the link's ?lang=, else the browser's Accept-Language,
    else the server's language; it is plain text either way."""
    said = {}
    for path, headers in (("/components/os/X/a.css", ()),
                          ("/components/os/X/a.css?lang=zh", ()),
                          ("/components/os/X/a.css", (("Accept-Language", "zh-CN,zh;q=0.9"),)),
                          ("/components/os/X/a.css", (("Accept-Language", "fr-FR,en;q=0.8"),)),
                          ("/?bokeh-session-id=x", (("Accept-Language", "zh"),))):
        status, body = request(server, path, headers=headers)
        said[path, headers] = (status, body.decode("utf-8"))
    assert list(said.values()) == [
        (404, "gdviz app: not found\n"), (404, "gdviz app：找不到这个地址\n"),
        (404, "gdviz app：找不到这个地址\n"), (404, "gdviz app: not found\n"),
        (403, "gdviz app：每位访问者都有自己的页面：链接不能指定要加入的页面"
              "（请去掉 bokeh-session-id）\n")]


def test_a_link_cannot_join_another_visitors_page():
    """Two visitors with the same ?bokeh-session-id= would share one page (the student
    drives the teacher's screen): an id in a link is refused, even a real page's, and
    the ids the server makes are signed, so a websocket with a forged token is refused."""
    import asyncio
    import re

    from bokeh.util.token import (check_session_id_signature, generate_jwt_token,
                                  get_session_id)
    from tornado.websocket import websocket_connect

    app = AppServer()
    try:
        status, page = request(app, "/")
        assert status == 200
        token = re.search(rb'"token"\s*:\s*"([^"]+)"', page).group(1).decode()
        real = get_session_id(token)
        assert "." in real and not check_session_id_signature(real, secret_key=b"guess" * 8,
                                                              signed=True)
        for asked in (real, "class-demo-42"):
            status, body = request(app, f"/?bokeh-session-id={asked}&lesson=blog")
            assert status == 403 and b"a page of their own" in body and b"<" not in body

        async def forged(session_id):
            url = f"ws://127.0.0.1:{app.port}/ws"
            forged_token = generate_jwt_token(session_id, secret_key=b"guess" * 8, signed=True)
            from tornado.httpclient import HTTPRequest

            try:
                socket = await websocket_connect(HTTPRequest(
                    url, headers={"Origin": f"http://127.0.0.1:{app.port}"}),
                    subprotocols=["bokeh", forged_token])
            except Exception:
                return "refused"
            message = await socket.read_message()  # None: the server closed it
            return "refused" if message is None else "joined"

        assert asyncio.run(forged(real)) == "refused"
        assert request(app, "/")[0] == 200  # and it answers on
    finally:
        app.stop()


@pytest.mark.parametrize("query, host", [("/?foo=%C2%B2", None), ("/?lesson=blog&question=" +
                                          "7" * 5000, None), ("/", "[::1]:{port}"),
                                         ("/?x=" + "a" * 70000, None)])
def test_a_value_panel_cannot_read_is_a_one_line_400_not_a_500(server, query, host):
    try:
        status, body = request(server, query, host=host and host.format(port=server.port))
    except http.client.RemoteDisconnected:  # a header line over Tornado's limit
        status, body = 400, b"gdviz app: (closed by the server)\n"
    assert status in (400, 431) and body.startswith(b"gdviz app: ") and body.count(b"\n") == 1
    assert len(body) < 300 and server.process.poll() is None


def test_sigterm_ends_every_worker_and_leaves_no_file(browser, tmp_path):
    """kill, systemd and docker stop send SIGTERM: with a student's upload on disk and a
    heavy job running, the server stops accepting, ends its workers, removes its folder
    (the upload with it) and exits within 10 s; a server killed outright leaves its folder,
    and the next one to start removes it."""
    import os
    import signal
    import tempfile

    from browser import _family

    before = set(Path(tempfile.gettempdir()).glob("gdviz-app-*"))
    app = AppServer(args=["--max-seconds", "30"])
    ours = set(Path(tempfile.gettempdir()).glob(f"gdviz-app-{app.process.pid}-*"))
    assert len(ours) == 1
    folder = ours.pop()
    student = open_page(browser, app)
    data = tmp_path / "marks.csv"
    data.write_text("hours,score\n" + "".join(f"{k % 9},{3 * k % 50}\n" for k in range(400)))
    problem_select(student).select_option(label="your CSV data")
    student.locator("input[type=file]").set_input_files(str(data))
    student.wait_for_function("() => location.search.includes('problem=linear')", timeout=30_000)
    assert any(path.name.endswith(".csv") for path in folder.rglob("*"))  # the upload, on disk
    open_page(browser, app, HEAVY, ready=False)
    deadline = time.time() + 20
    while tree_cpu_seconds(app.process.pid) < 0.5 and time.time() < deadline:
        time.sleep(0.2)  # the heavy job is running in a worker
    family = _family(app.process.pid)
    assert len(family) >= 3  # the server, its fork server and workers
    started = time.monotonic()
    app.process.send_signal(signal.SIGTERM)
    code = app.process.wait(timeout=10)
    assert time.monotonic() - started < 10 and code == 0
    time.sleep(0.5)
    alive = [pid for pid in family if os.path.exists(f"/proc/{pid}")
             and open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]
    assert alive == [], alive
    assert not folder.exists()
    assert set(Path(tempfile.gettempdir()).glob("gdviz-app-*")) <= before

    # Killed outright, a server leaves its folder; the next server removes it at start.
    killed = AppServer(args=["--processes", "2"])
    left = next(Path(tempfile.gettempdir()).glob(f"gdviz-app-{killed.process.pid}-*"))
    (left / "upload.csv").write_text("a,b\n1,2\n")
    assert request(killed)[0] == 200  # its server processes are up
    servers = _family(killed.process.pid) - {killed.process.pid}
    killed.process.kill()
    killed.process.wait(timeout=10)
    # Its server processes, told by the kernel that their supervisor died, stop too.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and [pid for pid in servers if os.path.exists(
            f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
            != "Z"]:
        time.sleep(0.2)
    assert [pid for pid in servers if os.path.exists(f"/proc/{pid}") and
            open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"] == []
    fresh = AppServer()
    try:
        assert not left.exists()
    finally:
        fresh.stop()


def test_a_bare_get_lets_go_of_its_page_within_seconds(browser):
    """A GET no browser follows (curl, an <img> on another site) used to hold a page slot
    for 15 to 32 s: with --max-sessions 1 the class was told "full" meanwhile."""
    app = AppServer(args=["--max-sessions", "1", "--processes", "1"])
    try:
        assert request(app)[0] == 200
        time.sleep(16)  # 10 s unused, checked every 5 s
        page = open_page(browser, app)  # a whole page, not "The playground is full"
        assert page.get_by_text("The playground is full").count() == 0
    finally:
        app.stop()


def test_several_server_processes_answer_and_stop_together():
    """--processes 2: two server processes behind one port (Bokeh's own multi-process
    mode), each with its workers; SIGTERM to the supervisor stops them all cleanly."""
    import os
    import signal
    import tempfile

    from browser import _family

    app = AppServer(args=["--processes", "2"])
    said = "".join(app.said)
    assert "2 server processes; 2 workers each" in said, said
    for _ in range(6):
        assert request(app)[0] == 200
    family = _family(app.process.pid)
    servers = [pid for pid in family if pid != app.process.pid and "gdviz" in
               open(f"/proc/{pid}/cmdline").read() and "forkserver" not in
               open(f"/proc/{pid}/cmdline").read() and "-c" not in
               open(f"/proc/{pid}/cmdline").read().split("\0")[:2]]
    assert len(servers) == 2, servers
    folder = next(Path(tempfile.gettempdir()).glob(f"gdviz-app-{app.process.pid}-*"))
    app.process.send_signal(signal.SIGTERM)
    out, _ = app.process.communicate(timeout=10)
    assert app.process.returncode == 0 and out.count("gdviz app: stopped") == 1, out
    time.sleep(0.5)
    assert [pid for pid in family if os.path.exists(f"/proc/{pid}")
            and open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"] == []
    assert not folder.exists()


def test_each_visitor_stays_with_one_of_several_processes():
    """--processes 2: each process listens on a socket of its own and the kernel gives a
    connection to the one its address picks (sticky.py), so a page's websocket reaches the
    process that built the page. Seen from outside: with one page allowed per process,
    visitors from 127.0.0.2 and .3 both get a page (the two processes), one from .4 finds
    its process (.2's) full; and the teacher's page, which only joins a page built by its
    own token-checked GET, joins from ten addresses in a row (with one socket shared, each
    websocket had even odds of reaching the other process: 1 in 1,024 to pass)."""
    import asyncio
    import json

    from browser import LightPage

    app = AppServer(args=["--processes", "2", "--max-sessions", "1",
                          "--teacher-token", "sticky-token"])

    async def visit():
        first = await LightPage(app.url, source="127.0.0.2").open(ready=False)
        second = await LightPage(app.url, source="127.0.0.3").open(ready=False)
        third = await LightPage(app.url, source="127.0.0.4").open(ready=False)
        pages = [first, second, third]
        for number in range(10):
            pages.append(await LightPage(app.url, "?token=sticky-token", app="teacher/",
                                         source=f"127.0.0.{10 + number}").open(ready=False))
        for page in pages:
            page.close()
        return pages

    try:
        first, second, third, *teachers = asyncio.run(visit())
        assert first.full0 is not None and second.full0 is not None
        assert third.full0 is None and "The playground is full" in json.dumps(third.document)
        assert all("download every answer" in json.dumps(page.document) for page in teachers)
    finally:
        app.stop()
