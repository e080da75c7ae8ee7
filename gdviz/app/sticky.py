"""Several server processes behind one port, each visitor always served by the same one.

A page lives in the process that built it for the page's GET; its websocket is a second
connection. With Bokeh's multi-process mode the processes share one listening socket,
and whichever accepts first takes the connection: with two processes about a third of
the websockets reached the other one, which built the page a second time (41 pages built
for 30 visitors, measured), and the teacher's page, which only joins a page its token-checked
GET made, fails there.

So on Linux each server process listens on a socket of its own, all on the same port
(``SO_REUSEPORT``), and a small classic-BPF program given to the kernel picks the socket
by the visitor's address (IPv4, or the last 32 bits of IPv6) modulo the number of
processes: every connection from one device reaches the same process, and a class's
devices, numbered one after another by the network, are shared out evenly. (Behind one
reverse proxy all visitors come from one address: give each process its own port there,
as the README says.) Where the kernel cannot do this, one process serves (``steerable``).
"""
from __future__ import annotations

import contextlib
import ctypes
import socket
import struct
import sys

#: ``SO_ATTACH_REUSEPORT_CBPF`` (Linux 4.5, asm-generic/socket.h).
SO_ATTACH_REUSEPORT_CBPF = 51
#: Classic BPF's offset of the network header (linux/filter.h ``SKF_NET_OFF``).
SKF_NET_OFF = -0x100000


def _instruction(code: int, jump_true: int, jump_false: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jump_true, jump_false, k & 0xFFFFFFFF)


def steering_program(processes: int) -> bytes:
    """The classic-BPF program (``struct sock_filter[]``) that returns, for a connection's
    first packet, the index of the socket to take it: its source address modulo
    ``processes``."""
    return b"".join([
        _instruction(0x30, 0, 0, SKF_NET_OFF + 0),   # ldb [net + 0]: the IP version
        _instruction(0x54, 0, 0, 0xF0),              # and #0xf0
        _instruction(0x15, 0, 2, 0x60),              # jeq #0x60 (IPv6) ? next : +2
        _instruction(0x20, 0, 0, SKF_NET_OFF + 20),  # ld [net + 20]: IPv6 source, low word
        _instruction(0x05, 0, 0, 1),                 # ja +1
        _instruction(0x20, 0, 0, SKF_NET_OFF + 12),  # ld [net + 12]: IPv4 source
        _instruction(0x94, 0, 0, processes),         # mod #processes
        _instruction(0x16, 0, 0, 0),                 # ret a
    ])


def attach_steering(sock: socket.socket, processes: int) -> None:
    """Give ``sock``'s reuse-port group the steering program (raises ``OSError`` where the
    kernel has no such option)."""
    program = steering_program(processes)
    buffer = ctypes.create_string_buffer(program, len(program))

    class Program(ctypes.Structure):  # struct sock_fprog
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = Program(len(program) // 8, ctypes.addressof(buffer))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, bytes(fprog))


def bind_groups(address: str | None, port: int, processes: int) -> list[list[socket.socket]]:
    """``processes`` lists of listening sockets on ``address:port`` (one socket per
    address family, as Tornado binds them), the first list carrying the steering
    program; the list of index i is process i's."""
    from tornado import netutil

    groups = []
    try:
        for _ in range(processes):
            groups.append(netutil.bind_sockets(port, address, reuse_port=True))
        for sock in groups[0]:
            attach_steering(sock, processes)
    except BaseException:
        for sock in (sock for group in groups for sock in group):
            sock.close()
        raise
    return groups


def steerable() -> bool:
    """Whether this machine's kernel steers connections by address (Linux 4.5+)."""
    if not sys.platform.startswith("linux") or not hasattr(socket, "SO_REUSEPORT"):
        return False
    try:
        for sock in bind_groups("127.0.0.1", 0, 1)[0]:
            sock.close()
    except OSError:
        return False
    return True


@contextlib.contextmanager
def sticky_processes(processes: int):
    """While Bokeh makes a server with ``num_procs=processes``: bind a socket per process
    (``bind_groups``) instead of one shared socket, and have each forked process listen on
    its own only."""
    import bokeh.server.server as bokeh_server
    from tornado import process
    from tornado.httpserver import HTTPServer

    groups = []
    bind, add_sockets = bokeh_server.bind_sockets, HTTPServer.add_sockets

    def bind_per_process(address, port):
        groups.extend(bind_groups(address, port, processes))
        return [sock for group in groups for sock in group], \
            groups[0][0].getsockname()[1]

    def add_own_sockets(server, sockets):
        index = process.task_id()
        if not groups or index is None:  # not forked: every socket, as Bokeh would
            return add_sockets(server, sockets)
        own = [sock for sock in sockets if sock in groups[index]]
        for sock in sockets:
            if sock not in own:
                sock.close()  # another process's (the supervisor keeps its copy)
        return add_sockets(server, own)

    bokeh_server.bind_sockets, HTTPServer.add_sockets = bind_per_process, add_own_sockets
    try:
        yield
    finally:
        bokeh_server.bind_sockets, HTTPServer.add_sockets = bind, add_sockets
