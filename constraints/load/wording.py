"""How load findings name teachers and items in a registrar's words."""

from __future__ import annotations

from models.load import LoadItem, LoadProblem


def work_words(item: LoadItem) -> str:
    """The course and component, words they share said once: non-class work is often a course of its
    own ("Geology exam supervision", "exam supervision"; "Mathematics thesis", "thesis supervision")."""
    course, component = item.course.split(), item.component.split()
    shared = max((n for n in range(1, len(component) + 1) if course[-n:] == component[:n]), default=0)
    return " ".join([*course, *component[shared:]])


def item_words(item: LoadItem) -> str:
    language = f" in {item.language}" if item.language else ""
    return f"{item.name} ({work_words(item)}{language}, {item.hours} h, term {item.term})"


def teacher_words(problem: LoadProblem, teacher: int) -> str:
    person = problem.teachers[teacher]
    return f"{person.name} ({person.department})" if person.department else person.name


def hours(value: int) -> str:
    return f"{value:,} h"
