"""What reaches the playground: every request passes this gate before Bokeh or Panel sees
it, and is answered in one line (never a traceback, never a page) when it is not the
app's own:

- a host name the server does not answer for (DNS rebinding): 403;
- a websocket from a page of another host: 403;
- a link that names a page to join (``bokeh-session-id``): 403, every visitor gets a page
  of their own (the ids the server makes are signed besides);
- Panel's ``/components/<module>/…`` route for a module that is not Panel's own and
  already imported: 404, before anything is imported (the route imports the module the
  URL names);
- a link value Panel cannot read (a digit that is not 0-9, a number of thousands of
  digits) or an IPv6 literal host: 400, where Panel would answer 500;
- the teacher's page and the class's answers (``/teacher…``) without the teacher's token,
  or with another: 403, and nothing else.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import sys
from urllib.parse import urlsplit

from ..words.i18n import N_, _, known_language, language, speaking

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
#: The longest link value the page reads: a formula is at most 1000 characters.
LONGEST_VALUE = 4000


def hostname(authority: str) -> str:
    """``"Name:PORT"`` or ``"[::1]:PORT"`` -> ``"name"`` / ``"::1"``."""
    authority = authority.strip().lower()
    if authority.startswith("["):
        return authority[1:].split("]", 1)[0]
    if authority.count(":") == 1:
        return authority.split(":", 1)[0]
    return authority


def allowed_hosts(host: str, extra=()) -> list[str]:
    """The host names the server answers for: loopback, the address it is bound to, the
    machine's own name and addresses when bound to all of them, and ``extra``."""
    names = list(LOOPBACK_NAMES)
    if host in ("", "0.0.0.0", "::"):
        machine = socket.gethostname()
        names += [machine, socket.getfqdn()]
        try:
            names += [info[4][0] for info in socket.getaddrinfo(machine, None)]
        except OSError:
            pass
        try:  # the address other machines reach this one by (no packet is sent)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))
                names.append(probe.getsockname()[0])
        except OSError:
            pass
    else:
        names.append(host)
    names += [hostname(name) for name in extra]
    seen = []
    for name in names:
        name = hostname(name) if ":" not in name or name.count(":") == 1 else name.lower()
        if name and name not in seen:
            seen.append(name)
    return seen


def check_host_name(name: str) -> str:
    """An ``--allow-host`` value: a host name or address, with an optional port."""
    text = name.strip()
    bare = hostname(text)
    try:
        ipaddress.ip_address(bare)
        return text
    except ValueError:
        pass
    labels = bare.split(".")
    if not bare or len(bare) > 253 or not all(
            label and len(label) <= 63 and label.replace("-", "").isalnum() for label in labels):
        raise ValueError(_("--allow-host {name!r} is not a host name (e.g. class.example.org)")
                         .format(name=name))
    return text


def _component_allowed(path: str) -> bool:
    """Whether ``/components/<module>/…`` names a module of Panel's already imported (the
    only ones whose resources a page of Panel's may ask for)."""
    module = path.split("/", 3)[2] if path.count("/") >= 3 else ""
    return (module == "panel" or module.startswith("panel.")) and module in sys.modules


def _unreadable_value(request) -> str | None:
    """The first link value Panel's reader would fail on (it calls ``int`` on any value
    whose characters are all digits, Unicode's included), or one too long to be a
    setting; None when every value reads."""
    for key, values in request.query_arguments.items():
        for raw in [key.encode("utf-8", "replace"), *values]:
            text = raw.decode("utf-8", "replace")
            if len(text) > LONGEST_VALUE or (text.isdigit() and (not text.isascii()
                                                                 or len(text) > 1000)):
                return text
    return None


def shown(text: str, most: int = 60) -> str:
    """A visitor's text as a message shows it: at most ``most`` characters, control and
    direction-changing characters as ``\\u`` escapes (a link cannot reorder a sentence)."""
    cut = text[:most] + ("…" if len(text) > most else "")
    return "".join(c if c.isprintable() and not 0x202A <= ord(c) <= 0x202E
                   and not 0x2066 <= ord(c) <= 0x2069 else f"\\u{ord(c):04x}" for c in cut)


def one_line(message: str, most: int = 400) -> str:
    """A message for the page's error line, safe to echo a visitor's text in: control and
    direction-changing characters escaped, each quoted value cut to 60 characters and the
    line to ``most`` (a link cannot put a notice on the teacher's screen).

    >>> one_line("unknown setting '" + "A" * 100 + "' (known: lr)")
    "unknown setting 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…' (known: lr)"
    """
    line = (message.splitlines() or ["error"])[0]
    line = re.sub(r"'([^']{61,})'", lambda found: "'" + found.group(1)[:60] + "…'", line)
    return shown(line, most)


def teachers(request, token: str | None) -> bool:
    """Whether ``request`` carries the teacher's ``token`` (``?token=``)."""
    import hmac

    given = request.query_arguments.get("token", [b""])[-1]
    return bool(token) and hmac.compare_digest(given, token.encode("utf-8"))


def joins_teachers_page(tornado_app, request) -> bool:
    """Whether a websocket of ``/teacher/ws`` joins a teacher's page already made (by a
    GET with the token): its session's id, from the signed token it offers, is one of the
    teacher's pages. (A student's own page's token, signed too, makes no teacher's page.)"""
    from bokeh.util.token import get_session_id

    offered = [part.strip() for part in
               request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
    context = getattr(tornado_app, "_applications", {}).get("/teacher")
    if len(offered) < 2 or context is None:
        return False
    try:
        return get_session_id(offered[1]) in context._sessions
    except Exception:  # noqa: BLE001 - any token that does not read: not a teacher's
        return False


def refusal_language(request) -> str:
    """The language a refusal is said in: the link's ``?lang=``, else the browser's first
    language gdviz speaks (``Accept-Language: zh-CN,zh;q=0.9``), else the server's."""
    asked = request.query_arguments.get("lang", [b""])[-1].decode("utf-8", "replace")
    wanted = [asked] + [part.split(";")[0] for part in
                        request.headers.get("Accept-Language", "").split(",")]
    return next(filter(None, (known_language(name) for name in wanted if name.strip())),
                language())


def guard(tornado_app, hosts: list[str], teacher_token: str | None = None) -> None:
    """Put the gate in front of every route of ``tornado_app`` (a Bokeh server's);
    ``teacher_token`` opens the teacher's routes (``/teacher…``)."""
    from tornado.web import RequestHandler

    def answer(status: int, words: str, **values):
        class Answer(RequestHandler):
            def prepare(self):
                self.set_status(status)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                with speaking(refusal_language(self.request)):
                    line = _(words).format(**values)
                    self.finish(_("gdviz app: {line}").format(line=line) + "\n")
        return Answer

    original = tornado_app.find_handler

    def find_handler(request, **kwargs):
        authority = request.host or ""
        asked = hostname(authority)
        origin = request.headers.get("Origin")
        path = request.path
        foreign_page = (origin is not None and path.endswith("/ws")
                        and hostname(urlsplit(origin).netloc) != asked)
        if asked not in hosts or foreign_page:
            refused = answer(403, N_("this server does not answer for that host name (its "
                                     "operator can add it with --allow-host NAME)"))
        elif authority.startswith("["):
            refused = answer(400, N_("this server is reached by a name or an IPv4 address, "
                                     "e.g. http://localhost:PORT/"))
        elif "bokeh-session-id" in request.query_arguments:
            refused = answer(403, N_("every visitor gets a page of their own: a link cannot "
                                     "name a page to join (remove bokeh-session-id)"))
        elif path.startswith("/components/") and not _component_allowed(path):
            refused = answer(404, N_("not found"))
        elif (path == "/teacher" or path.startswith("/teacher/")) and not (
                teachers(request, teacher_token) or (
                    path == "/teacher/ws" and joins_teachers_page(tornado_app, request))):
            refused = answer(403, N_("this page is the teacher's: open the link the server "
                                     "printed at start"))
        elif (value := _unreadable_value(request)) is not None:
            refused = answer(400, N_("the link's value {value!r} is not one this page reads "
                                     "(numbers are written with 0-9)"), value=shown(value))
        else:
            return original(request, **kwargs)
        return tornado_app.get_handler_delegate(request, refused)

    tornado_app.find_handler = find_handler
