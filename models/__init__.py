"""Domain and problem models: plain, validated, immutable data with no solver objects."""

from models.evaluation import ConstraintScore, Evaluation, Violation
from models.exams import (
    Exam,
    ExamProblem,
    ExamSolution,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Room,
    Scoring,
    Weightings,
)
from models.lessons import (
    Cohort,
    LessonProblem,
    LessonRoom,
    LessonScoring,
    LessonSolution,
    Meeting,
    Preference,
    Section,
    SectionConstraint,
    SectionRelation,
    Teacher,
    TimeGrid,
)
from models.load import LoadItem, LoadProblem, LoadSolution, LoadTeacher
from models.report import ProgressPoint, SolveParameters, SolveReport, SolveStatus
from models.rooms import BookableRoom, Occupation, RoomOffer, RoomRequest
from models.scenario import Pin, Scenario

__all__ = [
    "BookableRoom",
    "Occupation",
    "RoomOffer",
    "RoomRequest",
    "Cohort",
    "LessonProblem",
    "LoadItem",
    "LoadProblem",
    "LoadSolution",
    "LoadTeacher",
    "LessonRoom",
    "LessonScoring",
    "LessonSolution",
    "Meeting",
    "Preference",
    "Section",
    "SectionConstraint",
    "SectionRelation",
    "Teacher",
    "TimeGrid",
    "ConstraintScore",
    "Evaluation",
    "Exam",
    "ExamProblem",
    "ExamSolution",
    "Period",
    "Pin",
    "PeriodConstraint",
    "PeriodRelation",
    "ProgressPoint",
    "Room",
    "Scenario",
    "Scoring",
    "SolveParameters",
    "SolveReport",
    "SolveStatus",
    "Violation",
    "Weightings",
]
