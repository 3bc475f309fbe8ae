"""Output formats of `nnterm check`: text (compiler style), json, sarif (2.1.0), github (workflow commands) and
rdjson (reviewdog's Diagnostic Format)."""

from __future__ import annotations

import json

from .. import __version__
from ..rules.findings import Finding
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


# ANSI SGR codes of the coloured text output (only on a terminal, or with --color always / FORCE_COLOR)
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
SEVERITY_COLOR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;34m", "hint": "\x1b[36m"}
CODE_COLOR = "\x1b[35m"
FIX_COLOR = "\x1b[32m"


def render_text(items: list[tuple[Finding, object]], docs: dict, *, color: bool = False) -> str:
    lines = []
    for f, doc in items:
        line, col = doc.lines.position(f.start)
        fix = ""
        if f.suggestion is not None and f.code != "missing-gloss":
            fix = f" (fix: {f.suggestion})" if f.fix and f.fix.safe else ""
        if color:
            sev = SEVERITY_COLOR.get(f.severity, "")
            text = (f"{BOLD}{f.path}{RESET}{DIM}:{line + 1}:{col + 1}:{RESET} {sev}{f.severity}{RESET} "
                    f"{CODE_COLOR}[{f.code}]{RESET} {f.message}" + (f"{FIX_COLOR}{fix}{RESET}" if fix else ""))
        else:
            text = f"{f.path}:{line + 1}:{col + 1}: {f.severity} [{f.code}] {f.message}{fix}"
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
    from ..rules.registry import builtin_rules

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


RDJSON_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO", "hint": "INFO"}


def _rd_range(doc, start: int, end: int) -> dict:
    # reviewdog positions: lines from 1, columns from 1 counted in UTF-8 bytes
    line, col = doc.lines.position(start)
    end_line, end_col = doc.lines.position(end)
    text = doc.lines.text
    starts = doc.lines.starts

    def byte_col(ln: int, c: int) -> int:
        return len(text[starts[ln] : starts[ln] + c].encode("utf-8")) + 1

    return {"start": {"line": line + 1, "column": byte_col(line, col)},
            "end": {"line": end_line + 1, "column": byte_col(end_line, end_col)}}


def render_rdjson(items, docs: dict) -> str:
    """reviewdog's Diagnostic Format (rdjson): one DiagnosticResult, for `reviewdog -f=rdjson`."""
    diagnostics = []
    for f, doc in items:
        d = {
            "message": f.message,
            "location": {"path": f.path, "range": _rd_range(doc, f.start, f.end)},
            "severity": RDJSON_SEVERITY[f.severity],
            "source": {"name": "nnterm"},
            "code": {"value": f.code},
        }
        if f.fix is not None and f.fix.safe:
            d["suggestions"] = [{"range": _rd_range(doc, e.start, e.end), "text": e.new_text} for e in f.fix.edits]
        if f.related:
            d["related_locations"] = [
                {"message": r.message, "location": {"path": r.path, "range": _rd_range(docs[r.path], r.start, r.end)}}
                for r in f.related if r.path in docs
            ]
        diagnostics.append(d)
    result = {"source": {"name": "nnterm", "url": "https://pypi.org/project/nnterm-ls/"}, "diagnostics": diagnostics}
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "github": render_github, "sarif": render_sarif,
             "rdjson": render_rdjson}
