"""A scenario is data: weights, switched-off criteria and pinned assignments for one run."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Pin(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: int = Field(ge=0)
    room: int | None = Field(default=None, ge=0)


class Scenario(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = "default"
    weights: dict[str, int] = Field(default_factory=dict, description="criterion name -> weight")
    disabled: frozenset[str] = frozenset()
    pins: dict[int, Pin] = Field(default_factory=dict, description="exam index -> fixed place")

    def weight_of(self, name: str, default: int) -> int:
        return self.weights.get(name, default)
