"""The served database attached to the package's DuckDB engine: same answers, pooled cursors, detached on close."""

from __future__ import annotations

import shutil
import threading

import duckdb
import pandas as pd
import pytest

from clusterpolicy.data import db, importer

from .test_queries import READ_QUERIES, SAMPLE_PARAMS


def attached_aliases() -> set[str]:
    with db._engine_cursor() as cur:
        return {name for (name,) in cur.execute("select database_name from duckdb_databases()").fetchall()}


@pytest.mark.parametrize("name", READ_QUERIES)
def test_attached_file_answers_every_query_as_its_own_connection_does(con, seed_db, name):
    params = SAMPLE_PARAMS.get(name, {})
    with db.connect(seed_db) as database:
        pd.testing.assert_frame_equal(db.run_query(database, name, params), db.run_query(con, name, params))


def test_cursors_are_pooled_and_each_thread_gets_its_own(seed_db):
    expected = db.run_query(db.connect(seed_db), "sources", {})
    with db.connect(seed_db) as database:
        db.run_query(database, "sources", {})
        db.run_query(database, "sources", {})
        assert database._idle.qsize() == 1  # a second query took the first one's cursor back out

        barrier = threading.Barrier(4)
        results, errors = [], []

        def work():
            try:
                with database.borrowed() as cur:
                    barrier.wait(timeout=10)  # all four hold a cursor at once
                    results.append(cur.execute(db.load_sql("sources")).df())
            except Exception as exc:  # noqa: BLE001 - collected for the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert database._idle.qsize() == 4
        for frame in results:
            pd.testing.assert_frame_equal(frame, expected)


def test_a_failed_query_gives_its_cursor_back(seed_db):
    with db.connect(seed_db) as database:
        with pytest.raises(duckdb.Error), database.borrowed() as cur:
            cur.execute("select * from no_such_table")
        assert database._idle.qsize() == 1
        assert len(db.run_query(database, "clusters", {})) > 0


def test_close_detaches_the_file(seed_db):
    database = db.connect(seed_db)
    db.run_query(database, "clusters", {})
    assert database.alias in attached_aliases()
    database.close()
    assert database.alias not in attached_aliases()


def test_a_missing_file_is_refused_with_its_path(tmp_path):
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(duckdb.IOException, match="nowhere.duckdb"):
        db.connect(missing)
    assert not missing.exists()  # read-only: nothing was created


def test_template_columns_come_from_this_file_only(seed_db, tmp_path):
    """With two versions attached, a table's column list is read from the one asked, not both."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(seed_db, copy)
    with db.connect(seed_db) as first, db.connect(copy) as second:
        example, docs = importer.template_frames(second, "kpi_value")
        assert docs["column_name"].is_unique
        with first.borrowed() as cur:
            columns = [row[1] for row in cur.execute("pragma table_info('kpi_value')").fetchall()]
        assert list(docs["column_name"]) == columns
        assert len(example) == 1
