"""A local HTTP mirror of the public originals, with faults on demand: the test server of fetch.

It serves every file of ``$POWERBALANCE_DATA/originals.json`` (download URL -> the copy kept in
the data folder) at ``http://127.0.0.1:PORT/HOST/PATH`` of its URL, which is where
``POWERBALANCE_MIRROR=http://127.0.0.1:PORT`` sends the downloads of ``https://HOST/PATH``. It
also fakes SIPRI's backend: ``POST /atbackend.sipri.org/api/p/trades/trade-register-csv/``
answers ``{"bytes": base64 of a register file}`` (a filter without ``Delivery year`` gets a
400, as a bad request would).

Faults, for every request (``server.fault(mode)``) or one path (``server.fault(mode, url)``):

==================  ==============================================================================
``500``             HTTP 500, every time
``transient``       HTTP 500 for the first ``n`` requests of the path (default 1), then the file
``truncate``        a Content-Length of the whole file, half of it, then the connection closes
``wrong``           the right length, the wrong bytes (reversed)
``stall``           headers and the first 1,000 bytes, then nothing (until the server stops)
``slow``            one byte per second (a per-read timeout never fires: an overall deadline must)
``endless``         no Content-Length and a body that does not end (bounded here: it stops after
                    512 MiB, 120 s, or when the client goes)
``redirect-loop``   302 to itself
==================  ==============================================================================

Standard library only, so that it runs anywhere the tests run. Use it in tests::

    with MirrorServer(data_dir) as srv:
        srv.fault("transient", url, n=2)
        os.environ["POWERBALANCE_MIRROR"] = srv.url

or from a shell (the first line printed is the base URL)::

    POWERBALANCE_DATA=/path/to/data python tests/mirror_server.py [--port 0] [--fault MODE]

Every loop here is bounded in time and in count, and the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

SIPRI_PATH = "/atbackend.sipri.org/api/p/trades/trade-register-csv/"
#: The register the fake SIPRI backend answers with, relative to the data folder (a real
#: new-format SIPRI register).
SIPRI_REGISTER = "sipri/register_newformat_2026/trade_register_1995-2024.csv"
MODES = ("500", "transient", "truncate", "wrong", "stall", "slow", "endless", "redirect-loop")
ENDLESS_MAX_BYTES = 512 * 1024 * 1024
ENDLESS_MAX_SECONDS = 120.0
STALL_MAX_SECONDS = 120.0


def sipri_request_ok(body: bytes) -> bool:
    """Whether ``body`` is a request SIPRI's backend answers: JSON with ``"logic": "AND"`` and a
    filter on the field ``Delivery year`` (anything else gets a 400)."""
    try:
        req = json.loads(body)
        return req.get("logic") == "AND" and any(f.get("field") == "Delivery year" for f in req["filters"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def path_of(url: str) -> str:
    """The mirror's path of a download URL: ``https://HOST/PATH`` -> ``/HOST/PATH``."""
    u = urllib.parse.urlsplit(url)
    return "/" + u.netloc + u.path


def load_originals(data_dir: Path) -> Dict[str, Path]:
    """Mirror path -> the local copy, from ``data_dir/originals.json``."""
    with open(data_dir / "originals.json", "r", encoding="utf-8") as fh:
        files = json.load(fh)["files"]
    return {path_of(url): data_dir / entry["file"] for url, entry in files.items()}


class MirrorServer(ThreadingHTTPServer):
    """The mirror; a context manager that serves on a thread and stops (ending every stall)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, data_dir: Path, port: int = 0, register: Optional[bytes] = None) -> None:
        self.data_dir = Path(data_dir)
        self.table = load_originals(self.data_dir)
        if register is None:
            reg = self.data_dir / SIPRI_REGISTER
            register = reg.read_bytes() if reg.is_file() else b""
        self.register = register
        self.faults: Dict[Optional[str], Tuple[str, Dict[str, Any]]] = {}
        self.hits: collections.Counter = collections.Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._thread: Optional[threading.Thread] = None
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        """The base URL for ``POWERBALANCE_MIRROR``."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def fault(self, mode: Optional[str], url: Optional[str] = None, **options: Any) -> None:
        """Misbehave in ``mode`` for ``url`` (a download URL or a mirror path), or for every
        request when ``url`` is None; ``mode=None`` clears it. ``n=`` for ``transient``."""
        key = None if url is None else (path_of(url) if "://" in url else url)
        with self.lock:
            if mode is None:
                self.faults.pop(key, None)
                return
            if mode not in MODES:
                raise ValueError(f"unknown fault {mode!r} (one of {', '.join(MODES)})")
            self.faults[key] = (mode, options)

    def _fault_for(self, path: str) -> Tuple[Optional[str], Dict[str, Any]]:
        with self.lock:
            if path in self.faults:
                return self.faults[path]
            return self.faults.get(None, (None, {}))

    def start(self) -> "MirrorServer":
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> "MirrorServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if os.environ.get("MIRROR_LOG"):
            sys.stderr.write("mirror: " + format % args + "\n")

    def _plain(
        self, code: int, body: bytes = b"", ctype: str = "text/plain", extra: Optional[Dict[str, str]] = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self, path: str, body: Optional[bytes], ctype: str) -> None:
        srv = self.server
        with srv.lock:
            srv.hits[path] += 1
            hits = srv.hits[path]
        mode, opts = srv._fault_for(path)
        if mode == "redirect-loop":
            return self._plain(302, extra={"Location": self.path})
        if mode == "500" or (mode == "transient" and hits <= int(opts.get("n", 1))):
            return self._plain(500, b"internal error (a fault of the test mirror)")
        if body is None:
            return self._plain(404, ("not in originals.json: " + path).encode())
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if mode != "endless":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif mode == "wrong":
            self.wfile.write(body[::-1])
        elif mode == "stall":
            self.wfile.write(body[:1000])
            self.wfile.flush()
            srv.stopping.wait(STALL_MAX_SECONDS)
            self.close_connection = True
        elif mode == "slow":
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                if srv.stopping.wait(1.0):
                    break
            self.close_connection = True
        elif mode == "endless":
            chunk = b"x" * 65536
            t0, sent = time.monotonic(), 0
            while (
                sent < ENDLESS_MAX_BYTES and time.monotonic() - t0 < ENDLESS_MAX_SECONDS and not srv.stopping.is_set()
            ):
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True
        else:
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        local = self.server.table.get(path)
        try:
            body = local.read_bytes() if local is not None and local.is_file() else None
            self._serve(path, body, "application/octet-stream")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        try:
            if path != SIPRI_PATH:
                return self._plain(404, b"{}", "application/json")
            if not sipri_request_ok(raw):
                return self._plain(400, b'{"error": "bad filters"}', "application/json")
            answer = json.dumps({"bytes": base64.b64encode(self.server.register).decode("ascii")}).encode()
            self._serve(path, answer, "application/json")
        except (BrokenPipeError, ConnectionResetError):
            pass


def main(argv: Optional[list] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--fault", choices=MODES, default=None, help="misbehave for every request")
    ap.add_argument(
        "--data", default=os.environ.get("POWERBALANCE_DATA"), help="the data folder (default $POWERBALANCE_DATA)"
    )
    a = ap.parse_args(argv)
    if not a.data:
        ap.error("give --data or set POWERBALANCE_DATA to a folder with originals.json")
    srv = MirrorServer(Path(a.data), port=a.port)
    if a.fault:
        srv.fault(a.fault)
    print(srv.url, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.stopping.set()
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
