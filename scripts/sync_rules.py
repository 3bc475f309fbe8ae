"""Write the rule codes of data/rules.yaml into the files that list them for editors, or check they agree.

    python scripts/sync_rules.py          # rewrite the lists
    python scripts/sync_rules.py --check  # exit 1 and name the file when a list differs (the test suite runs this)

data/rules.yaml is the only place a rule is declared (with its module in nnterm_ls/rules/); the JSON Schema of
.nnterm.yaml and the VS Code extension's settings schema carry copies of the codes for editors' completion.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CONFIG_SCHEMA = REPO / "data" / "schema" / "config.schema.json"
PACKAGE_JSON = REPO / "editor" / "vscode" / "package.json"


def codes() -> list[str]:
    return list(yaml.safe_load((REPO / "data" / "rules.yaml").read_text(encoding="utf-8"))["rules"])


def sync_config_schema(text: str, rule_codes: list[str]) -> str:
    enum = json.dumps(rule_codes, ensure_ascii=False).replace('","', '", "')
    return re.sub(r'("propertyNames": \{"enum": )\[[^\]]*\]', lambda m: m.group(1) + enum, text, count=1)


def sync_package_json(text: str, rule_codes: list[str]) -> str:
    m = re.search(r'("nnterm\.rules": \{.*?"properties": \{)(.*?)(\n {10}\},)', text, re.S)
    if m is None:
        raise SystemExit(f"{PACKAGE_JSON}: no nnterm.rules properties found")
    body = ",".join(
        f'\n            "{code}": {{\n              "$ref": "#/definitions/severity"\n            }}' for code in rule_codes
    )
    return text[: m.start(2)] + body + text[m.end(2) :]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when a file is out of date")
    args = parser.parse_args(argv)
    rule_codes = codes()
    stale = []
    for path, sync in ((CONFIG_SCHEMA, sync_config_schema), (PACKAGE_JSON, sync_package_json)):
        old = path.read_text(encoding="utf-8")
        new = sync(old, rule_codes)
        json.loads(new)  # still valid JSON
        if new != old:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        verb = "is out of date with data/rules.yaml" if args.check else "updated"
        print(f"{path.relative_to(REPO)}: {verb}", file=sys.stderr)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
