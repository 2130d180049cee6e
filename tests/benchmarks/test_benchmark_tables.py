"""The benchmark tables keep every field a run records, the commit measured among them, and the
committed tables are what their recorded runs make (no figure edited by hand or copied alone)."""

from __future__ import annotations

import errno
from pathlib import Path
from types import ModuleType

import pytest

import benchmarks.attestation
import benchmarks.exams
import benchmarks.lessons
import benchmarks.load
import benchmarks.rooms_latency
import benchmarks.service_latency
import benchmarks.together
import cli.writing
from benchmarks.exams import load_rows, save
from benchmarks.runs import write_results


def test_rows_survive_a_save_and_load_with_their_commit(tmp_path: Path) -> None:
    row = {
        "instance": "exam_comp_set1",
        "family": "itc2007",
        "time_limit": 60.0,
        "workers": 2,
        "seed": 0,
        "feasible": True,
        "cost": 5147,
        "date": "2026-11-29T03:29:37",
        "commit": "5a7d019",
        "machine": "test machine",
    }
    save({("exam_comp_set1", 60.0, 2, 0): row}, tmp_path)
    (loaded,) = load_rows(tmp_path / "exams.csv").values()
    assert loaded["commit"] == "5a7d019" and loaded["cost"] == "5147"
    table = (tmp_path / "exams.md").read_text()
    assert "5a7d019" in table and "| set1 | 60 | 2 | 0 | True | 5147 |" in table
    assert "4008" in table  # the later-literature average shown beside it


@pytest.mark.parametrize(
    ("table", "bench"),
    [
        ("exams", benchmarks.exams),
        ("lessons", benchmarks.lessons),
        ("load", benchmarks.load),
        ("sac", benchmarks.attestation),
    ],
)
def test_committed_tables_are_their_runs(table: str, bench: ModuleType) -> None:
    """Each results table is exactly what its CSV of runs renders to, a Machine line for each
    machine the rows ran on and none for a machine no row ran on."""
    rows = list(load_rows(bench.RESULTS / f"{table}.csv").values())
    assert rows, f"{table}.csv holds no run"
    rendered = bench.markdown(rows)
    assert (bench.RESULTS / f"{table}.md").read_text() == rendered
    machines = {line for line in rendered.splitlines() if line.startswith("Machine: ")}
    assert machines == {f"Machine: {row['machine']}" for row in rows}


def test_an_unknown_exam_instance_is_refused_not_run_as_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        benchmarks.exams.main(["--instances", "set9", "--time-limits", "1", "--results", str(tmp_path)])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "unknown instances: set9 (known: exam_comp_set1," in error and "car-s-91" in error
    assert not list(tmp_path.iterdir())  # nothing run, nothing written


@pytest.mark.parametrize(
    "bench",
    [
        benchmarks.exams,
        benchmarks.lessons,
        benchmarks.load,
        benchmarks.attestation,
        benchmarks.together,
        benchmarks.rooms_latency,
        benchmarks.service_latency,
    ],
)
def test_a_results_folder_that_cannot_be_written_stops_the_bench_before_any_run(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def ran(*args: object) -> None:
        raise AssertionError("the bench ran")

    for first in ("load_rows", "measure"):  # what each bench does first once its options are read
        if hasattr(bench, first):
            monkeypatch.setattr(bench, first, ran)
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    below = a_file / "results"
    for folder, reason in [
        (a_file, f"{a_file} is a file; name a folder"),
        (below, f"{a_file} is a file, so {below} cannot be made; name a folder"),
    ]:
        with pytest.raises(SystemExit) as stopped:
            bench.main(["--results", str(folder)])
        assert stopped.value.code == 2
        assert f"error: argument --results: {reason}" in capsys.readouterr().err
    monkeypatch.setattr(cli.writing, "_writable", lambda path: path != tmp_path)  # root may write anywhere
    with pytest.raises(SystemExit):
        bench.main(["--results", str(tmp_path / "results")])
    assert f"{tmp_path} cannot be written to (permission denied)" in capsys.readouterr().err


def test_an_exam_set_is_asked_for_as_its_table_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    def run_one(name: str, time_limit: float, workers: int, seed: int) -> dict[str, object]:
        ran.append(name)
        return {"instance": name, "time_limit": time_limit, "workers": workers, "seed": seed}

    monkeypatch.setattr(benchmarks.exams, "run_one", run_one)
    monkeypatch.setattr(benchmarks.exams, "save", lambda rows, folder: None)
    benchmarks.exams.main(
        ["--instances", "set3", "car-s-91", "--time-limits", "1", "--results", str(tmp_path)]
    )
    assert ran == ["exam_comp_set3", "car-s-91"]


def test_a_results_file_that_cannot_be_written_stops_the_bench_with_the_rows_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CSV that turned into a folder (or a full disk) after minutes of runs ended in a traceback,
    the rows measured lost."""
    results = tmp_path / "exams.csv"
    results.mkdir()
    asked = ["--instances", "set1", "set2", "set3", "--time-limits", "1", "--results", str(tmp_path)]
    with pytest.raises(SystemExit) as stopped:
        benchmarks.exams.main(asked)
    assert stopped.value.code == 2
    assert f"error: cannot read {results}: Is a directory" in capsys.readouterr().err
    results.rmdir()
    ran: list[str] = []

    def run_one(name: str, time_limit: float, workers: int, seed: int) -> dict[str, object]:
        ran.append(name)
        if len(ran) == 2:  # the CSV the first run was saved to is replaced by a folder
            results.unlink()
            results.mkdir()
        return {
            "instance": name,
            "family": "itc2007",
            "time_limit": time_limit,
            "workers": workers,
            "seed": seed,
        }

    monkeypatch.setattr(benchmarks.exams, "run_one", run_one)
    with pytest.raises(SystemExit) as stopped:
        benchmarks.exams.main(asked)
    assert stopped.value.code == 2 and ran == ["exam_comp_set1", "exam_comp_set2"]
    error = capsys.readouterr().err
    assert f"error: cannot write {results}: Is a directory; the 2 rows it would have held" in error
    header, *rows = error.splitlines()[1:]
    assert header.startswith("instance,family,") and [row.split(",")[0] for row in rows] == ran


def test_a_latency_table_that_cannot_be_written_is_on_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(benchmarks.rooms_latency, "measure", lambda *args: (["a note"], []))
    (tmp_path / "rooms.md").mkdir()
    with pytest.raises(SystemExit) as stopped:
        benchmarks.rooms_latency.main(["--results", str(tmp_path)])
    assert stopped.value.code == 2
    shown = capsys.readouterr()
    assert "- a note" in shown.out
    assert f"error: cannot write {tmp_path / 'rooms.md'}: Is a directory; the table above" in shown.err


def test_a_disk_that_fills_half_way_leaves_the_earlier_results_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CSV was rewritten in place: a write cut short by a full disk truncated the rows of every
    earlier run."""
    earlier = [{"instance": "exam_comp_set1", "family": "itc2007", "time_limit": 60, "workers": 2, "seed": 0}]
    write_results(tmp_path, "exams", benchmarks.exams.FIELDS, earlier, benchmarks.exams.markdown)
    before = (tmp_path / "exams.csv").read_text()
    written = Path.write_text

    def fills_up(self: Path, text: str, *args: object, **kwargs: object) -> int:
        written(self, text[: len(text) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", fills_up)
    more = [*earlier, {**earlier[0], "instance": "exam_comp_set2"}]
    with pytest.raises(SystemExit) as stopped:
        write_results(tmp_path, "exams", benchmarks.exams.FIELDS, more, benchmarks.exams.markdown)
    assert stopped.value.code == 2
    assert f"cannot write {tmp_path / 'exams.csv'}: No space left on device" in capsys.readouterr().err
    monkeypatch.undo()
    assert (tmp_path / "exams.csv").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exams.csv", "exams.md"]
