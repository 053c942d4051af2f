"""Figures of a training from corrections (issue 15): plain values every layer may hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Score:
    """Exact-span precision, recall and F1 (0..1) over ``gold`` entities of the reference."""

    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    gold: int = 0


@dataclass(frozen=True)
class Figures:
    """A model's score on the held-out documents: overall and per project label."""

    overall: Score = field(default_factory=Score)
    labels: Mapping[str, Score] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        def one(s: Score) -> dict[str, float | int]:
            return {"p": round(s.precision, 4), "r": round(s.recall, 4), "f": round(s.f1, 4), "n": s.gold}

        return {"overall": one(self.overall), "labels": {k: one(v) for k, v in self.labels.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Figures:
        def one(d: object) -> Score:
            if not isinstance(d, Mapping):
                return Score()
            return Score(float(d.get("p", 0)), float(d.get("r", 0)), float(d.get("f", 0)), int(d.get("n", 0)))

        labels = data.get("labels")
        return cls(one(data.get("overall")),
                   {str(k): one(v) for k, v in labels.items()} if isinstance(labels, Mapping) else {})


@dataclass(frozen=True)
class TrainingStep:
    """After each evaluation on the held-out share: plain values, safe to pass between threads."""

    epoch: int
    step: int
    loss: float
    f1: float
    best_f1: float
    seconds: float

    #: What the app's task bar shows: epochs of at most ``total`` (training may stop sooner).
    total: int = 0

    @property
    def done(self) -> int:
        return self.epoch

    @property
    def text(self) -> str:
        return f"Training: epoch {self.epoch}, held-out F1 {self.f1:.2f}"

    def line(self) -> str:
        return (f"epoch {self.epoch:>3}  loss {self.loss:>9.2f}  held-out F1 {self.f1:.3f}  "
                f"(best {self.best_f1:.3f})  {self.seconds:>5.0f} s")


def comparison_table(base: Figures, trained: Figures, base_name: str = "base",
                     trained_name: str = "trained") -> list[str]:
    """Per label and overall P/R/F of two models side by side, as fixed-width lines."""
    labels = sorted(set(base.labels) | set(trained.labels))
    width = max([len("overall"), len("label"), *(len(label) for label in labels)]) + 2
    head = f"{'':<{width}}{'':>6}  {base_name[:20]:^20}  {trained_name[:20]:^20}"
    sub = f"{'label':<{width}}{'gold':>6}  {'P':>6}{'R':>7}{'F1':>7}  {'P':>6}{'R':>7}{'F1':>7}"

    def row(name: str, a: Score, b: Score) -> str:
        return (f"{name:<{width}}{max(a.gold, b.gold):>6}  {a.precision:>6.3f}{a.recall:>7.3f}{a.f1:>7.3f}  "
                f"{b.precision:>6.3f}{b.recall:>7.3f}{b.f1:>7.3f}")

    lines = [head, sub]
    for label in labels:
        lines.append(row(label, base.labels.get(label, Score()), trained.labels.get(label, Score())))
    lines.append(row("overall", base.overall, trained.overall))
    return lines
