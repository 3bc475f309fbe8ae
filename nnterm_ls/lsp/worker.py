"""Checks of document sets that hold a very large document, in a separate process.

The engine's passes over a document are mostly single calls into C (regular expressions over the whole text) that
hold the GIL for as long as they run: over a 10 MB document ~100 ms each, and the server's hover and completion on
other documents wait that long. Its analysis is also large (an object graph of ~30 MB pickled, more resident) and
leaves the heap fragmented after it is dropped. So when a set holds a document of ``threshold()`` characters or
more, the server sends the set to this worker: it analyses every document there (analyses kept per version, the
texts sent once per version), runs ``Engine.check`` and returns the findings and the set-level state the editor
features read (``Engine.usage``, ``lexicon``, ``senses``, ``glossary``). The analysis of the large document never
enters the server's process unless a request about that document itself needs it.

The worker is started on first need (``python -m nnterm_ls.lsp.worker``, its own interpreter: nothing inherited),
builds the same engine as the server (the same term files and effective configuration), and is stopped when no
large document is left in the set (its memory goes back to the system), when the configuration changes, and when
the server exits. It exits by itself when its standard input closes or its parent process is gone.

Messages are a 4-byte length and a pickle, over the worker's standard input and output (its ``print`` output, if
any, goes to standard error).
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

log = logging.getLogger("nnterm_ls.lsp")

DEFAULT_THRESHOLD = 1_000_000  # characters
NICENESS = 5  # the worker's scheduling priority below the server's


def threshold() -> int | None:
    """Documents of this many characters or more are analysed in the worker; None: never (the worker is off).
    ``NNTERM_LSP_WORKER_THRESHOLD``: a number of characters, or ``off``."""
    raw = os.environ.get("NNTERM_LSP_WORKER_THRESHOLD", "").strip().lower()
    if not raw:
        return DEFAULT_THRESHOLD
    if raw in ("off", "none", "no", "0"):
        return None
    try:
        return max(1, int(raw))
    except ValueError:
        return DEFAULT_THRESHOLD


DEFAULT_TIMEOUT = 300.0  # seconds one call may take before the worker counts as hung (a 44 MB set takes ~60 s)
START_TIMEOUT = 60.0  # its start-up, at least


def call_timeout() -> float:
    """``NNTERM_LSP_WORKER_TIMEOUT``: seconds a worker may take to answer one call before it is killed as hung and
    the set is checked in-process."""
    try:
        return max(0.1, float(os.environ.get("NNTERM_LSP_WORKER_TIMEOUT", "") or DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


class WorkerFailed(Exception):
    """The worker process died or could not be started."""


class _Hung(Exception):
    """The worker answered nothing within the call timeout."""


class _Missing(Exception):
    """The worker does not hold the text of some documents the server thought it had."""


class Cancelled(Exception):
    """The caller's cancel event was set while waiting for the worker (the worker's answer is discarded)."""


@dataclass
class Meta:
    """What the server's set stage reads of a document analysed in the worker (the analysis stays there)."""

    path: str
    lang: str
    format: object  # extract.Format (sent by name)
    includes: list = field(default_factory=list)


def _write(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack(">I", len(data)) + data) if len(data) < 1 << 16 else None
    if view is None:  # no copy of a large body: the header, then the body
        _write_all(fd, memoryview(struct.pack(">I", len(data))))
        view = memoryview(data)
    _write_all(fd, view)


def _write_all(fd: int, view: memoryview) -> None:
    while view:
        n = os.write(fd, view[: 1 << 20])
        view = view[n:]


def _read_exact(fd: int, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _read(fd: int):
    (n,) = struct.unpack(">I", _read_exact(fd, 4))
    return pickle.loads(_read_exact(fd, n))


# -- the server's side -------------------------------------------------------------------------------------------

_LIVE: set = set()  # worker processes of this server: killed by kill_all() on exit


def kill_all() -> None:
    for proc in list(_LIVE):
        try:
            proc.kill()
        except Exception:
            pass


class RemoteEngine:
    """The server's handle on one worker process (one generation of the engine). Not thread-safe by itself: the
    server calls it under ``State._lock``."""

    def __init__(self, terms: list[str], config) -> None:
        self.terms, self.config = list(terms), config
        self.proc: subprocess.Popen | None = None
        self.has: dict[str, int] = {}  # uri -> version whose text and analysis the worker holds
        self._abandoned = 0  # answers still to come for calls whose caller was cancelled
        self.timeout = call_timeout()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self) -> None:
        t0 = time.perf_counter()
        # the server's own import path: the worker imports this very package, however the server was started
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "nnterm_ls.lsp.worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, close_fds=True, env=env,
            )
        except OSError as exc:
            raise WorkerFailed(f"cannot start the worker: {exc}") from None
        _LIVE.add(self.proc)
        self.has = {}
        self._abandoned = 0
        # (its start-up imports and loads the base: allowed a minute however short the call timeout is set)
        self._call(("init", self.terms, self.config, os.getpid()), None, timeout=max(self.timeout, START_TIMEOUT))
        log.info("analysis worker %d started in %.0f ms", self.proc.pid, (time.perf_counter() - t0) * 1000)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        self.has = {}
        if proc is None:
            return
        try:
            proc.stdin.close()
        except Exception:
            pass
        try:
            proc.kill()
            proc.wait(5)
        except Exception:
            pass
        _LIVE.discard(proc)
        log.info("analysis worker %d stopped", proc.pid)

    def _fail(self, what: str) -> WorkerFailed:
        proc = self.proc
        code = proc.poll() if proc is not None else None
        if proc is not None and code is None:
            try:
                code = proc.wait(1)
            except Exception:
                pass
        self.stop()
        return WorkerFailed(f"the analysis worker {what} (exit status {code})")

    def _call(self, message, cancel, timeout: float | None = None):
        if self.proc is None:
            self.start()
        proc = self.proc
        out_fd = proc.stdout.fileno()
        limit = self.timeout if timeout is None else timeout
        try:
            while self._abandoned:  # a cancelled caller's answer comes first: read and drop it
                self._wait(out_fd, cancel, limit)
                _read(out_fd)
                self._abandoned -= 1
            _write(proc.stdin.fileno(), message)
        except _Hung:
            raise self._fail(f"did not answer in {limit:g} s and was stopped") from None
        except (BrokenPipeError, EOFError, OSError):
            raise self._fail("is gone") from None
        try:
            self._wait(out_fd, cancel, limit)
            status, value = _read(out_fd)
        except Cancelled:
            self._abandoned += 1
            raise
        except _Hung:
            raise self._fail(f"did not answer in {limit:g} s and was stopped") from None
        except (EOFError, OSError, pickle.UnpicklingError):
            raise self._fail("died") from None
        if status == "error":
            raise WorkerFailed(f"the analysis worker failed: {value}")
        if status == "missing":
            raise _Missing(value)
        return value

    def _wait(self, fd: int, cancel, timeout: float) -> None:
        """Until the worker's answer can be read. A cancelled caller leaves (the answer is read later); a worker
        that answers nothing for ``timeout`` seconds is hung (an engine loop on some input, a stopped process)."""
        deadline = time.monotonic() + timeout
        while True:
            ready, _w, _x = select.select([fd], [], [], 0.05)
            if ready:
                return
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if self.proc is None or self.proc.poll() is not None:
                raise EOFError
            if time.monotonic() > deadline:
                raise _Hung()

    # -- calls -----------------------------------------------------------------------------------------------------
    def analyze(self, uri: str, version: int, path: str, kind: str, text: str, cancel=None) -> Meta:
        from ..extract import get_format

        path, lang, fmt, includes = self._call(("analyze", uri, version, path, kind, text), cancel)
        self.has[uri] = version
        return Meta(path, lang, get_format(fmt), includes)

    def check(self, docs: list[tuple], cancel=None):
        """``docs``: (uri, version, path, kind, order group, text) of every document of the set, in set order ->
        (findings by path, usage, lexicon, senses, glossary) of ``Engine.check`` over them."""
        for _attempt in range(2):
            sent = [(u, v, p, k, g, None if self.has.get(u) == v else t) for u, v, p, k, g, t in docs]
            self.has = {u: v for u, v, *_ in docs}  # the worker keeps exactly these (it drops the others)
            try:
                return self._call(("check", sent), cancel)
            except Cancelled:
                self.has = {}  # not known what the worker holds now: the next call sends every text
                raise
            except _Missing:
                self.has = {}
        raise WorkerFailed("the analysis worker lost the texts it was sent")


# -- the worker's side -------------------------------------------------------------------------------------------


def _without_caches(obj):
    """A shallow copy without the private attributes an object caches on itself (the lexicon keeps its automaton
    of heads there, which cannot be pickled; the server builds its own when it needs one)."""
    import copy

    if not any(k.startswith("_") for k in getattr(obj, "__dict__", {})):
        return obj
    out = copy.copy(obj)
    for k in [k for k in out.__dict__ if k.startswith("_")]:
        del out.__dict__[k]
    return out


def _watch_parent(ppid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != ppid:
            os._exit(0)


def serve() -> int:
    in_fd = sys.stdin.fileno()
    out_fd = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray output must not corrupt the channel
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    try:  # background work: on busy cores the server's requests come first
        os.nice(NICENESS)
    except (AttributeError, OSError):
        pass
    engine = None
    analyses: dict[str, tuple[int, object]] = {}
    while True:
        try:
            message = _read(in_fd)
        except EOFError:
            return 0
        op = message[0]
        try:
            if op == "init":
                from ..analysis import Engine
                from ..termbase import load_termbase

                _op, terms, config, _ppid = message
                engine = Engine(load_termbase(terms), config)
                reply = None
            elif op == "analyze":
                _op, uri, version, path, kind, text = message
                previous = analyses.get(uri)  # an edit of a version analysed before: only the edited blocks again
                a = engine.analyze_version(path, text, kind, previous[1] if previous is not None else None)
                analyses[uri] = (version, a)
                reply = (a.path, a.lang, a.format.name, list(a.includes))
            elif op == "check":
                docs, missing = [], []
                kept = {}
                for uri, version, path, kind, group, text in message[1]:
                    cached = analyses.get(uri)
                    if cached is None or cached[0] != version:
                        if text is None:
                            missing.append(uri)
                            continue
                        cached = (version, engine.analyze_version(path, text, kind,
                                                                  cached[1] if cached is not None else None))
                    kept[uri] = cached
                    cached[1].order_group = group
                    docs.append(cached[1])
                analyses = kept
                if missing:  # the server sends every text again
                    _write(out_fd, ("missing", missing))
                    continue
                by_path = engine.check(docs)
                reply = (by_path, engine.usage, _without_caches(engine.lexicon), engine.senses, engine.glossary)
            else:
                raise RuntimeError(f"unknown message {op!r}")
            _write(out_fd, ("ok", reply))
        except Exception as exc:  # reported to the server, which then checks in-process
            import traceback

            traceback.print_exc()
            _write(out_fd, ("error", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    sys.exit(serve())
