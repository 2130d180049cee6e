"""The teaching-load problem: which teachers teach each section, and how the faculty's load balances."""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

LECTURE, PRACTICE, LAB = "lecture", "practice", "lab"
CLASS_COMPONENTS = (LECTURE, PRACTICE, LAB)
# Non-class work that counts as load; any other component name is accepted too.
SUPERVISION_COMPONENTS = ("exam supervision", "thesis supervision", "practice supervision")
RANKS = ("professor", "associate professor", "senior lecturer", "lecturer", "assistant")
CONTACT_CAP = 680  # contact hours a year of one full rate (national rules)
ANY = ""  # in a qualification: any course, or any component


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LoadTeacher(Frozen):
    """A member of the faculty: what they may teach, in which languages, and how much."""

    index: int = Field(ge=0)
    name: str
    department: str = ""
    rank: str = "lecturer"
    rate: float = Field(default=1.0, gt=0, le=2, description="share of a full rate")
    norm: int = Field(ge=0, description="annual norm of a full rate at this rank, academic hours")
    minimum: int = Field(default=0, ge=0, description="hours a year the teacher must have at least")
    target: int | None = Field(default=None, ge=0, description="hours aimed at; default the maximum")
    qualifications: frozenset[tuple[str, str]] = Field(
        default=frozenset(), description="(course, component) pairs; an empty part means any"
    )
    languages: frozenset[str] = frozenset()
    wanted: frozenset[str] = Field(default=frozenset(), description="courses the teacher asks for")
    unwanted: frozenset[str] = Field(default=frozenset(), description="courses the teacher asks not to teach")
    unavailable_terms: frozenset[int] = Field(default=frozenset(), description="terms (1, 2) away")

    def qualified(self, course: str, component: str) -> bool:
        return any(
            known_course in (ANY, course) and known_component in (ANY, component)
            for known_course, known_component in self.qualifications
        )


class LoadItem(Frozen):
    """A piece of load: a section's component for a term, or non-class work such as supervision."""

    index: int = Field(ge=0)
    name: str
    course: str
    department: str = ""
    component: str = LECTURE
    language: str = Field(default="", description="empty: any teacher's language will do")
    hours: int = Field(ge=0, description="contact hours: weekly periods x teaching weeks")
    term: int = Field(default=1, ge=1, le=2)
    teachers: int = Field(default=1, ge=1, description="how many teachers share it (co-teaching)")
    fixed: tuple[int, ...] = Field(default=(), description="teachers who must teach it")
    previous: tuple[int, ...] = Field(default=(), description="who taught it last year")
    lecture: int | None = Field(default=None, description="for a practice or lab: its stream's lecture")
    section: str = Field(default="", description="the lesson timetable's section (course code and name)")

    @property
    def share(self) -> int:
        """Hours each of its teachers is credited with."""
        return self.hours // self.teachers

    @property
    def is_class(self) -> bool:
        return self.component in CLASS_COMPONENTS


class LoadProblem(Frozen):
    """A department's or a university's load to distribute over a year."""

    name: str
    teachers: tuple[LoadTeacher, ...]
    items: tuple[LoadItem, ...]
    contact_cap: int = Field(default=CONTACT_CAP, ge=0, description="hours a year of one full rate at most")

    @model_validator(mode="after")
    def _consistent(self) -> LoadProblem:
        named: tuple[tuple[str, tuple[LoadTeacher | LoadItem, ...]], ...] = (
            ("teacher", self.teachers),
            ("item", self.items),
        )
        for kind, entries in named:
            for position, entry in enumerate(entries):
                if entry.index != position:
                    raise ValueError(f"{kind} {entry.name!r} has index {entry.index}, expected {position}")
        count = len(self.teachers)
        for item in self.items:
            if item.hours % item.teachers:
                raise ValueError(
                    f"item {item.name!r}: {item.hours} hours do not split evenly "
                    f"among {item.teachers} teachers"
                )
            if len(set(item.fixed)) > item.teachers:
                raise ValueError(f"item {item.name!r} fixes more teachers than it has")
            for teacher in (*item.fixed, *item.previous):
                if teacher >= count:
                    raise ValueError(f"item {item.name!r} names teacher {teacher}, which does not exist")
            if item.lecture is not None and item.lecture >= len(self.items):
                raise ValueError(f"item {item.name!r} names lecture {item.lecture}, which does not exist")
        return self

    def maximum(self, teacher: LoadTeacher) -> int:
        """Hours a teacher may have at most: the rank's norm at their rate, never above the cap."""
        return int(min(teacher.norm, self.contact_cap) * teacher.rate)

    def target(self, teacher: LoadTeacher) -> int:
        return self.maximum(teacher) if teacher.target is None else teacher.target

    def can_teach(self, teacher: LoadTeacher, item: LoadItem) -> bool:
        """Qualified for the course and component, speaks its language, and there in its term."""
        return (
            teacher.qualified(item.course, item.component)
            and (not item.language or item.language in teacher.languages)
            and item.term not in teacher.unavailable_terms
        )

    @cached_property
    def candidates(self) -> tuple[tuple[int, ...], ...]:
        """Per item, the teachers who can teach it, plus any fixed on it."""
        by_course: dict[str, list[LoadTeacher]] = {}
        for teacher in self.teachers:
            for course in dict.fromkeys(course for course, _ in teacher.qualifications):
                by_course.setdefault(course, []).append(teacher)
        by_key: dict[tuple[str, str, str, int], tuple[int, ...]] = {}
        result = []
        for item in self.items:
            key = (item.course, item.component, item.language, item.term)
            if key not in by_key:
                named = by_course.get(item.course, []) + by_course.get(ANY, [])
                by_key[key] = tuple(sorted({t.index for t in named if self.can_teach(t, item)}))
            able = by_key[key]
            extra = tuple(t for t in dict.fromkeys(item.fixed) if t not in able)
            result.append(able + extra)
        return tuple(result)

    @cached_property
    def practices_of(self) -> dict[int, tuple[int, ...]]:
        """Per lecture item, the practice and lab items of its stream."""
        practices: dict[int, list[int]] = {}
        for item in self.items:
            if item.lecture is not None:
                practices.setdefault(item.lecture, []).append(item.index)
        return {lecture: tuple(items) for lecture, items in practices.items()}

    def teacher_index(self) -> dict[str, int]:
        return {teacher.name: teacher.index for teacher in self.teachers}


class LoadSolution(Frozen):
    """Per item, the teachers who teach it."""

    problem_name: str
    teachers: tuple[tuple[int, ...], ...]

    def loads(self, problem: LoadProblem, term: int | None = None) -> list[int]:
        """Hours credited to each teacher, over the year or in one term."""
        hours = [0] * len(problem.teachers)
        for item, teachers in zip(problem.items, self.teachers, strict=False):
            if term is None or item.term == term:
                for teacher in set(teachers):
                    if teacher < len(hours):
                        hours[teacher] += item.share
        return hours
