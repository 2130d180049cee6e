"""The load tables: what is written reads back, XLSX too, records build the same problem, and every
bad cell is named by file, line and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from datasets.errors import DatasetError
from datasets.load_generator import generate_load
from datasets.load_tables import (
    ItemRow,
    TeacherRow,
    apply_to_records,
    build_load_problem,
    read_actual,
    read_assignment,
    read_load_problem,
    template,
    write_assignment,
    write_load_tables,
)
from datasets.registrar_load import Term, year_load_problem
from datasets.registrar_records import ExtraLoad, RegistrarData, SectionRecord, TeacherRecord
from datasets.semester import CALENDAR
from tests.load_factory import GOOD, tiny_problem


@pytest.mark.parametrize("teachers, sections, seed", [(30, 150, 2), (300, 1500, 1)])
def test_written_tables_read_back_as_the_same_problem(
    tmp_path: Path, teachers: int, sections: int, seed: int
) -> None:
    """The benchmark's year too: with more sections than catalogue courses a course comes round
    again, and its new streams must not take the names of its first ones."""
    problem = generate_load(teachers=teachers, sections=sections, seed=seed)
    write_load_tables(problem, tmp_path / "load")
    again = read_load_problem(tmp_path / "load")
    assert again.model_copy(update={"name": problem.name}) == problem


def test_an_assignment_round_trips(tmp_path: Path) -> None:
    problem = tiny_problem()
    write_load_tables(problem, tmp_path)
    write_assignment(problem, GOOD, tmp_path / "assignment.csv")
    assert read_assignment(tmp_path / "assignment.csv", read_load_problem(tmp_path)).teachers == GOOD.teachers


def test_xlsx_tables_and_hours_from_weekly_periods(tmp_path: Path) -> None:
    teachers = Workbook()
    sheet = teachers.active
    assert sheet is not None
    sheet.append(["name", "department", "rank", "rate", "qualifications", "languages"])
    sheet.append(["Aigerim", "Physics", "Associate Professor", 0.5, "PHY101; *:exam supervision", "Kazakh"])
    teachers.save(tmp_path / "teachers.xlsx")
    (tmp_path / "items.csv").write_text(
        "name,course,component,periods,term,language\nPHY101 L1,PHY101,Lecture,3,2,Kazakh\n"
        "PHY exam,PHY101,exam supervision,2,1,\n"
    )
    problem = read_load_problem(tmp_path)
    teacher = problem.teachers[0]
    assert (teacher.rank, teacher.rate, teacher.norm) == ("associate professor", 0.5, 550)
    assert teacher.qualifications == {("PHY101", ""), ("", "exam supervision")}
    assert [(item.hours, item.term, item.component) for item in problem.items] == [
        (45, 2, "lecture"),
        (30, 1, "exam supervision"),
    ]
    assert problem.candidates == ((0,), (0,))


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        (
            "items.csv",
            "name,course,component,hours\nA,B,lecture,abc\n",
            "items.csv:2: hours: must be a whole number",
        ),
        ("items.csv", "name,course,component\nA,B,lecture\n", "items.csv:2: hours: is empty"),
        ("items.csv", "name,course,hours\nA,B,3\n", "items.csv:1: missing column component"),
        (
            "items.csv",
            "name,course,component,hours,fixed\nA,B,lecture,30,Nobody\n",
            "items.csv:2: fixed: unknown teacher 'Nobody'",
        ),
        (
            "items.csv",
            "name,course,component,hours,teachers\nA,B,lecture,31,2\n",
            "items.csv:2: hours: 31 do not split evenly among 2",
        ),
        (
            "items.csv",
            'name,course,component,hours\n"A,B,lecture,30\nC,B,lecture,30\nD,B,lecture,30\n',
            "items.csv:2: a cell runs on to line 4: is a quote left open?",
        ),
        # A zero is a mistake to name, not an empty cell's default.
        (
            "items.csv",
            "name,course,component,hours,term\nA,B,lecture,30,0\n",
            "items.csv:2: term: is 1 or 2, found 0",
        ),
        (
            "items.csv",
            "name,course,component,hours,teachers\nA,B,lecture,30,0\n",
            "items.csv:2: teachers: at least 1, found 0",
        ),
        (
            "items.csv",
            "name,course,component,periods,weeks\nA,B,lecture,2,0\n",
            "items.csv:2: weeks: at least 1, found 0",
        ),
        (
            "teachers.csv",
            "name,department,rank\nX,Physics,dean\n",
            "teachers.csv:2: rank: 'dean' is not one of",
        ),
        (
            "teachers.csv",
            "name,department,rank,rate\nX,Physics,lecturer,full\n",
            "teachers.csv:2: rate: must be",
        ),
        (
            "teachers.csv",
            "name,department,rank,rate,norm,target\nX,Physics,lecturer,0.5,600,400\n",
            "teachers.csv:2: target: 400 h is above the most the teacher may have, 300 h (a norm of 600 h at "
            "a rate of 0.5)",
        ),
        # A component a slip away from a known one would match no qualification.
        (
            "items.csv",
            "name,course,component,hours\nA,B,Lectur,30\n",
            "items.csv:2: component: 'lectur' is no component: did you mean 'lecture'?",
        ),
        (
            "teachers.csv",
            "name,department,rank,qualifications\nX,Physics,lecturer,B:practise;C\n",
            "teachers.csv:2: qualifications: 'practise' is no component: did you mean 'practice'?",
        ),
    ],
)
def test_bad_cells_are_named(tmp_path: Path, file: str, content: str, message: str) -> None:
    (tmp_path / "teachers.csv").write_text("name,department,rank\nAigerim,Physics,lecturer\n")
    (tmp_path / "items.csv").write_text("name,course,component,hours\nA,B,lecture,30\n")
    (tmp_path / file).write_text(content)
    with pytest.raises(DatasetError) as error:
        read_load_problem(tmp_path)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            "MAT13:lecture,,",
            "teachers.csv:2: qualifications: no item is of course 'MAT13'; did you mean 'MAT103'?",
        ),
        ("MAT103;GEO999,,", "teachers.csv:2: qualifications: no item is of course 'GEO999'"),
        (",MAT130,", "teachers.csv:2: wanted: no item is of course 'MAT130'; did you mean 'MAT103'?"),
        (",,PHY10", "teachers.csv:2: unwanted: no item is of course 'PHY10'; did you mean 'PHY101'?"),
    ],
)
def test_a_course_no_item_has_is_refused_in_qualifications_and_wishes(
    tmp_path: Path, cells: str, message: str
) -> None:
    """A misspelt code left the teacher unqualified, or the wish unheard, without a word."""
    header = "name,department,rank,qualifications,wanted,unwanted"
    (tmp_path / "teachers.csv").write_text(f"{header}\nAigerim,Physics,lecturer,{cells}\n")
    (tmp_path / "items.csv").write_text(
        "name,course,component,hours\nA,MAT103,lecture,30\nB,PHY101,practice,30\n"
    )
    with pytest.raises(DatasetError) as error:
        read_load_problem(tmp_path)
    assert str(error.value).endswith(message)


def test_non_class_work_may_be_qualified_for_though_no_item_is_of_it(tmp_path: Path) -> None:
    """The generated year qualifies every teacher for their department's three kinds of supervision."""
    header = "name,department,rank,qualifications"
    qualifications = "MAT103;Physics exam supervision:exam supervision;*:thesis supervision"
    (tmp_path / "teachers.csv").write_text(f"{header}\nAigerim,Physics,lecturer,{qualifications}\n")
    (tmp_path / "items.csv").write_text("name,course,component,hours\nA,MAT103,lecture,30\n")
    assert read_load_problem(tmp_path).candidates == ((0,),)


def test_unknown_names_in_assignments_and_actual_hours_are_named(tmp_path: Path) -> None:
    problem = tiny_problem()
    (tmp_path / "assignment.csv").write_text("item,teachers\nMAT101 L1,Aliya;Zarina\n")
    with pytest.raises(DatasetError, match=r"assignment.csv:2: teachers: unknown teacher 'Zarina'"):
        read_assignment(tmp_path / "assignment.csv", problem)
    (tmp_path / "actual.csv").write_text("teacher,hours,item\nAliya,30,MAT101 L1\nBolat,x,\n")
    with pytest.raises(DatasetError, match=r"actual.csv:3: hours: must be a whole number"):
        read_actual(tmp_path / "actual.csv", problem)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "item,teachers\nMAT101 L1,Aliya\nMAT101 P1.1,Bolat\nMAT101 L1,Dana\n",
            "4: item: 'MAT101 L1' is also on line 2",
        ),
        ("item,teachers\nMAT101 L1,Aliya;Aliya\n", "2: teachers: 'Aliya' is named twice"),
    ],
)
def test_an_assignment_giving_an_item_twice_is_named(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "assignment.csv").write_text(content)
    with pytest.raises(DatasetError) as error:
        read_assignment(tmp_path / "assignment.csv", tiny_problem())
    assert f"assignment.csv:{message}" in str(error.value)


def test_records_build_a_problem_without_files() -> None:
    problem = build_load_problem(
        "records",
        [
            TeacherRow(
                "Aigerim", "Physics", "lecturer", qualifications=(("PHY101", ""),), languages=("English",)
            )
        ],
        [ItemRow("PHY101 L1", "PHY101", "lecture", 45, language="English", fixed=("Aigerim",))],
    )
    assert problem.items[0].fixed == (0,) and problem.maximum(problem.teachers[0]) == 650


def test_templates_give_the_columns() -> None:
    assert template("items", "csv").decode().startswith("name,course,component,department")
    assert template("teachers", "xlsx")[:2] == b"PK"


def bolats_records(section: SectionRecord, extra_load: tuple[ExtraLoad, ...] = ()) -> RegistrarData:
    """A semester of one section and one recorded teacher, Bolat."""
    return RegistrarData(
        calendar=CALENDAR,
        departments=(),
        buildings=(),
        rooms=(),
        teachers=(TeacherRecord(name="Bolat"),),
        courses=(),
        sections=(section,),
        extra_load=extra_load,
    )


def test_a_distribution_replaces_the_teachers_of_registrar_sections() -> None:
    problem = tiny_problem()
    problem = problem.model_copy(
        update={"items": tuple(item.model_copy(update={"section": item.name}) for item in problem.items)}
    )
    data = bolats_records(SectionRecord("MAT102", "L1", "lecture", 30, (2,), teachers=("Someone",)))
    applied = apply_to_records(data, problem, GOOD)
    assert applied.sections[0].teachers == ("Aliya", "Bolat")
    assert [teacher.name for teacher in applied.teachers] == ["Bolat", "Aliya", "Dana"]


def test_stored_extra_load_named_as_a_section_names_the_table() -> None:
    """Records from the database have no lines, but the table the clash is in is named."""
    data = bolats_records(
        SectionRecord("MAT102", "L1", "lecture", 30, (2,)),
        (ExtraLoad("MAT102 L1", "thesis supervision", 10),),
    )
    with pytest.raises(DatasetError, match=r"^extra_load: name: item 'MAT102 L1' appears twice$"):
        year_load_problem("autumn", [Term("autumn", data, 1, 15)])


def test_the_statement_files_are_plain_csv(tmp_path: Path) -> None:
    problem = tiny_problem()
    write_assignment(problem, GOOD, tmp_path / "assignment.csv")
    rows = list(csv.reader((tmp_path / "assignment.csv").open()))
    assert rows[0] == ["item", "teachers"] and rows[4] == ["MAT102 L1", "Aliya;Bolat"]
