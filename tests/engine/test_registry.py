"""The rule registry: data/rules.yaml is the one list of rules; each code has its module; editor schemas agree."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import nnterm_ls.rules as rules_pkg
from nnterm_ls.rules.registry import RULE_CODES, module_name, rule_modules

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import sync_rules  # noqa: E402


def test_every_code_has_its_module():
    modules = rule_modules()
    assert list(modules) == list(RULE_CODES)
    for code, module in modules.items():
        assert module.__name__.endswith("." + module_name(code))
        assert module.CODE == code and callable(module.findings)


def test_no_rule_module_is_missing_from_rules_yaml():
    declared = set()
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f"nnterm_ls.rules.{info.name}")
        if hasattr(module, "CODE") and hasattr(module, "findings"):
            declared.add(module.CODE)
    assert declared == set(RULE_CODES)


def test_editor_schemas_list_exactly_the_rules():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "sync_rules.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_sync_notices_a_new_rule():
    codes = [*RULE_CODES, "new-rule"]
    schema = sync_rules.CONFIG_SCHEMA.read_text(encoding="utf-8")
    package = sync_rules.PACKAGE_JSON.read_text(encoding="utf-8")
    assert '"new-rule"' in sync_rules.sync_config_schema(schema, codes)
    assert '"new-rule": {' in sync_rules.sync_package_json(package, codes)
    assert sync_rules.sync_config_schema(schema, list(RULE_CODES)) == schema
    assert sync_rules.sync_package_json(package, list(RULE_CODES)) == package


def test_rule_codes_read_without_yaml_are_the_parsed_files():
    # RULE_CODES is read with a regular expression at start-up (no YAML parser imported); it must be exactly the
    # codes of data/rules.yaml as parsed, in order
    from nnterm_ls.rules.registry import builtin_rules, rule_codes

    assert rule_codes() == tuple(builtin_rules()) == RULE_CODES
    assert len(RULE_CODES) >= 7
