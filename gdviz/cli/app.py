"""``gdviz app``: the playground served to browsers."""
from __future__ import annotations

import click

from ..words.i18n import _
from .group import cli


@cli.command(name="app", help=_("The playground in your browser: sliders, click the contour "
                                 "to start, race runs."))
@click.option("--host", metavar=_("ADDRESS"), default="127.0.0.1", show_default=True,
              help=_("Address to listen on (0.0.0.0 lets other machines reach it)."))
@click.option("--port", metavar=_("PORT"), type=click.IntRange(0, 65535), default=5006,
              show_default=True,
              help=_("Port to listen on (0: any free port)."))
@click.option("--allow-host", "allow_hosts", metavar=_("NAME"), multiple=True,
              help=_("Also answer requests for this host name (a reverse proxy's public "
                     "name); repeat for more. Loopback names are always allowed."))
@click.option("--processes", metavar=_("COUNT"), type=click.IntRange(1, 64), default=None,
              help=_("Server processes answering pages (default: one per core on Linux, "
                     "where each visitor stays with one; one elsewhere); each has its own "
                     "pages and workers."))
@click.option("--workers", metavar=_("COUNT"), type=click.IntRange(1, 256), default=None,
              help=_("Worker processes that make the runs, shared out among the server "
                     "processes (default: one per core, at least 2 each)."))
@click.option("--max-seconds", metavar=_("SECONDS"), type=click.FloatRange(0.1, 3600),
              default=10.0,
              show_default=True, help=_("Wall-clock seconds one request may take."))
@click.option("--max-memory", type=click.IntRange(64, 1 << 20), default=1024,
              show_default=True, metavar="MB", help=_("Memory one request may add (MB)."))
@click.option("--max-work", metavar=_("NUMBER"), type=click.FloatRange(1e3, 1e15),
              default=2e8,
              show_default=True, help=_("Work one request may do: iterations × parameters × "
                                      "data rows, summed over the race."))
@click.option("--max-sessions", metavar=_("COUNT"), type=click.IntRange(1, 100_000),
              default=100,
              show_default=True, help=_("Pages open at once, in each server process."))
@click.option("--no-look-ahead", is_flag=True,
              help=_("Do not compute the learning-rate slider's neighbouring rates on idle "
                     "workers ahead of a move (with them, a move to one is drawn at once)."))
@click.option("--lesson", "lesson_files", metavar=_("FILE.toml"), multiple=True,
              help=_("Also offer this lesson file in the lesson picker (checked at start, "
                     "as `gdviz lesson FILE` checks it); a link names it by the file's name: "
                     "?lesson=NAME. Repeat for more."))
@click.option("--class-db", "class_db", metavar=_("FILE"), default="gdviz-class.sqlite3",
              show_default=True,
              help=_("The SQLite file that keeps the class's answers to the "
                                     "lessons' questions (made if new; kept after a stop)."))
@click.option("--teacher-token", metavar=_("TOKEN"), default=None,
              help=_("The token of the teacher's page (/teacher?token=…; default: a new "
                     "random one each start, printed)."))
@click.option("--no-browser", is_flag=True, help=_("Do not open a browser."))
def app_command(host, port, allow_hosts, processes, workers, max_seconds, max_memory, max_work,
                max_sessions, no_look_ahead, lesson_files, class_db, teacher_token,
                no_browser):
    import contextlib
    import os
    import re

    from .._optional import import_optional
    from ..app import Limits, serve
    from ..lessons.classbook import Classbook
    from ..lessons.library import Library

    import_optional("panel", "app", "gdviz app")  # before any file is made for the class
    if teacher_token is not None and not re.fullmatch(r"[A-Za-z0-9_-]{8,200}", teacher_token):
        raise click.BadParameter(_("at least 8 letters, digits, '-' or '_' (it goes in a "
                                   "link)"), param_hint="'--teacher-token'")
    library = Library(lesson_files)  # a mistake in a file stops here, in one line
    made = not os.path.exists(class_db)
    classbook = Classbook(class_db)  # so does a file that cannot keep the answers

    from ..app.sticky import steerable

    if not steerable():  # a visitor's two connections could reach two processes
        if processes is not None and processes > 1:
            click.echo(_("gdviz app: one server process: this system cannot keep each "
                         "visitor on one of several (Linux can)"), err=True)
        processes = 1
    elif processes is None:
        processes = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
    limits = Limits(max_seconds=max_seconds, max_memory_mb=max_memory, max_work=max_work,
                    max_sessions=max_sessions, workers=workers, look_ahead=not no_look_ahead,
                    processes=processes)
    try:
        serve(host, port, open_browser=not no_browser, echo=lambda line: click.echo(line),
              allow_hosts=allow_hosts, limits=limits, library=library, classbook=classbook,
              teacher_token=teacher_token)
    except OSError as error:
        classbook.close()
        if made:  # a server that never started leaves no class's file behind
            for leftover in (class_db, f"{class_db}-wal", f"{class_db}-shm"):
                with contextlib.suppress(OSError):
                    os.remove(leftover)
        raise ValueError(_("cannot listen on {host}:{port} ({error}); choose another "
                           "--port").format(host=host, port=port,
                                            error=error.strerror or error)) from None
