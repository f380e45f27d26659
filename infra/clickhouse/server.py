"""ClickHouse for the local stack, run from PyPI's `chdb-core` wheel (scripts/stack starts it).

No package registry ships a current `clickhouse-server`, but the `chdb-core` wheel holds the whole
ClickHouse engine as `clickhouse-local` in one library (`_chdb.abi3.so`), and that build can open
ClickHouse's own HTTP and native listeners (`SYSTEM START LISTEN HTTP|TCP`). This launcher:

1. loads the library directly: importing the `chdb` package would boot a second embedded engine
   in its `__init__` (and the real one then fails with "EventNotifier is initialized twice"), so a
   stub package whose `__path__` is the wheel's folder stands in for it, and the library is loaded
   RTLD_DEEPBIND as the package itself does (its pybind11 stubs must bind to its own allocator);
2. runs one query, in a thread, on the data folder: open the listeners, then read a FIFO, which
   blocks; the server answers meanwhile. One line written to the FIFO ends the read, and so the
   query and the process (SIGTERM and SIGINT do that here);
3. checks `version()` over HTTP and stops when it is not the pinned release: the steps above rely
   on the wheel's internals, which another release may change.

The engine reads `config.xml` (ports, loopback, logs, users) from the working directory.

    python server.py --data DIR --http-port PORT --expect 26.9
"""

import argparse
import ctypes
import importlib.util
import os
import signal
import stat
import sys
import threading
import time
import types
import urllib.request

RTLD_DEEPBIND = 0x8


def engine():
    """The wheel's `_chdb` module, without running the `chdb` package's `__init__`."""
    spec = importlib.util.find_spec("chdb")  # locates the package, does not import it
    if spec is None or not spec.submodule_search_locations:
        sys.exit("server.py: the chdb-core wheel is not installed in this Python")
    folder = list(spec.submodule_search_locations)[0]
    ctypes.CDLL(os.path.join(folder, "_chdb.abi3.so"), mode=sys.getdlopenflags() | RTLD_DEEPBIND)
    stub = types.ModuleType("chdb")
    stub.__path__ = [folder]
    sys.modules["chdb"] = stub
    from chdb import _chdb  # noqa: E402 (needs the stub above)

    return _chdb


def fresh_fifo(path):
    if os.path.lexists(path):
        os.remove(path)  # left by a killed run
    os.mkfifo(path)


def wake(fifo):
    """Ends the blocking read (no-op when the engine has not opened the FIFO yet or is gone)."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    try:
        os.write(fd, b"stop\n")
    finally:
        os.close(fd)


def version_over_http(port, timeout_s):
    deadline = time.monotonic() + timeout_s
    url = f"http://127.0.0.1:{port}/?query=SELECT%20version()%20FORMAT%20TabSeparated"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode().strip()
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="data folder (created when missing)")
    parser.add_argument("--http-port", type=int, required=True, help="the HTTP port of config.xml")
    parser.add_argument("--expect", required=True, help="the release the wheel holds, e.g. 26.9")
    args = parser.parse_args()

    os.makedirs(args.data, exist_ok=True)
    fifo = os.path.join(os.path.dirname(os.path.abspath(args.data)), "stop.fifo")
    fresh_fifo(fifo)
    chdb = engine()

    result = {}

    def serve():
        try:
            result["answer"] = chdb.query(
                "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; "
                f"SELECT count() FROM file('{fifo}', 'LineAsString') SETTINGS storage_file_read_method = 'read'",
                "TabSeparated",
                path=os.path.abspath(args.data),
            )
        except Exception as error:  # the engine reports a failed start as an exception
            result["error"] = str(error)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: wake(fifo))
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    version = version_over_http(args.http_port, 60)
    if version is None:
        wake(fifo)
        thread.join(10)
        sys.exit(f"server.py: ClickHouse did not answer on :{args.http_port}: {result.get('error', 'no answer')}")
    if version.split(".")[:2] != args.expect.split("."):
        wake(fifo)
        thread.join(30)
        sys.exit(f"server.py: expected ClickHouse {args.expect}.x from the pinned wheel, found {version}")
    print(f"ClickHouse {version} on 127.0.0.1:{args.http_port}, data in {args.data}", flush=True)

    while thread.is_alive():
        thread.join(0.5)  # in slices: signal handlers run between them
    answer = result.get("answer")
    error = result.get("error") or (answer.error_message() if answer is not None and answer.has_error() else "")
    if error:
        sys.exit(f"server.py: ClickHouse stopped with an error: {error}")
    print("ClickHouse stopped", flush=True)
    if stat.S_ISFIFO(os.stat(fifo).st_mode):
        os.remove(fifo)


if __name__ == "__main__":
    main()
