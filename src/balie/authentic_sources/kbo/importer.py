"""Import the KBO open data: a full ZIP replaces every table, an update ZIP deletes and inserts.

    import_kbo("KboOpenData_0140_2025_10_05_Full.zip")      # or: balie import_kbo <zip>

**Checks first.** The ZIP must open (a truncated one does not), meta.csv must name the extract
(type, number, dates), every file the type needs must be there, and every header must be exactly
the open-data header. Nothing is written before these pass. A bad value further on (a date that is
no date, a row with a column too few) stops the import with the file and the line named; the table
it was loading is left as it was.

**Full import.** Each table is loaded into a new table beside the live one (`<table>__new`, same
columns, no indexes), in chunks of whole lines: on PostgreSQL the file's bytes stream through
`COPY … FROM STDIN` (psycopg's `cursor.copy()`), the dotted numbers made compact on the way and
the dd-mm-yyyy dates read by the server (DateStyle DMY); on SQLite rows are parsed in Python and
inserted in batches. Every chunk commits together with the file's progress (lines done and the
byte offset), so an interrupted import continues after the last chunk when it is run again. On
PostgreSQL a second connection builds each loaded table's indexes while the next file loads (the
machine's second core would otherwise idle). When every table is loaded and indexed, one
transaction swaps all of them in (drop the old, rename the new, give indexes and constraints their
names back) together with meta.csv: readers see the old data until that commit, then the new.

**Update.** Per table, in one transaction: the keys of `<table>_delete.csv` are deleted, then the
rows of `<table>_insert.csv` replace whatever rows their entities still have (deleted by key, then
inserted). Applying the same update twice leaves the same data as applying it once. code.csv is
complete in an update and replaces the code table. A table that is done is not done again when an
interrupted update is run once more.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import datetime as dt
import io
import logging
import multiprocessing
import os
import queue
import re
import threading
import time
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models.kbo import (
    KboActivity,
    KboAddress,
    KboBranch,
    KboCode,
    KboContact,
    KboDenomination,
    KboEnterprise,
    KboEstablishment,
    KboImport,
    KboImportFile,
    KboImportKind,
    KboImportState,
    KboMeta,
)
from . import transform
from .layout import (
    DATE,
    META_HEADERS,
    NUMBER,
    TABLES,
    TEXT,
    Column,
    Table,
    compact_number,
    fold,
    parse_date,
    parse_timestamp,
)

log = logging.getLogger(__name__)

CHUNK_BYTES = 16 << 20  # a chunk of a file: one COPY (or batch of inserts) and one commit
MAINTENANCE_WORK_MEM = os.environ.get("BALIE_KBO_MAINTENANCE_WORK_MEM", "512MB")
NEW = "__new"
META_KEYS = ("SnapshotDate", "ExtractTimestamp", "ExtractType", "ExtractNumber", "Version")
MODELS: dict[str, Any] = {
    "code": KboCode,
    "enterprise": KboEnterprise,
    "establishment": KboEstablishment,
    "branch": KboBranch,
    "denomination": KboDenomination,
    "address": KboAddress,
    "contact": KboContact,
    "activity": KboActivity,
}
# A full import loads the names first: their trigram index takes longest to build, and is built
# on the second connection while the other files load. The activities (the largest file by far)
# come next, so that their index is built while the smaller files load, not after the last one.
FULL_LOAD_ORDER = (
    "code", "denomination", "activity", "enterprise", "establishment", "branch", "address", "contact"
)  # fmt: skip

Progress = Callable[[str, str, int, int], None]  # phase, file, done, total (bytes for loading)
Hook = Callable[[str, dict[str, Any]], None]  # called after every commit (tests interrupt here)


class KboImportError(Exception):
    """What stopped an import, with the file and the line when it was in one."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where = _("%(file)s, regel %(line)s") % {
                "file": self.file,
                "line": f"{self.line:,}".replace(",", "."),
            }
        return f"{where}: {self.message}" if where else self.message


# --- the ZIP ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One CSV of the ZIP: which table it feeds and how."""

    name: str  # as in the ZIP
    file: str  # as the open data names it: enterprise.csv, enterprise_delete.csv
    table: Table
    role: str  # "full", "insert" or "delete"
    size: int  # uncompressed bytes
    crc: int  # CRC-32, from the ZIP's directory

    @property
    def columns(self) -> tuple[Column, ...]:
        """The file's columns."""
        if self.role == "delete":
            return tuple(c for c in self.table.columns if c.header == self.table.key)
        return self.table.columns

    @property
    def load_columns(self) -> tuple[Column, ...]:
        """The columns a chunk is loaded into: the file's, then those the importer derives (the
        folded name of a denomination)."""
        if self.role == "delete":
            return self.columns
        return self.columns + tuple(Column("", derived) for derived, _ in self.table.folded)


@dataclass
class Chunk:
    data: bytes  # whole lines
    first_line: int  # the file's line number of its first line (the header is line 1)
    lines: int
    end_offset: int  # bytes of the file after the header, up to the end of this chunk


@dataclass
class Meta:
    values: dict[str, str]
    kind: str
    number: int
    snapshot: dt.date
    timestamp: dt.datetime


class Archive:
    """A KBO ZIP, checked: it opens, meta.csv is sound, the files of its type are there with their
    exact headers."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = self.path.name
        try:
            self.size = self.path.stat().st_size
            self.zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise KboImportError(_("Dit bestand bestaat niet."), file=self.name) from None
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise KboImportError(
                _("Dit is geen volledig ZIP-bestand (afgebroken download of beschadigd): %(error)s")
                % {"error": error},
                file=self.name,
            ) from None
        self.infos = {
            Path(info.filename).name.lower(): info for info in self.zip.infolist() if not info.is_dir()
        }
        self.meta = self._read_meta()
        self.members = self._members()

    def close(self) -> None:
        self.zip.close()

    def _open(self, info: zipfile.ZipInfo) -> IO[bytes]:
        try:
            return self.zip.open(info)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            raise KboImportError(
                _("Het ZIP-bestand is beschadigd: %(error)s") % {"error": error},
                file=Path(info.filename).name,
            ) from None

    def _read_meta(self) -> Meta:
        info = self.infos.get("meta.csv")
        if info is None:
            raise KboImportError(_("meta.csv ontbreekt in het ZIP-bestand."), file=self.name)
        with self._open(info) as raw:
            text = raw.read().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        if not rows or tuple(rows[0]) != META_HEADERS:
            raise KboImportError(_("De kolommen moeten Variable,Value zijn."), file="meta.csv", line=1)
        values: dict[str, str] = {}
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != 2:
                raise KboImportError(_("Twee kolommen verwacht."), file="meta.csv", line=number)
            values[row[0]] = row[1]
        missing = [key for key in META_KEYS if key not in values]
        if missing:
            raise KboImportError(_("%(keys)s ontbreekt.") % {"keys": ", ".join(missing)}, file="meta.csv")
        kind = values["ExtractType"].lower()
        if kind not in KboImportKind.values:
            raise KboImportError(
                _("ExtractType is %(value)r, niet full of update.") % {"value": values["ExtractType"]},
                file="meta.csv",
            )
        try:
            snapshot = parse_date(values["SnapshotDate"])
            timestamp = parse_timestamp(values["ExtractTimestamp"])
            number = int(values["ExtractNumber"])
        except ValueError as error:
            raise KboImportError(str(error), file="meta.csv") from None
        if snapshot is None:
            raise KboImportError(_("SnapshotDate is leeg."), file="meta.csv")
        return Meta(values, kind, number, snapshot, timezone.make_aware(timestamp))

    def _members(self) -> list[Member]:
        members = []
        roles = ("full",) if self.meta.kind == KboImportKind.FULL else ("delete", "insert")
        for table in TABLES:
            for role in ("full",) if table.name == "code" else roles:
                file = table.file if role == "full" else f"{table.name}_{role}.csv"
                info = self.infos.get(file.lower())
                if info is None:
                    raise KboImportError(
                        _("%(file)s ontbreekt in dit %(kind)s-bestand.")
                        % {"file": file, "kind": self.meta.kind},
                        file=self.name,
                    )
                members.append(Member(info.filename, file, table, role, info.file_size, info.CRC))
        return members

    def check_headers(self) -> None:
        for member in self.members:
            with self._open(self.infos[member.file.lower()]) as raw:
                first = raw.readline(100_000).decode("utf-8-sig", errors="replace").strip("\r\n")
            got = next(csv.reader([first]), [])
            expected = [c.header for c in member.columns]
            if got == expected:
                continue
            missing = [h for h in expected if h not in got]
            extra = [h for h in got if h not in expected]
            if missing:
                message = _("kolom %(columns)s ontbreekt") % {"columns": ", ".join(missing)}
            elif extra:
                message = _("onbekende kolom %(columns)s") % {"columns": ", ".join(extra)}
            else:
                message = _("de kolommen staan in een andere volgorde dan %(expected)s") % {
                    "expected": ",".join(expected)
                }
            raise KboImportError(message, file=member.file, line=1)

    def chunks(
        self, member: Member, offset: int = 0, size: int = CHUNK_BYTES, first_line: int = 2
    ) -> Iterator[Chunk]:
        """The file after its header in chunks of whole CSV records (a newline outside quotes ends
        a record), starting `offset` bytes after the header, whose first line is `first_line`."""
        raw = self._open(self.infos[member.file.lower()])
        line = first_line
        position = offset
        try:
            with raw:
                raw.readline()
                skip = offset
                while skip:
                    got = len(raw.read(min(skip, 1 << 24)))
                    if not got:
                        raise KboImportError(
                            _("Het bestand is korter dan bij de vorige poging."), file=member.file
                        )
                    skip -= got
                rest = b""
                while True:
                    block = raw.read(size)
                    data = rest + block
                    if not block:
                        if data:
                            lines = data.count(b"\n") + (not data.endswith(b"\n"))
                            yield Chunk(data, line, lines, position + len(data))
                        return
                    cut = _record_end(data)
                    if cut == 0:
                        rest = data  # a record longer than a chunk: read on
                        continue
                    rest = data[cut:]
                    piece = data[:cut]
                    lines = piece.count(b"\n")
                    position += cut
                    yield Chunk(piece, line, lines, position)
                    line += lines
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            raise KboImportError(
                _("Het ZIP-bestand is beschadigd: %(error)s") % {"error": error}, file=member.file, line=line
            ) from None


def _record_end(data: bytes) -> int:
    """The end of the last whole record: after a newline with an even number of quotes before it."""
    cut = data.rfind(b"\n") + 1
    while cut and data.count(b'"', 0, cut) % 2:
        cut = data.rfind(b"\n", 0, cut - 1) + 1
    return cut


# --- parsing (SQLite, and the checks the tests rely on) ----------------------------------------------


def _converter(column: Column) -> Callable[[str], Any]:
    if column.kind == NUMBER:
        return compact_number
    if column.kind == DATE:
        return parse_date
    return str


def parse_rows(member: Member, data: bytes, first_line: int) -> list[tuple[Any, ...]]:
    """The rows of a chunk as values for the table's columns; KboImportError names file and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = first_line + data[: error.start].count(b"\n")
        raise KboImportError(_("geen geldige UTF-8-tekst"), file=member.file, line=line) from None
    columns = member.columns
    converters = [_converter(c) for c in columns]
    count = len(columns)
    fields = [c.field for c in columns]
    folded = [fields.index(source) for _, source in member.table.folded] if member.role != "delete" else []
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[Any, ...]] = []
    at = first_line
    try:
        for record in reader:
            at = first_line + reader.line_num - 1
            if not record:
                continue
            if len(record) != count:
                raise KboImportError(
                    _("%(got)s kolommen in plaats van %(expected)s")
                    % {"got": len(record), "expected": count},
                    file=member.file,
                    line=at,
                )
            try:
                values = tuple(convert(value) for convert, value in zip(converters, record, strict=True))
                if folded:
                    values += tuple(fold(values[i]) for i in folded)
                rows.append(values)
            except ValueError as error:
                bad = next(
                    c for c, conv, v in zip(columns, converters, record, strict=True) if _fails(conv, v)
                )
                raise KboImportError(
                    _("kolom %(column)s: %(error)s") % {"column": bad.header, "error": error},
                    file=member.file,
                    line=at,
                ) from None
    except csv.Error as error:
        raise KboImportError(str(error), file=member.file, line=at) from None
    return rows


def _fails(convert: Callable[[str], Any], value: str) -> bool:
    try:
        convert(value)
    except ValueError:
        return True
    return False


def transform_for_copy(member: Member, data: bytes, first_line: int = 2) -> bytes:
    """The chunk as COPY gets it: numbers compact, the rest as written (and the names folded)."""
    try:
        return transform.for_copy(member.table, member.role, data, first_line)
    except transform.NotUtf8 as error:
        raise KboImportError(_("geen geldige UTF-8-tekst"), file=member.file, line=error.line) from None


# --- reading ahead -------------------------------------------------------------------------------


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def read_ahead(items: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """The items of `items`, made by a thread of their own up to `depth` ahead: the next chunk is
    decompressed and prepared while this one streams into the database (which would otherwise wait
    for it). An error of the reader comes out in its turn, after the items before it."""
    ahead: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as error:  # noqa: BLE001 - raised in the consuming thread
            put(_Failed(error))

    reader = threading.Thread(target=read, name="kbo-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = ahead.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                ahead.get_nowait()
        reader.join()


# --- backends -------------------------------------------------------------------------------------


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def live_table(table: Table) -> str:
    return str(MODELS[table.name]._meta.db_table)


def new_table(table: Table) -> str:
    return live_table(table) + NEW


class Backend(ABC):
    """How one database loads, indexes and swaps the KBO tables (PostgreSQL or SQLite)."""

    vendor = ""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    # Loading
    @abstractmethod
    def prepare_new(self, table: Table, *, fresh: bool) -> None: ...

    @abstractmethod
    def prepare(self, member: Member, chunk: Chunk) -> Any:
        """What `load` sends, made from the chunk (in the reader thread, while the previous chunk
        loads)."""
        ...

    @abstractmethod
    def load(self, target: str, member: Member, chunk: Chunk, prepared: Any = None) -> int: ...

    def loaded(self, table: Table) -> None:  # noqa: B027 - an optional hook
        """A table is in its new table: its indexes may be built (PostgreSQL: in the background)."""

    def finish(self) -> None:  # noqa: B027 - an optional hook
        """Everything is loaded: wait for the indexes."""

    def abort(self) -> None:  # noqa: B027 - an optional hook
        """Loading failed: stop building indexes."""

    def close(self) -> None:  # noqa: B027 - an optional hook
        """The import ended, well or not: let go of what the backend started."""

    @abstractmethod
    def swap(self, tables: tuple[Table, ...]) -> None: ...

    def drop_new(self) -> None:
        for table in TABLES:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {qn(new_table(table))}")

    # Updates
    def stage(self, member: Member, name: str, archive: Archive) -> int:
        """Create a temporary table `name` with the member's columns and load the member into it;
        return the lines read."""
        columns = ", ".join(qn(c.field) for c in member.load_columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            live = qn(live_table(member.table))
            cursor.execute(f"CREATE TEMPORARY TABLE {name} AS SELECT {columns} FROM {live} WHERE 1 = 0")
        lines = 0
        for chunk in archive.chunks(member):
            self.load(name, member, chunk)
            lines += chunk.lines
        return lines

    @abstractmethod
    def insert_ignore(self, live: str, columns: str, source: str) -> str: ...

    def after_update(self) -> None:  # noqa: B027 - an optional hook
        pass


class PostgresBackend(Backend):
    vendor = "postgresql"

    def __init__(self, progress: Progress | None) -> None:
        super().__init__(progress)
        self.jobs: queue.Queue[tuple[Table, str, str] | None] = queue.Queue()
        self.errors: list[BaseException] = []
        self.worker: threading.Thread | None = None
        self.transformer: concurrent.futures.ProcessPoolExecutor | None = None
        self.pending = 0
        self.lock = threading.Lock()

    def prepare_new(self, table: Table, *, fresh: bool) -> None:
        live, new = live_table(table), new_table(table)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [new])
            exists = cursor.fetchone()[0] is not None
            if exists and not fresh:
                return
            cursor.execute(f"DROP TABLE IF EXISTS {qn(new)}")
            cursor.execute(
                f"CREATE TABLE {qn(new)} (LIKE {qn(live)} INCLUDING DEFAULTS INCLUDING IDENTITY"
                " INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE)"
                " WITH (autovacuum_enabled = false)"
            )

    def prepare(self, member: Member, chunk: Chunk) -> Any:
        """The chunk's bytes for COPY, or a future of them: the transforms that go line by line in
        Python run in two processes of their own (`transform`), two chunks at once, while this one
        sends the previous chunk: loading the names took 7–8 s with the transform in a thread of this
        process and 5.3 s with two processes (the raw COPY: about 2 s)."""
        if not transform.in_python(member.table, member.role):
            return transform_for_copy(member, chunk.data, chunk.first_line)
        return self._transformer().submit(
            transform.for_copy, member.table, member.role, chunk.data, chunk.first_line
        )

    def _transformer(self) -> concurrent.futures.ProcessPoolExecutor:
        with self.lock:
            if self.transformer is None:
                # spawn: a fresh interpreter that imports `transform` alone, no Django, no sockets
                self.transformer = concurrent.futures.ProcessPoolExecutor(
                    max_workers=2, mp_context=multiprocessing.get_context("spawn")
                )
            return self.transformer

    def close(self) -> None:
        if self.transformer is not None:
            self.transformer.shutdown(cancel_futures=True)
            self.transformer = None

    def load(self, target: str, member: Member, chunk: Chunk, prepared: Any = None) -> int:
        import psycopg

        columns = member.load_columns
        text_columns = [qn(c.field) for c in columns if c.kind == TEXT]
        options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(text_columns)})" if text_columns else "")
        sql = f"COPY {qn(target)} ({', '.join(qn(c.field) for c in columns)}) FROM STDIN WITH ({options})"
        data = self.prepare(member, chunk) if prepared is None else prepared
        if isinstance(data, concurrent.futures.Future):
            try:
                data = data.result()
            except transform.NotUtf8 as error:
                raise KboImportError(
                    _("geen geldige UTF-8-tekst"), file=member.file, line=error.line
                ) from None
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL datestyle = 'ISO, DMY'")
            try:
                with cursor.copy(sql) as copy:  # psycopg's Copy, through Django's cursor
                    copy.write(data)
            except psycopg.Error as error:
                raise _copy_error(error, member, chunk) from None
        return chunk.lines

    # Indexes: defined by the live table (as the migrations made it), built on the new one.

    def _definitions(self, table: Table) -> list[tuple[str, str, str, str]]:
        """Per index of the live table: (its name, a temporary name, SQL building it on the new
        table, the constraint it carries: "PRIMARY KEY", "UNIQUE" or ""). A constraint's index is
        built as a plain unique index (ALTER TABLE … ADD CONSTRAINT would lock out the other index
        builds of the table) and becomes the constraint in the swap (… USING INDEX, no scan)."""
        live, new = live_table(table), new_table(table)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid, ci.relname, pg_get_indexdef(i.indexrelid), con.conname, con.contype
                  FROM pg_index i
                  JOIN pg_class ci ON ci.oid = i.indexrelid
                  LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                                              AND con.contype IN ('p', 'u')
                 WHERE i.indrelid = %s::regclass
                 ORDER BY i.indisprimary DESC, ci.relname
                """,
                [live],
            )
            rows = cursor.fetchall()
        definitions = []
        for oid, name, indexdef, constraint, kind in rows:
            temporary = f"kbo_new_{oid}"
            head = re.match(r"^CREATE (UNIQUE )?INDEX \S+ ON \S+ ", indexdef)
            assert head is not None, indexdef
            unique = head.group(1) or ""
            sql = f"CREATE {unique}INDEX {qn(temporary)} ON {qn(new)} {indexdef[head.end() :]}"
            carries = {"p": "PRIMARY KEY", "u": "UNIQUE"}.get(kind or "", "") if constraint else ""
            definitions.append((constraint or name, temporary, sql, carries))
        return definitions

    def loaded(self, table: Table) -> None:
        if self.worker is None and not connection.in_atomic_block:
            self.worker = threading.Thread(target=self._work, name="kbo-indexes", daemon=True)
            self.worker.start()
        # Statistics first (ANALYZE waits while an index of the table is being built). The
        # activities are only ever looked up by entity: a small sample does (10x faster).
        target = "SET default_statistics_target = 10; " if table.name == "activity" else ""
        self._submit((table, "", f"{target}ANALYZE {qn(new_table(table))}"))
        for _name, temporary, sql, _carries in self._definitions(table):
            self._submit((table, temporary, sql))

    def _submit(self, job: tuple[Table, str, str]) -> None:
        with self.lock:
            self.pending += 1
        if self.worker is None:  # inside a transaction (tests): build at once, on this connection
            self._run(job)
        else:
            self.jobs.put(job)

    def _run(self, job: tuple[Table, str, str]) -> None:
        table, temporary, sql = job
        try:
            with connection.cursor() as cursor:
                if temporary:
                    cursor.execute("SELECT to_regclass(%s)", [temporary])
                    if cursor.fetchone()[0] is not None:
                        return  # built before an interruption
                cursor.execute(
                    f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'; RESET default_statistics_target"
                )
                started = time.monotonic()
                cursor.execute(sql)
                seconds = time.monotonic() - started
                log.log(
                    logging.INFO if seconds > 5 else logging.DEBUG,
                    "kbo import: %s (%.1f s)",
                    sql[:100],
                    seconds,
                )
        except DatabaseError as error:
            raise KboImportError(_index_message(error), file=table.file) from None
        finally:
            with self.lock:
                self.pending -= 1
            if self.progress:
                self.progress("index", table.file, 0, self.pending)

    def _work(self) -> None:
        try:
            while True:
                job = self.jobs.get()
                if job is None:
                    return
                try:
                    self._run(job)
                except Exception as error:  # noqa: BLE001 - handed to the main thread, raised there
                    self.errors.append(error)
        finally:
            connections.close_all()

    def abort(self) -> None:
        """Loading failed: drop the jobs not started, wait for the one running."""
        if self.worker is None:
            return
        with contextlib.suppress(queue.Empty):
            while True:
                self.jobs.get_nowait()
        self.jobs.put(None)
        self.worker.join()
        self.worker = None

    def finish(self) -> None:
        if self.worker is None:
            return
        # This connection helps: it takes jobs while the worker is busy with another.
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                break
            if job is None:
                continue
            try:
                self._run(job)
            except Exception as error:  # noqa: BLE001 - raised below, after the worker stopped
                self.errors.append(error)
        self.jobs.put(None)
        self.worker.join()
        self.worker = None
        if self.errors:
            raise self.errors[0]

    def swap(self, tables: tuple[Table, ...]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '60s'")
            for table in tables:
                live, new = live_table(table), new_table(table)
                definitions = self._definitions(table)
                live_sequence = None
                if isinstance(MODELS[table.name]._meta.pk, models.AutoField | models.BigAutoField):
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [live])
                    live_sequence = cursor.fetchone()[0]
                cursor.execute(f"DROP TABLE {qn(live)}")
                cursor.execute(f"ALTER TABLE {qn(new)} RENAME TO {qn(live)}")
                for name, temporary, _sql, carries in definitions:
                    if carries:  # the index becomes the constraint and takes its name
                        constraint = f"ADD CONSTRAINT {qn(name)} {carries} USING INDEX {qn(temporary)}"
                        cursor.execute(f"ALTER TABLE {qn(live)} {constraint}")
                    else:
                        cursor.execute(f"ALTER INDEX {qn(temporary)} RENAME TO {qn(name)}")
                if live_sequence:  # the new table's identity sequence takes the old one's name
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [live])
                    sequence = cursor.fetchone()[0]
                    old_name = live_sequence.split(".")[-1].strip('"')
                    if sequence and sequence != live_sequence:
                        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {qn(old_name)}")
                cursor.execute(f"ALTER TABLE {qn(live)} RESET (autovacuum_enabled)")

    def insert_ignore(self, live: str, columns: str, source: str) -> str:
        return f"INSERT INTO {qn(live)} ({columns}) SELECT {columns} FROM {source} ON CONFLICT DO NOTHING"

    def after_update(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'brin' AND i.indrelid = %s::regclass",
                [live_table(TABLES[-1])],
            )
            for (name,) in cursor.fetchall():
                cursor.execute("SELECT brin_summarize_new_values(%s::regclass)", [name])


def _copy_error(error: Any, member: Member, chunk: Chunk) -> KboImportError:
    """PostgreSQL says 'COPY t, line 3, column start_date: "32-13-2020"': name the file's line."""
    diag = getattr(error, "diag", None)
    context = (diag.context if diag else "") or ""
    primary = (diag.message_primary if diag else "") or str(error)
    match = re.search(r"line (\d+)(?:, column (\w+))?", context)
    line = chunk.first_line + int(match.group(1)) - 1 if match else None
    headers = {c.field: c.header for c in member.columns}
    column = headers.get(match.group(2) or "", "") if match else ""
    message = _("kolom %(column)s: %(error)s") % {"column": column, "error": primary} if column else primary
    return KboImportError(message, file=member.file, line=line)


def _index_message(error: DatabaseError) -> str:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    detail = (diag.message_detail if diag else "") or ""
    match = re.search(r"Key \((\w+)\)=\((\d+)\)", detail)
    if match:
        return _("het nummer %(number)s staat er meer dan eens in") % {"number": match.group(2)}
    return str(error)


class SqliteBackend(Backend):
    vendor = "sqlite"

    def _sql(self, name: str) -> str | None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [name])
            row = cursor.fetchone()
        return row[0] if row else None

    def prepare_new(self, table: Table, *, fresh: bool) -> None:
        live, new = live_table(table), new_table(table)
        if self._sql(new) is not None and not fresh:
            return
        definition = self._sql(live)
        assert definition is not None, live
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(new)}")
            cursor.execute(definition.replace(f'"{live}"', f'"{new}"', 1))

    def prepare(self, member: Member, chunk: Chunk) -> list[tuple[Any, ...]]:
        return parse_rows(member, chunk.data, chunk.first_line)

    def load(self, target: str, member: Member, chunk: Chunk, prepared: Any = None) -> int:
        rows = self.prepare(member, chunk) if prepared is None else prepared
        columns = member.load_columns
        names = ", ".join(qn(c.field) for c in columns)
        sql = f"INSERT INTO {qn(target)} ({names}) VALUES ({', '.join('%s' for _ in columns)})"
        with connection.cursor() as cursor:
            try:
                with transaction.atomic():
                    cursor.executemany(sql, rows)
            except DatabaseError as error:
                # Which row? Insert one by one to name its line.
                for index, row in enumerate(rows):
                    try:
                        with transaction.atomic():
                            cursor.execute(sql, row)
                    except DatabaseError:
                        raise KboImportError(
                            _("%(error)s") % {"error": error}, file=member.file, line=chunk.first_line + index
                        ) from None
                raise KboImportError(str(error), file=member.file, line=chunk.first_line) from None
        return len(rows)

    def swap(self, tables: tuple[Table, ...]) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                live, new = live_table(table), new_table(table)
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                    " AND sql IS NOT NULL",
                    [live],
                )
                indexes = [row[0] for row in cursor.fetchall()]
                cursor.execute(f"DROP TABLE {qn(live)}")
                cursor.execute(f"ALTER TABLE {qn(new)} RENAME TO {qn(live)}")
                for sql in indexes:
                    cursor.execute(sql)

    def insert_ignore(self, live: str, columns: str, source: str) -> str:
        return f"INSERT OR IGNORE INTO {qn(live)} ({columns}) SELECT {columns} FROM {source}"


def backend_for(progress: Progress | None) -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend(progress)
    if connection.vendor == "sqlite":
        return SqliteBackend(progress)
    raise KboImportError(_("De KBO-import werkt met PostgreSQL of SQLite."))


# --- the import -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _exclusive() -> Iterator[None]:
    """One KBO import at a time (PostgreSQL: an advisory lock; SQLite: a lock file)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [0x4B424F])
            if not cursor.fetchone()[0]:
                raise KboImportError(_("Er loopt al een KBO-import."))
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [0x4B424F])
        return
    import fcntl

    path = Path(str(settings.DATABASES["default"]["NAME"]) + ".kbo-import.lock")
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise KboImportError(_("Er loopt al een KBO-import.")) from None
        yield


def _find_or_start(archive: Archive, by: Any) -> KboImport:
    meta = archive.meta
    unfinished = KboImport.objects.filter(state__in=[KboImportState.RUNNING, KboImportState.FAILED])
    same = unfinished.filter(
        kind=meta.kind, extract_number=meta.number, extract_timestamp=meta.timestamp
    ).first()
    if same is not None:
        # The same extract again, perhaps corrected: a file whose size or CRC changed is done again from
        # its start (an update's table is applied again, which is harmless).
        members = {m.file: m for m in archive.members}
        for progress in same.files.all():
            now = members.get(progress.file_name)
            if now is not None and (now.size, now.crc) != (progress.size, progress.crc):
                KboImportFile.objects.filter(pk=progress.pk).update(
                    size=now.size, crc=now.crc, lines_done=0, offset=0, done=False, seconds=0
                )
        KboImport.objects.filter(pk=same.pk).update(
            runs=same.runs + 1, state=KboImportState.RUNNING, error="", file_name=archive.name[:255],
            file_size=archive.size,
        )  # fmt: skip
        same.refresh_from_db()
        return same
    if meta.kind == KboImportKind.UPDATE:
        blocking = unfinished.first()
        if blocking is not None:
            raise KboImportError(
                _("De import van %(file)s is nog niet klaar: voer die eerst opnieuw uit.")
                % {"file": blocking.file_name}
            )
        loaded = KboMeta.objects.filter(variable="ExtractNumber").values_list("value", flat=True).first()
        if loaded is not None and loaded.isdigit() and int(loaded) > meta.number:
            raise KboImportError(
                _("Deze update (extract %(number)s) is ouder dan de geladen gegevens (extract %(loaded)s).")
                % {"number": meta.number, "loaded": loaded},
                file=archive.name,
            )
    else:  # a full import replaces everything: what was left unfinished no longer matters
        unfinished.update(state=KboImportState.ABANDONED, finished_at=timezone.now())
    with transaction.atomic():
        record = KboImport.objects.create(
            file_name=archive.name[:255],
            file_size=archive.size,
            kind=meta.kind,
            extract_number=meta.number,
            snapshot_date=meta.snapshot,
            extract_timestamp=meta.timestamp,
            started_by=by if getattr(by, "pk", None) else None,
        )
        KboImportFile.objects.bulk_create(
            KboImportFile(kbo_import=record, file_name=m.file, size=m.size, crc=m.crc)
            for m in archive.members
        )
    return record


def import_kbo(
    path: str | Path,
    *,
    by: Any = None,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Progress | None = None,
    hook: Hook | None = None,
) -> KboImport:
    """Import a full or update ZIP of the KBO open data; resume it if it was interrupted.

    Raises KboImportError (file and line named) and leaves the import failed, to be run again."""
    archive = Archive(path)
    backend = backend_for(progress)
    try:
        with _exclusive():
            record = _find_or_start(archive, by)
            started = time.monotonic()
            try:
                archive.check_headers()
                runner = _Run(archive, record, backend, chunk_bytes, progress, hook)
                if record.kind == KboImportKind.FULL:
                    runner.full()
                else:
                    runner.update()
            except KboImportError as error:
                KboImport.objects.filter(pk=record.pk).update(
                    state=KboImportState.FAILED,
                    error=str(error)[:4000],
                    error_file=error.file[:100],
                    error_line=error.line,
                    finished_at=timezone.now(),
                    seconds=record.seconds + time.monotonic() - started,
                )
                raise
            KboImport.objects.filter(pk=record.pk).update(seconds=record.seconds + time.monotonic() - started)
            record.refresh_from_db()
            return record
    finally:
        backend.close()
        archive.close()


@dataclass
class _Run:
    archive: Archive
    record: KboImport
    backend: Backend
    chunk_bytes: int
    progress: Progress | None
    hook: Hook | None
    files: dict[str, KboImportFile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.files = {f.file_name: f for f in self.record.files.all()}

    def _phase(self, phase: str) -> None:
        KboImport.objects.filter(pk=self.record.pk).update(phase=phase)

    def _hook(self, event: str, **info: Any) -> None:
        if self.hook:
            self.hook(event, info)

    def full(self) -> None:
        self._phase("load")
        try:
            for member in sorted(self.archive.members, key=lambda m: FULL_LOAD_ORDER.index(m.table.name)):
                progress = self.files[member.file]
                if not progress.done:
                    self._load(member, progress)
                self.backend.loaded(member.table)
            self._phase("indexes")
            self.backend.finish()
        except BaseException:
            self.backend.abort()
            raise
        self._phase("swap")
        with transaction.atomic():
            self.backend.swap(TABLES)
            self._finish()

    def _load(self, member: Member, progress: KboImportFile) -> None:
        target = new_table(member.table)
        self.backend.prepare_new(member.table, fresh=progress.lines_done == 0 and progress.offset == 0)
        started = time.monotonic()
        seconds = progress.seconds
        lines, offset = progress.lines_done, progress.offset
        chunks = self.archive.chunks(member, offset, self.chunk_bytes, first_line=2 + lines)
        for chunk, prepared in read_ahead((chunk, self.backend.prepare(member, chunk)) for chunk in chunks):
            with transaction.atomic():
                self.backend.load(target, member, chunk, prepared)
                lines += chunk.lines
                offset = chunk.end_offset
                KboImportFile.objects.filter(pk=progress.pk).update(
                    lines_done=lines, offset=offset, seconds=seconds + time.monotonic() - started
                )
            if self.progress:
                self.progress("load", member.file, offset, member.size)
            self._hook("chunk", file=member.file, lines=lines)
        KboImportFile.objects.filter(pk=progress.pk).update(
            done=True, lines_done=lines, offset=offset, seconds=seconds + time.monotonic() - started
        )
        self._hook("file", file=member.file, lines=lines)

    def update(self) -> None:
        self._phase("apply")
        by_table: dict[str, list[Member]] = {}
        for member in self.archive.members:
            by_table.setdefault(member.table.name, []).append(member)
        for table in TABLES:
            members = by_table[table.name]
            if all(self.files[m.file].done for m in members):
                continue
            started = time.monotonic()
            with transaction.atomic():
                read = self._apply(table, members)
                for file, lines in read.items():
                    KboImportFile.objects.filter(kbo_import=self.record, file_name=file).update(
                        done=True, lines_done=lines, seconds=time.monotonic() - started
                    )
            for member in members:
                if self.progress:
                    self.progress("load", member.file, member.size, member.size)
            self._hook("table", file=table.file)
        with transaction.atomic():
            self.backend.after_update()
            self._finish()

    def _apply(self, table: Table, members: list[Member]) -> dict[str, int]:
        """Apply one table's files; return the lines read per file."""
        live = live_table(table)
        columns = ", ".join(qn(field) for field in table.fields)
        key = qn(table.key_field)
        with connection.cursor() as cursor:
            if table.name == "code":
                lines = self.backend.stage(members[0], "kbo_stage", self.archive)
                cursor.execute(f"DELETE FROM {qn(live)}")
                cursor.execute(f"INSERT INTO {qn(live)} ({columns}) SELECT {columns} FROM kbo_stage")
                cursor.execute("DROP TABLE kbo_stage")
                return {members[0].file: lines}
            delete = next(m for m in members if m.role == "delete")
            insert = next(m for m in members if m.role == "insert")
            read = {
                delete.file: self.backend.stage(delete, "kbo_keys", self.archive),
                insert.file: self.backend.stage(insert, "kbo_stage", self.archive),
            }
            # Deletes first; then the entities of the insert file lose whatever rows they still have,
            # so that inserting replaces (and a second run of the same update changes nothing).
            cursor.execute(f"DELETE FROM {qn(live)} WHERE {key} IN (SELECT {key} FROM kbo_keys)")
            cursor.execute(f"DELETE FROM {qn(live)} WHERE {key} IN (SELECT {key} FROM kbo_stage)")
            cursor.execute(self.backend.insert_ignore(live, columns, "kbo_stage"))
            cursor.execute("DROP TABLE kbo_keys")
            cursor.execute("DROP TABLE kbo_stage")
        return read

    def _finish(self) -> None:
        KboMeta.objects.all().delete()
        KboMeta.objects.bulk_create(
            KboMeta(variable=k[:40], value=v[:100]) for k, v in self.archive.meta.values.items()
        )
        KboImport.objects.filter(pk=self.record.pk).update(
            state=KboImportState.DONE,
            phase="",
            finished_at=timezone.now(),
            error="",
            error_file="",
            error_line=None,
        )
