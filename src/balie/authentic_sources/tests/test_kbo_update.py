"""An update ZIP deletes and inserts per table: deletes first, inserts replace, twice is once."""

from __future__ import annotations

import zipfile

import pytest

from balie.authentic_sources.kbo.generate import TABLES_BY_NAME, q
from balie.authentic_sources.kbo.importer import KboImportError, import_kbo
from balie.authentic_sources.models import KboAddress, KboCode, KboEnterprise, KboImport, KboMeta

from .kbo_helpers import counts, full_zip, table_contents, update_zip

pytestmark = pytest.mark.django_db(transaction=True)

META = (
    '"Variable","Value"\n"SnapshotDate","{day}-10-2025"\n"ExtractTimestamp","{day}-10-2025 07:00:00"\n'
    '"ExtractType","update"\n"ExtractNumber","{number}"\n"Version","1.0.0"\n'
)


def header(table: str, delete: bool = False) -> str:
    spec = TABLES_BY_NAME[table]
    return ",".join(q(h) for h in ((spec.key,) if delete else spec.headers)) + "\n"


def handmade_update(path, *, number: int, files: dict[str, str], code: bytes) -> str:
    """An update ZIP with only the given rows; every other table's files empty."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("meta.csv", META.format(day=f"{number - 136:02d}", number=number))
        zf.writestr("code.csv", code)
        for table in TABLES_BY_NAME:
            if table == "code":
                continue
            for role in ("delete", "insert"):
                name = f"{table}_{role}.csv"
                zf.writestr(name, header(table, role == "delete") + files.get(name, ""))
    return str(path)


def code_csv(tmp_path) -> bytes:
    with zipfile.ZipFile(full_zip(tmp_path, scale="tiny")) as zf:
        return zf.read("code.csv")


def test_an_update_changes_what_it_says(tmp_path):
    import_kbo(full_zip(tmp_path))
    before = table_contents()

    path = update_zip(tmp_path)
    record = import_kbo(path)

    after = table_contents()
    assert record.state == "done" and record.kind == "update" and record.extract_number == 141
    expected = counts(path)
    assert {f.file_name: f.lines_done for f in record.files.all()} == {
        name: lines for name, lines in expected.items() if name != "meta.csv"
    }
    assert after != before
    assert after["code"] == before["code"]
    assert KboMeta.objects.get(variable="ExtractNumber").value == "141"
    assert KboMeta.objects.get(variable="SnapshotDate").value == "04-10-2025"


def test_an_update_applied_twice_is_the_same_as_once(tmp_path):
    import_kbo(full_zip(tmp_path))
    path = update_zip(tmp_path)
    import_kbo(path)
    once = table_contents()

    again = import_kbo(path)

    assert again.state == "done"
    assert table_contents() == once
    assert KboImport.objects.filter(kind="update", state="done").count() == 2


def test_two_updates_in_turn(tmp_path):
    import_kbo(full_zip(tmp_path))
    import_kbo(update_zip(tmp_path, number=1))
    first = table_contents()

    import_kbo(update_zip(tmp_path, number=2))

    assert table_contents() != first
    assert KboMeta.objects.get(variable="ExtractNumber").value == "142"


def test_deletes_come_before_inserts(tmp_path):
    import_kbo(full_zip(tmp_path, scale="tiny"))
    enterprise = KboEnterprise.objects.filter(type_of_enterprise="2").order_by("enterprise_number").first()
    number = enterprise.enterprise_number
    dotted = f"{number[:4]}.{number[4:7]}.{number[7:]}"
    old_addresses = KboAddress.objects.filter(entity_number=number).count()
    assert old_addresses >= 1
    path = handmade_update(
        tmp_path / "update.zip",
        number=141,
        code=code_csv(tmp_path),
        files={
            # The enterprise and its addresses are deleted and inserted again, changed.
            "enterprise_delete.csv": f'"{dotted}"\n',
            "enterprise_insert.csv": f'"{dotted}","AC","050","2","610",,01-02-2003\n',
            "address_delete.csv": f'"{dotted}"\n',
            "address_insert.csv": (
                f'"{dotted}","REGO",,,"9000","Gent","Gand","Kouter","Kouter","1","","",\n'
                f'"{dotted}","ABBR",,,"2000","Antwerpen","Anvers","Meir","Meir","12","3","",01-06-2025\n'
            ),
        },
    )

    import_kbo(path)

    enterprise.refresh_from_db()
    assert (enterprise.juridical_situation, enterprise.juridical_form, str(enterprise.start_date)) == (
        "050",
        "610",
        "2003-02-01",
    )
    addresses = sorted(
        KboAddress.objects.filter(entity_number=number).values_list("type_of_address", "street_nl")
    )
    assert addresses == [("ABBR", "Meir"), ("REGO", "Kouter")]
    assert KboAddress.objects.get(
        entity_number=number, type_of_address="ABBR"
    ).date_striking_off.isoformat() == ("2025-06-01")


def test_rows_inserted_for_an_entity_replace_its_rows_even_without_a_delete(tmp_path):
    """Inserting replaces: the insert file holds all current rows of each entity it names."""
    import_kbo(full_zip(tmp_path, scale="tiny"))
    number = KboAddress.objects.order_by("entity_number").first().entity_number
    dotted = f"{number[:4]}.{number[4:7]}.{number[7:]}" if number[0] in "01" else number
    path = handmade_update(
        tmp_path / "update.zip",
        number=141,
        code=code_csv(tmp_path),
        files={
            "address_insert.csv": f'"{dotted}","REGO",,,"9000","Gent","Gand","Kouter","Kouter","1","","",\n'
        },
    )

    import_kbo(path)
    import_kbo(path)

    assert list(KboAddress.objects.filter(entity_number=number).values_list("street_nl", flat=True)) == [
        "Kouter"
    ]


def test_the_code_table_is_replaced_by_the_updates_complete_one(tmp_path):
    import_kbo(full_zip(tmp_path, scale="tiny"))
    code = (
        b'"Category","Code","Language","Description"\n'
        + b'"Status","AC","NL","Actief"\n"Status","AC","FR","Actif"\n'
    )

    import_kbo(handmade_update(tmp_path / "update.zip", number=141, code=code, files={}))

    assert sorted(KboCode.objects.values_list("language", "description")) == [
        ("FR", "Actif"),
        ("NL", "Actief"),
    ]


def test_an_update_older_than_the_data_is_refused(tmp_path):
    import_kbo(full_zip(tmp_path, scale="tiny"))
    import_kbo(handmade_update(tmp_path / "new.zip", number=145, code=code_csv(tmp_path), files={}))
    before = table_contents()

    with pytest.raises(KboImportError, match="ouder dan de geladen gegevens"):
        import_kbo(handmade_update(tmp_path / "old.zip", number=142, code=code_csv(tmp_path), files={}))

    assert table_contents() == before
