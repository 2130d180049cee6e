"""How load findings name teachers and items in a registrar's words."""

from __future__ import annotations

from models.load import LoadItem, LoadProblem


def item_words(item: LoadItem) -> str:
    language = f" in {item.language}" if item.language else ""
    return f"{item.name} ({item.course} {item.component}{language}, {item.hours} h, term {item.term})"


def teacher_words(problem: LoadProblem, teacher: int) -> str:
    person = problem.teachers[teacher]
    return f"{person.name} ({person.department})" if person.department else person.name


def hours(value: int) -> str:
    return f"{value:,} h"
