"""An HTTP server of a demo or a test on loopback, served from a thread of its own.

`LoopbackServer(server, name=…)` takes a bound `http.server.HTTPServer` (port 0 gives a free one)
and runs it between `start()` and `stop()`, or as a context manager; `url` is where it listens.
`stop()` takes up to `poll_interval` seconds (half a second unless given) to be noticed.
Demos of other systems subclass it and add their own controls.
"""

from __future__ import annotations

import threading
from http.server import HTTPServer
from typing import Any, Self


class LoopbackServer:
    def __init__(self, server: HTTPServer, *, name: str, poll_interval: float = 0.5) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(poll_interval,), name=name, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (also when it never started)."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
