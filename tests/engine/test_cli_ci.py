"""CI and install (issue 13): the pre-commit hooks run by the real `pre-commit` tool in a temporary git repository,
the composite GitHub Action's shell steps run locally, and scripts/dist building the wheel and the sdist."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from engine_helpers import ENGINE_FIXTURES

REPO = Path(__file__).resolve().parents[2]
CONFIG = f"terms: [{json.dumps(str(ENGINE_FIXTURES / 'cli-terms.yaml'))}]\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture
def docs_repo(tmp_path):
    """A git repository with a configuration and two chapters committed."""
    repo = tmp_path / "book"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / ".nnterm.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / "one.md").write_text("蓝莓网络很好。蓝莓网络常用。\n", encoding="utf-8")
    (repo / "notes.txt").write_text("篮梅网络 (not a document: never checked)\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    return repo


# -- pre-commit ---------------------------------------------------------------------------------------------------


def test_hook_manifest():
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"nnterm", "nnterm-all"}
    assert hooks["nnterm"]["types_or"] == ["markdown", "tex"] and hooks["nnterm"]["entry"] == "nnterm check"
    assert hooks["nnterm"]["require_serial"] is True  # the staged files in one process: one document set
    assert hooks["nnterm-all"]["pass_filenames"] is False


def pre_commit(hook, cwd, home, cache):
    exe = Path(sys.executable).with_name("pre-commit")
    if not exe.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NNTERM_CACHE_DIR": str(cache),
           "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    # try-repo: the hooks of this repository as it is now (uncommitted changes included), as a user's
    # `repo:`/`rev:` entry would install them: pip installs nnterm-ls into pre-commit's own environment
    return subprocess.run([str(exe), "try-repo", str(REPO), hook], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=600)


def test_pre_commit_hooks_with_the_real_tool(docs_repo, tmp_path_factory, nnterm_cache):
    home = tmp_path_factory.mktemp("pre-commit-home")
    # a staged chapter with a deprecated rendering: the hook fails and shows the finding
    (docs_repo / "two.md").write_text("第二章用篮梅网络。\n", encoding="utf-8")
    git("add", "two.md", cwd=docs_repo)
    proc = pre_commit("nnterm", docs_repo, home, nnterm_cache)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "two.md:1:5: warning [deprecated]" in proc.stdout
    assert "one.md" not in proc.stdout.replace("two.md", "")
    # a staged chapter whose rendering is inconsistent only with an unstaged (committed) one: `nnterm` sees the
    # staged files alone and passes (the documented limit); `nnterm-all` checks the whole set and fails
    (docs_repo / "two.md").write_text("第二章用莓果网络。\n", encoding="utf-8")
    git("add", "two.md", cwd=docs_repo)
    proc = pre_commit("nnterm", docs_repo, home, nnterm_cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = pre_commit("nnterm-all", docs_repo, home, nnterm_cache)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "two.md:1:5: warning [inconsistent]" in proc.stdout
    assert "notes.txt" not in proc.stdout


# -- the GitHub Action ----------------------------------------------------------------------------------------------

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def run_action(inputs: dict, workspace: Path, bin_dir: Path, outputs_file: Path) -> list[tuple[str, subprocess.CompletedProcess]]:
    """Run action.yml's shell steps as the runner would: inputs and outputs through ${{ }} in each step's env,
    GITHUB_OUTPUT collected; `uses:` steps (the SARIF upload) are recorded, not run."""
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    values = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    values.update({f"inputs.{k}": v for k, v in inputs.items()})
    values["github.action_path"] = str(REPO)
    outputs: dict[str, dict[str, str]] = {}

    def value(expr: str) -> str:
        m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if m:
            return outputs.get(m[1], {}).get(m[2], "")
        return values[expr]

    def condition(expr: str) -> bool:  # the few forms action.yml uses: a == 'x' && b != 'y'
        ok = True
        for part in expr.split("&&"):
            left, op, right = re.fullmatch(r"\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*", part).groups()
            ok &= (value(left) == right) == (op == "==")
        return ok

    ran = []
    for step in action["runs"]["steps"]:
        cond = step.get("if")
        if cond and not condition(EXPR.sub(lambda m: m[1], cond)):
            continue
        if "uses" in step:
            ran.append((step["uses"], None))
            continue
        assert step["shell"] == "bash"
        env = {k: EXPR.sub(lambda m: value(m[1]), str(v)) for k, v in (step.get("env") or {}).items()}
        outputs_file.write_text("", encoding="utf-8")
        # as the runner runs `shell: bash`: bash --noprofile --norc -eo pipefail {script}
        script = outputs_file.with_suffix(".sh")
        script.write_text(step["run"], encoding="utf-8")
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace, capture_output=True, text=True,
                              encoding="utf-8", timeout=600,
                              env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                                   "GITHUB_OUTPUT": str(outputs_file), **env})
        if "id" in step:
            outputs[step["id"]] = dict(line.split("=", 1) for line in outputs_file.read_text().splitlines() if "=" in line)
        ran.append((step["name"], proc))
        if proc.returncode != 0:
            break
    return ran


@pytest.fixture(scope="module")
def runner_python(tmp_path_factory):
    """A fresh virtual environment standing in for the runner's Python (the action installs nnterm into it)."""
    env_dir = tmp_path_factory.mktemp("runner") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    return env_dir / "bin"


def test_action_installs_and_annotates(docs_repo, runner_python, tmp_path, nnterm_cache, monkeypatch):
    monkeypatch.setenv("NNTERM_CACHE_DIR", str(nnterm_cache))
    (docs_repo / "two.md").write_text("第二章用篮梅网络。\n", encoding="utf-8")
    ran = run_action({"paths": "one.md two.md"}, docs_repo, runner_python, tmp_path / "out")
    names = [name for name, _p in ran]
    assert names == ["Install nnterm", "Run nnterm check", "Exit status"]
    install, check, exit_step = (p for _n, p in ran)
    assert install.returncode == 0, install.stderr
    assert re.search(r"^nnterm \d", install.stdout, re.M)  # installed from the action's own checkout
    assert (runner_python / "nnterm").exists()
    assert check.stdout.startswith("::warning file=two.md,line=1,col=5,") and "title=nnterm deprecated" in check.stdout
    assert "Checked 2 files" in check.stderr
    assert exit_step.returncode == 1 and "found terminology problems" in exit_step.stdout
    # fail-on-findings: false keeps the job green; a clean set exits 0
    ran = run_action({"paths": "two.md", "fail-on-findings": "false"}, docs_repo, runner_python, tmp_path / "out")
    assert ran[-1][1].returncode == 0
    ran = run_action({"paths": "one.md", "args": "--select deprecated"}, docs_repo, runner_python, tmp_path / "out")
    assert ran[1][1].stdout == "" and ran[-1][1].returncode == 0


def test_action_sarif_and_errors(docs_repo, runner_python, tmp_path, nnterm_cache, monkeypatch):
    monkeypatch.setenv("NNTERM_CACHE_DIR", str(nnterm_cache))
    (docs_repo / "two.md").write_text("第二章用篮梅网络。\n", encoding="utf-8")
    ran = run_action({"format": "sarif", "paths": "."}, docs_repo, runner_python, tmp_path / "out")
    assert [n for n, _p in ran] == ["Install nnterm", "Run nnterm check", "github/codeql-action/upload-sarif@v3",
                                    "Exit status"]
    sarif = json.loads((docs_repo / "nnterm.sarif").read_text(encoding="utf-8"))
    assert sorted(r["ruleId"] for r in sarif["runs"][0]["results"]) == ["deprecated", "missing-gloss"]
    assert ran[-1][1].returncode == 1
    # a broken configuration: no upload, and the job fails with 2
    (docs_repo / ".nnterm.yaml").write_text("rulse: {}\n", encoding="utf-8")
    ran = run_action({"format": "sarif"}, docs_repo, runner_python, tmp_path / "out")
    assert [n for n, _p in ran] == ["Install nnterm", "Run nnterm check", "Exit status"]
    assert "unknown setting 'rulse'" in ran[1][1].stderr and ran[-1][1].returncode == 2
    ran = run_action({"format": "xml"}, docs_repo, runner_python, tmp_path / "out")
    assert "format must be annotations or sarif" in ran[1][1].stdout and ran[-1][1].returncode == 2


# -- scripts/dist ---------------------------------------------------------------------------------------------------


def test_dist_builds_wheel_and_sdist(tmp_path):
    try:
        import build  # noqa: F401
    except ImportError:
        pytest.skip("the build package is not installed (pip install -e '.[test]')")
    out = tmp_path / "dist"
    proc = subprocess.run([str(REPO / "scripts" / "dist")], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NNTERM_DIST_DIR": str(out), "PYTHON": sys.executable,
                               "NPM": str(tmp_path / "no-npm")})
    assert proc.returncode == 0, proc.stderr
    assert "node and npm not found: the VS Code extension (.vsix) was not built" in proc.stderr
    wheels = list(out.glob("nnterm_ls-*.whl"))
    sdists = list(out.glob("nnterm_ls-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, proc.stdout
    with zipfile.ZipFile(wheels[0]) as whl:
        names = set(whl.namelist())
        assert "nnterm_ls/data/rules.yaml" in names and "nnterm_ls/cli/init.py" in names
        assert any(n.startswith("nnterm_ls/data/terms/") for n in names)
        entry = whl.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
        assert "nnterm = nnterm_ls.cli:main" in entry and "nnterm-ls = nnterm_ls.lsp:main" in entry
    with tarfile.open(sdists[0]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
        assert {"pyproject.toml", "README.md", "data/rules.yaml", "nnterm_ls/cli/check.py"} <= names
    assert not any(out.glob("*.vsix"))
