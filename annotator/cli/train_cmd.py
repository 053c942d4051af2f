"""`annotator train`: fine-tune the project's entity model on its finished documents."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from threading import Event
from typing import Any

from annotator.cli.commands import open_project
from annotator.services.training import Trainer, TrainingOptions


def register(sub: Any) -> None:
    p = sub.add_parser(
        "train",
        help="train the project's entity model from the coders' finished documents",
        description=(
            "Fine-tune the entity recognizer of the base model on the documents marked done (the "
            "final layer where there is one, else the coder's), holding out a share to evaluate "
            "and to stop early. Prints progress, then precision, recall and F1 per label and "
            "overall for the base and the trained model on the held-out documents. The trained "
            "model is kept (in PROJECT.models/) and used for documents not yet decided only if it "
            "is better overall, or with --keep. Ctrl+C cancels cleanly: nothing is kept."
        ),
    )
    p.add_argument("project", type=Path, help="project file (.annotator)")
    p.add_argument("--base", metavar="MODEL",
                   help="spaCy pipeline package or folder to start from (default: the project's model)")
    p.add_argument("--eval", type=_share, default=0.2, metavar="SHARE",
                   help="share of the finished documents held out to evaluate, e.g. 20%% (default)")
    p.add_argument("--max-minutes", type=float, metavar="N",
                   help="stop training after N minutes, keeping the best epoch so far")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="seed of the held-out choice and of training (default 0)")
    p.add_argument("--keep", action="store_true",
                   help="keep and use the trained model even if it is not better than the base")
    p.set_defaults(handler=cmd_train)


def _share(text: str) -> float:
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        if value >= 1 and not raw.endswith("%"):
            value /= 100  # "--eval 20" means 20%
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a share like 20% or 0.2, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"the evaluation share must be between 0% and 100%, got {text!r}")
    return value


def cmd_train(args: argparse.Namespace) -> int:
    options = TrainingOptions(base=args.base, eval_share=args.eval, max_minutes=args.max_minutes,
                              seed=args.seed, keep=args.keep)
    cancel = Event()

    def on_interrupt(signum: int, frame: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt  # a second Ctrl+C: stop at once (nothing is kept either way)
        print("\nannotator: cancelling after this step ...", file=sys.stderr)
        cancel.set()

    with open_project(args.project) as project:
        trainer = Trainer(project)
        data = trainer.data()
        print(f"Training from {len(data.documents)} finished document(s); base model "
              f"{trainer.base_name(options)}; {options.eval_share:.0%} held out (seed {options.seed}).")
        for why, n in data.left_out.items():
            print(f"  left out: {n} {why}")
        previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            report = trainer.run(options, on_step=lambda step: print(step.line(), flush=True), cancel=cancel)
        finally:
            signal.signal(signal.SIGINT, previous)
    if report.cancelled:
        print(report.verdict())
        return 130
    print(f"\nHeld-out documents: {report.eval_docs} (trained on {report.train_docs}); "
          f"exact-span scores:")
    for line in report.table():
        print(line)
    print(report.verdict())
    print(f"Time: {report.minutes:.1f} min")
    return 0
