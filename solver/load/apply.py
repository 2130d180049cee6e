"""Hand a load distribution to the lesson timetable: each section taught by the teachers the load gave it."""

from __future__ import annotations

from models import LessonProblem, Teacher
from models.load import LoadProblem, LoadSolution, LoadTeacher


class TimetableTeachers:
    """The timetable's teachers, with the load's teachers (matched by name) added as they come."""

    def __init__(self, lessons: LessonProblem) -> None:
        self.teachers = list(lessons.teachers)
        self._index = {teacher.name: teacher.index for teacher in self.teachers}

    def index_of(self, person: LoadTeacher) -> int:
        """The timetable's index of a load teacher, who joins the timetable if new to it."""
        if person.name not in self._index:
            self._index[person.name] = len(self.teachers)
            self.teachers.append(
                Teacher(index=len(self.teachers), name=person.name, languages=person.languages)
            )
        return self._index[person.name]


def apply_to_lessons(lessons: LessonProblem, problem: LoadProblem, solution: LoadSolution) -> LessonProblem:
    """The lesson problem with the teachers of every section named by a load item (its `section`,
    matched to the section's name) replaced; teachers the timetable did not know are added."""
    known = TimetableTeachers(lessons)
    chosen: dict[str, list[int]] = {}
    for item, given in zip(problem.items, solution.teachers, strict=True):
        if not item.section:
            continue
        team = chosen.setdefault(item.section, [])
        for person in (problem.teachers[t] for t in given):
            if known.index_of(person) not in team:
                team.append(known.index_of(person))
    sections = tuple(
        section.model_copy(update={"teachers": tuple(chosen[section.name])})
        if section.name in chosen
        else section
        for section in lessons.sections
    )
    return lessons.replaced(teachers=tuple(known.teachers), sections=sections)
