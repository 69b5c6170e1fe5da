"""Reading a field-note file (CSV, XLSX or JSON) into ``NoteDraft`` records.

Columns (JSON: keys) are recognised by name, case and spacing aside, with the usual
synonyms; a channel's ``columns`` option maps others. Fields:

* ``rm_ref`` (rm, rm_id, relationship_manager) — required
* ``customer_ref`` (customer_id, customer_number) or ``customer`` (customer_name, client):
  a ref or a customer name/alias — one of them required; the ref wins when both are given
* ``date`` (noted_on, note_date, meeting_date, visit_date) — required
* ``text`` (note, notes, comment, comments) — required
* ``tags`` (tag, topics): a list, or ',', ';' or '|' between tags
* ``confidential`` (is_confidential): yes/no, true/false, 1/0; default no
* ``note_id`` (id, note_ref): the file's own id for the note, if it has one

Other columns are kept in the note's ``extra``. A row that cannot become a note is
reported as ``line N: reason; note not loaded`` (CSV/XLSX: header = line 1; XLSX: the
sheet's row number) or ``record N: ...`` (JSON: 1-based position in the list); the other
rows still load. Checks that need the book (is the RM known, who is the customer) happen
when the notes are loaded (``mi.warehouse.note_loading``).

A file is read within its ``Limits``: a field longer than ``max_field_chars`` refuses its
note, more than ``max_rows`` notes stops the read (the ones before it load). JSON's NaN and
Infinity are missing values like null; a date before 1900 or days ahead is refused.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from mi.records.limits import Limits
from mi.records.notes import MAX_NOTE_ID, NOT_LOADED, NoteDraft, NoteError
from mi.records.parsed import ParseResult
from mi.sources.notes.values import normalise_tags, read_flag, read_note_date
from mi.sources.reading.caps import field_too_long, limit_text
from mi.sources.reading.charset import decode, http_charset
from mi.sources.reading.fields import field_name, map_columns
from mi.sources.reading.tables import read_table
from mi.sources.reading.values import implausible, read_json

FIELDS = ("note_id", "rm_ref", "customer_ref", "customer", "date", "text", "tags", "confidential")
SYNONYMS = {
    **{name: name for name in FIELDS},
    "id": "note_id", "note_ref": "note_id",
    "rm": "rm_ref", "rm_id": "rm_ref", "relationship_manager": "rm_ref",
    "customer_id": "customer_ref", "customer_number": "customer_ref", "customer_no": "customer_ref",
    "customer_name": "customer", "client": "customer", "client_name": "customer",
    "noted_on": "date", "note_date": "date", "meeting_date": "date", "visit_date": "date",
    "note": "text", "notes": "text", "comment": "text", "comments": "text",
    "tag": "tags", "topics": "tags",
    "is_confidential": "confidential",
}
_REQUIRED = (("rm_ref",), ("customer_ref", "customer"), ("date",), ("text",))


@dataclass(frozen=True)
class NoteFileOptions:
    columns: dict[str, str] = field(default_factory=dict, hash=False)  # file column -> field
    sheet: str | int | None = None
    delimiter: str | None = None
    date_format: str | None = None


def read_note_file(body: bytes, *, url: str, content_type: str | None, options: NoteFileOptions,
                   limits: Limits | None = None) -> ParseResult:
    """Never raises: unreadable files are fatal, bad rows are problems."""
    name = PurePath(url).name
    limits = limits or Limits()
    if _is_json(body, name, content_type):
        return _json_notes(body, name, options, content_type, limits)
    return _table_notes(body, name, options, content_type, limits)


def _is_json(body: bytes, name: str, content_type: str | None) -> bool:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".json" or "json" in (content_type or "").lower():
        return True
    if suffix in (".csv", ".xlsx"):
        return False
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")  # a replayed payload without a name


def _field_for(column: str, options: NoteFileOptions) -> str | None:
    configured = {key.casefold(): value for key, value in options.columns.items()}
    return (options.columns.get(column) or configured.get(column.strip().casefold())
            or SYNONYMS.get(field_name(column)))


def _missing(present: set[str]) -> list[str]:
    return [" or ".join(group) for group in _REQUIRED if not present.intersection(group)]


def _table_notes(body: bytes, name: str, options: NoteFileOptions, content_type: str | None,
                 limits: Limits) -> ParseResult:
    table = read_table(body, sheet=options.sheet, delimiter=options.delimiter,  # sniffs XLSX vs CSV
                       limits=limits, content_type=content_type)
    if not table.header:
        return ParseResult(fatal=table.error or "no header line", problems=list(table.problems),
                           warnings=list(table.warnings))
    mapping = {column: ours for column in table.header if column and (ours := _field_for(column, options))}
    columns = map_columns(table.header, mapping, FIELDS)
    missing = _missing(set(columns.positions))
    if missing:
        listed = ", ".join(column for column in table.header if column) or "none"
        return ParseResult(fatal=f"field notes: header lacks {', '.join(missing)} (columns: {listed}; "
                                 "map them with the 'columns' option)")
    used = set(columns.positions.values())
    drafts: list[NoteDraft] = []
    problems: list[str] = list(table.problems)
    for text_row in table.rows:
        where = f"line {text_row.line}"
        if text_row.problem:
            problems.append(f"{where}: {text_row.problem}; {NOT_LOADED}")
            continue
        if any(cell for cell in text_row.cells[len(table.header):]):
            # An unquoted comma in a note shifts the cells: refuse the row, don't cut the text.
            problems.append(f"{where}: {len(text_row.cells)} cells but the header has {len(table.header)} "
                            f"(a separator inside the note? quote the text); {NOT_LOADED}")
            continue
        values = columns.row(text_row).values
        # Non-empty cells all sit under the header here (checked above), so header[i] exists.
        extra = {table.header[i]: cell for i, cell in enumerate(text_row.cells)
                 if cell and i not in used and table.header[i]}
        _add(drafts, problems, values, where=where, source=f"{name} {where}", options=options, extra=extra,
             limits=limits)
    return ParseResult(records=drafts, problems=problems, warnings=[*table.warnings, *columns.notes],
                       fatal=table.error)


def _json_notes(body: bytes, name: str, options: NoteFileOptions, content_type: str | None,
                limits: Limits) -> ParseResult:
    decoded = decode(body, [http_charset(content_type)])  # JSON is UTF-8, but exports are not always
    note = [decoded.note] if decoded.note else []
    warnings, problems = ([], note) if decoded.lost else (note, [])
    try:
        data = read_json(decoded.text.lstrip("\ufeff"))
    except (ValueError, RecursionError) as exc:
        return ParseResult(fatal=f"not a JSON document: {exc}", warnings=warnings)
    if isinstance(data, Mapping):
        data = data.get("notes")
    if not isinstance(data, list):
        return ParseResult(fatal="JSON must be a list of notes, or an object with a 'notes' list", warnings=warnings)
    drafts: list[NoteDraft] = []
    fatal = None
    if len(data) > limits.max_rows:
        fatal = (f"more than {limit_text(limits, 'max_rows')} notes; record {limits.max_rows + 1} and the "
                 "records after it were not read")
    for position, item in enumerate(data[:limits.max_rows], start=1):
        where = f"record {position}"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: not an object; {NOT_LOADED}")
            continue
        if too_long := _too_long(item, limits):
            problems.append(f"{where}: {too_long}; {NOT_LOADED}")
            continue
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in item.items():
            ours = _field_for(str(key), options)
            if ours and ours not in values:
                values[ours] = value
            elif not _empty(value):
                extra[str(key)] = value
        _add(drafts, problems, values, where=where, source=f"{name} {where}", options=options, extra=extra,
             limits=limits)
    return ParseResult(records=drafts, problems=problems, warnings=warnings, fatal=fatal)


def _too_long(item: Mapping[Any, Any], limits: Limits) -> str | None:
    """Why a JSON note is too big to keep: one of its values is longer than a field may be."""
    for key, value in item.items():
        size = len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
        if size > limits.max_field_chars:
            return field_too_long(0, size, limits, column=str(key))
    return None


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {}) or (isinstance(value, float) and not math.isfinite(value))


def _add(drafts: list[NoteDraft], problems: list[str], values: Mapping[str, Any], *, where: str,
         source: str, options: NoteFileOptions, extra: dict[str, Any], limits: Limits) -> None:
    # The other columns are kept together in the note's ``extra``: one field, so one limit.
    kept = len(json.dumps(extra, ensure_ascii=False, default=str)) if extra else 0
    if kept > limits.max_field_chars:
        problems.append(f"{where}: the {len(extra):,} other columns hold {kept:,} characters, over the limit of "
                        f"{limit_text(limits, 'max_field_chars')}; {NOT_LOADED}")
        return
    try:
        drafts.append(draft_from(values, where=where, source=source, date_format=options.date_format,
                                 extra=extra))
    except NoteError as exc:
        problems.append(f"{where}: {exc}; {NOT_LOADED}")


def draft_from(values: Mapping[str, Any], *, where: str, source: str, date_format: str | None = None,
               extra: dict[str, Any] | None = None) -> NoteDraft:
    """A draft from field values; raises ``NoteError`` listing every reason the row is bad."""
    reasons: list[str] = []

    def read(reader: Any, *args: Any) -> Any:
        try:
            return reader(*args)
        except NoteError as exc:
            reasons.append(str(exc))
            return None

    rm = _text(values.get("rm_ref"))
    customer = _text(values.get("customer_ref")) or _text(values.get("customer"))
    noted_on = read(read_note_date, values.get("date"), date_format)
    if noted_on is not None and (why := implausible(dt.datetime.combine(noted_on, dt.time(), dt.UTC))):
        reasons.append(f"date {noted_on.isoformat()} {why}")
        noted_on = None
    text = _text(values.get("text"))
    tags = read(normalise_tags, values.get("tags"))
    confidential = read(read_flag, values.get("confidential"))
    note_id = _text(values.get("note_id"))
    missing = [label for label, value in (("RM", rm), ("customer", customer), ("text", text)) if not value]
    reasons[:0] = [f"missing {label}" for label in missing]
    if note_id and len(note_id) > MAX_NOTE_ID:
        reasons.append(f"note id is longer than {MAX_NOTE_ID} characters")
    if reasons:
        raise NoteError("; ".join(reasons))
    return NoteDraft(rm=rm or "", customer=customer or "", noted_on=noted_on, text=text or "", tags=tags,
                     confidential=confidential, note_id=note_id, where=where, source=source,
                     extra=extra or {})


def _text(value: Any) -> str | None:
    """A cell or JSON value as stripped text; numbers (JSON ids, refs) become their digits.

    NaN and the infinities are no text: ``str()`` would make the note "nan"."""
    if value is None or isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        value = " ".join(str(part) for part in value)  # a note's text given as a list of lines
    return str(value).strip() or None

