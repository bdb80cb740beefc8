"""Running a parser in a child process with a memory and a time limit.

calamine (Rust) aborts the whole process when an allocation fails, and no check made
before parsing can foresee every way a damaged file makes a parser allocate or loop.
So `run(func, args, memory_mb, seconds)` calls `func(*args)` in a child process: the
child sets RLIMIT_AS (its address space when it starts + memory_mb), RLIMIT_CPU and an
alarm that ends it after `seconds`, the parent waits at most that long, and a child that
dies or runs out of memory or time costs that child only: `SandboxFailed` with a Chinese reason. An exception
raised by func is raised again in the parent. Arguments and result travel pickled, so
they must be plain Python values and func a module-level function.

The children are forked by a small server process (`_serve`, a fresh interpreter started
by the first call and ended when this process ends) that has the modules in
PRELOAD imported once and does nothing but fork: a child starts in milliseconds instead
of paying an interpreter start and the pandas import, the multithreaded app server is
never forked itself, and it works from any process (also a daemonic Pool worker, which
multiprocessing would not let have children). Requests go over a Unix socket in a
private temporary folder.
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from data_access.settings import PROJECT_ROOT

# pandas imports its calamine reader lazily: imported here once, not by every child
PRELOAD = ("data_access.write.importing.reading", "python_calamine", "pandas.io.excel._calamine")
_HEADER = struct.Struct("!Q")


class SandboxFailed(Exception):
    """The child died, ran out of memory or of time; the message (Chinese) says which."""


# ------------------------------------------------------------------ in the child
def _address_space() -> int:
    """The process's current virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit(memory_mb: float, seconds: float) -> None:
    """Cap this process's address space at its present size + memory_mb, its CPU and its wall time."""
    signal.alarm(max(1, int(seconds + 0.999)))  # SIGALRM's default action ends the process
    base = _address_space()
    if base:
        cap = base + int(memory_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + seconds) + 2
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or cpu < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))


def _call(func: Callable[..., Any], args: tuple[Any, ...], memory_mb: float, seconds: float) -> bytes:
    """The pickled outcome of func(*args) under the limits: ('ok', value), ('raise', exc), ('memory', None)."""
    _limit(memory_mb, seconds)
    try:
        try:
            return pickle.dumps(("ok", func(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            raise
        except Exception as exc:  # handed to the parent, which raises it again
            try:
                return pickle.dumps(("raise", exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                return pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
    except MemoryError:
        return pickle.dumps(("memory", None))


def _recv_exactly(conn: socket.socket, size: int) -> bytes:
    parts = []
    while size:
        part = conn.recv(min(size, 1 << 20))
        if not part:
            raise EOFError
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _serve_one(conn: socket.socket) -> None:
    """In a forked child: read one request, answer it."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    gc.disable()  # a short life under a memory cap: no cycle collection over every new cell
    size = _HEADER.unpack(_recv_exactly(conn, _HEADER.size))[0]
    func, args, memory_mb, seconds = pickle.loads(_recv_exactly(conn, size))
    payload = _call(func, args, memory_mb, seconds)
    conn.sendall(_HEADER.pack(len(payload)) + payload)


def _serve(path: str) -> None:
    """The server: import PRELOAD, then fork a child per connection until standard input closes."""
    for name in PRELOAD:
        __import__(name)
    gc.collect()
    gc.freeze()  # the modules' objects: never scanned again, so children do not copy their pages
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # nobody reads the pipe from now on
    while True:
        ready, _w, _x = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1024):
            listener.close()
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)
            break  # the parent has gone
        if listener in ready:
            conn, _addr = listener.accept()
            if os.fork() == 0:
                code = 0
                try:
                    listener.close()
                    _serve_one(conn)
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            conn.close()


# ------------------------------------------------------------------ in the parent
class _Server:
    """The running server process and its socket."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="gkb-sandbox-")
        self.path = os.path.join(self.folder, "socket")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(name, "1")  # no thread pools in a process that forks
        # pyarrow (pandas' strings) would reserve address space by the gigabyte for its own allocator,
        # which RLIMIT_AS refuses: malloc's heap grows as it is used
        env["ARROW_DEFAULT_MEMORY_POOL"] = "system"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from data_access.write.importing.sandbox import _serve; _serve(sys.argv[1])",
                self.path,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=PROJECT_ROOT,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != b"ready":
            self.close()
            raise SandboxFailed("文件解析失败（无法启动解析进程），请稍后重试")

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_server: _Server | None = None


def _running() -> _Server:
    global _server
    with _lock:
        if _server is None or not _server.alive():
            _server = _Server()
        return _server


def _connect() -> socket.socket:
    for attempt in range(2):
        server = _running()
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(server.path)
            return conn
        except OSError:
            conn.close()
            if attempt:
                raise
            with _lock:
                global _server
                if _server is server:
                    server.close()
                    _server = None
    raise AssertionError("unreachable")


def _reason(why: str) -> str:
    return f"文件解析失败（{why}），已拒绝"


def run(func: Callable[..., Any], args: tuple[Any, ...], memory_mb: float, seconds: float) -> Any:
    """func(*args) in a limited child; its exception is raised again here, SandboxFailed if it dies."""
    request = pickle.dumps((func, args, memory_mb, seconds), protocol=pickle.HIGHEST_PROTOCOL)
    deadline = time.monotonic() + seconds
    try:
        with _connect() as conn:
            conn.settimeout(seconds)
            conn.sendall(_HEADER.pack(len(request)) + request)
            conn.settimeout(max(0.01, deadline - time.monotonic()))
            size = _HEADER.unpack(_recv_exactly(conn, _HEADER.size))[0]
            conn.settimeout(max(1.0, deadline - time.monotonic()))  # the result is on its way
            payload = _recv_exactly(conn, size)
    except TimeoutError:  # the child's alarm ends it
        raise SandboxFailed(_reason(f"超出时间限制 {seconds:g} 秒")) from None
    except (EOFError, OSError):
        raise SandboxFailed(_reason(f"解析进程异常终止，可能超出内存限制 {memory_mb:g} MB")) from None
    kind, value = pickle.loads(payload)
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    if kind == "memory":
        raise SandboxFailed(_reason(f"超出内存限制 {memory_mb:g} MB"))
    raise SandboxFailed(_reason(str(value)))
