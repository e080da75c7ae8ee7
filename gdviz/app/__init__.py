"""``gdviz app``: the playground in the browser, on gdviz's own engine.

Needs the ``app`` extra (``pip install "gdviz[app]"``): Panel, on a Bokeh server. The
server listens on 127.0.0.1 unless told otherwise; every visitor gets their own page.
"""
from __future__ import annotations

from .._optional import import_optional

#: The largest message the server takes from a page (an uploaded CSV and its framing).
MAX_MESSAGE_BYTES = 12 * 2**20


def make_server(host: str = "127.0.0.1", port: int = 5006):
    """A Bokeh server for the playground, bound to ``host`` only (not started)."""
    pn = import_optional("panel", "app", "gdviz app")
    from .playground import MAX_UPLOAD_BYTES, page

    assert MAX_UPLOAD_BYTES < MAX_MESSAGE_BYTES
    if not port:  # a free port, chosen now so that the allowed origins can name it
        import socket

        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    # Pages from other sites may not talk to the server (no wildcard origin).
    origins = [f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]
    return pn.serve({"/": page}, port=port, address=host, show=False, start=False,
                    title="gdviz playground", verbose=False, websocket_origin=origins,
                    websocket_max_message_size=MAX_MESSAGE_BYTES)


def serve(host: str = "127.0.0.1", port: int = 5006, open_browser: bool = True, echo=print):
    """Serve the playground until Ctrl-C; print its address, open it in a browser."""
    server = make_server(host, port)
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    url = f"http://{shown}:{server.port}/"
    echo(f"gdviz app: the playground is at {url}  (Ctrl-C stops it)")
    if host in ("", "0.0.0.0"):
        echo("gdviz app: note: --host 0.0.0.0 lets other machines on the network reach it")
    if open_browser:
        import webbrowser

        server.io_loop.add_callback(webbrowser.open, url)
    server.start()
    try:
        server.io_loop.start()  # until Ctrl-C (the server's own handler ends the loop)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    echo("gdviz app: stopped")
    return url
