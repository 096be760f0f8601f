# Copied from scripts/generator/lib/cli/export.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""Tabular exports: CSV (a header row, one row per record), JSON Lines (one object per line) and JSON (an array).

Cells hold plain values: numbers as numbers (units are in the column names, ``rtt_ms``), times as ISO 8601 with
their offset, nothing for a missing value. So pandas (``read_csv(..., parse_dates=["time"])``) and spreadsheets
read an export without cleanup.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

from ..errors import printable

Cell = str | int | float | bool | None
Row = Mapping[str, Cell]
FORMATS = ("table", "json", "jsonl", "csv")


def _cell(value: Cell) -> Cell:
    return printable(value) if isinstance(value, str) else value


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if (value := row.get(name)) is None else _cell(value) for name in columns])
    return out.getvalue()


def to_jsonl(rows: Sequence[Row], columns: Sequence[str]) -> str:
    return "".join(
        json.dumps({name: _cell(row.get(name)) for name in columns}, ensure_ascii=False) + "\n" for row in rows
    )


def to_json(rows: Sequence[Row], columns: Sequence[str]) -> str:
    records = [{name: _cell(row.get(name)) for name in columns} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def render(rows: Sequence[Row], columns: Sequence[str], form: str) -> str:
    """The rows in one of the export formats (csv, jsonl, json)."""
    writers = {"csv": to_csv, "jsonl": to_jsonl, "json": to_json}
    return writers[form](rows, columns)
