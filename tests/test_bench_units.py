"""The benchmark restates wall times in the issue's units (multiples of Frictionless's 1M-row time)."""
from bench.pipeline import _on_the_issues_machine


def test_wall_times_are_restated_against_this_runs_frictionless_time():
    lines = _on_the_issues_machine(28.0, [("refresh (1M lines)", 35.0, 60.0), ("first refresh", 6.0, None), ("unchanged", 14.0, 10.0)])
    assert "here it took 28.0 s" in lines[0]
    assert lines[1] == "- refresh: 1.25x Frictionless's 1M-row time (target 1.43x), about 52 s on the issue's machine."
    assert lines[2].startswith("- unchanged: 0.50x") and "(target 0.24x)" in lines[2]
    assert len(lines) == 3  # runs without a target are not restated


def test_without_a_frictionless_time_nothing_is_restated():
    assert _on_the_issues_machine(None, [("refresh", 35.0, 60.0)]) == [
        "Frictionless was not measured on 1M rows in this run, so the wall times above are not put in the issue's units."]
