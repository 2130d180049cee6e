"""The lesson benchmark tables keep every field a run records, and a real run, made in a process
of its own, records the checker's cost of the timetable it found."""

from __future__ import annotations

from pathlib import Path

from benchmarks.lessons import _run, instances, run_one, save
from benchmarks.runs import load_rows, row_key, run_isolated

STAMP = {"date": "2026-11-29T10:00:00", "commit": "abc1234", "machine": "test machine"}


def _rows() -> list[dict[str, object]]:
    common = {"time_limit": 60.0, "workers": 2, "seed": 0, **STAMP}
    return [
        {
            "instance": "comp01",
            "family": "cbctt",
            **common,
            "feasible": True,
            "cost": 7,
            "bound": 0,
            "gap": 1.0,
            "first_feasible_s": 0.1,
            "best_at_s": 12.5,
            "lns_steps": 40,
            "peak_memory_mb": 130.2,
            "best_known_ub": 5,
            "best_known_lb": 5,
            "ratio_to_ub": 1.4,
            "unitime": 5,
            "ratio_to_unitime": 1.4,
        },
        {
            "instance": "comp-2007-2-3",
            "family": "pe",
            **common,
            "feasible": False,
            "distance": 41,
            "cost": 900,
            "published": 164,
            "note": "failed: AssertionError: a | b",
        },
        {
            "instance": "semester-5000x1",
            "family": "semester",
            **common,
            "feasible": True,
            "cost": 89767,
            "first_feasible_s": 8.2,
            "students": 5000,
            "sections": 1721,
            "meetings": 2430,
            "build_s": 0.3,
            "peak_memory_mb": 725.4,
        },
    ]


def test_lesson_rows_survive_a_save_and_load(tmp_path: Path) -> None:
    rows = {row_key(row): row for row in _rows()}
    save(rows, tmp_path)
    loaded = load_rows(tmp_path / "lessons.csv")
    assert set(loaded) == set(rows)
    ctt = loaded["comp01", 60.0, 2, 0]
    assert ctt["cost"] == "7" and ctt["best_known_ub"] == "5" and ctt["commit"] == "abc1234"
    assert loaded["comp-2007-2-3", 60.0, 2, 0]["distance"] == "41"
    assert loaded["semester-5000x1", 60.0, 2, 0]["meetings"] == "2430"
    table = (tmp_path / "lessons.md").read_text()
    assert "Machine: test machine" in table
    assert (
        "| comp01 | 60 | 2 | 0 | True | 7 | 0 | 1.000 | 0.1 | 12.5 | 40 | 130 | 5 | 5 | 1.400 | 5 |" in table
    )
    assert "| comp-2007-2-3 | 60 | 2 | 0 | False | 41 | 900 |" in table
    assert "a \\| b" in table  # a note cannot break the table
    assert "| semester-5000x1 | 5000 | 1721 | 2430 | 60 | 2 | 0 | True | 8.2 | 89767 |" in table

    # saving what was loaded, with one row replaced and one added, keeps the rest as they were
    again = dict(loaded)
    again["comp01", 60.0, 2, 0] = {**_rows()[0], "cost": 6}
    again["comp01", 300.0, 2, 0] = {**_rows()[0], "time_limit": 300.0, "cost": 5}
    save(again, tmp_path)
    reloaded = load_rows(tmp_path / "lessons.csv")
    assert len(reloaded) == 4
    assert reloaded["comp01", 60.0, 2, 0]["cost"] == "6" and reloaded["comp01", 300.0, 2, 0]["cost"] == "5"
    assert reloaded["semester-5000x1", 60.0, 2, 0] == loaded["semester-5000x1", 60.0, 2, 0]
    table = (tmp_path / "lessons.md").read_text()
    assert table.index("| comp01 | 60 |") < table.index("| comp01 | 300 |") < table.index("| comp-2007-2-3 |")


def test_the_families_name_the_bundled_instances() -> None:
    names = instances(["cbctt", "pe", "semester"])
    assert names[:14] == [f"comp{n:02d}" for n in range(1, 15)]
    assert names[14:30] == [f"comp-2007-2-{n}" for n in range(1, 17)]
    assert names[30:] == ["semester-5000x1", "semester-5000x10"]


def test_a_real_run_records_the_checkers_cost(tmp_path: Path) -> None:
    row = run_one("comp01", 2.0, 1, 0)
    assert row["feasible"] is True and "note" not in row  # a note would say the solver and checker differ
    cost = row["cost"]
    assert isinstance(cost, int) and cost >= 5  # 5 is the proven optimum
    assert row["best_known_ub"] == 5 and row["sections"] == 30 and row["meetings"] == 160
    assert isinstance(row["peak_memory_mb"], float) and row["peak_memory_mb"] > 0
    save({row_key(row): row}, tmp_path)
    (loaded,) = load_rows(tmp_path / "lessons.csv").values()
    assert loaded["cost"] == str(cost) and loaded["feasible"] == "True"


def test_a_failing_run_is_recorded_not_raised() -> None:
    result = run_isolated(_run, ("no-such-instance", 1.0, 1, 0), timeout=120)
    assert "ValueError" in str(result["error"]) and "peak_memory_mb" in result


def test_registrar_bench_fans_runs_out_over_a_dask_cluster_into_one_table(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli.main import main

    arguments = ["bench", "lessons", "--executor", "dask", "--instances", "comp01", "comp11"]
    arguments += ["--time-limits", "2", "--workers", "1", "--results", str(tmp_path)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    rows = load_rows(tmp_path / "lessons.csv")
    assert sorted(row["instance"] for row in rows.values()) == ["comp01", "comp11"]
    assert all(row["feasible"] and row["peak_memory_mb"] for row in rows.values())
    assert "| comp01 | 2 | 1 | 0 | True |" in (tmp_path / "lessons.md").read_text()


def test_a_runs_peak_memory_is_its_own_not_the_bench_drivers() -> None:
    # Linux's ru_maxrss survives fork and exec: a spawned run used to report the driver's peak.
    ballast = bytearray(1500 * 2**20)
    ballast[::4096] = b"x" * len(range(0, len(ballast), 4096))  # touched, so resident
    del ballast
    result = run_isolated(_run, ("no-such-instance", 1.0, 1, 0), timeout=120)
    assert 0 < float(str(result["peak_memory_mb"])) < 1000
