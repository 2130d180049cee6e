"""The report every solve returns, whatever the problem kind."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # proven optimal
    FEASIBLE = "feasible"  # a solution, not proven optimal
    INFEASIBLE = "infeasible"  # proven that no solution exists
    UNKNOWN = "unknown"  # no solution found in the time given


class SolveParameters(BaseModel):
    time_limit: float = Field(gt=0)
    workers: int = Field(ge=1)
    seed: int = 0
    use_lns: bool = True


class ProgressPoint(BaseModel):
    elapsed: float
    objective: float
    bound: float
    note: str = ""


class SolveReport(BaseModel):
    problem_name: str
    problem_kind: str
    status: SolveStatus
    objective: int | None = None
    best_bound: int | None = None
    gap: float | None = Field(default=None, description="(objective - bound) / objective")
    time_to_first_feasible: float | None = None
    time_to_best: float | None = None
    elapsed: float = 0.0
    variables: int = 0
    constraints: int = 0
    parameters: SolveParameters
    lns_steps: int = 0
    steps_by_kind: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="per kind of LNS step: steps, improvements, seconds"
    )
    peak_memory_mb: float | None = None
    explanation: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="what the run took as the records give it but looks mistaken"
    )
    progress: list[ProgressPoint] = Field(default_factory=list)

    @staticmethod
    def relative_gap(objective: int | None, bound: int | None) -> float | None:
        if objective is None or bound is None:
            return None
        if objective == 0:
            return 0.0
        return max(0.0, (objective - bound) / abs(objective))
