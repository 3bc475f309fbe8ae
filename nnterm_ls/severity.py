"""Severities: the one table of names, ranks and what each output format calls them."""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info", "hint")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "hint": 0}
ALIASES = {"information": "info", "note": "info"}

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}
# LSP DiagnosticSeverity values (1 Error, 2 Warning, 3 Information, 4 Hint)
LSP_SEVERITY = {"error": 1, "warning": 2, "info": 3, "hint": 4}


def normalize(name: str | None) -> str | None:
    """A severity name as written in configuration ("information" is accepted for "info")."""
    if name is None:
        return None
    return ALIASES.get(name, name)

