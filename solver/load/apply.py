"""Hand a load distribution to the lesson timetable: each section taught by the teachers the load gave it."""

from __future__ import annotations

from models import LessonProblem, Teacher
from models.load import LoadProblem, LoadSolution


def apply_to_lessons(lessons: LessonProblem, problem: LoadProblem, solution: LoadSolution) -> LessonProblem:
    """The lesson problem with the teachers of every section named by a load item (its `section`,
    matched to the section's name) replaced; teachers the timetable did not know are added."""
    teachers = list(lessons.teachers)
    index = {teacher.name: teacher.index for teacher in teachers}
    chosen: dict[str, list[int]] = {}
    for item, given in zip(problem.items, solution.teachers, strict=True):
        if not item.section:
            continue
        team = chosen.setdefault(item.section, [])
        for person in (problem.teachers[t] for t in given):
            if person.name not in index:
                index[person.name] = len(teachers)
                teachers.append(Teacher(index=len(teachers), name=person.name, languages=person.languages))
            if index[person.name] not in team:
                team.append(index[person.name])
    sections = tuple(
        section.model_copy(update={"teachers": tuple(chosen[section.name])})
        if section.name in chosen
        else section
        for section in lessons.sections
    )
    return lessons.replaced(teachers=tuple(teachers), sections=sections)
