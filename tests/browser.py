"""A gdviz app server and a headless Chromium for the browser tests and the benchmark."""
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: True once the page has its charts and the first run's numbers.
READY = ("() => window.Bokeh && Bokeh.documents.length && "
         "Bokeh.documents[0].get_model_by_name('full0') && "
         "Bokeh.documents[0].get_model_by_name('full0').data.x.length > 0")
#: True once no request of the page is out and the charts show the scene in the address bar.
SETTLED = ("() => Bokeh.documents[0].get_model_by_name('pending').text === '' && "
           "Bokeh.documents[0].get_model_by_name('drawn').text === location.search")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """``gdviz app --no-browser --port P [ARGS]`` in a subprocess, as a user would start it."""

    def __init__(self, port: int | None = None, args=()):
        self.port = port or free_port()
        self._folder = None
        if "--class-db" not in args:  # the class's answers in a folder of its own
            import tempfile

            self._folder = tempfile.mkdtemp(prefix="gdviz-test-")
            self.class_db = os.path.join(self._folder, "class.sqlite3")
            args = [*args, "--class-db", self.class_db]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gdviz", "app", "--no-browser", "--port", str(self.port),
             *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"))
        line = self.process.stdout.readline()
        found = re.search(r"http://\S+/", line)
        if not found:
            self.process.kill()
            raise AssertionError(f"gdviz app did not say where it serves: {line!r} "
                                 f"{self.process.stderr.read()}")
        self.url = found.group(0)
        # What it says at start (read now: the pipe's read-ahead would hide it from stop()).
        self.said = [line] + [self.process.stdout.readline() for _ in range(2)]
        deadline = time.time() + 60
        while time.time() < deadline:  # listening?
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise AssertionError("gdviz app printed its address but does not listen")

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a user stops it; returns the exit code and what it printed."""
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=30)
        if self._folder is not None:  # the folder made for its answers
            shutil.rmtree(self._folder, ignore_errors=True)
        return self.process.returncode, out


def _family(pid: int) -> set[int]:
    """``pid`` and every process below it (the app's workers and their fork server)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError):
                pass
    family, grew = {pid}, True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    return family


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every process below it."""
    total = 0
    for member in _family(pid):
        try:
            for line in open(f"/proc/{member}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid``'s processes below it."""
    total = 0
    for member in _family(pid) - {pid}:
        try:
            fields = open(f"/proc/{member}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on ``port`` (from /proc/net)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if width == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    words = [bytes.fromhex(address[k:k + 8])[::-1] for k in range(0, 32, 8)]
                    found.add(socket.inet_ntop(socket.AF_INET6, b"".join(words)))
    return found


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def page_numbers(page, name: str, column: str) -> list:
    return page.evaluate("([n, c]) => Array.from(Bokeh.documents[0].get_model_by_name(n).data[c])",
                         [name, column])


@contextlib.contextmanager
def app_page(query: str = "", width: int = 1500, height: int = 1100, args=()):
    """``gdviz app [ARGS]`` started as a user starts it, and a Chromium page on ``query``
    with the charts ready; the server is stopped (Ctrl-C) afterwards."""
    from playwright.sync_api import sync_playwright

    server = AppServer(args=args)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(server.url + query)
            page.wait_for_function(READY, timeout=60_000)
            yield page
            browser.close()
    finally:
        server.stop()


def problem_select(page):
    """The page's problem picker (the lesson picker comes before it)."""
    return page.locator("select").filter(has_text="your CSV data")


def page_session(url: str, io_loop, query: str = ""):
    """A page of the app held as a browser holds it, by a Bokeh client: GET the page (the
    server builds its document and signs its session id into a token), then join that
    session over the page's websocket with the token, and pull its document. (A client
    that makes up its own session id is refused: ids are signed.)"""
    import http.client
    from urllib.parse import urlsplit

    from bokeh.client.session import ClientSession
    from bokeh.util.token import get_session_id

    import panel.models.file_dropper  # noqa: F401 - the page's own model types
    import panel.models.layout  # noqa: F401
    import panel.models.markup  # noqa: F401
    import panel.models.widgets  # noqa: F401

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    connection.request("GET", "/" + query)
    html = connection.getresponse().read().decode("utf-8")
    connection.close()
    token = re.search(r'"token":"([^"]+)"', html).group(1)

    class Session(ClientSession):
        @property
        def token(self):
            return token

    session = Session(session_id=get_session_id(token),
                      websocket_url=f"ws://{parts.hostname}:{parts.port}/ws", io_loop=io_loop)
    session.pull()
    return session


class LightPage:
    """A page of the app opened as a browser opens it, but without drawing or even parsing
    it (Bokeh's protocol by hand: a client that parsed the documents would spend the cores
    the server is being measured on): GET the page (its document built), join its session
    over the websocket with its signed token, ask for the document (sent again, as the
    browser asks), say the document is ready (the page's first run starts), wait for the
    message that brings the first path. ``move_rate`` moves the learning-rate slider one
    notch and waits for the new path.

    ``source``: the address it connects from (``127.0.0.N``: pages from several devices,
    which a server of several processes shares out by address); ``app``: the page's path
    (``teacher/``: the teacher's page, its query the token)."""

    def __init__(self, url: str, query: str = "", source: str | None = None, app: str = ""):
        self.url, self.query, self.source, self.app = url, query, source, app
        self.socket = self.full0 = self.rate = self.document = None
        self.served = self.usable = None

    async def open(self, first_path: bool = True, ready: bool = True) -> "LightPage":
        import json
        import time
        from urllib.parse import urlsplit

        from tornado.httpclient import AsyncHTTPClient, HTTPRequest
        from tornado.websocket import websocket_connect

        started = time.perf_counter()
        parts = urlsplit(self.url)
        response = await AsyncHTTPClient(max_clients=1000).fetch(HTTPRequest(
            f"http://{parts.hostname}:{parts.port}/{self.app}{self.query}", request_timeout=600,
            connect_timeout=600, network_interface=self.source))
        self.served = time.perf_counter() - started
        token = re.search(r'"token":"([^"]+)"', response.body.decode("utf-8")).group(1)
        self.socket = await websocket_connect(
            HTTPRequest(f"ws://{parts.hostname}:{parts.port}/{self.app}ws", connect_timeout=600,
                        request_timeout=600, network_interface=self.source),
            subprotocols=["bokeh", token])
        kind, _content = await self._receive()
        assert kind == "ACK", kind
        await self._send("PULL-DOC-REQ", {})
        kind, content = await self._receive()
        assert kind == "PULL-DOC-REPLY", kind
        self.document = document = json.loads(content)
        self.full0 = _find(document, lambda m: m.get("attributes", {}).get("name") == "full0")
        self.rate = _find(document, lambda m: m.get("name") == "Slider" and
                          m.get("attributes", {}).get("name") != "scrub" and
                          m.get("attributes", {}).get("end", 0) > 40)
        said = {"kind": "MessageSent", "msg_type": "bokeh_event",
                 "msg_data": {"type": "event", "name": "document_ready",
                              "values": {"type": "map"}}}
        if not ready:  # no first run: the page as served and joined
            return self
        await self._send("PATCH-DOC", {"events": [said]})
        if first_path:
            await self._path()
        self.usable = time.perf_counter() - started
        return self

    async def move_rate(self, step: int = 1) -> float:
        """Seconds from a move of the rate slider to the new path arrived."""
        import time

        started = time.perf_counter()
        self.rate["attributes"]["value"] += step
        await self._send("PATCH-DOC", {"events": [{
            "kind": "ModelChanged", "model": {"id": self.rate["id"]}, "attr": "value",
            "new": self.rate["attributes"]["value"]}]})
        await self._path()
        return time.perf_counter() - started

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()

    async def _path(self) -> None:
        import json

        full0 = self.full0["id"]
        while True:
            kind, content = await self._receive()
            if kind == "PATCH-DOC" and full0 in content and any(
                    event.get("model", {}).get("id") == full0 and
                    event.get("attr", event.get("kind")) in ("data", "ColumnDataChanged")
                    for event in json.loads(content)["events"]):
                return

    async def _receive(self):
        import json

        header = json.loads(await self.socket.read_message())
        await self.socket.read_message()  # metadata
        content = await self.socket.read_message()
        for _ in range(2 * header.get("num_buffers", 0)):
            await self.socket.read_message()
        return header["msgtype"], content

    async def _send(self, kind: str, content: dict) -> None:
        import json
        import uuid

        for part in ({"msgid": uuid.uuid4().hex, "msgtype": kind}, {}, content):
            await self.socket.write_message(json.dumps(part))


def _find(tree, wanted):
    """The first model of a serialized document for which ``wanted(model)`` holds."""
    if isinstance(tree, dict):
        if tree.get("type") == "object" and "id" in tree and wanted(tree):
            return tree
        branches = tree.values()
    elif isinstance(tree, list):
        branches = tree
    else:
        return None
    for branch in branches:
        found = _find(branch, wanted)
        if found is not None:
            return found
    return None
