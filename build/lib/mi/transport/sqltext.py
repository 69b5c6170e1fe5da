"""Reading a configured SQL text without running it: is it one statement?

A channel's query must be a single statement: ``SELECT ...; DELETE ...; COMMIT`` is
refused before it reaches the database (which, for PostgreSQL through psycopg, would run
all three). The scan knows SQL's quoting and comments, so a ``;`` inside a string, a
quoted name, a dollar-quoted body or a comment does not count. It is the first of two
guards, not the only one: the reader also runs the statement in a read-only transaction.
"""
from __future__ import annotations

import re

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


class NotOneStatement(ValueError):
    pass


def check_one_statement(sql: str) -> None:
    """Raise ``NotOneStatement`` unless ``sql`` holds exactly one statement (a final ``;`` is fine)."""
    if not _has_code(sql):
        raise NotOneStatement("the query is empty")
    for end in _statement_ends(sql):
        if _has_code(sql[end + 1:]):
            raise NotOneStatement("the query must be one statement: there is more after a ';'")


def _has_code(sql: str) -> bool:
    """Whether ``sql`` holds anything but blanks, ``;`` and comments."""
    return bool(_strip_comments(sql).replace(";", "").strip())


def _strip_comments(sql: str) -> str:
    out, i = [], 0
    while i < len(sql):
        skip = _skip(sql, i)
        if skip is not None and sql[i] in "-/":
            i = skip
            continue
        if skip is not None:
            out.append(sql[i:skip])
            i = skip
            continue
        out.append(sql[i])
        i += 1
    return "".join(out)


def _statement_ends(sql: str) -> list[int]:
    """Positions of the ``;`` that end a statement (outside quotes and comments)."""
    ends, i = [], 0
    while i < len(sql):
        skip = _skip(sql, i)
        if skip is not None:
            i = skip
            continue
        if sql[i] == ";":
            ends.append(i)
        i += 1
    return ends


def _skip(sql: str, i: int) -> int | None:
    """If a quoted part or a comment starts at ``i``, the position just after it."""
    char = sql[i]
    if sql.startswith("--", i):
        end = sql.find("\n", i)
        return len(sql) if end < 0 else end + 1
    if sql.startswith("/*", i):
        end = sql.find("*/", i + 2)
        return len(sql) if end < 0 else end + 2
    if char in "'\"`":
        backslashes = char == "'" and i > 0 and sql[i - 1] in "eE"  # PostgreSQL E'...' strings
        j = i + 1
        while j < len(sql):
            if backslashes and sql[j] == "\\":
                j += 2
                continue
            if sql[j] == char:
                if sql.startswith(char * 2, j):  # '' inside '...' is a quote, not the end
                    j += 2
                    continue
                return j + 1
            j += 1
        return len(sql)
    if char == "$":
        tag = _DOLLAR_TAG.match(sql, i)
        if tag and not (i > 0 and (sql[i - 1].isalnum() or sql[i - 1] == "_")):
            end = sql.find(tag[0], tag.end())
            return len(sql) if end < 0 else end + len(tag[0])
    return None
