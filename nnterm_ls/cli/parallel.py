"""Analyses of many files made by forked workers beside the main process (`nnterm check --jobs`).

Each document's analysis is pure (extract, match, resolve of its own text), so workers can make them in any order;
the set-level stages and the rules still run once, in the main process, over the analyses in reading order. A worker
is a ``fork`` of the process after the term base and matcher are loaded (nothing is loaded twice); it sends its
analyses back pickled, with the term base's forms and the formats written as references (the main process's own
objects come back, so identity-based grouping in the rules sees one object per form). Whatever a worker fails to
deliver is analysed in the main process as before: the result never depends on the workers.
"""

from __future__ import annotations

import copyreg
import gc
import io
import os
import pickle
import sys
from pathlib import Path

# below this much text the fork and the transfer cost more than they save
MIN_BYTES = 256 * 1024
MIN_FILES = 4
MAX_AUTO_JOBS = 4


def auto_jobs() -> int:
    if not sys.platform.startswith("linux"):  # fork is the only start method that shares the loaded base
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    # only the cores other work leaves idle: on a busy machine a worker competes with this process and costs more
    # (forking, sending the analyses back) than it saves (d2l-zh at load 7 on 2 cores: 2.05 s alone, 2.60 s with one)
    try:
        idle = cpus - os.getloadavg()[0]
    except OSError:
        idle = 0.0
    return max(1, min(cpus, MAX_AUTO_JOBS, 1 + int(idle)))


def _read(f: Path) -> str | None:
    try:
        return f.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # reported by the main process when it reads the file itself


def _buckets(files: list[Path], n: int) -> list[list[Path]]:
    """``files`` in ``n`` groups of about equal size (largest first, each to the lightest group)."""
    sized = []
    for f in files:
        try:
            sized.append((f.stat().st_size, f))
        except OSError:
            continue
    sized.sort(key=lambda sf: -sf[0])
    groups: list[list[Path]] = [[] for _ in range(n)]
    loads = [0] * n
    for size, f in sized:
        k = loads.index(min(loads))
        groups[k].append(f)
        loads[k] += size
    return groups


_TERMBASE = None  # the main process's term base while worker results are unpickled


def _form(concept_id: str, index: int):
    return _TERMBASE.concepts[concept_id].forms[index]


def _dispatch(termbase) -> dict:
    from ..extract import Format, get_format
    from ..termbase.model import Form

    ids = {id(f): (cid, i) for cid, c in termbase.concepts.items() for i, f in enumerate(c.forms)}

    def reduce_form(form):
        ref = ids.get(id(form))
        return (_form, ref) if ref is not None else form.__reduce_ex__(pickle.HIGHEST_PROTOCOL)

    table = copyreg.dispatch_table.copy()
    table[Form] = reduce_form
    table[Format] = lambda fmt: (get_format, (fmt.name,))
    return table


def _work(engine, files: list[Path], out_fd: int) -> None:
    docs = []
    for f in files:
        text = _read(f)
        if text is not None:
            docs.append(engine.analyze(str(f), text, resolve_uses=False))
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch(engine.termbase)
    pickler.dump(docs)
    view = memoryview(buf.getbuffer())
    while view:
        view = view[os.write(out_fd, view):]


def analyse_in_parallel(engine, files: list[Path], jobs: int) -> dict[str, object]:
    """Analyses of ``files`` by path, made by ``jobs`` processes (this one included); {} when not worth it."""
    global _TERMBASE
    if jobs < 2 or len(files) < MIN_FILES or not hasattr(os, "fork"):
        return {}
    groups = [g for g in _buckets(files, jobs) if g]
    if len(groups) < 2 or sum(f.stat().st_size for g in groups for f in g) < MIN_BYTES:
        return {}
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, int]] = []
    for group in groups[1:]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: analyse, send, leave without running the parent's clean-up
            status = 1
            try:
                os.close(read_fd)
                _work(engine, group, write_fd)
                status = 0
            except BaseException:  # noqa: BLE001 - whatever went wrong, the main process analyses these files
                pass
            finally:
                os._exit(status)
        os.close(write_fd)
        children.append((pid, read_fd))
    out: dict[str, object] = {}
    for f in groups[0]:
        text = _read(f)
        if text is not None:
            out[str(f)] = engine.analyze(str(f), text, resolve_uses=False)
    for pid, read_fd in children:
        chunks = []
        with os.fdopen(read_fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                chunks.append(chunk)
        _pid, status = os.waitpid(pid, 0)
        if status != 0 or not chunks:
            continue
        _TERMBASE = engine.termbase
        enabled = gc.isenabled()
        gc.disable()
        try:
            docs = pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - a broken transfer: analysed here instead
            docs = []
        finally:
            _TERMBASE = None
            if enabled:
                gc.enable()
        for doc in docs:
            out[doc.path] = doc
    return out
