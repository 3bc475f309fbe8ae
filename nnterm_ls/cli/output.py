"""Output formats of `nnterm check`: text (compiler style), json, sarif (2.1.0) and github (workflow commands)."""

from __future__ import annotations

import json

from .. import __version__
from ..rules.findings import Finding
from ..rules.registry import builtin_rules
from ..severity import GITHUB_LEVEL, SARIF_LEVEL



def finding_json(f: Finding, doc, docs: dict) -> dict:
    """One finding as the JSON contract (README); ``docs``: the set's analyses by path, for related locations."""
    line, col = doc.lines.position(f.start)
    end_line, end_col = doc.lines.position(f.end)
    out = {
        "path": f.path,
        "line": line + 1,
        "column": col + 1,
        "end_line": end_line + 1,
        "end_column": end_col + 1,
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "found": f.found,
        "suggestion": f.suggestion,
        "concept": f.concept_id,
        "fixable": bool(f.fix and f.fix.safe),
    }
    if f.learned_from:
        out["learned_from"] = f.learned_from
    if f.related:
        out["related"] = [
            {"path": r.path, "line": _pos(r, docs)[0], "column": _pos(r, docs)[1], "message": r.message} for r in f.related
        ]
    return out


def _pos(related, docs: dict):
    # related locations may point into another document of the set
    line, col = docs[related.path].lines.position(related.start)
    return line + 1, col + 1


def render_text(items: list[tuple[Finding, object]], docs: dict) -> str:
    lines = []
    for f, doc in items:
        line, col = doc.lines.position(f.start)
        text = f"{f.path}:{line + 1}:{col + 1}: {f.severity} [{f.code}] {f.message}"
        if f.suggestion is not None and f.code != "missing-gloss":
            text += f" (fix: {f.suggestion})" if f.fix and f.fix.safe else ""
        lines.append(text)
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(items, docs: dict) -> str:
    return json.dumps([finding_json(f, doc, docs) for f, doc in items], ensure_ascii=False, indent=2) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(items, docs: dict) -> str:
    out = []
    for f, doc in items:
        line, col = doc.lines.position(f.start)
        end_line, end_col = doc.lines.position(f.end)
        level = GITHUB_LEVEL[f.severity]
        props = (
            f"file={_escape_prop(f.path)},line={line + 1},col={col + 1},endLine={end_line + 1},"
            f"endColumn={end_col + 1},title={_escape_prop('nnterm ' + f.code)}"
        )
        out.append(f"::{level} {props}::{_escape_data(f.message)}")
    return "\n".join(out) + ("\n" if out else "")


def render_sarif(items, docs: dict, *, uri_of=lambda p: p) -> str:
    rules = builtin_rules()
    codes = list(rules)
    results = []
    for f, doc in items:
        line, col = doc.lines.position(f.start)
        end_line, end_col = doc.lines.position(f.end)
        result = {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri_of(f.path)},
                    "region": {
                        "startLine": line + 1, "startColumn": col + 1,
                        "endLine": end_line + 1, "endColumn": end_col + 1,
                        "snippet": {"text": f.found},
                    },
                }
            }],
        }
        if f.fix is not None:
            result["fixes"] = [{
                "description": {"text": f.fix.title},
                "artifactChanges": [{
                    "artifactLocation": {"uri": uri_of(f.path)},
                    "replacements": [{
                        "deletedRegion": _region(doc, e.start, e.end),
                        "insertedContent": {"text": e.new_text},
                    } for e in f.fix.edits],
                }],
            }]
        if f.related:
            result["relatedLocations"] = []
            for i, r in enumerate(f.related):
                target = docs[r.path]
                result["relatedLocations"].append({
                    "id": i,
                    "message": {"text": r.message},
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_of(r.path)},
                        "region": _region(target, r.start, r.end),
                    },
                })
        results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "nnterm",
                "version": __version__,
                "informationUri": "https://pypi.org/project/nnterm-ls/",
                "rules": [{
                    "id": code,
                    "name": code,
                    "shortDescription": {"text": spec.summary},
                    "defaultConfiguration": {"level": SARIF_LEVEL[spec.severity], "enabled": spec.enabled},
                } for code, spec in rules.items()],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


def _region(doc, start: int, end: int) -> dict:
    line, col = doc.lines.position(start)
    end_line, end_col = doc.lines.position(end)
    return {"startLine": line + 1, "startColumn": col + 1, "endLine": end_line + 1, "endColumn": end_col + 1}


RENDERERS = {"text": render_text, "json": render_json, "github": render_github, "sarif": render_sarif}
