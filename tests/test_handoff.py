"""The IO manager stores every value as Dagster's pickle file and hands it over in memory within a process."""
from __future__ import annotations

import pickle

import dagster as dg

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
