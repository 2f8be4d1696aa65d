"""An interrupted KBO import continues where it stopped, and ends as an uninterrupted one."""

from __future__ import annotations

import pytest

from balie.authentic_sources.kbo.importer import import_kbo
from balie.authentic_sources.models import KboImport, KboImportState

from .kbo_helpers import full_zip, rewrite, table_contents, table_counts, update_zip

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_CHUNKS = 4096  # bytes: the small set's files come in many chunks


class Killed(Exception):
    """What the hook raises: the process dying mid-way."""


def kill_after(event: str, file: str, times: int = 1):
    seen = []

    def hook(name: str, info: dict) -> None:
        if name == event and info["file"] == file:
            seen.append(info)
            if len(seen) == times:
                raise Killed(info)

    return hook


def test_a_full_import_killed_mid_file_resumes_and_ends_as_one_run(tmp_path):
    path = full_zip(tmp_path)

    with pytest.raises(Killed):
        import_kbo(path, chunk_bytes=SMALL_CHUNKS, hook=kill_after("chunk", "denomination.csv", times=3))

    interrupted = KboImport.objects.get()
    assert interrupted.state == KboImportState.RUNNING  # as after a kill: nothing marked it failed
    progress = {f.file_name: f for f in interrupted.files.all()}
    assert progress["code.csv"].done  # the names come next, then the other files
    assert not progress["denomination.csv"].done and progress["denomination.csv"].lines_done > 0
    assert progress["denomination.csv"].offset > 0
    assert not progress["enterprise.csv"].lines_done and not progress["activity.csv"].lines_done
    assert set(table_counts().values()) == {0}  # the live tables are untouched until the swap

    resumed = import_kbo(path, chunk_bytes=SMALL_CHUNKS)

    assert resumed.pk == interrupted.pk
    assert resumed.state == KboImportState.DONE and resumed.runs == 2
    after_resume = table_contents()
    import_kbo(path)  # the same extract in one go
    assert table_contents() == after_resume


def test_killed_after_loading_it_builds_the_indexes_and_swaps(tmp_path):
    path = full_zip(tmp_path)
    with pytest.raises(Killed):
        import_kbo(path, hook=kill_after("file", "activity.csv"))
    assert set(table_counts().values()) == {0}

    record = import_kbo(path)

    assert record.state == KboImportState.DONE
    assert table_counts()["activity"] > 0
    assert all(f.done for f in record.files.all())


def test_an_interrupted_full_import_keeps_the_old_data_until_it_is_done(tmp_path):
    import_kbo(full_zip(tmp_path, seed=1))
    old = table_contents()
    newer = full_zip(tmp_path, seed=2, name="KboOpenData_0150_2025_11_05_Full.zip")

    with pytest.raises(Killed):
        import_kbo(newer, chunk_bytes=SMALL_CHUNKS, hook=kill_after("chunk", "address.csv"))

    assert table_contents() == old
    import_kbo(newer, chunk_bytes=SMALL_CHUNKS)
    assert table_contents() != old


def test_an_interrupted_update_resumes_with_the_tables_not_yet_done(tmp_path):
    import_kbo(full_zip(tmp_path))
    path = update_zip(tmp_path)

    with pytest.raises(Killed):
        import_kbo(path, hook=kill_after("table", "denomination.csv"))

    interrupted = KboImport.objects.get(kind="update")
    done = {f.file_name for f in interrupted.files.filter(done=True)}
    assert {"enterprise_delete.csv", "enterprise_insert.csv", "denomination_insert.csv"} <= done
    assert "activity_insert.csv" not in done

    resumed = import_kbo(path)

    assert resumed.pk == interrupted.pk and resumed.state == KboImportState.DONE
    after_resume = table_contents()
    import_kbo(path)
    assert table_contents() == after_resume


def test_a_new_full_extract_abandons_an_unfinished_one(tmp_path):
    first = full_zip(tmp_path, seed=1)
    with pytest.raises(Killed):
        import_kbo(first, chunk_bytes=SMALL_CHUNKS, hook=kill_after("chunk", "address.csv"))

    later = rewrite(
        full_zip(tmp_path, seed=2),
        tmp_path / "KboOpenData_0150_2025_11_05_Full.zip",
        {"meta.csv": lambda data: data.replace(b'"140"', b'"150"')},
    )

    record = import_kbo(later)

    assert record.state == KboImportState.DONE and record.extract_number == 150
    assert KboImport.objects.get(file_name=first.name).state == KboImportState.ABANDONED
