"""The service on a real server (waitress) in a thread of its own, for tests of many clients at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from waitress.server import create_server

POLL_SECONDS = 0.1  # how soon the server's thread sees that it should stop


@contextmanager
def live_server(app: Flask, threads: int = 16) -> Iterator[str]:
    """The server's base address while the block runs. The server is closed by its own thread:
    closing its sockets from another thread while it waited in select() raised 'Bad file
    descriptor' in that thread (a warning in CI)."""
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            server.asyncore.loop(timeout=POLL_SECONDS, map=server._map, count=1)
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        thread.join()
