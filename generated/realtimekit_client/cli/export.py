# Copied from scripts/generator/lib/cli/export.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""Tabular exports: CSV (a header row, one row per record), JSON Lines (one object per line) and JSON (an array).

Cells hold plain values: numbers as numbers, as the server sent them (units are in the column names, ``rtt_ms``),
times as ISO 8601 with their offset, nothing for a missing value, and text exactly as the server sent it (only the
terminal table escapes it). So pandas (``read_csv(..., parse_dates=["time"])``) and spreadsheets read an export
without cleanup. Two exceptions, for what the formats cannot carry safely:

- CSV: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, as
  OWASP recommends against formula injection (a display name of ``=HYPERLINK(...)`` stays text in a spreadsheet).
  Numbers are not text cells: -2.5 stays -2.5.
- A lone UTF-16 surrogate (JSON allows ``"\\ud800"``) is no character and cannot be written as UTF-8: JSON keeps it
  as the escape ``\\ud800``, CSV shows U+FFFD.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence

Cell = str | int | float | bool | None
Row = Mapping[str, Cell]
FORMATS = ("table", "json", "jsonl", "csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def csv_text(value: str) -> str:
    """A text cell for CSV: a formula's first character defused with a leading quote; lone surrogates as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _json_text(text: str) -> str:
    """JSON text with lone surrogates written as escapes (they can only occur inside strings)."""
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = [row.get(name) for name in columns]
        writer.writerow(
            ["" if value is None else csv_text(value) if isinstance(value, str) else value for value in cells]
        )
    return out.getvalue()


def to_jsonl(rows: Sequence[Row], columns: Sequence[str]) -> str:
    return "".join(
        _json_text(json.dumps({name: row.get(name) for name in columns}, ensure_ascii=False)) + "\n" for row in rows
    )


def to_json(rows: Sequence[Row], columns: Sequence[str]) -> str:
    records = [{name: row.get(name) for name in columns} for row in rows]
    return _json_text(json.dumps(records, ensure_ascii=False, indent=2)) + "\n"


def render(rows: Sequence[Row], columns: Sequence[str], form: str) -> str:
    """The rows in one of the export formats (csv, jsonl, json)."""
    writers = {"csv": to_csv, "jsonl": to_jsonl, "json": to_json}
    return writers[form](rows, columns)
