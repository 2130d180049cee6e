"""A synthetic year of teaching load, the same for the same seed.

Each department's courses open lecture streams with their practice groups and lab subgroups
(weekly periods x 15 weeks, in Kazakh, Russian or English) in one of the two terms; teachers are
spread over departments in proportion to their class hours, with ranks, rates and norms. A
planned distribution that keeps every hard rule is drawn first (so the problem is feasible); the
teachers' qualifications and languages cover it and more, last year's assignments are that plan
with some changes, and non-class work (exam, thesis and practice supervision) fills each
department to about 92% of its teachers' norms. `scale` repeats it on that many campuses.
`department_week` makes a term's class items into a week of lessons, for the load and the
timetable decided together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from datasets.semester_catalogue import CATALOGUE, MEN, SURNAMES, WOMEN, CatalogueDepartment
from models import Cohort, LessonProblem, LessonRoom, Section, TimeGrid
from models.load import CLASS_COMPONENTS as CLASSES
from models.load import LAB, LECTURE, PRACTICE, LoadItem, LoadProblem, LoadTeacher

WEEKS = 15
RANK_NORMS = {  # annual hours of a full rate
    "professor": 350,
    "associate professor": 400,
    "senior lecturer": 450,
    "lecturer": 500,
    "assistant": 550,
}
RANK_SHARES = (1, 2, 3, 3, 1)
SENIOR = ("professor", "associate professor", "senior lecturer")  # who gives lectures
RATES = ((1.0, 0.8), (0.75, 0.1), (0.5, 0.1))
LANGUAGE_SHARES = (("Kazakh", 0.45), ("Russian", 0.35), ("English", 0.2))
FILL = 0.92  # a department's load against its teachers' norms
SECOND_LANGUAGE, EXTRA_COURSES = 0.35, 3
CO_TAUGHT, FIXED, KEPT, AWAY = 0.03, 0.03, 0.7, 0.03
WEEK_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


@dataclass
class _Teacher:
    name: str
    department: str
    rank: str
    rate: float
    languages: set[str]
    away: set[int]
    load: int = 0
    qualifications: set[tuple[str, str]] = field(default_factory=set)

    @property
    def maximum(self) -> int:
        return int(RANK_NORMS[self.rank] * self.rate)


@dataclass
class _Item:
    name: str
    course: str
    department: str
    component: str
    language: str
    hours: int
    term: int
    teachers: int = 1
    lecture: int | None = None
    planned: list[int] = field(default_factory=list)


def generate_load(teachers: int = 300, sections: int = 1500, seed: int = 1, scale: int = 1) -> LoadProblem:
    """A year of load: `sections` class sections and `teachers` teachers on each of `scale` campuses."""
    if teachers < len(CATALOGUE) or sections < len(CATALOGUE) or scale < 1:
        raise ValueError(f"a campus needs at least {len(CATALOGUE)} teachers and sections, and scale >= 1")
    staff: list[_Teacher] = []
    items: list[_Item] = []
    for campus in range(scale):
        rng = random.Random(f"load/{seed}/{campus}")
        tag = f" C{campus + 1}" if scale > 1 else ""
        _Campus(rng, tag, staff, items).build(teachers, sections)
    return _problem(staff, items, random.Random(f"load/{seed}/history"), teachers, sections, scale)


class _Campus:
    def __init__(self, rng: random.Random, tag: str, staff: list[_Teacher], items: list[_Item]) -> None:
        self.rng, self.tag, self.staff, self.items = rng, tag, staff, items
        self.numbers: dict[tuple[str, str], int] = {}  # sections so far per (course, component)

    def number(self, course: str, component: str) -> int:
        key = (course, component)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return self.numbers[key]

    def build(self, teachers: int, sections: int) -> None:
        first_item, first_teacher = len(self.items), len(self.staff)
        self._sections(sections)
        hours: dict[str, int] = {}
        for item in self.items[first_item:]:
            hours[item.department] = hours.get(item.department, 0) + item.hours
        total = sum(hours.values())
        for department, share in hours.items():
            for _ in range(max(1, round(teachers * share / total))):
                self.staff.append(self._teacher(department))
        self._plan(self.items[first_item:], first_teacher)
        self._supervision(self.staff[first_teacher:])

    def _sections(self, sections: int) -> None:
        courses = [(d, n, topic) for d in CATALOGUE for n, topic in enumerate(d.topics)]
        self.rng.shuffle(courses)
        made = 0
        while made < sections:
            for department, number, _ in courses:
                if made >= sections:
                    break
                made += self._course(
                    department, f"{department.code}{101 + number}{self.tag}", sections - made
                )

    def _course(self, department: CatalogueDepartment, code: str, room: int) -> int:
        made, term = 0, self.rng.choice((1, 2))
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            # numbered on from the course's earlier streams: a course comes round again when
            # there are more sections than catalogue courses
            stream = self.number(code, "stream") - 1
            language = self._language()
            lecture = self._add(
                department, code, LECTURE, language, self.rng.choice((30, 30, 45)), term, stream
            )
            made += 1
            if self.rng.random() < CO_TAUGHT and self.items[lecture].hours % 2 == 0:
                self.items[lecture].teachers = 2
            groups = [PRACTICE] * self.rng.randint(2, 5)
            if department.lab:
                groups += [LAB] * self.rng.randint(0, 2)
            for component in groups:
                if made >= room:
                    return made
                hours = self.rng.choice((30, 45, 45, 60)) if component == PRACTICE else 30
                self._add(department, code, component, language, hours, term, stream, lecture)
                made += 1
        return made

    def _add(
        self,
        department: CatalogueDepartment,
        code: str,
        component: str,
        language: str,
        hours: int,
        term: int,
        stream: int,
        lecture: int | None = None,
    ) -> int:
        name = f"{code} {component[0].upper()}{stream + 1}"
        if lecture is not None:
            name += f".{self.number(f'{code}/{stream}', component)}"
        self.items.append(
            _Item(name, code, department.name + self.tag, component, language, hours, term, lecture=lecture)
        )
        return len(self.items) - 1

    def _language(self) -> str:
        return self.rng.choices([n for n, _ in LANGUAGE_SHARES], [s for _, s in LANGUAGE_SHARES])[0]

    def _teacher(self, department: str, senior: bool = False) -> _Teacher:
        ranks = SENIOR if senior else tuple(RANK_NORMS)
        rank = self.rng.choices(ranks, RANK_SHARES[: len(ranks)])[0]
        rate = self.rng.choices([r for r, _ in RATES], [s for _, s in RATES])[0]
        languages = {self._language()}
        for language, _ in LANGUAGE_SHARES:
            if self.rng.random() < SECOND_LANGUAGE:
                languages.add(language)
        away = {self.rng.choice((1, 2))} if self.rng.random() < AWAY else set()
        woman = self.rng.random() < 0.55
        name = f"{self.rng.choice(SURNAMES)}{'a' * woman} {self.rng.choice(WOMEN if woman else MEN)}"
        return _Teacher(f"{name} {len(self.staff) + 1}", department, rank, rate, languages, away)

    def _plan(self, items: list[_Item], first: int) -> None:
        """A distribution keeping every hard rule (hiring where the staff has no room); the teachers'
        qualifications and languages are made to cover it."""
        by_department: dict[str, list[int]] = {}
        for position in range(first, len(self.staff)):
            by_department.setdefault(self.staff[position].department, []).append(position)
        for item in sorted(items, key=lambda i: (i.component != LECTURE, -i.hours)):
            share = item.hours // item.teachers
            while True:
                team = [t for t in by_department[item.department] if item.term not in self.staff[t].away]
                if item.component == LECTURE:
                    team = [t for t in team if self.staff[t].rank in SENIOR]
                fitting = [t for t in team if self.staff[t].load + share <= self.staff[t].maximum]
                if len(fitting) >= item.teachers:
                    break
                self.staff.append(self._teacher(item.department, senior=item.component == LECTURE))
                by_department[item.department].append(len(self.staff) - 1)
            fitting.sort(key=lambda t: self._fit(self.staff[t], item))
            for position in fitting[: item.teachers]:
                teacher = self.staff[position]
                teacher.load += share
                teacher.languages.add(item.language)
                teacher.qualifications.add((item.course, item.component))
                item.planned.append(position)
        courses: dict[str, list[str]] = {}
        for item in items:
            courses.setdefault(item.department, []).append(item.course)
        for teacher in self.staff[first:]:
            own = sorted(set(courses.get(teacher.department, [])))
            for course in self.rng.sample(own, min(EXTRA_COURSES, len(own))):
                teacher.qualifications.add((course, PRACTICE))
                if teacher.rank in SENIOR:
                    teacher.qualifications.add((course, LECTURE))

    @staticmethod
    def _fit(teacher: _Teacher, item: _Item) -> tuple[bool, bool, int]:
        """Speaks the language and already teaches the course first, then the most room left."""
        on_course = any(course == item.course for course, _ in teacher.qualifications)
        return (item.language not in teacher.languages, not on_course, teacher.load - teacher.maximum)

    def _supervision(self, staff: list[_Teacher]) -> None:
        """Non-class work fills each department to FILL of its norms, each piece planned for someone."""
        offset = len(self.staff) - len(staff)
        for position, teacher in enumerate(staff):
            kinds = ("thesis supervision", "practice supervision", "exam supervision")
            for kind in kinds:
                teacher.qualifications.add((f"{teacher.department} {kind}", kind))
            while teacher.load < FILL * teacher.maximum - 10:
                kind = self.rng.choice(kinds)
                hours = min(int(FILL * teacher.maximum) - teacher.load, self.rng.choice((12, 24, 36, 48)))
                term = self.rng.choice([t for t in (1, 2) if t not in teacher.away])
                number = self.number(teacher.department, kind)
                self.items.append(
                    _Item(
                        f"{teacher.department} {kind} {number}",
                        f"{teacher.department} {kind}",
                        teacher.department,
                        kind,
                        "",
                        hours,
                        term,
                        planned=[offset + position],
                    )
                )
                teacher.load += hours


def _problem(
    staff: list[_Teacher], items: list[_Item], rng: random.Random, teachers: int, sections: int, scale: int
) -> LoadProblem:
    """The model: last year is the plan with changes; a few plans are fixed; some wishes."""
    load_items = []
    for index, item in enumerate(items):
        previous = tuple(item.planned) if rng.random() < KEPT else ()
        fixed = tuple(item.planned) if rng.random() < FIXED else ()
        load_items.append(
            LoadItem(
                index=index,
                name=item.name,
                course=item.course,
                department=item.department,
                component=item.component,
                language=item.language,
                hours=item.hours,
                term=item.term,
                teachers=item.teachers,
                fixed=fixed,
                previous=previous,
                lecture=item.lecture,
                section=item.name if item.component in CLASSES else "",
            )
        )
    load_teachers = []
    for index, teacher in enumerate(staff):
        courses = sorted({course for course, component in teacher.qualifications if component in CLASSES})
        wanted = frozenset(rng.sample(courses, min(1, len(courses)))) if rng.random() < 0.3 else frozenset()
        unwanted = (
            frozenset(rng.sample(courses, 1)) - wanted if courses and rng.random() < 0.15 else frozenset()
        )
        maximum = teacher.maximum
        load_teachers.append(
            LoadTeacher(
                index=index,
                name=teacher.name,
                department=teacher.department,
                rank=teacher.rank,
                rate=teacher.rate,
                norm=RANK_NORMS[teacher.rank],
                minimum=min(teacher.load, maximum // 2),
                qualifications=frozenset(teacher.qualifications),
                languages=frozenset(teacher.languages),
                wanted=wanted,
                unwanted=unwanted,
                unavailable_terms=frozenset(teacher.away),
            )
        )
    return LoadProblem(
        name=f"load-{teachers}t-{sections}s" + (f"-x{scale}" if scale > 1 else ""),
        teachers=tuple(load_teachers),
        items=tuple(load_items),
    )


WEEK_SEATS = {LECTURE: 60, PRACTICE: 25, LAB: 12}  # students expected per section, by component


def department_week(load: LoadProblem, term: int = 1, days: int = 5, room_sets: int = 1) -> LessonProblem:
    """A term's class items of a load (a department's, say) as a week of lessons to timetable with
    it: a section per item, as many one-period meetings as its weekly periods (hours / WEEKS), each
    practice or lab group a cohort with its lecture; six periods a day and, per room set, three
    80-seat halls and two 30-seat rooms in a main building and three 30-seat rooms in a second one
    (a faculty of several departments needs several). Teachers are left to the load."""
    if not 1 <= days <= len(WEEK_DAYS):
        raise ValueError(f"a week has 1 to {len(WEEK_DAYS)} days, not {days}")
    classes = [item for item in load.items if item.is_class and item.term == term and item.section]
    sections: list[Section] = []
    index: dict[int, int] = {}  # load item -> section
    for item in classes:
        index[item.index] = len(sections)
        sections.append(
            Section(
                index=len(sections),
                name=item.section,
                course=item.course,
                component=item.component,
                size=WEEK_SEATS[item.component],
                meetings=(1,) * max(1, item.hours // WEEKS),
            )
        )
    groups = [item for item in classes if item.lecture is not None and item.lecture in index]
    cohorts = tuple(
        Cohort(index=number, name=f"{item.section} group", sections=(index[item.lecture], index[item.index]))
        for number, item in enumerate(groups)
        if item.lecture is not None
    )
    rooms = [
        LessonRoom(index=k, name=f"H{k + 1}", capacity=80, building="Main") for k in range(3 * room_sets)
    ]
    rooms += [
        LessonRoom(
            index=len(rooms) + k, name=f"R{k + 1}", capacity=30, building="Main" if k % 5 < 2 else "North"
        )
        for k in range(5 * room_sets)
    ]
    return LessonProblem(
        name=f"{load.name} term {term}",
        grid=TimeGrid(days=WEEK_DAYS[:days], periods_per_day=6),
        rooms=tuple(rooms),
        sections=tuple(sections),
        cohorts=cohorts,
    )
