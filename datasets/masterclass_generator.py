"""Master-class requests for a generated semester: guests with two or three windows in the
middle weeks of teaching, audiences of one or two cohorts or a handful of named students."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from datasets.masterclass_tables import REQUESTS, MasterClassRequest, cohort_students, window_text
from datasets.registrar_records import RegistrarData

TOPICS = (
    "AI in industry",
    "Careers in energy",
    "Start-up stories",
    "Data journalism",
    "Open-source hardware",
    "Geology field methods",
    "Public speaking",
    "Fintech today",
)


def generate_requests(
    data: RegistrarData, starts_on: dt.date, count: int, seed: int
) -> list[MasterClassRequest]:
    rng = random.Random(f"masterclasses/{seed}")
    cohorts = sorted(cohort_students(data.students))
    students = [s.id for s in data.students]
    requests = []
    for number in range(count):
        week = rng.randint(3, 10)
        windows = []
        for weekday in sorted(rng.sample(range(5), rng.choice((2, 3)))):
            date = starts_on + dt.timedelta(weeks=week, days=weekday)
            start = rng.choice((9, 11, 13, 15)) * 60
            windows.append((date, start, start + rng.choice((180, 240))))
        if rng.random() < 0.8 and cohorts:
            audience = tuple(rng.sample(cohorts, min(len(cohorts), rng.choice((1, 1, 2)))))
        else:
            audience = tuple(rng.sample(students, min(len(students), rng.randint(10, 40))))
        requests.append(
            MasterClassRequest(
                name=f"{rng.choice(TOPICS)} #{number + 1}",
                minutes=rng.choice((60, 90, 120)),
                windows=tuple(windows),
                audience=audience,
                features=("projector",) if rng.random() < 0.5 else (),
            )
        )
    return requests


def write_requests(folder: Path, requests: list[MasterClassRequest]) -> None:
    with (folder / REQUESTS.file).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(REQUESTS.columns)
        for r in requests:
            windows = ";".join(window_text(window) for window in r.windows)
            writer.writerow(
                (
                    r.name,
                    r.minutes,
                    windows,
                    ";".join(r.audience),
                    "" if r.seats is None else r.seats,
                    ";".join(r.features),
                    r.hall_kind,
                )
            )
