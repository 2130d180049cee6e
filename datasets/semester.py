"""A synthetic semester of a Kazakh technical university, as the registrar keeps it (DOMAIN.md).

Programmes have a cohort per year of study; each cohort takes its general-education, department
and programme courses as a block, and each student adds electives from the department's pool,
as credit-system registration works. Courses open lecture streams of whole cohorts, practice
groups of the cohorts' academic groups and lab subgroups; teachers are hired by department up to
their rank's weekly norm; rooms are sized and counted from the sections' needs. For 5,000
students that comes to about 120 rooms, 300 teachers, 600 courses, 1,500 sections and 40,000
registrations; `scale` builds that many campuses of `students` students each.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from datasets.registrar_csv import (
    Building,
    Calendar,
    CohortRecord,
    Course,
    Department,
    Period,
    Programme,
    RegistrarData,
    Registration,
    Relation,
    Room,
    SectionRecord,
    Student,
    TeacherRecord,
    TeachingTerms,
)
from datasets.semester_catalogue import (
    BUILDINGS,
    BY_CODE,
    CAMPUSES,
    CATALOGUE,
    CHEMISTRY_LAB,
    CLASSROOM,
    COMPUTER_LAB,
    LECTURE_HALL,
    MEN,
    PHYSICS_LAB,
    SURNAMES,
    WOMEN,
    CatalogueDepartment,
)
from models.lessons import Preference, SectionRelation

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
# Periods of 50 minutes on the hour, lunch between the fourth and the fifth.
_STARTS = tuple(f"{hour:02d}:00" for hour in (8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20))
CALENDAR = Calendar(
    DAYS, tuple(Period(str(n), start, lunch_after=n == 4) for n, start in enumerate(_STARTS, 1))
)
WEEK = len(DAYS) * len(CALENDAR.periods)
LANGUAGES = ("Kazakh", "Russian", "English")

ROOM_KINDS = (LECTURE_HALL, CLASSROOM, COMPUTER_LAB, CHEMISTRY_LAB, PHYSICS_LAB)
CAPACITIES = {
    LECTURE_HALL: (100, 120, 150, 200, 250),
    CLASSROOM: (25, 30, 36, 40),
    COMPUTER_LAB: (15, 20, 24, 30),
    CHEMISTRY_LAB: (12, 14, 16),
    PHYSICS_LAB: (12, 16, 20),
}
UTILISATION = {LECTURE_HALL: 0.4, CLASSROOM: 0.5, COMPUTER_LAB: 0.45, CHEMISTRY_LAB: 0.4, PHYSICS_LAB: 0.4}
LAB_FEATURES = {COMPUTER_LAB: ("computers",), CHEMISTRY_LAB: ("fume hood",), PHYSICS_LAB: ("oscilloscopes",)}

# Group sizes of the credit system: streams of 30 or more, practice groups of 10-30, labs of 10-12.
STREAM_MOST = 240  # the largest hall seats 250
SMALL_STREAM = 30  # a stream this small meets as one section, lecture and seminar together
PRACTICE_LIMIT, LANGUAGE_LIMIT, LAB_LIMIT = 30, 25, 12
ACADEMIC_GROUP = 30
LAB_SHARE = 0.25  # of the courses of a department with labs
FEWEST = 10  # an elective with fewer registrants does not open
SWITCH = 0.1  # share of students who register on another group than their academic group's

STUDENTS_PER_PROGRAMME = 250
ELECTIVE_SIZE = 13  # registrants an elective draws on average
POPULARITY = 0.3  # the k-th elective of a pool draws in proportion to 1 / k ** POPULARITY
YEAR_SIZE = {1: 1.15, 2: 1.05, 3: 0.95, 4: 0.85}
# Per year: general-education courses, department core courses, programme courses, electives.
CURRICULUM = {
    1: (("Foreign Language", "Second Language", "Modern History of Kazakhstan"), 1, 1, 0),
    2: (("Philosophy",), 1, 2, 1),
    3: ((), 0, 3, 2),
    4: ((), 0, 2, 2),
}
# General education: department, taught as language groups only, the language it is taught in.
GENERAL = {
    "Foreign Language": ("LAN", True, "English"),
    "Kazakh Language": ("LAN", True, "Kazakh"),
    "Russian Language": ("LAN", True, "Russian"),
    "Modern History of Kazakhstan": ("HUM", False, None),
    "Philosophy": ("HUM", False, None),
}
RANK_NORMS = {"professor": 8, "associate professor": 10, "senior lecturer": 14, "lecturer": 16}  # periods
PART_TIME = 0.15
SECOND_LANGUAGE = 0.4  # chance a teacher also teaches in each other language
WISHES = (
    (" 1", Preference.DISCOURAGED),
    (" 1-2", Preference.STRONGLY_DISCOURAGED),
    (" 10-11", Preference.DISCOURAGED),
    (" 11", Preference.PROHIBITED),
    (" 5-8", Preference.PREFERRED),
    (" 2-4", Preference.STRONGLY_PREFERRED),
    ("", Preference.DISCOURAGED),
)
Item = TypeVar("Item")


@dataclass(eq=False)
class _Cohort:
    programme: str
    year: int
    language: str
    department: CatalogueDepartment
    students: list[str]
    groups: list[list[str]]  # academic groups


@dataclass(eq=False)
class _Offering:
    course: Course
    department: CatalogueDepartment
    practice: bool  # practice groups, or a seminar hour when the stream is small
    lab: str | None  # the lab kind of its subgroups
    practice_only: bool = False
    language: str | None = None  # taught in this language whoever takes it
    cohorts: list[_Cohort] = field(default_factory=list)  # cohorts that must take it
    students: list[str] = field(default_factory=list)  # registrants of an elective


@dataclass(eq=False)
class _Staff:
    name: str
    department: CatalogueDepartment
    rank: str
    norm: int
    languages: list[str]
    part_time: bool
    load: int = 0
    courses: set[str] = field(default_factory=set)
    unavailable: tuple[str, ...] = ()
    preferences: tuple[tuple[str, Preference], ...] = ()


@dataclass(eq=False)
class _Draft:
    offering: _Offering
    name: str
    component: str
    meetings: tuple[int, ...]
    size_limit: int
    students: list[str]
    room_kind: str
    features: tuple[str, ...]
    language: str
    stream: int
    cohort: _Cohort | None  # the cohort of a language group
    teachers: list[_Staff] = field(default_factory=list)
    allowed_times: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.offering.course.code} {self.name}"

    @property
    def periods(self) -> int:
        return sum(self.meetings)


@dataclass(eq=False)
class _RoomDraft:
    kind: str
    capacity: int
    features: list[str]
    unavailable: tuple[str, ...] = ()


@dataclass(eq=False)
class _Records:
    """The university's records, campus after campus."""

    departments: list[Department] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    teachers: list[TeacherRecord] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    sections: list[SectionRecord] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    cohorts: list[CohortRecord] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    teacher_names: set[str] = field(default_factory=set)


def generate_semester(students: int, seed: int, scale: int = 1) -> RegistrarData:
    """A semester of `students` students on each of `scale` campuses, the same for the same seed."""
    if students < 1 or scale < 1:
        raise ValueError("a semester needs at least one student and one campus")
    records = _Records()
    for number in range(scale):
        campus, tag = (
            CAMPUSES[number] if number < len(CAMPUSES) else (f"Campus {number + 1}", f"C{number + 1}")
        )
        rng = random.Random(f"{seed}/{number}")
        _Campus(records, rng, campus, tag if scale > 1 else "").build(students)
    return RegistrarData(
        calendar=CALENDAR,
        departments=tuple(records.departments),
        buildings=tuple(records.buildings),
        rooms=tuple(records.rooms),
        teachers=tuple(records.teachers),
        courses=tuple(records.courses),
        sections=tuple(records.sections),
        cohorts=tuple(records.cohorts),
        students=tuple(records.students),
        registrations=tuple(records.registrations),
        relations=tuple(records.relations),
        programmes=tuple(records.programmes),
    )


def _split(items: list[Item], parts: int) -> list[list[Item]]:
    """Items cut into `parts` runs whose lengths differ by at most one."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for part in range(parts):
        end = start + size + (part < extra)
        runs.append(items[start:end])
        start = end
    return runs


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Whole shares of `total` in proportion to the weights (largest remainders round up)."""
    shares = [weight * total / sum(weights) for weight in weights]
    sizes = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda index: sizes[index] - shares[index])
    for index in by_remainder[: total - sum(sizes)]:
        sizes[index] += 1
    return sizes


def _capacities(demand: list[tuple[int, int]], count: int, sizes: tuple[int, ...]) -> list[int]:
    """Room sizes for (size limit, periods) needs sorted largest first: room i takes the need
    at the i-th share of the booked periods, so big rooms come in proportion to big sections."""
    total = sum(periods for _, periods in demand)
    capacities = []
    position, covered = 0, 0
    for room in range(count):
        while covered + demand[position][1] <= total * room / count:
            covered += demand[position][1]
            position += 1
        limit = demand[position][0]
        capacities.append(next((size for size in sizes if size >= limit), limit))
    return capacities


PREFIXES = {"lecture": "L", "practice": "P", "lab": "LB"}
COMPONENT_ORDER = tuple(PREFIXES)
ROMAN = ("", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X")
Group = tuple[_Cohort | None, list[str]]


class _Plan(NamedTuple):
    component: str
    meetings: tuple[int, ...]
    size_limit: int
    students: list[str]
    room_kind: str
    features: tuple[str, ...] = ()
    cohort: _Cohort | None = None


class _Campus:
    """One campus: its departments, cohorts, courses, sections, teachers and rooms."""

    def __init__(self, records: _Records, rng: random.Random, campus: str, tag: str) -> None:
        self.records, self.rng, self.campus, self.tag = records, rng, campus, tag
        self.course_numbers: Counter[tuple[str, int]] = Counter()
        self.topic_numbers: Counter[str] = Counter()

    def named(self, name: str) -> str:
        """The campus's own departments, programmes and buildings carry its name on a multi-campus."""
        return f"{name} ({self.campus})" if self.tag else name

    def build(self, students: int) -> None:
        cohorts = self._cohorts(students)
        required = self._required(cohorts)
        pools = self._electives(cohorts)
        offerings = required + [offering for pool in pools for offering in pool]
        drafts = [draft for offering in offerings for draft in self._sections(offering)]
        staff = self._staff(drafts)
        for teacher in staff:
            self._availability(teacher)
        self._restrict(drafts)
        rooms = self._rooms(drafts)
        self._emit(cohorts, offerings, drafts, staff, rooms)
        self._relations(drafts, pools)

    def _cohorts(self, students: int) -> list[_Cohort]:
        offered = [(department, programme) for department in CATALOGUE for programme in department.programmes]
        count = max(2, round(students / STUDENTS_PER_PROGRAMME))
        # Past the catalogue, programmes run in parallel tracks, so no cohort outgrows a hall.
        order = self.rng.sample(range(len(offered)), len(offered))
        picks = sorted((order[k % len(offered)], k // len(offered)) for k in range(count))
        tracked = {index for index, track in picks if track > 0}
        chosen = [
            (offered[index][0], offered[index][1] + (f", track {track + 1}" if index in tracked else ""))
            for index, track in picks
        ]
        languages = [self.rng.choices(LANGUAGES, (2, 3, 5))[0] for _ in chosen]
        popularity = [self.rng.uniform(0.6, 1.4) for _ in chosen]
        keys = [(index, year) for index in range(len(chosen)) for year in YEAR_SIZE]
        sizes = _apportion(students, [popularity[index] * YEAR_SIZE[year] for index, year in keys])
        cohorts = []
        for (index, year), size in zip(keys, sizes, strict=True):
            if size == 0:
                continue
            department, programme = chosen[index]
            ids = []
            for _ in range(size):
                ids.append(f"{26 - year:02d}B{len(self.records.students) + 1:06d}")
                self.records.students.append(Student(ids[-1], self.named(programme), year))
            groups = _split(ids, math.ceil(size / ACADEMIC_GROUP))
            cohorts.append(_Cohort(self.named(programme), year, languages[index], department, ids, groups))
        return cohorts

    def _offering(
        self,
        department: CatalogueDepartment,
        year: int,
        title: str | None = None,
        practice_only: bool = False,
        language: str | None = None,
    ) -> _Offering:
        self.course_numbers[department.code, year] += 1
        code = f"{department.code}{year}{self.course_numbers[department.code, year]:03d}"
        if title is None:
            rounds, topic = divmod(self.topic_numbers[department.code], len(department.topics))
            self.topic_numbers[department.code] += 1
            title = department.topics[topic] + (ROMAN[rounds] if rounds < len(ROMAN) else f" {rounds + 1}")
        lab = (
            department.lab if department.lab and not practice_only and self.rng.random() < LAB_SHARE else None
        )
        practice = not practice_only and (lab is None or self.rng.random() < 0.5)
        credits = 5 if title in GENERAL else self.rng.choice((5, 6))
        course = Course(
            f"{code}-{self.tag}" if self.tag else code,
            title,
            credits,
            self.named(department.name),
            self.campus,
        )
        return _Offering(course, department, practice, lab, practice_only, language)

    def _required(self, cohorts: list[_Cohort]) -> list[_Offering]:
        """The courses each cohort takes as a block; department core courses are shared."""
        offerings: dict[str, _Offering] = {}
        for cohort in cohorts:
            general, core, own, _ = CURRICULUM[cohort.year]
            for title in general:
                if title == "Second Language":
                    title = "Russian Language" if cohort.language == "Kazakh" else "Kazakh Language"
                if title not in offerings:
                    code, practice_only, language = GENERAL[title]
                    offerings[title] = self._offering(
                        BY_CODE[code], cohort.year, title, practice_only, language
                    )
                offerings[title].cohorts.append(cohort)
            keys = [f"{cohort.department.code} {cohort.year} core {n}" for n in range(core)]
            keys += [f"{cohort.programme} {cohort.year} {n}" for n in range(own)]
            for key in keys:
                if key not in offerings:
                    offerings[key] = self._offering(cohort.department, cohort.year)
                offerings[key].cohorts.append(cohort)
        return list(offerings.values())

    def _electives(self, cohorts: list[_Cohort]) -> list[list[_Offering]]:
        """Per department, year and teaching language, a pool of electives the students choose from."""
        pools: dict[tuple[str, int, str], list[_Cohort]] = {}
        for cohort in cohorts:
            if CURRICULUM[cohort.year][3]:
                pools.setdefault((cohort.department.code, cohort.year, cohort.language), []).append(cohort)
        return [
            self._pool(BY_CODE[code], year, language, members)
            for (code, year, language), members in pools.items()
        ]

    def _pool(
        self, department: CatalogueDepartment, year: int, language: str, cohorts: list[_Cohort]
    ) -> list[_Offering]:
        taken = CURRICULUM[year][3]
        students = [student for cohort in cohorts for student in cohort.students]
        count = max(taken + 1, round(len(students) * taken / ELECTIVE_SIZE))
        weights = [1 / (rank + 1) ** POPULARITY for rank in range(count)]
        picks: list[list[int]] = []
        for _ in students:
            mine: list[int] = []
            while len(mine) < taken:
                pick = self.rng.choices(range(count), weights)[0]
                if pick not in mine:
                    mine.append(pick)
            picks.append(mine)
        sizes = Counter(pick for mine in picks for pick in mine)
        opened = list(range(count))
        while len(opened) > taken:
            smallest = min(opened, key=lambda elective: (sizes[elective], elective))
            if sizes[smallest] >= FEWEST:
                break
            # Too few to open: its registrants move to the most popular elective they do not take yet.
            opened.remove(smallest)
            for mine in picks:
                if smallest in mine:
                    target = max((e for e in opened if e not in mine), key=lambda e: (sizes[e], -e))
                    mine[mine.index(smallest)] = target
                    sizes[target] += 1
        pool = []
        for elective in opened:
            offering = self._offering(department, year, language=language)
            offering.students = [
                student for student, mine in zip(students, picks, strict=True) if elective in mine
            ]
            pool.append(offering)
        return pool

    def _groups(self, cohort: _Cohort, limit: int) -> list[list[str]]:
        """A cohort's registrations on a course's groups: its academic groups, a few students switching."""
        if max(len(group) for group in cohort.groups) > limit:  # language groups are smaller
            return _split(cohort.students, math.ceil(len(cohort.students) / limit))
        groups = [list(group) for group in cohort.groups]
        if len(groups) > 1:
            for home, members in enumerate(cohort.groups):
                for student in members:
                    other = self.rng.randrange(len(groups) - 1)
                    other += other >= home
                    if self.rng.random() < SWITCH and len(groups[other]) < limit:
                        groups[home].remove(student)
                        groups[other].append(student)
        return [group for group in groups if group]

    def _streams(self, offering: _Offering) -> list[tuple[str, list[Group]]]:
        """Lecture streams: whole cohorts of one teaching language up to a hall, each with its groups."""
        streams: list[tuple[str, list[Group]]] = []
        if not offering.cohorts:  # an elective: its registrants in practice groups of 28
            for chunk in _split(offering.students, math.ceil(len(offering.students) / STREAM_MOST)):
                parts = _split(chunk, math.ceil(len(chunk) / (PRACTICE_LIMIT - 2)))
                members: list[Group] = [(None, part) for part in parts]
                streams.append((offering.language or "", members))
            return streams
        limit = LANGUAGE_LIMIT if offering.practice_only else PRACTICE_LIMIT
        units: dict[str, list[list[Group]]] = {}
        for cohort in offering.cohorts:
            groups: list[Group] = [(cohort, group) for group in self._groups(cohort, limit)]
            pieces = math.ceil(len(cohort.students) / STREAM_MOST)  # a cohort larger than a hall splits
            units.setdefault(offering.language or cohort.language, []).extend(_split(groups, pieces))
        for language, language_units in units.items():
            bins: list[list[Group]] = []
            loads: list[int] = []
            for unit in sorted(language_units, key=lambda unit: -sum(len(group) for _, group in unit)):
                size = sum(len(group) for _, group in unit)
                target = next((index for index, load in enumerate(loads) if load + size <= STREAM_MOST), None)
                if target is None:
                    bins.append(list(unit))
                    loads.append(size)
                else:
                    bins[target].extend(unit)
                    loads[target] += size
            streams.extend((language, stream) for stream in bins)
        return streams

    def _sections(self, offering: _Offering) -> list[_Draft]:
        drafts: list[_Draft] = []
        numbers: Counter[str] = Counter()
        for stream, (language, groups) in enumerate(self._streams(offering)):
            for plan in self._stream_sections(offering, groups):
                numbers[plan.component] += 1
                name = f"{PREFIXES[plan.component]}{numbers[plan.component]}"
                drafts.append(
                    _Draft(
                        offering,
                        name,
                        plan.component,
                        plan.meetings,
                        plan.size_limit,
                        plan.students,
                        plan.room_kind,
                        plan.features,
                        language,
                        stream,
                        plan.cohort,
                    )
                )
        return drafts

    def _stream_sections(self, offering: _Offering, groups: list[Group]) -> list[_Plan]:
        """A stream's lecture, its practice groups and its lab subgroups of at most 12."""
        students = [student for _, group in groups for student in group]
        if offering.practice_only:
            return [
                _Plan("practice", (2, 2), LANGUAGE_LIMIT, group, CLASSROOM, (), cohort)
                for cohort, group in groups
            ]
        lecture = self.rng.choice(((2,), (1, 1)))
        if len(students) <= SMALL_STREAM:
            meetings = (2, 1) if offering.practice else (2,)
            plans = [_Plan("lecture", meetings, SMALL_STREAM, students, CLASSROOM, self._projector())]
            lab_groups = [students]
        else:
            limit = max(
                len(students), min(CAPACITIES[LECTURE_HALL][-1], 10 * math.ceil(len(students) * 0.11))
            )
            if limit <= CAPACITIES[CLASSROOM][-1]:
                plans = [_Plan("lecture", lecture, limit, students, CLASSROOM, self._projector())]
            else:
                features = ("projector", "microphone") if limit > 150 else ("projector",)
                plans = [_Plan("lecture", lecture, limit, students, LECTURE_HALL, features)]
            lab_groups = [group for _, group in groups]
            if offering.practice:
                for _, group in groups:
                    meetings = self.rng.choice(((2,), (2,), (1, 1), (1,)))
                    plans.append(
                        _Plan("practice", meetings, PRACTICE_LIMIT, group, CLASSROOM, self._projector())
                    )
        if offering.lab:
            for group in lab_groups:
                for subgroup in _split(group, math.ceil(len(group) / LAB_LIMIT)):
                    plans.append(
                        _Plan("lab", (2,), LAB_LIMIT, subgroup, offering.lab, LAB_FEATURES[offering.lab])
                    )
        return plans

    def _projector(self) -> tuple[str, ...]:
        return ("projector",) if self.rng.random() < 0.15 else ()

    def _staff(self, drafts: list[_Draft]) -> list[_Staff]:
        """Each section to a teacher of its department who speaks its language and has room in
        their weekly norm, one already on the course first, else the fullest; else a new hire."""
        staff: list[_Staff] = []
        teams: dict[str, list[_Staff]] = {}
        for draft in sorted(drafts, key=lambda d: (COMPONENT_ORDER.index(d.component), -d.size_limit)):
            course = draft.offering.course.code
            senior = draft.room_kind == LECTURE_HALL  # a stream lecture is not a junior lecturer's
            team = teams.setdefault(draft.offering.department.code, [])
            fitting = [
                teacher
                for teacher in team
                if draft.language in teacher.languages
                and teacher.load + draft.periods <= teacher.norm
                and not (senior and teacher.rank == "lecturer")
            ]
            if fitting:
                chosen = min(
                    fitting, key=lambda teacher: (course not in teacher.courses, teacher.norm - teacher.load)
                )
            else:
                chosen = self._hire(draft, senior)
                team.append(chosen)
                staff.append(chosen)
            chosen.load += draft.periods
            chosen.courses.add(course)
            draft.teachers.append(chosen)
        return staff

    def _hire(self, draft: _Draft, senior: bool) -> _Staff:
        ranks = list(RANK_NORMS)[: 3 if senior else 4]
        rank = self.rng.choices(ranks, (1, 2, 4, 4)[: len(ranks)])[0]
        part_time = self.rng.random() < PART_TIME
        norm = max(draft.periods, RANK_NORMS[rank] // (2 if part_time else 1))
        languages = [
            language
            for language in LANGUAGES
            if language == draft.language or self.rng.random() < SECOND_LANGUAGE
        ]
        return _Staff(self._teacher_name(), draft.offering.department, rank, norm, languages, part_time)

    def _terms(self, teacher: _Staff, department_courses: list[str]) -> TeachingTerms:
        """Rank and rate as hired; qualified for what they teach and a few more of the
        department's courses; now and then a course asked for or asked to be spared. Drawn from a
        generator of their own, so the rest of the semester is as it was before load terms."""
        rng = random.Random(f"terms/{teacher.name}")
        others = sorted(set(department_courses) - teacher.courses)
        more = rng.sample(others, min(len(others), rng.randint(0, 2)))
        wanted = tuple(rng.sample(more, 1)) if more and rng.random() < 0.3 else ()
        unwanted = tuple(rng.sample(others, 1)) if others and rng.random() < 0.2 else ()
        return TeachingTerms(
            rank=teacher.rank,
            rate=0.5 if teacher.part_time else 1.0,
            qualifications=tuple(sorted(teacher.courses)) + tuple(more),
            wanted=wanted,
            unwanted=tuple(course for course in unwanted if course not in wanted),
        )

    def _teacher_name(self) -> str:
        """A full name not yet on the staff; a middle initial, else a number, tells namesakes apart."""
        taken = self.records.teacher_names
        for _ in range(100):
            woman = self.rng.random() < 0.55
            name = f"{self.rng.choice(SURNAMES)}{'a' * woman} {self.rng.choice(WOMEN if woman else MEN)}"
            for candidate in (name, f"{name} {self.rng.choice('ABDEGKMNRST')}."):
                if candidate not in taken:
                    taken.add(candidate)
                    return candidate
        numbered = f"{name} {len(taken)}"  # the count only grows, so no two numbered names meet
        taken.add(numbered)
        return numbered

    def _availability(self, teacher: _Staff) -> None:
        """Part-timers come four days a week; some others miss a day or half a day; some have wishes."""
        if teacher.part_time:
            teacher.unavailable = tuple(sorted(self.rng.sample(DAYS, 2), key=DAYS.index))
        elif self.rng.random() < 0.25:
            day = self.rng.choice(DAYS)
            teacher.unavailable = (self.rng.choice((day, f"{day} 1-4", f"{day} 9-12")),)
        if self.rng.random() < 0.35:
            blocked = {time.split()[0] for time in teacher.unavailable}
            free = [day for day in DAYS if day not in blocked]
            wishes = []
            for day in self.rng.sample(free, self.rng.randint(1, 2)):
                periods, wish = self.rng.choice(WISHES)
                wishes.append((f"{day}{periods}", wish))
            teacher.preferences = tuple(wishes)

    def _restrict(self, drafts: list[_Draft]) -> None:
        """A few sections may meet only on three given days, days all their teachers come in."""
        for draft in drafts:
            if self.rng.random() < 0.02:
                blocked = {time.split()[0] for teacher in draft.teachers for time in teacher.unavailable}
                free = [day for day in DAYS if day not in blocked]
                if len(free) >= 3:
                    draft.allowed_times = tuple(sorted(self.rng.sample(free, 3), key=DAYS.index))

    def _rooms(self, drafts: list[_Draft]) -> list[_RoomDraft]:
        """Per kind, enough rooms for the booked periods at a usual utilisation, sized to the sections."""
        needs: dict[str, list[tuple[int, int]]] = {}
        for draft in drafts:
            needs.setdefault(draft.room_kind, []).append((draft.size_limit, draft.periods))
        rooms = []
        for kind in ROOM_KINDS:
            if kind in needs:
                demand = sorted(needs[kind], reverse=True)
                count = math.ceil(sum(periods for _, periods in demand) / (WEEK * UTILISATION[kind]))
                for capacity in _capacities(demand, count, CAPACITIES[kind]):
                    rooms.append(_RoomDraft(kind, capacity, self._room_features(kind, capacity)))
        _fit(rooms, drafts)
        for room in rooms:
            if self.rng.random() < 0.05:  # closed for a regular booking or maintenance
                day = self.rng.choice(DAYS[:5])
                room.unavailable = (self.rng.choice(("Sat", f"{day} 1-4", f"{day} 9-12")),)
        return rooms

    def _room_features(self, kind: str, capacity: int) -> list[str]:
        if kind == LECTURE_HALL:
            return (
                ["projector"]
                + ["microphone"] * (capacity >= 150)
                + ["video conferencing"] * (self.rng.random() < 0.3)
            )
        if kind == CLASSROOM:
            return ["projector"] * (self.rng.random() < 0.6) + ["smart board"] * (self.rng.random() < 0.2)
        return list(LAB_FEATURES[kind]) + ["projector"] * (kind == COMPUTER_LAB)

    def _emit(
        self,
        cohorts: list[_Cohort],
        offerings: list[_Offering],
        drafts: list[_Draft],
        staff: list[_Staff],
        rooms: list[_RoomDraft],
    ) -> None:
        records = self.records
        used = {offering.department.code for offering in offerings}
        records.departments.extend(
            Department(self.named(department.name), self.named(department.faculty))
            for department in CATALOGUE
            if department.code in used
        )
        self._place(rooms)
        order = {department.code: index for index, department in enumerate(CATALOGUE)}
        taught_in: dict[str, list[str]] = {}
        for offering in offerings:
            taught_in.setdefault(offering.department.code, []).append(offering.course.code)
        for teacher in sorted(staff, key=lambda teacher: order[teacher.department.code]):
            department = self.named(teacher.department.name)
            languages = tuple(teacher.languages)
            records.teachers.append(
                TeacherRecord(
                    teacher.name,
                    department,
                    languages,
                    teacher.unavailable,
                    teacher.preferences,
                    self._terms(teacher, taught_in[teacher.department.code]),
                )
            )
        records.courses.extend(offering.course for offering in offerings)
        registered: dict[str, list[str]] = {}
        cohort_of = {student: index for index, cohort in enumerate(cohorts) for student in cohort.students}
        blocks: list[list[str]] = [[] for _ in cohorts]
        for draft in drafts:
            ref = draft.ref
            records.sections.append(
                SectionRecord(
                    course=draft.offering.course.code,
                    name=draft.name,
                    component=draft.component,
                    size_limit=draft.size_limit,
                    meetings=draft.meetings,
                    teachers=tuple(teacher.name for teacher in draft.teachers),
                    language=draft.language,
                    room_kind=draft.room_kind,
                    features=draft.features,
                    allowed_times=draft.allowed_times,
                )
            )
            for student in draft.students:
                registered.setdefault(student, []).append(ref)
            if draft.offering.cohorts:  # a required course's section the whole cohort attends
                for index, attending in Counter(cohort_of[student] for student in draft.students).items():
                    if attending == len(cohorts[index].students):
                        blocks[index].append(ref)
        departments = {department.name for department in records.departments}
        records.programmes.extend(
            Programme(programme, department=department if department in departments else "")
            for programme, department in dict.fromkeys(
                (cohort.programme, self.named(cohort.department.name)) for cohort in cohorts
            )
        )
        records.cohorts.extend(
            CohortRecord(cohort.programme, cohort.year, tuple(block))
            for cohort, block in zip(cohorts, blocks, strict=True)
        )
        for cohort in cohorts:
            for student in cohort.students:
                records.registrations.extend(
                    Registration(student, ref) for ref in registered.get(student, ())
                )

    def _place(self, rooms: list[_RoomDraft]) -> None:
        """Labs into the laboratory building, halls and classrooms spread over all buildings."""
        count = max(2, min(len(BUILDINGS), round(len(rooms) / 28)))
        placed: list[list[_RoomDraft]] = [[] for _ in range(count)]
        others = [room for room in rooms if room.kind not in LAB_FEATURES]
        placed[1].extend(room for room in rooms if room.kind in LAB_FEATURES)
        for index, room in enumerate(others):
            placed[index % count].append(room)
        for (name, code), members in zip(BUILDINGS, placed, strict=False):
            building = self.named(name)
            self.records.buildings.append(Building(building, self.campus))
            prefix = f"{self.tag}-{code}" if self.tag else code
            for number, room in enumerate(members):
                floor, door = divmod(number, 20)
                self.records.rooms.append(
                    Room(
                        f"{prefix}-{floor + 1}{door + 1:02d}",
                        building,
                        room.capacity,
                        room.kind,
                        tuple(room.features),
                        room.unavailable,
                    )
                )

    def _relations(self, drafts: list[_Draft], pools: list[list[_Offering]]) -> None:
        relations = self.records.relations
        by_offering: dict[_Offering, list[_Draft]] = {}
        for draft in drafts:
            by_offering.setdefault(draft.offering, []).append(draft)
        for offering, members in by_offering.items():
            if offering.practice_only:
                # A cohort's language groups at one time, so students can be regrouped by level.
                by_cohort: dict[_Cohort | None, list[_Draft]] = {}
                for draft in members:
                    by_cohort.setdefault(draft.cohort, []).append(draft)
                for groups in by_cohort.values():
                    parallel: list[_Draft] = []
                    busy: set[str] = set()
                    for group in groups:  # groups with teachers of their own and no fixed days
                        names = {teacher.name for teacher in group.teachers}
                        if not group.allowed_times and not names & busy:
                            parallel.append(group)
                            busy |= names
                    if len(parallel) > 1 and self.rng.random() < 0.3:
                        relations.extend(
                            Relation(parallel[0].ref, SectionRelation.SAME_TIME, group.ref)
                            for group in parallel[1:]
                        )
            elif self.rng.random() < 0.1:
                # The lecture comes before its practice groups in the week.
                lectures = {draft.stream: draft for draft in members if draft.component == "lecture"}
                relations.extend(
                    Relation(lectures[draft.stream].ref, SectionRelation.BEFORE, draft.ref)
                    for draft in members
                    if draft.component == "practice"
                    and not draft.allowed_times
                    and not lectures[draft.stream].allowed_times
                )
        for pool in pools:
            # The two most popular electives of a pool apart, so students may take both.
            popular = sorted(pool, key=lambda offering: -len(offering.students))[:2]
            if len(popular) == 2:
                first, second = (
                    next(draft for draft in by_offering[offering] if draft.component == "lecture")
                    for offering in popular
                )
                relations.append(Relation(first.ref, SectionRelation.AVOID, second.ref))


def _fit(rooms: list[_RoomDraft], drafts: list[_Draft]) -> None:
    """Every section has a room of its kind, size and features: else the kind's largest room is
    enlarged or equipped (rarely needed; it keeps the data feasible-looking by construction)."""
    largest: dict[tuple[str, tuple[str, ...]], int] = {}
    for draft in drafts:
        key = (draft.room_kind, draft.features)
        largest[key] = max(largest.get(key, 0), draft.size_limit)
    for (kind, features), limit in largest.items():
        of_kind = [room for room in rooms if room.kind == kind]
        if any(room.capacity >= limit and set(features) <= set(room.features) for room in of_kind):
            continue
        room = max(of_kind, key=lambda room: room.capacity)
        room.capacity = max(room.capacity, limit)
        room.features.extend(feature for feature in features if feature not in room.features)
