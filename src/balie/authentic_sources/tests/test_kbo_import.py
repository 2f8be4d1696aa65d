"""A full KBO extract is imported into the local tables: every row, values parsed, old data replaced."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection

from balie.authentic_sources.kbo.importer import import_kbo
from balie.authentic_sources.kbo.layout import fold
from balie.authentic_sources.models import (
    KboActivity,
    KboAddress,
    KboContact,
    KboDenomination,
    KboEnterprise,
    KboEstablishment,
    KboImport,
    KboImportState,
    KboMeta,
)

from .kbo_helpers import counts, full_zip, member, replace_line, rewrite, table_contents, table_counts

pytestmark = pytest.mark.django_db(transaction=True)


def rows(path, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(member(path, name).decode())))[1:]


def test_every_row_of_every_file_is_imported(tmp_path):
    path = full_zip(tmp_path)

    record = import_kbo(path)

    expected = counts(path)
    assert table_counts() == {
        name[:-4]: expected[name]
        for name in ("code.csv", "enterprise.csv", "establishment.csv", "branch.csv", "denomination.csv",
                     "address.csv", "contact.csv", "activity.csv")
    }  # fmt: skip
    assert record.state == KboImportState.DONE
    assert record.kind == "full"
    assert record.extract_number == 140
    assert record.snapshot_date == dt.date(2025, 10, 3)
    assert {f.file_name: f.lines_done for f in record.files.all()} == {
        name: count for name, count in expected.items() if name != "meta.csv"
    }
    assert all(f.done for f in record.files.all())
    assert dict(KboMeta.objects.values_list("variable", "value")) == {
        "SnapshotDate": "03-10-2025",
        "ExtractTimestamp": "05-10-2025 07:07:49",
        "ExtractType": "full",
        "ExtractNumber": "140",
        "Version": "1.0.0",
    }


def test_numbers_are_compact_dates_are_dates_text_is_as_written(tmp_path):
    path = full_zip(tmp_path)

    import_kbo(path)

    number, status, situation, kind, form, cac, start = rows(path, "enterprise.csv")[0]
    enterprise = KboEnterprise.objects.get(enterprise_number=number.replace(".", ""))
    assert len(enterprise.enterprise_number) == 10 and enterprise.enterprise_number.isdigit()
    day, month, year = (int(p) for p in start.split("-"))
    assert enterprise.start_date == dt.date(year, month, day)
    assert (enterprise.status, enterprise.juridical_situation, enterprise.type_of_enterprise) == (
        status,
        situation,
        kind,
    )
    assert (enterprise.juridical_form, enterprise.juridical_form_cac) == (form, cac)

    unit, unit_start, owner = rows(path, "establishment.csv")[0]
    establishment = KboEstablishment.objects.get(establishment_number=unit.replace(".", ""))
    assert establishment.enterprise_number == owner.replace(".", "")
    assert establishment.start_date.strftime("%d-%m-%Y") == unit_start

    # Names keep their dots and accents; the folded copy is lower case without accents.
    for entity, language, kind, name in rows(path, "denomination.csv"):
        if "." in name or "é" in name:
            stored = KboDenomination.objects.get(
                entity_number=entity.replace(".", ""),
                language=language,
                type_of_denomination=kind,
                denomination=name,
            )
            assert stored.search_name == fold(name)
            assert "é" not in stored.search_name
    # A Belgian address has no country; an address not struck off has no date.
    belgian = KboAddress.objects.filter(country_nl="").first()
    assert belgian is not None and belgian.zipcode.isdigit()
    assert KboAddress.objects.filter(date_striking_off__isnull=True).exists()
    assert KboActivity.objects.filter(nace_version="2025", classification="MAIN").exists()


def test_a_quote_in_a_name_survives(tmp_path):
    path = full_zip(tmp_path)

    import_kbo(path)

    quoted = [name for _, _, _, name in rows(path, "denomination.csv") if '"' in name]
    assert quoted, "the generator writes a few names with quotes"
    assert KboDenomination.objects.filter(denomination=quoted[0]).exists()


def test_a_new_full_extract_replaces_the_old_data_and_keeps_the_indexes(tmp_path):
    import_kbo(full_zip(tmp_path, seed=1))
    first = table_contents()
    indexes_before = {
        table: set(connection.introspection.get_constraints(connection.cursor(), table))
        for table in (
            KboActivity._meta.db_table,
            KboDenomination._meta.db_table,
            KboEnterprise._meta.db_table,
        )
    }

    second_path = full_zip(tmp_path, seed=2, name="KboOpenData_0150_2025_11_05_Full.zip")
    import_kbo(second_path)

    assert table_contents() != first
    expected = counts(second_path)
    assert table_counts() == {name: expected[f"{name}.csv"] for name in table_counts()}
    for table, names in indexes_before.items():
        assert set(connection.introspection.get_constraints(connection.cursor(), table)) == names
    assert KboImport.objects.filter(state=KboImportState.DONE).count() == 2


def test_the_same_full_extract_twice_gives_the_same_tables(tmp_path):
    path = full_zip(tmp_path)
    import_kbo(path)
    once = table_contents()

    import_kbo(path)

    assert table_contents() == once


def test_a_name_across_lines_and_windows_line_ends(tmp_path):
    """A quoted name may hold a line break; a file may end its lines with CR LF."""
    path = full_zip(tmp_path, scale="tiny")
    first = rows(path, "denomination.csv")[0]
    number = first[0]
    broken = rewrite(
        path,
        tmp_path / "multiline.zip",
        {
            "denomination.csv": replace_line(
                2, lambda line: f'"{number}","2","001","Café ""De Kroon""\nGent"'
            ),
            "contact.csv": lambda data: data.replace(b"\n", b"\r\n"),
        },
    )

    import_kbo(broken)

    name = KboDenomination.objects.get(entity_number=number.replace(".", ""), denomination__startswith="Café")
    assert name.denomination == 'Café "De Kroon"\nGent'
    assert name.search_name == 'cafe "de kroon"\ngent'
    assert KboContact.objects.count() == counts(path)["contact.csv"]
    assert not KboContact.objects.filter(value__endswith="\r").exists()
