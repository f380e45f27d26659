"""Proxies between the SDK and the API, to make the network misbehave on purpose.

``TcpProxy`` forwards bytes and can cut every connection and refuse new ones (a dropped stream);
``FaultyHttpProxy`` answers chosen requests itself (503, 429, a late answer) and forwards the rest.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx


class TcpProxy:
    def __init__(self, target_url: str) -> None:
        target = urlsplit(target_url)
        self._target = (target.hostname or "127.0.0.1", target.port or 80)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.refusing = False
        #: Connections forwarded, and refused while ``refusing``.
        self.connections = 0
        self.refused = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.refusing:
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self._target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def drop_all(self) -> None:
        """Cuts every open connection, as a network failure would."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._close(sock)

    def close(self) -> None:
        self._listener.close()
        self.drop_all()


@dataclass
class Fault:
    """The proxy's own answer to a request: a status (with headers), or a delay before forwarding."""

    status: int | None = None
    headers: dict[str, str] | None = None
    body: bytes = b""
    delay_seconds: float = 0.0


class FaultyHttpProxy:
    """``decide(method, path, index)`` says what to do with the index-th request: a ``Fault`` or None (forward)."""

    def __init__(self, target_url: str, decide: Callable[[str, str, int], Fault | None]) -> None:
        self.requests: list[tuple[str, str]] = []
        self.decide = decide
        proxy = self
        upstream = httpx.Client(base_url=target_url, timeout=30)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                index = len(proxy.requests)
                proxy.requests.append((self.command, self.path))
                fault = proxy.decide(self.command, self.path, index)
                if fault and fault.delay_seconds:
                    time.sleep(fault.delay_seconds)
                if fault and fault.status is not None:
                    self.send_response(fault.status)
                    for key, value in (fault.headers or {}).items():
                        self.send_header(key, value)
                    self.send_header("content-length", str(len(fault.body)))
                    self.end_headers()
                    self.wfile.write(fault.body)
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                try:
                    answer = upstream.request(self.command, self.path, headers=headers, content=body)
                except httpx.HTTPError:
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(key, value)
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        self._upstream = upstream

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._upstream.close()
