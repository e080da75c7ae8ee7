"""``gdviz app``: the playground in the browser, on gdviz's own engine.

Needs the ``app`` extra (``pip install "gdviz[app]"``): Panel, on a Bokeh server. The
server listens on 127.0.0.1 unless told otherwise; every visitor gets their own page.
A shared server is a public service, so:

- runs, upload parses and downloads happen in worker processes (``workers.Pool``), each
  request within a time, memory and work budget; the event loop only moves messages;
- every request passes ``gate`` first: only the app's own routes, for an allowed host
  name (loopback names by default, ``--allow-host`` adds more), a websocket from a page
  of the host it asks, no page joined by a session id in a link (ids are signed);
- uploads travel in chunks far under the message limit, their size checked in the
  browser and again on the server;
- at most ``max_sessions`` pages live at once.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import socket
from dataclasses import dataclass

from .._optional import import_optional
from ..words.i18n import _
from .gate import allowed_hosts, check_host_name, guard, hostname
from .sticky import sticky_processes
from .turns import take_turns
from .housekeeping import (ServerFolder, serve_in_child, stop_asked, stop_on_sigterm,
                           supervise_children)

#: The largest message the server takes from a page: an upload travels in 1 MiB chunks.
MAX_MESSAGE_BYTES = 4 * 2**20
#: Milliseconds a page no browser has connected to is kept (a bare GET's page goes then;
#: a browser loading the page while a class opens it may take several seconds to connect).
UNUSED_PAGE_MS = 10_000


@dataclass(frozen=True)
class Limits:
    """What a shared server allows: per request, seconds, memory (MB) and work
    (iterations × parameters × data rows, summed over a race); at once, pages."""

    max_seconds: float = 10.0
    max_memory_mb: int = 1024
    max_work: float = 2e8
    max_sessions: int = 100
    workers: int | None = None  # default: one per core, at least two (shared by processes)
    #: Server processes answering pages (Bokeh's multi-process mode, a socket each: each
    #: process its own visitors, pages, event loop and workers; see sticky.py).
    processes: int = 1
    #: Idle workers compute the learning-rate slider's neighbouring rates of each page.
    look_ahead: bool = True


def _send_without_delay(tornado_app) -> None:
    """Each page's websocket sends at once (TCP_NODELAY). Tornado leaves Nagle's algorithm
    on, and a redraw goes as a header and several buffers: a small buffer after a large
    one waited for the browser's delayed acknowledgement, 40 to 200 ms a redraw."""
    from bokeh.server.views.ws import WSHandler

    class WithoutDelay(WSHandler):
        def open(self):
            self.set_nodelay(True)
            return super().open()

    for rule in tornado_app.wildcard_router.rules:
        if isinstance(rule.target, type) and issubclass(rule.target, WSHandler):
            rule.target = WithoutDelay


def _give_back_memory() -> None:
    """Collect closed pages' objects and hand the freed memory back to the system (glibc
    keeps freed heap otherwise, and the server looks as big as its busiest moment)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


#: The server process's garbage collection thresholds (``gc.set_threshold``).
GC_THRESHOLDS = (10_000, 20, 20)


class MemoryKeeper:
    """Gives memory back a while after pages close, once for all that closed meanwhile:
    a full collection costs the event loop time in proportion to everything alive, so
    one per closed page made a class closing its pages together wait seconds each."""

    #: Seconds after the first page closes before the memory is collected (a class
    #: closing its pages together closes them within a few).
    DELAY = 5.0

    def __init__(self):
        self.due = None

    def page_closed(self) -> None:
        from tornado.ioloop import IOLoop

        if self.due is None:
            self.due = IOLoop.current().call_later(self.DELAY, self._collect)

    def _collect(self) -> None:
        self.due = None
        _give_back_memory()


def _full_page(pn, pages: int):
    """What a visitor sees when the server already has its most pages open: one line, in
    the language the link asks for (``lang=zh``), English otherwise."""
    from ..words.i18n import known_language, ngettext, speaking
    from .playground import link_arguments

    lang = known_language(link_arguments().get("lang", "")) or "en"
    with speaking(lang):
        line = ngettext("The playground is full ({pages} page open). Try again in a minute.",
                        "The playground is full ({pages} pages open). Try again in a minute.",
                        pages).format(pages=pages)
    # As text, never HTML or Markdown: nothing of the visitor's is in it, and never will be.
    return pn.pane.Str(line, styles={"font-weight": "bold"})


def make_server(host: str = "127.0.0.1", port: int = 5006, allow_hosts=(),
                limits: Limits = Limits(), announce=None, library=None, classbook=None,
                teacher_token: str | None = None):
    """A Bokeh server for the playground, bound to ``host`` only (not started); its pool
    of workers is ``server.gdviz_pool`` and its allowed host names ``server.gdviz_hosts``.
    ``library``: the lessons it offers (``lessons.library.Library``; the built-in ones);
    ``classbook``: where the class's answers are kept (``lessons.classbook.Classbook``);
    ``teacher_token`` opens the teacher's page of them (``/teacher?token=…``).

    With ``limits.processes`` over 1 the process forks that many server processes and
    returns in each of them; it stays to supervise them and raises ``SystemExit`` once
    they have all stopped. ``announce(port, hosts)`` is called once, before the fork."""
    pn = import_optional("panel", "app", "gdviz app")
    from .choices import MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES
    from .playground import page
    from .workers import Budget, Pool

    assert UPLOAD_CHUNK_BYTES * 4 // 3 + 2**16 < MAX_MESSAGE_BYTES < MAX_UPLOAD_BYTES
    extra = [check_host_name(name) for name in allow_hosts]
    if not port:  # a free port, chosen now so that the allowed origins can name it
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    hosts = allowed_hosts(host, extra)
    # Bokeh's own origin list (it cannot spell IPv6 addresses; our host check covers them).
    origins = [f"{name}:{port}" for name in hosts if ":" not in name]
    origins += [name for name in extra if name.count(":") == 1]
    origins += [hostname(name) for name in extra if ":" not in hostname(name)]
    # Bokeh checks every new page's document for mistakes in its models: a walk of the
    # whole page on the server's event loop, for every visitor. The page is the same code
    # for all, so the tests check it once (test_app: the page's models pass Bokeh's checks).
    from bokeh.settings import settings

    settings.perform_document_validation.set_value(False)
    budget = Budget(seconds=limits.max_seconds, memory_bytes=limits.max_memory_mb * 2**20,
                    work=limits.max_work)
    folder = ServerFolder()  # the pool's processes and every page write there
    sessions = {"live": 0}
    keeper = MemoryKeeper()
    state = {}  # the pool: made in each server process, after the fork

    def one_page():
        if sessions["live"] >= limits.max_sessions:
            return _full_page(pn, limits.max_sessions)
        sessions["live"] += 1

        def closed(_context):
            sessions["live"] -= 1
            keeper.page_closed()

        pn.state.on_session_destroyed(closed)
        return page(runner=state["pool"], library=library, classbook=classbook)

    def teachers_page():
        from ..lessons.library import built_in
        from ..words.i18n import language
        from .style import name_the_tab, use_shipped_font
        from .teacher import TeacherPage

        use_shipped_font()
        teacher = TeacherPage(classbook, library or built_in(), state["pool"], state["link"])
        name_the_tab(pn.state.curdoc, language(), _("the class's answers"))
        pn.state.add_periodic_callback(teacher.refresh, period=2000)
        return teacher.view()

    processes = max(1, int(limits.processes))
    supervisor = os.getpid()
    if processes > 1:  # this process supervises; SIGTERM or Ctrl-C ends its servers
        supervise_children()
    if announce is not None:
        announce(port, hosts)
    try:
        from ..words.fonts import FONT

        # The Chinese subset, for a browser with no CJK font (words.fonts: web_css).
        apps, routes = {"/": one_page}, []
        if classbook is not None and teacher_token:
            from .teacher import AnswersCSV

            apps["/teacher"] = teachers_page
            routes = [(r"/teacher/answers\.csv", AnswersCSV, {"classbook": classbook})]
        # Each process its own socket, each visitor always the same process (sticky.py).
        with sticky_processes(processes) if processes > 1 else contextlib.nullcontext():
            server = pn.serve(apps, port=port, address=host, show=False, start=False,
                              title="gdviz playground", verbose=False, websocket_origin=origins,
                              websocket_max_message_size=MAX_MESSAGE_BYTES,
                              static_dirs={"gdviz-fonts": str(FONT.parent)},
                              # Session ids signed with a secret made now: a page cannot be
                              # joined by an id someone chose (the gate refuses ids in links).
                              sign_sessions=True, secret_key=secrets.token_urlsafe(32),
                              generate_session_ids=True,
                              # A page no browser connected to (a bare GET, an <img>) lets go
                              # of its slot and memory after 10 s, not Bokeh's 15 to 32.
                              unused_session_lifetime_milliseconds=UNUSED_PAGE_MS,
                              check_unused_sessions_milliseconds=UNUSED_PAGE_MS // 2,
                              num_procs=processes, extra_patterns=routes)
    except BaseException:  # failed, or the supervisor once every server process ended
        folder.remove()
        raise
    # From here on: a server process (the only one, or one of several).
    if processes > 1:
        serve_in_child(supervisor)
    state["pool"] = pool = Pool(workers_each(limits), budget, look_ahead=limits.look_ahead)
    guard(server._tornado, hosts, teacher_token)
    state["link"] = f"http://{student_host(host, hosts)}:{server.port}/"
    take_turns(server._tornado)  # a class opening the link together: one page at a time
    _send_without_delay(server._tornado)
    server.gdviz_pool, server.gdviz_hosts, server.gdviz_sessions = pool, hosts, sessions
    server.gdviz_folder = folder
    server.gdviz_processes = processes
    # What the server process holds from now on (its modules, Bokeh's and Panel's) is
    # never garbage: a full collection, which a page's build sets off now and then, then
    # walks only the pages' own objects (0.4 s builds among 0.25 s ones, before). A page's
    # build makes some 20,000 objects, nearly all kept while the page is open: the young
    # generations are collected every 10,000 new objects (Python's 700 made 30 quick
    # collections a page, and a full one every few pages, 0.1 to 0.2 s each, on the event
    # loop). Closed pages' cycles go in MemoryKeeper's collection.
    import gc

    _warm_up(library)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return server


def _warm_up(library) -> None:
    """Build one page nobody sees, in a document of its own: the first student's page
    then costs what every other does (the first build imports and caches: twice as long)."""
    from bokeh.document import Document
    from panel.io.state import set_curdoc

    from .playground import Playground
    from .workers import InlineRunner

    document = Document()
    with set_curdoc(document):
        page = Playground(None, runner=InlineRunner(), autostart=False, library=library)
        page.view().server_doc(document)
    page.close()


def student_host(host: str, hosts: list[str]) -> str:
    """The address students reach the server by: the one it listens on, or with
    ``--host 0.0.0.0`` the machine's address on the network (loopback if it has none)."""
    import ipaddress

    if host not in ("", "0.0.0.0", "::"):
        return host
    for name in reversed(hosts):
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            continue
        if address.version == 4 and not address.is_loopback:
            return name
    return "127.0.0.1"


def workers_each(limits: Limits) -> int:
    """Worker processes of each server process: ``limits.workers`` (default one per core)
    shared out among the server processes, at least two each."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    total = limits.workers or cores or 2
    return max(2, total // max(1, int(limits.processes)))


def close_server(server) -> None:
    """Stop accepting, end every worker, remove every temporary file (uploads too)."""
    try:
        server.stop()
    finally:
        server.gdviz_pool.close()
        server.gdviz_folder.remove()


def serve(host: str = "127.0.0.1", port: int = 5006, open_browser: bool = True, echo=print,
          allow_hosts=(), limits: Limits = Limits(), library=None, classbook=None,
          teacher_token: str | None = None):
    """Serve the playground until Ctrl-C or SIGTERM; print its address, open it in a
    browser. ``library``: the lessons it offers (the teacher's own among them);
    ``classbook``: where the class's answers are kept, shown on the teacher's page
    (``teacher_token``: its token; a new one each start by default)."""
    from ..words.i18n import joined, listed, ngettext
    from ..words.numbers import scientific

    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    said = {}
    if classbook is not None and not teacher_token:
        teacher_token = secrets.token_urlsafe(12)

    def announce(bound_port, hosts):
        said["url"] = url = f"http://{shown}:{bound_port}/"
        echo(_("gdviz app: the playground is at {url}  (Ctrl-C stops it)").format(url=url))
        echo(_("gdviz app: answers for host names {names} (--allow-host NAME adds one)")
             .format(names=listed(hosts)))
        processes = ngettext("{count} server process", "{count} server processes",
                             limits.processes).format(count=limits.processes)
        workers = ngettext("{workers} worker", "{workers} workers", workers_each(limits))
        if limits.processes > 1:
            workers = ngettext("{workers} worker each", "{workers} workers each",
                               workers_each(limits))
        processes = joined(processes, workers.format(workers=workers_each(limits)))
        request = _("a request may take {seconds} s, {megabytes} MB and {work} parameter × "
                    "row steps")
        pages = ngettext("at most {pages} page at once", "at most {pages} pages at once",
                         limits.max_sessions)
        echo(_("gdviz app: {limits}").format(limits=joined(
            processes,
            request.format(seconds=f"{limits.max_seconds:g}", megabytes=limits.max_memory_mb,
                           work=scientific(limits.max_work)),
            pages.format(pages=limits.max_sessions))))
        if classbook is not None:
            from .teacher import qr_terminal

            echo(_("gdviz app: the class's answers are kept in {path}").format(
                path=classbook.path.resolve()))
            reached = f"http://{student_host(host, hosts)}:{bound_port}/"
            echo(_("gdviz app: teacher: {url}").format(
                url=f"{reached}teacher?token={teacher_token}"))
            echo(_("gdviz app: students: {url}").format(url=reached))
            echo(qr_terminal(reached).rstrip("\n"))
        if library is not None and library.own:
            echo(_("gdviz app: your lessons: {names} (in the lesson picker; a link to one: "
                   "{url}?lesson={name})").format(names=listed(library.own), url=url,
                                                  name=library.own[0]))
        if host in ("", "0.0.0.0"):
            echo(_("gdviz app: note: --host 0.0.0.0 lets other machines on the network reach "
                   "it"))
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        server = make_server(host, port, allow_hosts, limits, announce=announce,
                             library=library, classbook=classbook,
                             teacher_token=teacher_token)
    except SystemExit:  # the supervisor of several server processes: all have stopped
        echo(_("gdviz app: stopped"))
        return said.get("url")
    server.start()
    stop_on_sigterm(server.io_loop, once=server.gdviz_processes > 1)
    if stop_asked():
        server.io_loop.add_callback(server.io_loop.stop)
    try:
        server.io_loop.start()  # until Ctrl-C or SIGTERM
    except KeyboardInterrupt:
        pass
    finally:
        close_server(server)
    if server.gdviz_processes == 1:
        echo(_("gdviz app: stopped"))
        return said.get("url")
    # One of several: the supervisor says it once. Exit now, not through the interpreter's
    # finalization (signals fall back to their default there: a late SIGTERM would kill
    # this process, and the supervisor would start it again).
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
