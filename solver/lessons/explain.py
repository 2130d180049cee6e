"""Why a semester cannot be timetabled, in the registrar's words, and the best draft when it cannot.

Three answers, each dearer than the one before:

- static findings: counting arguments checked before any search (a section no room seats, a
  teacher asked for more periods than they are available, a cohort whose sections need more
  periods than the week has...). Each is a proof: no timetable exists while it stands.
- a conflict found by CP-SAT: the hard rules in groups (one teacher's week, one room, one cohort,
  the allowed times of one section, one section relation...), each switched on by an assumption
  literal. When the model with every group on is infeasible, CP-SAT names groups that cannot all
  hold; they are shrunk to groups of which each one is needed, and put in words.
- the best draft: every meeting may be left out; the fewest meetings left out is also the fewest
  hard violations any timetable has (a violation of cost c goes away by taking c of its meetings
  out, and taking meetings out breaks no other hard rule), so the draft breaks no rule but
  placement, and names where each left-out meeting could go and what is in its way.

The hard rules are those of the problem's scoring (registrar or CB-CTT); the words are the
registrar's.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

import constraints.lessons as lesson_rules
from constraints.lessons.section_relations import broken, meeting_pairs
from constraints.lessons.timetable import Placed, slot_name, suits
from models import (
    Evaluation,
    LessonProblem,
    LessonScoring,
    LessonSolution,
    Section,
    SectionConstraint,
    SectionRelation,
)

Pins = dict[int, tuple[int, int | None]]  # meeting -> (start, room or any room)

MAX_PLACES = 250_000  # (meeting, start, room) decisions above which no conflict search is tried
_SHOWN = 6  # names listed before "and N more"
_SHOWN_TIMES = 4


# --- words ------------------------------------------------------------------------------------


def _listing(words: Sequence[str], shown: int = _SHOWN) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, ... and 4 more'."""
    words = list(words)
    if len(words) > shown:
        return ", ".join(words[:shown]) + f" and {len(words) - shown} more"
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _times(problem: LessonProblem, slots: Iterable[int]) -> str:
    return _listing([slot_name(problem, slot) for slot in sorted(slots)], _SHOWN_TIMES)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- what may go where ------------------------------------------------------------------------


class _Ground:
    """The rules of the scoring, and per section and meeting the rooms and times it may take."""

    def __init__(self, problem: LessonProblem, pins: Pins | None = None) -> None:
        if problem.scoring not in (LessonScoring.REGISTRAR, LessonScoring.UD2):
            raise NotImplementedError(f"no explanation for {problem.scoring} timetables yet")
        self.problem = problem
        self.pins = pins or {}
        hard = {unit.NAME for unit in lesson_rules.units_for(problem) if unit.HARD}
        self.days_hard = "meetings on one day" in hard
        self.students_hard = "student clash" in hard
        self.relations_hard = "section relations" in hard
        grid = problem.grid
        self.all_slots = (1 << grid.slot_count) - 1
        self.room_closed = [_mask(room.unavailable) for room in problem.rooms]
        self.teacher_closed = [_mask(teacher.unavailable) for teacher in problem.teachers]
        self.rooms = [self.rooms_for(section) for section in problem.sections]
        self.fitting: dict[int, list[int]] = {}  # length -> starts where it fits the day
        for meeting in problem.meetings:
            if meeting.length not in self.fitting:
                self.fitting[meeting.length] = [
                    start for start in range(grid.slot_count) if grid.fits(start, meeting.length)
                ]
        # per meeting: the starts its section and teachers allow, and those with a room open
        self.starts: list[list[int]] = []
        self.open_starts: list[list[int]] = []
        cache: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
        for meeting in problem.meetings:
            key = (meeting.section, meeting.length)
            if key not in cache:
                cache[key] = self._starts(problem.sections[meeting.section], meeting.length)
            starts, open_starts = cache[key]
            if meeting.index in self.pins:
                open_starts = sorted({start for start, _ in self.places(meeting.index)})
            self.starts.append(starts)
            self.open_starts.append(open_starts)
        self.cohorts_of: list[list[int]] = [[] for _ in problem.sections]
        for cohort in problem.cohorts:
            for member in set(cohort.sections):
                self.cohorts_of[member].append(cohort.index)
        self.sections_of_teacher: list[list[int]] = [[] for _ in problem.teachers]
        for section in problem.sections:
            for teacher in dict.fromkeys(section.teachers):
                self.sections_of_teacher[teacher].append(section.index)
        # students registered on the same sections form one group
        groups: dict[tuple[int, ...], list[int]] = {}
        if self.students_hard:
            for student, registered in sorted(problem.registrations.items()):
                groups.setdefault(tuple(sorted(set(registered))), []).append(student)
        self.student_groups = [(sections, students) for sections, students in groups.items()]

    def rooms_for(self, section: Section) -> list[int]:
        return [
            room.index for room in self.problem.rooms_open_to(section) if suits(self.problem, section, room)
        ]

    def _starts(self, section: Section, length: int) -> tuple[list[int], list[int]]:
        closed = _mask(section.forbidden_slots)
        for teacher in section.teachers:
            closed |= self.teacher_closed[teacher]
        starts = [s for s in self.fitting[length] if not closed & _span(s, length)]
        rooms = self.rooms[section.index]
        open_starts = [s for s in starts if any(not self.room_closed[r] & _span(s, length) for r in rooms)]
        return starts, open_starts

    def places(self, meeting: int) -> list[tuple[int, int]]:
        """The (start, room) places the meeting may take (only its pin's, when pinned)."""
        problem = self.problem
        info = problem.meetings[meeting]
        section = problem.sections[info.section]
        pinned = self.pins.get(meeting)
        if pinned is None:
            starts = self.open_starts[meeting]
        else:
            starts = [s for s in self._starts(section, info.length)[1] if s == pinned[0]]
        return [
            (start, room)
            for start in starts
            for room in self.rooms[section.index]
            if not self.room_closed[room] & _span(start, info.length)
            and (pinned is None or pinned[1] in (None, room))
        ]

    def usable(self, section: int) -> int:
        """The slots some meeting of the section could cover."""
        mask = 0
        for meeting in self.problem.meetings_of[section]:
            length = self.problem.meetings[meeting].length
            for start in self.open_starts[meeting]:
                mask |= _span(start, length)
        return mask

    def periods(self, sections: Iterable[int]) -> int:
        return sum(sum(self.problem.sections[s].meetings) for s in sections)


def _mask(slots: Iterable[int]) -> int:
    mask = 0
    for slot in slots:
        mask |= 1 << slot
    return mask


def _span(start: int, length: int) -> int:
    return ((1 << length) - 1) << start


# --- static findings --------------------------------------------------------------------------


def static_findings(problem: LessonProblem, pins: Pins | None = None) -> list[str]:
    """Reasons found by counting, before any search; each one alone makes the semester infeasible."""
    ground = _Ground(problem, pins)
    findings = _roomless(ground)
    stuck = {problem.meetings[m].section for m, starts in enumerate(ground.open_starts) if not starts}
    roomless = {s.index for s in problem.sections if not ground.rooms[s.index]}
    findings += _timeless(ground, roomless)
    findings += _bad_pins(ground, roomless)
    if ground.days_hard:
        findings += _too_few_days(ground, stuck)
    findings += _overloaded_teachers(ground, stuck)
    findings += _overloaded_cohorts(ground, stuck)
    if ground.students_hard:
        findings += _overloaded_students(ground, stuck)
    findings += _overbooked_rooms(ground, stuck)
    if ground.relations_hard:
        findings += _impossible_relations(ground, stuck)
    return findings


def _roomless(ground: _Ground) -> list[str]:
    problem = ground.problem
    findings = []
    for section in problem.sections:
        if ground.rooms[section.index]:
            continue
        name, kind = section.name, section.room_kind
        features = " and ".join(sorted(section.features))
        of_kind = [r for r in problem.rooms if not kind or r.kind == kind]
        equipped = [r for r in of_kind if section.features <= r.features]
        on_campus = [r for r in equipped if not section.campus or r.campus == section.campus]
        allowed = [r for r in on_campus if r.index not in section.unsuitable_rooms]
        what = kind or "room"
        if features:
            what += f" with {features}"
        if not of_kind:
            findings.append(f"Section {name} needs a {kind}; no room is a {kind}.")
        elif not equipped and kind:
            findings.append(f"Section {name} needs a {kind} with {features}; no room has both.")
        elif not equipped:
            findings.append(f"Section {name} needs a room with {features}; no room has it.")
        elif not on_campus:
            findings.append(f"Section {name} is taught on campus {section.campus}, which has no {what}.")
        elif not allowed:
            names = _listing([r.name for r in on_campus])
            findings.append(f"Section {name} may use none of the rooms that suit it ({names}).")
        else:
            largest = max(allowed, key=lambda r: r.capacity)
            if section.campus:
                what += f" on campus {section.campus}"
            findings.append(
                f"Section {name} ({section.size} students) has no room: the largest {what} "
                f"seats {largest.capacity} ({largest.name})."
            )
    return findings


def _timeless(ground: _Ground, roomless: set[int]) -> list[str]:
    """Meetings with rooms but no time they may take."""
    problem = ground.problem
    grid = problem.grid
    findings = []
    for section in problem.sections:
        if section.index in roomless:
            continue
        reported: set[int] = set()
        for meeting in problem.meetings_of[section.index]:
            length = problem.meetings[meeting].length
            if ground.open_starts[meeting] or length in reported or meeting in ground.pins:
                continue
            reported.add(length)
            periods = _counted(length, "period")
            stretch = "no period is" if length == 1 else f"no {length} periods in a row within a day are"
            if not ground.fitting[length]:
                findings.append(
                    f"Section {section.name} has a meeting of {periods}, but no day has {length} "
                    f"periods in a row without a break (a day has {grid.periods_per_day})."
                )
            elif not ground.starts[meeting]:
                who = []
                if section.forbidden_slots:
                    who.append("allowed for the section")
                if section.teachers:
                    names = _listing([problem.teachers[t].name for t in section.teachers])
                    who.append(f"free for {names}")
                findings.append(
                    f"Section {section.name} has no time for its meeting of {periods}: {stretch} "
                    f"{' and '.join(who) or 'open'}."
                )
            else:
                rooms = _listing([problem.rooms[r].name for r in ground.rooms[section.index]])
                findings.append(
                    f"Section {section.name} has no time for its meeting of {periods}: the rooms "
                    f"that suit it ({rooms}) are closed whenever it may meet."
                )
    return findings


def _bad_pins(ground: _Ground, roomless: set[int]) -> list[str]:
    problem = ground.problem
    findings = []
    for meeting, (start, room) in sorted(ground.pins.items()):
        if meeting >= len(problem.meetings):
            findings.append(f"A pin names meeting {meeting}, but there are {len(problem.meetings)}.")
            continue
        info = problem.meetings[meeting]
        if ground.open_starts[meeting] or info.section in roomless:
            continue
        where = slot_name(problem, start) if 0 <= start < problem.grid.slot_count else f"slot {start}"
        if room is not None and 0 <= room < len(problem.rooms):
            where += f" in room {problem.rooms[room].name}"
        findings.append(
            f"Meeting {info.ordinal + 1} of {problem.sections[info.section].name} is pinned to "
            f"{where}, where it may not be held."
        )
    return findings


def _too_few_days(ground: _Ground, stuck: set[int]) -> list[str]:
    """A section's meetings need a day each (a matching of meetings to days)."""
    problem = ground.problem
    findings = []
    for section in problem.sections:
        meetings = problem.meetings_of[section.index]
        if len(meetings) < 2 or section.index in stuck:
            continue
        days_of = [sorted({problem.grid.day_of(s) for s in ground.open_starts[m]}) for m in meetings]
        matched = _matching(days_of)
        if matched >= len(meetings):
            continue
        days = sorted(set().union(*days_of))
        names = _listing([problem.grid.days[d] for d in days])
        if len(days) < len(meetings):
            findings.append(
                f"Section {section.name} has {len(meetings)} meetings on different days but may meet "
                f"on only {_counted(len(days), 'day')} ({names})."
            )
        else:
            findings.append(
                f"Section {section.name} has {len(meetings)} meetings on different days but only "
                f"{matched} of them can have a day of their own ({names})."
            )
    return findings


def _matching(options: list[list[int]]) -> int:
    """The most items given distinct options (augmenting paths; the lists are short)."""
    owner: dict[int, int] = {}

    def place(item: int, seen: set[int]) -> bool:
        for option in options[item]:
            if option in seen:
                continue
            seen.add(option)
            if option not in owner or place(owner[option], seen):
                owner[option] = item
                return True
        return False

    return sum(place(item, set()) for item in range(len(options)))


def _overloaded_teachers(ground: _Ground, stuck: set[int]) -> list[str]:
    problem = ground.problem
    findings = []
    for teacher in problem.teachers:
        sections = ground.sections_of_teacher[teacher.index]
        if not sections or stuck & set(sections):
            continue
        needed = ground.periods(sections)
        available = bin(ground.all_slots & ~ground.teacher_closed[teacher.index]).count("1")
        usable = 0
        for section in sections:
            usable |= ground.usable(section)
        usable_count = bin(usable).count("1")
        if needed <= usable_count:
            continue
        names = _listing([problem.sections[s].name for s in sections])
        if usable_count == available:
            findings.append(
                f"Teacher {teacher.name} is asked for {needed} periods a week ({names}) but "
                f"available for {available}."
            )
        else:
            findings.append(
                f"Teacher {teacher.name} is asked for {needed} periods a week ({names}) but their "
                f"sections may meet in only {usable_count} of the {available} periods they are available."
            )
    return findings


def _week_words(ground: _Ground, usable: int) -> str:
    count = bin(usable).count("1")
    week = ground.problem.grid.slot_count
    if count == week:
        return f"the week has {week}"
    return f"they may meet in only {count} of the {week} periods of the week"


def _overloaded_cohorts(ground: _Ground, stuck: set[int]) -> list[str]:
    problem = ground.problem
    findings = []
    for cohort in problem.cohorts:
        sections = sorted(set(cohort.sections))
        if len(sections) < 2 or stuck & set(sections):
            continue
        usable = 0
        for section in sections:
            usable |= ground.usable(section)
        needed = ground.periods(sections)
        if needed > bin(usable).count("1"):
            findings.append(
                f"Cohort {cohort.name}'s sections ({_listing([problem.sections[s].name for s in sections])}) "
                f"need {needed} periods a week but {_week_words(ground, usable)}."
            )
    return findings


def _overloaded_students(ground: _Ground, stuck: set[int]) -> list[str]:
    problem = ground.problem
    usable_of: dict[int, int] = {}
    findings = []
    for sections, students in ground.student_groups:
        if len(sections) < 2 or stuck & set(sections):
            continue
        usable = 0
        for section in sections:
            if section not in usable_of:
                usable_of[section] = ground.usable(section)
            usable |= usable_of[section]
        needed = ground.periods(sections)
        if needed <= bin(usable).count("1"):
            continue
        who = f"Student {problem.student_name(students[0])}"
        if len(students) > 1:
            who += f" (and {_counted(len(students) - 1, 'other')} with the same registrations)"
        findings.append(
            f"{who} is registered on sections needing {needed} periods a week "
            f"({_listing([problem.sections[s].name for s in sections])}) but {_week_words(ground, usable)}."
        )
    return findings


def _overbooked_rooms(ground: _Ground, stuck: set[int]) -> list[str]:
    """Sections that fit only a set of rooms need no more periods there than those rooms are open."""
    problem = ground.problem
    room_sets: dict[int, list[int]] = {}  # rooms (a mask) -> the sections that fit only there
    for section in problem.sections:
        if section.index not in stuck:
            room_sets.setdefault(_mask(ground.rooms[section.index]), []).append(section.index)
    open_periods = [bin(ground.all_slots & ~closed).count("1") for closed in ground.room_closed]
    short: list[tuple[int, int, int, list[int]]] = []  # rooms, needed, offered, sections
    for rooms in room_sets:
        sections = [s for other, members in room_sets.items() if not other & ~rooms for s in members]
        needed = ground.periods(sections)
        offered = sum(open_periods[r] for r in range(len(problem.rooms)) if rooms >> r & 1)
        if needed > offered:
            short.append((rooms, needed, offered, sections))
    findings = []
    for rooms, needed, offered, sections in short:
        if any(other != rooms and not other & ~rooms for other, *_ in short):
            continue  # a smaller set of rooms already runs short
        members = [problem.rooms[r] for r in range(len(problem.rooms)) if rooms >> r & 1]
        kinds = {problem.sections[s].room_kind for s in sections}
        kind = next(iter(kinds)) if len(kinds) == 1 else None
        names = _listing([room.name for room in members])
        if kind and {r.index for r in members} == {r.index for r in problem.rooms if r.kind == kind}:
            plural = kind if len(members) == 1 else kind + "s"
            where = f"the {plural} ({names})"
        else:
            where = ("room " if len(members) == 1 else "rooms ") + names
        verb = "is" if len(members) == 1 else "are"
        findings.append(
            f"Sections {_listing([problem.sections[s].name for s in sections])} may use only {where}: "
            f"they need {needed} periods a week there, but {where.split(' (')[0]} {verb} open for {offered}."
        )
    return findings


def _impossible_relations(ground: _Ground, stuck: set[int]) -> list[str]:
    problem = ground.problem
    findings = []
    pairs: dict[frozenset[int], set[SectionRelation]] = {}
    for relation in problem.relations:
        pairs.setdefault(frozenset((relation.first, relation.second)), set()).add(relation.relation)
        if relation.relation is not SectionRelation.SAME_TIME or {relation.first, relation.second} & stuck:
            continue
        first, second = problem.sections[relation.first], problem.sections[relation.second]
        together = f"Sections {first.name} and {second.name} must start together"
        for a, b in meeting_pairs(problem, relation):
            common = set(ground.open_starts[a]) & set(ground.open_starts[b])
            if not common:
                la, lb = problem.meetings[a].length, problem.meetings[b].length
                lengths = f" (they last {la} and {lb} periods)" if la != lb else ""
                findings.append(
                    f"{together}, but meeting {problem.meetings[a].ordinal + 1} of each has no start "
                    f"time both may take{lengths}."
                )
                break
        shared = sorted(set(first.teachers) & set(second.teachers))
        cohorts = sorted(set(ground.cohorts_of[first.index]) & set(ground.cohorts_of[second.index]))
        students = sorted(set(problem.students_of[first.index]) & set(problem.students_of[second.index]))
        rooms = set(ground.rooms[first.index]) | set(ground.rooms[second.index])
        if shared:
            findings.append(f"{together}, but both are taught by {problem.teachers[shared[0]].name}.")
        elif cohorts:
            findings.append(f"{together}, but both are taken by cohort {problem.cohorts[cohorts[0]].name}.")
        elif students and ground.students_hard:
            findings.append(
                f"{together}, but {_counted(len(students), 'student')} "
                f"{'takes' if len(students) == 1 else 'take'} both "
                f"(e.g. {problem.student_name(students[0])})."
            )
        elif len(rooms) == 1:
            findings.append(f"{together}, but both may use only room {problem.rooms[rooms.pop()].name}.")
    for pair, relations in pairs.items():
        if SectionRelation.SAME_TIME in relations and len(relations) > 1 and len(pair) == 2:
            a, b = sorted(pair)
            other = (
                "must not overlap"
                if SectionRelation.AVOID in relations
                else "one must end before the other starts"
            )
            findings.append(
                f"Sections {problem.sections[a].name} and {problem.sections[b].name} must start together "
                f"but also {other}."
            )
    cycle = _before_cycle(problem.relations, len(problem.sections))
    if cycle:
        names = " before ".join(problem.sections[s].name for s in [*cycle, cycle[0]])
        findings.append(f"The order of sections goes round in a circle: {names}.")
    return findings


def _before_cycle(relations: Sequence[SectionConstraint], count: int) -> list[int]:
    after: list[list[int]] = [[] for _ in range(count)]
    for relation in relations:
        if relation.relation is SectionRelation.BEFORE:
            after[relation.first].append(relation.second)
    state = [0] * count  # 0 unseen, 1 on the path, 2 done
    path: list[int] = []

    def visit(section: int) -> list[int]:
        state[section] = 1
        path.append(section)
        for following in after[section]:
            if state[following] == 1:
                return path[path.index(following) :]
            if state[following] == 0 and (found := visit(following)):
                return found
        state[section] = 2
        path.pop()
        return []

    for section in range(count):
        if state[section] == 0 and (found := visit(section)):
            return found
    return []


# --- the hard rules in groups -----------------------------------------------------------------


@dataclass
class _Group:
    kind: str  # teacher, availability, allowed, days, room, cohort, students, relation, pin
    subject: str  # who, for labels
    detail: str
    literal: cp_model.IntVar | None


class _RuleModel:
    """Every hard rule of the scoring on every meeting; with `gated`, each group of rules holds only
    while its literal does, and a meeting may take places those groups forbid; with
    `may_leave_out`, a meeting may stay out (and the rules bind only the meetings placed)."""

    def __init__(self, ground: _Ground, gated: bool, may_leave_out: bool = False) -> None:
        self.ground = ground
        self.problem = problem = ground.problem
        self.model = cp_model.CpModel()
        self.gated = gated
        self.groups: list[_Group] = []
        self.places: list[dict[tuple[int, int], cp_model.IntVar]] = []
        self.starts: list[dict[int, cp_model.IntVar]] = []
        self.left_out: dict[int, cp_model.IntVar] = {}
        self.room_group: dict[int, int] = {}  # room -> its group, with gates
        for meeting in problem.meetings:
            self._decide(meeting.index, may_leave_out)
        self._gate_places()
        self._pins()
        self._own_overlaps()
        self._people_and_rooms()
        if ground.days_hard:
            self._days()
        if ground.relations_hard:
            self._relations()

    def size(self) -> int:
        return sum(len(places) for places in self.places)

    def _group(self, kind: str, subject: str, detail: str) -> int:
        literal = self.model.new_bool_var(f"{kind}[{subject}]") if self.gated else None
        self.groups.append(_Group(kind, subject, detail, literal))
        return len(self.groups) - 1

    def _when(self, constraint: cp_model.Constraint, group: int, *more: cp_model.LiteralT) -> None:
        literal = self.groups[group].literal
        enforced = ([literal] if literal is not None else []) + list(more)
        if enforced:
            constraint.only_enforce_if(enforced)

    def _decide(self, meeting: int, may_leave_out: bool) -> None:
        ground, model = self.ground, self.model
        info = self.problem.meetings[meeting]
        if self.gated:  # every fitting start and suitable room; the groups rule out the rest
            places = [
                (start, room) for start in ground.fitting[info.length] for room in ground.rooms[info.section]
            ]
        else:
            places = ground.places(meeting)
        literals: dict[tuple[int, int], cp_model.IntVar] = {}
        by_start: dict[int, list[cp_model.IntVar]] = {}
        for start, room in places:
            literal = model.new_bool_var(f"place[{meeting},{start},{room}]")
            literals[start, room] = literal
            by_start.setdefault(start, []).append(literal)
        starts: dict[int, cp_model.IntVar] = {}
        for start, here in by_start.items():
            if len(here) == 1:
                starts[start] = here[0]
            else:
                starts[start] = model.new_bool_var(f"start[{meeting},{start}]")
                model.add(sum(here) == starts[start])
        self.places.append(literals)
        self.starts.append(starts)
        if may_leave_out:
            self.left_out[meeting] = model.new_bool_var(f"left_out[{meeting}]")
            model.add_exactly_one([*starts.values(), self.left_out[meeting]])
        else:
            model.add_exactly_one(starts.values())

    def _placed(self, meeting: int) -> list[cp_model.LiteralT]:
        """Literals true when the meeting is placed (for rules that bind placed meetings only)."""
        return [self.left_out[meeting].Not()] if meeting in self.left_out else []

    def _gate_places(self) -> None:
        """With gates: the allowed times of a section, a teacher's availability, a room's opening."""
        if not self.gated:
            return
        problem, ground = self.problem, self.ground
        allowed_group = {}
        for section in problem.sections:
            if section.forbidden_slots:
                allowed = set(range(problem.grid.slot_count)) - section.forbidden_slots
                if len(allowed) <= len(section.forbidden_slots):
                    detail = f"{section.name} may meet only at {_times(problem, allowed) or 'no time'}"
                else:
                    detail = f"{section.name} may not meet at {_times(problem, section.forbidden_slots)}"
                allowed_group[section.index] = self._group("allowed", section.name, detail)
        teacher_group = {}
        for teacher in problem.teachers:
            if teacher.unavailable and ground.sections_of_teacher[teacher.index]:
                free = set(range(problem.grid.slot_count)) - teacher.unavailable
                if len(free) <= len(teacher.unavailable):
                    detail = f"{teacher.name} is available only at {_times(problem, free) or 'no time'}"
                else:
                    detail = f"{teacher.name} is unavailable at {_times(problem, teacher.unavailable)}"
                teacher_group[teacher.index] = self._group("availability", teacher.name, detail)
        for room in problem.rooms:
            detail = f"room {room.name} holds one class at a time"
            if room.unavailable:
                detail += f" and is closed at {_times(problem, room.unavailable)}"
            self.room_group[room.index] = self._group("room", room.name, detail)
        for meeting, literals in enumerate(self.places):
            info = problem.meetings[meeting]
            section = problem.sections[info.section]
            closed = [(allowed_group.get(section.index), _mask(section.forbidden_slots))]
            closed += [(teacher_group.get(t), ground.teacher_closed[t]) for t in section.teachers]
            for (start, at), literal in literals.items():
                span = _span(start, info.length)
                gates = [group for group, mask in closed if group is not None and mask & span]
                if ground.room_closed[at] & span:
                    gates.append(self.room_group[at])
                for group in gates:
                    gate = self.groups[group].literal
                    assert gate is not None
                    self.model.add_implication(gate, literal.Not())

    def _pins(self) -> None:
        problem = self.problem
        for meeting, (start, room) in sorted(self.ground.pins.items()):
            if meeting >= len(problem.meetings):
                continue
            info = problem.meetings[meeting]
            where = slot_name(problem, start) if 0 <= start < problem.grid.slot_count else f"slot {start}"
            if room is not None and 0 <= room < len(problem.rooms):
                where += f" in room {problem.rooms[room].name}"
            name = f"meeting {info.ordinal + 1} of {problem.sections[info.section].name}"
            group = self._group("pin", name, f"{name} is pinned to {where}")
            for (there, in_room), literal in self.places[meeting].items():
                if there != start or room not in (None, in_room):
                    self._when(self.model.add(literal == 0), group)

    def _cover(self, meetings: Iterable[int]) -> dict[int, list[cp_model.IntVar]]:
        """Per slot, the start literals of these meetings that cover it."""
        cover: dict[int, list[cp_model.IntVar]] = {}
        for meeting in meetings:
            length = self.problem.meetings[meeting].length
            for start, literal in self.starts[meeting].items():
                for slot in range(start, start + length):
                    cover.setdefault(slot, []).append(literal)
        return cover

    def _one_at_a_time(self, meetings: Iterable[int], group: int | None) -> None:
        for literals in self._cover(meetings).values():
            if len(literals) > 1:
                if group is None:
                    self.model.add_at_most_one(literals)
                else:
                    self._when(self.model.add(sum(literals) <= 1), group)

    def _own_overlaps(self) -> None:
        for meetings in self.problem.meetings_of:
            if len(meetings) > 1:
                self._one_at_a_time(meetings, None)

    def _people_and_rooms(self) -> None:
        problem, ground = self.problem, self.ground
        names = problem.sections

        def meetings(sections: Iterable[int]) -> list[int]:
            return [m for s in sections for m in problem.meetings_of[s]]

        def what(sections: Sequence[int]) -> str:
            listed = _listing([names[s].name for s in sections])
            return f"{listed} ({_counted(ground.periods(sections), 'period')} a week)"

        for teacher in problem.teachers:
            sections = ground.sections_of_teacher[teacher.index]
            if len(meetings(sections)) > 1:
                detail = f"{teacher.name} teaches {what(sections)}, one class at a time"
                self._one_at_a_time(meetings(sections), self._group("teacher", teacher.name, detail))
        for cohort in problem.cohorts:
            sections = sorted(set(cohort.sections))
            if len(sections) > 1:
                detail = f"cohort {cohort.name} takes {what(sections)} without overlaps"
                self._one_at_a_time(meetings(sections), self._group("cohort", cohort.name, detail))
        for registered, students in ground.student_groups:
            if len(registered) < 2:
                continue
            who = problem.student_name(students[0])
            if len(students) > 1:
                who += f" (and {_counted(len(students) - 1, 'other')} with the same registrations)"
            detail = f"student {who} takes {what(registered)} without overlaps"
            self._one_at_a_time(meetings(registered), self._group("students", who, detail))
        held: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        for meeting, places in enumerate(self.places):
            length = problem.meetings[meeting].length
            for (start, room), literal in places.items():
                for slot in range(start, start + length):
                    held.setdefault((room, slot), []).append(literal)
        for (room, _), holding in held.items():
            if len(holding) > 1:
                if room in self.room_group:
                    self._when(self.model.add(sum(holding) <= 1), self.room_group[room])
                else:
                    self.model.add_at_most_one(holding)

    def _days(self) -> None:
        problem = self.problem
        for section in problem.sections:
            meetings = problem.meetings_of[section.index]
            if len(meetings) < 2:
                continue
            detail = f"the {len(meetings)} meetings of {section.name} are on different days"
            group = self._group("days", section.name, detail)
            by_day: dict[int, list[cp_model.IntVar]] = {}
            for meeting in meetings:
                for start, literal in self.starts[meeting].items():
                    by_day.setdefault(problem.grid.day_of(start), []).append(literal)
            for literals in by_day.values():
                if len(literals) > 1:
                    self._when(self.model.add(sum(literals) <= 1), group)

    def _relations(self) -> None:
        problem = self.problem
        words = {
            SectionRelation.SAME_TIME: "{a} and {b} start together",
            SectionRelation.AVOID: "{a} and {b} do not overlap",
            SectionRelation.BEFORE: "{a} ends before {b} starts",
        }
        for relation in problem.relations:
            a_name, b_name = problem.sections[relation.first].name, problem.sections[relation.second].name
            detail = words[relation.relation].format(a=a_name, b=b_name)
            group = self._group("relation", f"{a_name} and {b_name}", detail)
            for a, b in meeting_pairs(problem, relation):
                both = self._placed(a) + self._placed(b)
                if relation.relation is SectionRelation.SAME_TIME:
                    at_a, at_b = self.starts[a], self.starts[b]
                    for start in set(at_a) | set(at_b):
                        self._when(self.model.add(at_a.get(start, 0) == at_b.get(start, 0)), group, *both)
                elif relation.relation is SectionRelation.AVOID:
                    cover_a, cover_b = self._cover([a]), self._cover([b])
                    for slot in set(cover_a) & set(cover_b):
                        self._when(self.model.add(sum(cover_a[slot] + cover_b[slot]) <= 1), group)
                elif self.starts[a] and self.starts[b]:
                    start_a = sum(start * literal for start, literal in self.starts[a].items())
                    start_b = sum(start * literal for start, literal in self.starts[b].items())
                    length = problem.meetings[a].length
                    self._when(self.model.add(start_a + length <= start_b), group, *both)

    def assumptions(self, groups: Iterable[int]) -> list[cp_model.IntVar]:
        found = []
        for group in groups:
            literal = self.groups[group].literal
            assert literal is not None
            found.append(literal)
        return found

    def solve(
        self, groups: Iterable[int] | None, time_limit: float, workers: int, seed: int
    ) -> tuple[int, list[int], LessonSolution | None]:
        """Status, the groups of a sufficient core when infeasible, and the timetable when found."""
        model = self.model
        model.clear_assumptions()
        if self.gated:
            model.add_assumptions(self.assumptions(range(len(self.groups)) if groups is None else groups))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit)
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed
        status = solver.solve(model)
        core: list[int] = []
        timetable = None
        if status == cp_model.INFEASIBLE and self.gated:
            by_index = {g.literal.index: i for i, g in enumerate(self.groups) if g.literal is not None}
            core = sorted(by_index[index] for index in solver.sufficient_assumptions_for_infeasibility())
        elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            timetable = self._decode(solver)
        return int(status), core, timetable

    def _decode(self, solver: cp_model.CpSolver) -> LessonSolution:
        starts: list[int | None] = []
        rooms: list[int | None] = []
        for literals in self.places:
            place = next((p for p, literal in literals.items() if solver.boolean_value(literal)), None)
            starts.append(None if place is None else place[0])
            rooms.append(None if place is None else place[1])
        return LessonSolution(problem_name=self.problem.name, starts=tuple(starts), rooms=tuple(rooms))


# --- conflicts found by CP-SAT ---------------------------------------------------------------


@dataclass
class Conflict:
    """What the search for a conflict found: `status` is 'infeasible' (with `findings`), 'feasible'
    (with a `timetable` breaking no hard rule) or 'unknown' (nothing proven in the time given)."""

    status: str
    findings: list[str] = field(default_factory=list)
    timetable: LessonSolution | None = None


_LABELS = {  # kind -> (one, several) before the subjects
    "teacher": ("teacher", "teachers"),
    "availability": ("the availability of", "the availability of"),
    "allowed": ("the allowed times of", "the allowed times of"),
    "days": ("the different-days rule of", "the different-days rule of"),
    "room": ("room", "rooms"),
    "cohort": ("the cohort", "the cohorts"),
    "students": ("student", "students"),
    "relation": ("the relation between", "the relation between"),  # one label per relation
    "pin": ("the pin of", "the pins of"),
}


def _conflict_words(groups: Sequence[_Group], minimal: bool) -> str:
    """'Teacher A and the cohort C cannot all be satisfied: <each group in words>.'"""
    by_kind: dict[str, list[str]] = {}
    for group in groups:
        by_kind.setdefault(group.kind, []).append(group.subject)
    labels = []
    for kind, (one, several) in _LABELS.items():
        subjects = by_kind.get(kind, [])
        if kind == "relation":
            labels += [f"{one} {subject}" for subject in subjects]
        elif subjects:
            labels.append(f"{one if len(subjects) == 1 else several} {_listing(subjects)}")
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    order = list(_LABELS)
    details = "; ".join(group.detail for group in sorted(groups, key=lambda g: order.index(g.kind)))
    if len(groups) == 1:
        return _capital(f"{joined} cannot be satisfied: {details}.")
    closing = " Relaxing any one of them removes this conflict." if minimal else ""
    return _capital(f"{joined} cannot all be satisfied: {details}.{closing}")


def find_conflicts(
    problem: LessonProblem,
    time_limit: float = 10.0,
    pins: Pins | None = None,
    workers: int = 1,
    seed: int = 0,
    most: int = 3,
    max_places: int = MAX_PLACES,
) -> Conflict:
    """Groups of hard rules that cannot all hold (up to `most` independent ones), each shrunk so that
    every group in it is needed; or a timetable breaking no hard rule; within `time_limit` seconds."""
    deadline = time.monotonic() + time_limit
    ground = _Ground(problem, pins)
    estimate = sum(len(ground.fitting[m.length]) * len(ground.rooms[m.section]) for m in problem.meetings)
    if estimate > max_places:
        return Conflict(
            "unknown",
            [
                f"The semester is too large ({estimate} possible times and rooms of meetings) to search "
                "for the rules in conflict; no explanation was found."
            ],
        )
    rules = _RuleModel(ground, gated=True)
    status, core, timetable = rules.solve(None, time_limit, workers, seed)
    if timetable is not None:
        return Conflict("feasible", timetable=timetable)
    if status != cp_model.INFEASIBLE:
        return Conflict("unknown", [_not_in_time(time_limit)])
    findings = []
    relaxed: set[int] = set()
    while True:
        minimal = True
        if not core:  # infeasible whatever the groups: nothing to name
            findings.append("No timetable keeps the hard rules, but no group of rules could be singled out.")
            break
        kept: list[int] = []
        candidates = list(core)
        while candidates:
            left = deadline - time.monotonic()
            if left <= 0.05:
                minimal = False
                kept += candidates
                break
            group = candidates.pop(0)
            trial = kept + candidates
            step = max(0.05, min(left, left / (len(candidates) + 1) * 2))
            status, smaller, _ = rules.solve(trial, step, workers, seed)
            if status == cp_model.INFEASIBLE:
                candidates = [g for g in candidates if g in smaller or not smaller]
                kept = [g for g in kept if g in smaller or not smaller]
            else:
                if status != cp_model.OPTIMAL and status != cp_model.FEASIBLE:
                    minimal = False
                kept.append(group)
        findings.append(_conflict_words([rules.groups[g] for g in sorted(kept)], minimal))
        relaxed |= set(kept)
        left = deadline - time.monotonic()
        if len(findings) >= most or left <= 0.05:
            break
        others = [g for g in range(len(rules.groups)) if g not in relaxed]
        status, core, _ = rules.solve(others, left, workers, seed)
        if status != cp_model.INFEASIBLE:
            break
    return Conflict("infeasible", findings)


def _not_in_time(time_limit: float) -> str:
    return (
        f"In {time_limit:.1f} s CP-SAT neither found a timetable keeping every hard rule nor proved "
        "that none exists: no explanation was found in the time given."
    )


def explain(
    problem: LessonProblem,
    time_limit: float = 10.0,
    pins: Pins | None = None,
    workers: int = 1,
    seed: int = 0,
) -> list[str]:
    """The static findings when there are any, otherwise the conflicts CP-SAT finds in the time
    given; an empty list when a timetable keeping every hard rule exists."""
    findings = static_findings(problem, pins)
    if findings:
        return findings
    return find_conflicts(problem, time_limit, pins, workers, seed).findings


# --- the best draft ---------------------------------------------------------------------------


@dataclass
class Draft:
    """A timetable with the fewest hard violations found: meetings left out, nothing else broken."""

    solution: LessonSolution
    evaluation: Evaluation
    violations: list[str]  # every hard violation, in the checker's words
    notes: list[str]  # per meeting left out: where it could go and what is in the way
    proven: bool  # no timetable has fewer hard violations


def best_draft(
    problem: LessonProblem,
    time_limit: float = 10.0,
    pins: Pins | None = None,
    workers: int = 1,
    seed: int = 0,
    max_places: int = MAX_PLACES,
) -> Draft:
    """The timetable leaving out the fewest meetings (the larger sections kept first on ties)."""
    ground = _Ground(problem, pins)
    greedy = _greedy(ground)
    solution, proven = greedy, False
    if (
        sum(len(ground.open_starts[m.index]) * len(ground.rooms[m.section]) for m in problem.meetings)
        <= max_places
    ):
        rules = _RuleModel(ground, gated=False, may_leave_out=True)
        sizes = [problem.sections[m.section].size for m in problem.meetings]
        each = sum(sizes) + 1  # one meeting more outweighs every tie-break
        rules.model.minimize(sum((each + sizes[m]) * out for m, out in rules.left_out.items()))
        for meeting, literals in enumerate(rules.places):
            place = (greedy.starts[meeting], greedy.rooms[meeting])
            for key, literal in literals.items():
                rules.model.add_hint(literal, key == place)
            rules.model.add_hint(rules.left_out[meeting], place not in literals)
        status, _, found = rules.solve(None, time_limit, workers, seed)
        if found is not None and _left_out(found) <= _left_out(greedy):
            solution, proven = found, status == cp_model.OPTIMAL
    evaluation = lesson_rules.evaluate(problem, solution)
    violations = [f"{v.constraint}: {v.message}" for v in evaluation.violations(hard=True)]
    return Draft(solution, evaluation, violations, _in_the_way(ground, solution), proven)


def _left_out(solution: LessonSolution) -> int:
    return sum(start is None for start in solution.starts)


_RELATION_WORDS = {
    SectionRelation.SAME_TIME: "they must start together",
    SectionRelation.AVOID: "they must not overlap",
    SectionRelation.BEFORE: "of the order they must keep",
}


class _Board:
    """Who holds what in a timetable, to tell what is in a meeting's way."""

    def __init__(self, ground: _Ground) -> None:
        self.ground = ground
        problem = ground.problem
        self.holders: dict[tuple[str, int, int], set[int]] = {}
        self.place_of: dict[int, tuple[int, int]] = {}
        sharing: list[set[int]] = [set() for _ in problem.sections]
        for sections, _ in ground.student_groups:
            for section in sections:
                sharing[section] |= set(sections)
        self.sharing = [sorted(others - {s}) for s, others in enumerate(sharing)]
        self.partners: list[list[tuple[int, SectionRelation, bool]]] = [[] for _ in problem.meetings]
        if ground.relations_hard:
            for relation in problem.relations:
                for a, b in meeting_pairs(problem, relation):
                    self.partners[a].append((b, relation.relation, True))
                    self.partners[b].append((a, relation.relation, False))

    def _keys(self, meeting: int, place: tuple[int, int], needed: bool) -> list[tuple[str, int, int]]:
        """What a meeting at this place holds, or (`needed`) must find free."""
        ground = self.ground
        problem = ground.problem
        start, room = place
        section = problem.meetings[meeting].section
        owners = [("room", room), ("section", section)]
        owners += [("teacher", t) for t in problem.sections[section].teachers]
        owners += [("cohort", c) for c in ground.cohorts_of[section]]
        if needed:
            owners += [("students", other) for other in self.sharing[section]]
        else:
            owners.append(("students", section))
        slots = range(start, start + problem.meetings[meeting].length)
        keys = [(kind, owner, slot) for kind, owner in owners for slot in slots]
        if ground.days_hard:
            keys.append(("day", section, problem.grid.day_of(start)))
        return keys

    def put(self, meeting: int, place: tuple[int, int]) -> None:
        self.place_of[meeting] = place
        for key in self._keys(meeting, place, needed=False):
            self.holders.setdefault(key, set()).add(meeting)

    def in_the_way(self, meeting: int, place: tuple[int, int]) -> dict[int, str]:
        """The placed meetings this place would break a hard rule with, and the reason for each."""
        problem = self.ground.problem
        found: dict[int, str] = {}
        for kind, owner, slot in self._keys(meeting, place, needed=True):
            for other in self.holders.get((kind, owner, slot), ()):
                if other == meeting or other in found:
                    continue
                if kind == "room":
                    found[other] = f"room {problem.rooms[owner].name}"
                elif kind == "teacher":
                    found[other] = f"teacher {problem.teachers[owner].name}"
                elif kind == "cohort":
                    found[other] = f"cohort {problem.cohorts[owner].name}"
                elif kind == "students":
                    found[other] = "students registered on both"
                elif kind == "day":
                    found[other] = "same section, same day"
                else:
                    found[other] = "same section"
        here = _as_placed(problem, meeting, place)
        for partner, relation, first in self.partners[meeting]:
            if partner in self.place_of and partner not in found:
                there = _as_placed(problem, partner, self.place_of[partner])
                if broken(relation, *((here, there) if first else (there, here))):
                    found[partner] = f"because {_RELATION_WORDS[relation]}"
        return found


def _as_placed(problem: LessonProblem, meeting: int, place: tuple[int, int]) -> Placed:
    start, room = place
    length = problem.meetings[meeting].length
    return Placed(meeting, problem.meetings[meeting].section, start, room, range(start, start + length))


def _greedy(ground: _Ground) -> LessonSolution:
    """Each meeting (fewest places first) in its first place clear of the meetings before it."""
    problem = ground.problem
    board = _Board(ground)
    order = sorted(
        range(len(problem.meetings)), key=lambda m: (m not in ground.pins, len(ground.open_starts[m]), m)
    )
    for meeting in order:
        for place in ground.places(meeting):
            if not board.in_the_way(meeting, place):
                board.put(meeting, place)
                break
    count = len(problem.meetings)
    return LessonSolution(
        problem_name=problem.name,
        starts=tuple(board.place_of[m][0] if m in board.place_of else None for m in range(count)),
        rooms=tuple(board.place_of[m][1] if m in board.place_of else None for m in range(count)),
    )


def _in_the_way(ground: _Ground, solution: LessonSolution) -> list[str]:
    problem = ground.problem
    board = _Board(ground)
    for meeting, (start, room) in enumerate(zip(solution.starts, solution.rooms, strict=True)):
        if start is not None and room is not None:
            board.put(meeting, (start, room))
    notes = []
    for meeting, start in enumerate(solution.starts):
        if start is not None:
            continue
        info = problem.meetings[meeting]
        name = f"Meeting {info.ordinal + 1} of {problem.sections[info.section].name}"
        places = ground.places(meeting)
        if not places:
            notes.append(f"{name} is left out: there is no time and room it may take.")
            continue
        best: tuple[int, tuple[int, int], dict[int, str]] | None = None
        for place in places:
            blocking = board.in_the_way(meeting, place)
            if best is None or len(blocking) < best[0]:
                best = (len(blocking), place, blocking)
        assert best is not None
        _, (start, room), blocking = best
        reasons = _listing(
            [f"{problem.sections[problem.meetings[m].section].name} ({why})" for m, why in blocking.items()]
        )
        notes.append(
            f"{name} is left out: wherever it may go, another class is in the way; at "
            f"{slot_name(problem, start)} in room {problem.rooms[room].name} it would clash with {reasons}."
        )
    return notes
