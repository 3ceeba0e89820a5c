"""The IO manager stores every value as Dagster's pickle file and hands it over in memory within a process."""
from __future__ import annotations

import pickle

import dagster as dg
import pytest

from pipelines.handoff import HandoffIOManager


@dg.asset
def parsed_rows() -> list:
    return [{"line": n} for n in range(3)]


@dg.asset
def counted(parsed_rows: list) -> int:
    return len(parsed_rows)


def _run(tmp_path, assets, instance):
    return dg.materialize(assets, resources={"io_manager": HandoffIOManager(base_dir=str(tmp_path))}, instance=instance)


def test_a_value_is_pickled_to_its_file_and_its_first_reader_gets_the_same_object(tmp_path):
    handed = []

    @dg.asset(name="reader")
    def reader(parsed_rows: list) -> None:
        handed.append(parsed_rows)

    with dg.instance_for_test() as instance:
        result = _run(tmp_path, [parsed_rows, reader], instance)
        assert result.success
        on_disk = pickle.loads((tmp_path / "parsed_rows").read_bytes())
        assert on_disk == handed[0] == [{"line": n} for n in range(3)]
        produced = result.output_for_node("parsed_rows")
        assert handed[0] is produced  # no unpickling within the process


def test_a_file_written_since_by_another_process_is_read_from_disk(tmp_path):
    with dg.instance_for_test() as instance:
        assert _run(tmp_path, [parsed_rows], instance).success
        (tmp_path / "parsed_rows").write_bytes(pickle.dumps([{"line": "replaced"}]))  # e.g. a run elsewhere
        result = _run(tmp_path, [parsed_rows.to_source_asset(), counted], instance)
        assert result.success and result.output_for_node("counted") == 1


@pytest.fixture
def handoff_by_child(monkeypatch):
    """pipelines.handoff with every list of two items or more written by a forked child."""
    from pipelines import handoff

    monkeypatch.setattr(handoff, "LARGE_ITEMS", 2)
    return handoff


def _recorder(name: str, handed: list, deps=None) -> dg.AssetsDefinition:
    @dg.asset(name=name, deps=deps)
    def record(parsed_rows: list) -> None:
        handed.append(parsed_rows)

    return record


def test_a_large_value_is_written_by_a_child_while_the_run_goes_on(tmp_path, handoff_by_child):
    handed = []
    with dg.instance_for_test() as instance:
        result = _run(tmp_path, [parsed_rows, _recorder("reader", handed)], instance)
        assert result.success and handed[0] is result.output_for_node("parsed_rows")
        assert handoff_by_child.wait_for_writers() == []
    assert pickle.loads((tmp_path / "parsed_rows").read_bytes()) == [{"line": n} for n in range(3)]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["parsed_rows"], "no temporary file left"


def test_a_child_that_cannot_write_is_reported_and_leaves_no_older_value_behind(tmp_path, monkeypatch):
    from pipelines import handoff

    with dg.instance_for_test() as instance:
        assert _run(tmp_path, [parsed_rows], instance).success  # small: written in the process
        assert (tmp_path / "parsed_rows").exists()
        monkeypatch.setattr(handoff, "LARGE_ITEMS", 2)

        @dg.asset(name="parsed_rows")
        def unpicklable() -> list:
            return [{"line": 0}, {"line": lambda: 1}]

        assert _run(tmp_path, [unpicklable], instance).success  # the failure shows when the writer is waited for
        assert handoff.wait_for_writers() == [str(tmp_path / "parsed_rows")]
    assert not (tmp_path / "parsed_rows").exists(), "the earlier value must not pass for this run's"


def test_a_second_reader_waits_for_the_child_and_reads_the_file(tmp_path, handoff_by_child):
    handed = []
    with dg.instance_for_test() as instance:
        assert _run(tmp_path, [parsed_rows, _recorder("first", handed), _recorder("second", handed, deps=["first"])], instance).success
    assert handed[0] == handed[1] == [{"line": n} for n in range(3)] and handed[0] is not handed[1]
    assert handoff_by_child.wait_for_writers() == []
