"""How an answer is scored and how answers become a level per competence. Pure functions.

- A statement ("Ik kan …") on the scale 1–4 is mastered from 3 ("Dat kan ik zelfstandig").
- A knowledge question is mastered when exactly the correct choices are picked.
- An exercise is mastered when its check passes (automatic) or the evaluator says so (rubric).
- The level reached on a competence is the highest level L such that every item of that competence
  at level L or below is mastered: a level counts only when everything under it holds too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SCALE = (1, 2, 3, 4)
SCALE_MASTERED = 3


@dataclass(frozen=True)
class ScoredItem:
    competence_id: int
    level: int
    passed: bool


@dataclass(frozen=True)
class Level:
    level: int
    items: int
    passed: int


def statement_passed(value: int) -> bool:
    return value >= SCALE_MASTERED


def choices_passed(selected: Iterable[int], correct: Iterable[int]) -> bool:
    return set(selected) == set(correct)


def competence_levels(items: Iterable[ScoredItem]) -> dict[int, Level]:
    by_competence: dict[int, list[ScoredItem]] = {}
    for item in items:
        by_competence.setdefault(item.competence_id, []).append(item)
    result: dict[int, Level] = {}
    for competence_id, scored in by_competence.items():
        reached = 0
        for level in sorted({item.level for item in scored}):
            if all(item.passed for item in scored if item.level == level):
                reached = level
            else:
                break
        result[competence_id] = Level(
            level=reached, items=len(scored), passed=sum(1 for item in scored if item.passed)
        )
    return result


@dataclass(frozen=True)
class Gap:
    competence_id: int
    achieved: int
    target: int


def gaps(targets: dict[int, int], levels: dict[int, int]) -> list[Gap]:
    """Competences of the job profile that the check measured and where the level is under target."""
    return [
        Gap(competence_id=competence_id, achieved=levels[competence_id], target=target)
        for competence_id, target in targets.items()
        if competence_id in levels and levels[competence_id] < target
    ]


def cover(gap_list: list[Gap], coverage: dict[int, dict[int, int]]) -> tuple[list[int], list[Gap]]:
    """Pick trainings so that every gap is covered by one that reaches its target level.

    `coverage` is {training id: {competence id: up to level}}. Greedy set cover: take the training
    that closes most open gaps (ties: the lower id), until none closes another. Returns the chosen
    training ids and the gaps no training closes.
    """
    open_gaps = list(gap_list)
    chosen: list[int] = []
    while open_gaps:
        best: int | None = None
        best_closed: list[Gap] = []
        for training_id in sorted(coverage):
            if training_id in chosen:
                continue
            levels = coverage[training_id]
            closed = [gap for gap in open_gaps if levels.get(gap.competence_id, 0) >= gap.target]
            if len(closed) > len(best_closed):
                best, best_closed = training_id, closed
        if best is None:
            break
        chosen.append(best)
        open_gaps = [gap for gap in open_gaps if gap not in best_closed]
    return chosen, open_gaps
