"""A bare JSON-RPC client over the server's stdio, for what a well-behaved client library never sends: bodies that
are not JSON, params of the wrong shape, `exit` without `shutdown`; and to see the exit status and standard error."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from lsp_helpers import REPO


class RawServer:
    def __init__(self, cache_dir: Path, root: Path, env: dict | None = None) -> None:
        self.root = root
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nnterm_ls"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(REPO),
            env={**os.environ, "NNTERM_CACHE_DIR": str(cache_dir), **(env or {})},
        )
        self.messages: queue.Queue = queue.Queue()
        self.received: list[dict] = []
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self._next = 0

    # -- transport ---------------------------------------------------------------------------------------------------
    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            self.messages.put(json.loads(body))

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def send_bytes(self, body: bytes) -> None:
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, obj) -> None:
        self.send_bytes(json.dumps(obj).encode("utf-8"))

    def request(self, method: str, params=None, msg_id=None):
        if msg_id is None:
            self._next += 1
            msg_id = self._next
        msg = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return msg_id

    def notify(self, method: str, params=None) -> None:
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def wait(self, predicate, timeout: float = 20.0) -> dict:
        """The first message (received so far or arriving) for which ``predicate`` holds; answers the server's own
        requests (configuration, registrations) on the way."""
        for m in self.received:
            if predicate(m):
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out; received {self.received[-5:]!r}; stderr {''.join(self.stderr)[-2000:]}")
            try:
                m = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            self.received.append(m)
            if "method" in m and "id" in m:  # a request from the server
                result = [None for _ in m.get("params", {}).get("items", [])] if m["method"] == "workspace/configuration" else None
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": result})
            if predicate(m):
                return m

    def response(self, msg_id, timeout: float = 20.0) -> dict:
        return self.wait(lambda m: m.get("id") == msg_id and "method" not in m, timeout)

    # -- session -----------------------------------------------------------------------------------------------------
    def initialize(self, process_id=None, capabilities=None) -> dict:
        rid = self.request(
            "initialize",
            {"processId": process_id, "rootUri": self.root.as_uri(), "capabilities": capabilities or {}, "initializationOptions": {"debounceMs": 5}},
        )
        result = self.response(rid)
        self.notify("initialized", {})
        return result

    def open(self, name: str, text: str, language_id: str = "markdown") -> str:
        uri = (self.root / name).as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text}})
        return uri

    def wait_exit(self, timeout: float = 20.0) -> int:
        return self.proc.wait(timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
