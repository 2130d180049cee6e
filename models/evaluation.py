"""What the independent checker says of a solution: total, breakdown and named violations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Violation(BaseModel):
    """One broken rule, with the entities involved and a sentence a registrar understands."""

    model_config = ConfigDict(frozen=True)

    constraint: str
    hard: bool
    cost: int = Field(ge=0, description="penalty units before the constraint's weight")
    exams: tuple[int, ...] = ()
    sections: tuple[int, ...] = ()
    teachers: tuple[int, ...] = ()
    rooms: tuple[int, ...] = ()
    periods: tuple[int, ...] = Field(default=(), description="exam periods, or lesson slots")
    students: tuple[int, ...] = ()
    hearings: tuple[int, ...] = Field(default=(), description="defences and state exams (attestation)")
    commissions: tuple[int, ...] = ()
    people: tuple[int, ...] = Field(default=(), description="commission members, supervisors, reviewers")
    days: tuple[int, ...] = ()
    message: str


class ConstraintScore(BaseModel):
    """The outcome of one constraint's check."""

    model_config = ConfigDict(frozen=True)

    name: str
    hard: bool
    weight: int
    penalty: int = Field(ge=0, description="weighted cost (hard: number of violations)")
    violations: tuple[Violation, ...] = ()


class Evaluation(BaseModel):
    """The checker's verdict: feasible or not, the soft total and every part of it."""

    model_config = ConfigDict(frozen=True)

    feasible: bool
    hard_violations: int
    total: int = Field(description="sum of weighted soft penalties")
    scores: tuple[ConstraintScore, ...]
    normalised_total: float | None = Field(
        default=None, description="a per-student average where the format scores that way"
    )

    def breakdown(self) -> dict[str, int]:
        return {score.name: score.penalty for score in self.scores if not score.hard}

    def violations(self, hard: bool | None = None) -> list[Violation]:
        return [
            violation
            for score in self.scores
            for violation in score.violations
            if hard is None or violation.hard == hard
        ]
