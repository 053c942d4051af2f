"""JSON Lines: one JSON object per line, the article text under ``text`` (or a chosen key)."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.columns import article, find_columns, no_text_reason
from annotator.io.importers.decoding import decode_text
from annotator.io.importers.fields import normalise_newlines, with_warnings
from annotator.io.importers.options import ImportOptions


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    decoded = decode_text(data, path)
    lines = normalise_newlines(decoded.text).split("\n")
    articles: list[NewDocument] = []
    keys_seen: dict[str, None] = {}
    any_text_key = False
    objects = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                path, f"line {number} is not valid JSON ({exc.msg}, column {exc.colno})"
            ) from exc
        if not isinstance(record, dict):
            raise ImportFileError(path, f"line {number} is not a JSON object ({{...}}) but {_kind(record)}")
        objects += 1
        keys = [str(key) for key in record]
        keys_seen.update(dict.fromkeys(keys))
        columns = find_columns(keys, options, path, noun="key", strict=False)
        any_text_key = any_text_key or columns.has_text()
        if not columns.has_text():
            continue
        found = article(path, columns, list(record.values()), "line", number)
        if found is not None:
            articles.append(found)
    if not objects:
        raise ImportFileError(path, "has no JSON object (only blank lines)")
    if not any_text_key:
        raise ImportFileError(path, no_text_reason(list(keys_seen), options, noun="key"))
    if not articles:
        raise ImportFileError(path, "has no article: the text of every line is empty")
    return with_warnings(articles, decoded.warnings)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"
