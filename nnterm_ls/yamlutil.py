"""Safe YAML loading that remembers where every value came from, for file:line error messages."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

try:  # libyaml's parser when it is there; construction stays in Python either way
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    _Loader = yaml.SafeLoader


class LineDict(dict):
    """A mapping with the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class LineStr(str):
    line: int = 0


@dataclass(slots=True)
class YamlError(Exception):
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


def load(text: str):
    """Parse one YAML document into LineDict/LineList/LineStr values (safe tags only).

    Raises YamlError with the position of the first syntax error or duplicate key.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(loader, node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlError(line, col, msg or "invalid YAML") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, 1, str(exc)) from None
    finally:
        loader.dispose()


_STR_TAG = "tag:yaml.org,2002:str"
_FLATTEN_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


def _convert(loader, node):
    cls = node.__class__
    if cls is yaml.ScalarNode and node.tag == _STR_TAG:
        # what the safe constructor makes of a plain string scalar, without its dispatch (most values of a term file)
        s = LineStr(node.value)
        s.line = node.start_mark.line + 1
        return s
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        if any(k.tag in _FLATTEN_TAGS for k, _v in node.value):
            loader.flatten_mapping(node)
        out = LineDict()
        out.line = line
        key_lines = out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(loader, key_node)
            if isinstance(key, (list, dict)):
                raise YamlError(key_node.start_mark.line + 1, key_node.start_mark.column + 1, "unhashable key")
            if key in out:
                raise YamlError(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    f"duplicate key {key!r} (first at line {key_lines[key]})",
                )
            key_lines[key] = key_node.start_mark.line + 1
            out[key] = _convert(loader, value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LineList()
        out.line = line
        item_lines = out.item_lines = []
        for item in node.value:
            item_lines.append(item.start_mark.line + 1)
            out.append(_convert(loader, item))
        return out
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        s = LineStr(value)
        s.line = line
        return s
    return value


def line_at_path(doc, path) -> int:
    """The line of the value at a jsonschema-style path (keys and indexes) in a loaded document."""
    line = getattr(doc, "line", 1) or 1
    cur = doc
    for part in path:
        if isinstance(cur, LineDict) and part in cur:
            line = cur.line_of(part)
            cur = cur[part]
        elif isinstance(cur, LineList) and isinstance(part, int) and part < len(cur):
            line = cur.line_of(part)
            cur = cur[part]
        else:
            break
    return line
