"""A chunk of a KBO file as PostgreSQL's COPY takes it: the dotted numbers compact, the names folded.

Pure functions of bytes, without Django: the importer runs the ones that go line by line in Python
(names, addresses, contacts) in two processes of their own, beside the one that streams the
previous chunk into the database (`importer.PostgresBackend`), so that both cores work. An error carries
the file's line number; the importer turns it into a message.
"""

from __future__ import annotations

import csv
import io
import re

from .layout import Table, fold

# Tables whose only dotted values are the numbers: the dots can go everywhere in the bytes.
ONLY_NUMBERS_DOTTED = {"enterprise", "establishment", "branch", "activity"}


class NotUtf8(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def in_python(table: Table, role: str) -> bool:
    """Whether the chunk is transformed line by line in Python (worth a process of its own), rather
    than by one replace over the bytes or not at all."""
    return not (role == "delete" or table.name in ONLY_NUMBERS_DOTTED or table.name == "code")


def for_copy(table: Table, role: str, data: bytes, first_line: int = 2) -> bytes:
    """The chunk as COPY gets it: numbers compact, the rest as written (and the names folded)."""
    if role == "delete" or table.name in ONLY_NUMBERS_DOTTED:
        return data.replace(b".", b"")
    if table.name == "code":
        return data
    if table.folded:
        return _denominations(data, first_line)
    return _compact_leading_number(data)


def _compact_leading_number(data: bytes) -> bytes:
    """Remove the dots of the number that starts every line ("0200.065.765" or "2.000.000.339"),
    and only there: names, streets and e-mail addresses keep theirs."""
    return b"\n".join([
        line[:15].replace(b".", b"") + line[15:] if line[:1] == b'"' else line for line in data.split(b"\n")
    ])  # fmt: skip


# A line of denomination.csv once its number is compact: "0200065765","2","001",<the name>
_DENOMINATION_HEAD = re.compile(r'^"\d{10}","\d","\d{3}",', re.MULTILINE)
_NAME_AT = 23


def _denominations(data: bytes, first_line: int) -> bytes:
    """Compact the leading number and add the folded name as a last column. The common case goes
    by whole chunks: fold the chunk's text at once (its lines stay lines), then give each line the
    name field of its folded twin, as written (quotes and doubled quotes stay). Lines of another
    shape go one by one; a chunk with a name across lines goes through csv."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotUtf8(first_line + data[: error.start].count(b"\n")) from None
    lines = text.split("\n")
    ending = lines.pop() if lines and lines[-1] == "" else None
    compact = [row[:15].replace(".", "") + row[15:] for row in lines]
    joined = "\n".join(compact)
    # Every line in shape (which a name across lines would break): the whole chunk at once.
    if "\r" not in joined and len(_DENOMINATION_HEAD.findall(joined)) == len(compact):
        folded = fold(joined).split("\n")
        result = [f"{row},{twin[_NAME_AT:]}" for row, twin in zip(compact, folded, strict=True)]
    elif any(row.count('"') % 2 for row in lines):
        return _denominations_by_csv(text)
    else:
        result = []
        for row in compact:
            end = "\r" if row.endswith("\r") else ""
            body = row[:-1] if end else row
            third = body.find(",", body.find(",", body.find(",") + 1) + 1)
            if row[:1] == '"' and third > 0:  # no third comma: a column short; COPY names the line
                row = f"{body},{fold(body[third + 1 :])}{end}"
            result.append(row)
    if ending is not None:
        result.append(ending)
    return "\n".join(result).encode()


def _denominations_by_csv(text: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for record in csv.reader(io.StringIO(text, newline="")):
        if record and record[0]:
            record[0] = record[0].replace(".", "")
        writer.writerow([*record, fold(record[-1])] if len(record) == 4 else record)
    return out.getvalue().encode()
