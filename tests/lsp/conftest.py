"""End-to-end fixtures: the real `nnterm-ls` process (``python -m nnterm_ls``) driven by a pytest-lsp client."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from lsprotocol import types as T

from lsp_helpers import REPO, Session, capabilities, make_client


@pytest.fixture(scope="session")
def cache_dir(nnterm_cache) -> Path:
    """The session's warm term-base cache (tests/conftest.py), shared with the CLI tests."""
    return nnterm_cache


@pytest.fixture
async def start(tmp_path, cache_dir):
    """``await start(root=..., caps=..., init=..., settings=...)`` -> an initialised Session."""
    clients: list[LanguageClient] = []

    async def _start(
        root: Path | None = None,
        caps: T.ClientCapabilities | None = None,
        init: dict | None = None,
        settings: dict | None = None,
        env: dict | None = None,
        wait_ready: bool = True,
    ) -> Session:
        root = root or tmp_path
        client = make_client()
        if settings is not None:
            client.set_configuration(settings, section="nnterm")
        full_env = {**os.environ, "NNTERM_CACHE_DIR": str(cache_dir), **(env or {})}
        await client.start_io(sys.executable, "-m", "nnterm_ls", env=full_env, cwd=str(REPO))
        clients.append(client)
        init_options = {"debounceMs": 5, **(init or {})}
        result = await client.initialize_session(
            T.InitializeParams(
                capabilities=caps or capabilities(),
                root_uri=root.as_uri(),
                workspace_folders=[T.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                initialization_options=init_options,
            )
        )
        session = Session(client, root)
        session.init_result = result  # type: ignore[attr-defined]
        if wait_ready:
            # any request waits for the term base: a hover on an unknown document returns None once loaded
            await session.hover(session.uri("__none__.md"), 0, 0)
        return session

    yield _start
    for client in clients:
        try:
            await asyncio.wait_for(client.shutdown_session(), 10)
        except Exception:
            pass
        await client.stop()
