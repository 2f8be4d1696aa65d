"""Bad KBO files stop the import with the file and the line named, and change nothing."""

from __future__ import annotations

import pytest

from balie.authentic_sources.kbo.importer import KboImportError, import_kbo
from balie.authentic_sources.models import KboImport, KboImportState

from .kbo_helpers import full_zip, replace_line, rewrite, table_contents, update_zip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loaded(tmp_path):
    """A full extract already imported: what a failed import must leave alone."""
    import_kbo(full_zip(tmp_path, seed=1))
    return table_contents()


def test_a_missing_column_names_the_file_and_line_one(tmp_path, loaded):
    broken = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "broken.zip",
        {"address.csv": lambda data: data.replace(b',"Box"', b"", 1)},
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert (caught.value.file, caught.value.line) == ("address.csv", 1)
    assert "Box ontbreekt" in str(caught.value)
    assert str(caught.value).startswith("address.csv, regel 1: ")
    assert table_contents() == loaded
    failed = KboImport.objects.get(file_name="broken.zip")
    assert (failed.state, failed.error_file, failed.error_line) == (KboImportState.FAILED, "address.csv", 1)


def test_a_wrong_date_names_the_file_line_and_column(tmp_path, loaded):
    broken = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "broken.zip",
        {
            "establishment.csv": replace_line(
                5, lambda line: line.rsplit(",", 2)[0] + ",31-02-2020," + line.rsplit(",", 1)[1]
            )
        },
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert (caught.value.file, caught.value.line) == ("establishment.csv", 5)
    assert "StartDate" in str(caught.value)
    assert table_contents() == loaded


def test_a_date_that_is_no_date(tmp_path, loaded):
    broken = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "broken.zip",
        {"enterprise.csv": replace_line(3, lambda line: line.rsplit(",", 1)[0] + ",gisteren")},
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert (caught.value.file, caught.value.line) == ("enterprise.csv", 3)
    assert table_contents() == loaded


def test_a_row_with_a_column_too_few(tmp_path, loaded):
    broken = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "broken.zip",
        {"activity.csv": replace_line(40, lambda line: line.rsplit(",", 1)[0])},
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert (caught.value.file, caught.value.line) == ("activity.csv", 40)
    assert table_contents() == loaded


def _bytes_of_line(number: int, change):
    """Change line `number` of a CSV as bytes (the header is line 1)."""

    def apply(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[number - 1] = change(lines[number - 1])
        return b"\n".join(lines)

    return apply


def test_a_name_that_is_no_utf8_names_the_file_and_line(tmp_path, loaded):
    """The names are folded in a process of their own on PostgreSQL: its error still names the line."""
    broken = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "broken.zip",
        {"denomination.csv": _bytes_of_line(7, lambda line: line[:-3] + b"\xe9t" + line[-1:])},
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert (caught.value.file, caught.value.line) == ("denomination.csv", 7)
    assert "UTF-8" in str(caught.value)
    assert table_contents() == loaded


def test_an_address_with_a_column_too_few(tmp_path, loaded):
    """Addresses are made ready for COPY in a process of their own on PostgreSQL."""
    broken = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "broken.zip",
        {"address.csv": replace_line(12, lambda line: line.rsplit(",", 1)[0])},
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert (caught.value.file, caught.value.line) == ("address.csv", 12)
    assert table_contents() == loaded


def test_a_truncated_zip(tmp_path, loaded):
    whole = full_zip(tmp_path, seed=2).read_bytes()
    truncated = tmp_path / "KboOpenData_0150_2025_11_05_Full.zip"
    truncated.write_bytes(whole[: len(whole) * 2 // 3])

    with pytest.raises(KboImportError) as caught:
        import_kbo(truncated)

    assert caught.value.file == truncated.name
    assert "geen volledig ZIP-bestand" in str(caught.value)
    assert table_contents() == loaded


def test_a_missing_file(tmp_path, loaded):
    source = full_zip(tmp_path, seed=2)
    broken = tmp_path / "broken.zip"
    import zipfile

    with zipfile.ZipFile(source) as zf, zipfile.ZipFile(broken, "w") as out:
        for info in zf.infolist():
            if info.filename != "contact.csv":
                out.writestr(info, zf.read(info))

    with pytest.raises(KboImportError, match=r"contact\.csv ontbreekt"):
        import_kbo(broken)

    assert table_contents() == loaded


def test_a_bad_meta(tmp_path, loaded):
    broken = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "broken.zip",
        {"meta.csv": lambda data: data.replace(b'"ExtractType","full"', b'"ExtractType","monthly"')},
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert caught.value.file == "meta.csv"
    assert table_contents() == loaded


def test_a_failed_update_leaves_that_table_alone_and_resumes_once_fixed(tmp_path, loaded):
    good = update_zip(tmp_path)
    broken = rewrite(
        good,
        tmp_path / "update-broken.zip",
        {"address_insert.csv": replace_line(2, lambda line: line.rsplit(",", 1)[0] + ",32-13-2025")},
    )

    with pytest.raises(KboImportError) as caught:
        import_kbo(broken)

    assert (caught.value.file, caught.value.line) == ("address_insert.csv", 2)
    assert table_contents()["address"] == loaded["address"]  # nothing half-applied for that table
    failed = KboImport.objects.get(kind="update")
    assert failed.state == KboImportState.FAILED
    done_before = set(failed.files.filter(done=True).values_list("file_name", flat=True))
    assert "enterprise_insert.csv" in done_before and "address_insert.csv" not in done_before

    # The corrected file continues the same import.
    resumed = import_kbo(good)

    assert resumed.pk == failed.pk and resumed.state == KboImportState.DONE and resumed.runs == 2
    fixed = table_contents()
    import_kbo(good)  # and it is the same as the update applied in one go
    assert table_contents() == fixed
