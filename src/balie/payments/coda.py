"""Bank statements: the Belgian CODA format (Febelfin, version 2) and a plain CSV export, read into
movements. Nothing here touches the database.

CODA is fixed-width, 128 characters a record: `0` header (creation date), `1` old balance (the
account), `2.1` movement (sign, amount with 3 decimals, value date, structured communication type
101 with the 12-digit OGM, or free text), `2.2` and `2.3` its continuation (the counterparty's BIC,
account and name, more text), `3.x` information, `4` free message, `8` new balance, `9` trailer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .money import cents
from .ogm import find_ogm


@dataclass
class Movement:
    booked_on: dt.date
    amount: Decimal  # positive: money in
    counterparty_name: str = ""
    counterparty_account: str = ""
    communication: str = ""
    ogm: str = ""


@dataclass
class Statement:
    account: str
    date: dt.date | None
    movements: list[Movement]


def _date(text: str, line_number: int) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%d%m%y").date()
    except ValueError as error:
        raise ValidationError(
            _("CODA-lijn %(line)s: „%(text)s” is geen datum.") % {"line": line_number, "text": text},
            code="coda",
        ) from error


def parse_coda(data: bytes) -> Statement:
    text = data.decode("latin-1")
    records = [line for line in text.splitlines() if line.strip()]
    if not records or not records[0].startswith("0"):
        raise ValidationError(_("Dit is geen CODA-bestand: de eerste lijn moet met 0 beginnen."), code="coda")
    account = ""
    created: dt.date | None = None
    movements: list[Movement] = []
    current: Movement | None = None
    structured = False
    for number, raw in enumerate(records, start=1):
        record = raw.ljust(128)
        kind = record[0]
        if kind == "0":
            created = _date(record[5:11], number)
        elif kind == "1":
            structure = record[1]
            account = record[4:38].strip() if structure in ("2", "3") else record[4:16].strip()
            account = account.split(" ")[0]
        elif kind == "2" and record[1] == "1":
            try:
                amount = Decimal(record[32:47]) / 1000
            except InvalidOperation as error:
                raise ValidationError(
                    _("CODA-lijn %(line)s: geen bedrag.") % {"line": number}, code="coda"
                ) from error
            if record[31] == "1":
                amount = -amount
            structured = record[61] == "1"
            communication = record[62:115]
            ogm = ""
            if structured and communication[:3] == "101":
                ogm = communication[3:15]
                communication = communication[3:15]
            current = Movement(
                booked_on=_date(record[115:121], number),
                amount=cents(amount),
                communication=communication.rstrip(),
                ogm=ogm,
            )
            movements.append(current)
        elif kind == "2" and record[1] == "2" and current is not None:
            if not structured:
                current.communication += record[10:63].rstrip()
        elif kind == "2" and record[1] == "3" and current is not None:
            current.counterparty_account = record[10:44].strip().split(" ")[0]
            current.counterparty_name = record[47:82].strip()
            if not structured:
                current.communication += record[82:125].rstrip()
        elif kind in "34 89":
            continue
        else:
            raise ValidationError(
                _("CODA-lijn %(line)s: onbekend recordtype „%(kind)s”.")
                % {"line": number, "kind": record[:2]},
                code="coda",
            )
    for movement in movements:
        movement.communication = " ".join(movement.communication.split())
        if not movement.ogm:
            movement.ogm = find_ogm(movement.communication) or ""
    return Statement(account=account, date=created, movements=movements)


CSV_COLUMNS = {
    "datum": "date",
    "date": "date",
    "bedrag": "amount",
    "amount": "amount",
    "naam tegenpartij": "name",
    "tegenpartij": "name",
    "rekening tegenpartij": "account",
    "mededeling": "communication",
    "communication": "communication",
}


def parse_csv(data: bytes) -> Statement:
    """A CSV with a header: Datum, Bedrag (decimal comma or point), Naam tegenpartij, Rekening
    tegenpartij, Mededeling; separated by ; or ,."""
    text = data.decode("utf-8-sig", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:2000], delimiters=";,")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    reader = csv.reader(io.StringIO(text), dialect)
    header = [CSV_COLUMNS.get(name.strip().lower(), "") for name in next(reader, [])]
    if "date" not in header or "amount" not in header:
        raise ValidationError(_("Het CSV-bestand heeft geen kolommen „Datum” en „Bedrag”."), code="csv")
    movements = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {key: row[i].strip() for i, key in enumerate(header) if key and i < len(row)}
        try:
            day = (
                dt.datetime.strptime(values["date"], "%d/%m/%Y").date()
                if "/" in values["date"]
                else dt.date.fromisoformat(values["date"])
            )
            raw = values["amount"].replace(" ", "")
            amount = Decimal(raw.replace(".", "").replace(",", ".") if "," in raw else raw)
        except (ValueError, InvalidOperation, KeyError) as error:
            raise ValidationError(
                _("CSV-lijn %(line)s: datum of bedrag klopt niet.") % {"line": number}, code="csv"
            ) from error
        communication = values.get("communication", "")
        movements.append(
            Movement(
                booked_on=day,
                amount=cents(amount),
                counterparty_name=values.get("name", "")[:200],
                counterparty_account=values.get("account", "").replace(" ", "")[:34],
                communication=communication[:300],
                ogm=find_ogm(communication) or "",
            )
        )
    return Statement(account="", date=None, movements=movements)
