"""`notecode train`, `evaluate`, `add-corrections`, `notes-gold` and `notes-gold-check` (the intent model's
life cycle).

api/cli.py calls `register(app)`. Heavy imports (scikit-learn) happen inside the commands, so the rest of
the CLI starts as fast as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])

DATA_HELP = "folder of train_*.jsonl, corrections.jsonl and test.jsonl (default: training/data/intent)"
MODEL_HELP = "model folder (default: $NOTECODE_MODEL_DIR, else training/artifacts)"
DataOption = Annotated[Path | None, typer.Option("--data", help=DATA_HELP)]
ModelOption = Annotated[Path | None, typer.Option("--out", "--model", help=MODEL_HELP)]
SeedOption = Annotated[int | None, typer.Option("--seed", help="the one seed for folds and models (default: 13)")]


def _one_line_errors(command: F) -> F:
    """Expected failures print `error: ...` on one line and exit 2, without a traceback."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from nlp.intent_model import ModelLoadError

        try:
            return command(*args, **kwargs)
        except (ModelLoadError, ValueError, FileNotFoundError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except OSError as exc:
            typer.echo(f"error: {exc.filename or ''}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
    return wrapper  # type: ignore[return-value]


def _data_dir(data: Path | None) -> Path:
    from training.train import default_data_dir

    folder = data if data is not None else default_data_dir()
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder")
    return folder


def _model_dir(model: Path | None) -> Path:
    from nlp.intent_model import default_model_dir

    return model if model is not None else default_model_dir()


@_one_line_errors
def train(data: DataOption = None, out: ModelOption = None, seed: SeedOption = None) -> None:
    """Build the intent model from the training split (tuned by cross-validation) and print the CV figures."""
    from training.train import SEED, format_cv, train_model

    model_dir = _model_dir(out)
    meta = train_model(_data_dir(data), model_dir, seed=SEED if seed is None else seed)
    typer.echo(format_cv(meta))
    typer.echo(f"written to {model_dir}; `notecode evaluate` scores it on the test split")


@_one_line_errors
def evaluate(
    model: ModelOption = None,
    test: Annotated[Path | None, typer.Option("--test", help="labelled JSONL (default: <data>/test.jsonl)")] = None,
    data: DataOption = None,
) -> None:
    """Print the model's figures on the frozen test split (and record them in its meta.json)."""
    from training.evaluate import evaluate as evaluate_model
    from training.evaluate import format_report
    from training.train import TEST_FILE

    test_path = test if test is not None else _data_dir(data) / TEST_FILE
    if not test_path.is_file():
        raise FileNotFoundError(f"{test_path}: no such file")
    typer.echo(format_report(evaluate_model(_model_dir(model), test_path)))


@_one_line_errors
def add_corrections(
    file: Annotated[Path, typer.Argument(help='coder corrections, JSONL of {"text": ..., "code": ...}')],
    data: DataOption = None,
    model: ModelOption = None,
    seed: SeedOption = None,
    install: Annotated[bool, typer.Option(help="replace the current model with the retrained one")] = False,
) -> None:
    """Add coder corrections to the training split, retrain, and print old vs new test figures."""
    from nlp.intent_model import load_intent_scorer
    from training.corrections import add_corrections as add
    from training.corrections import format_comparison, read_corrections, retrain_and_compare
    from training.train import SEED

    data_dir, model_dir = _data_dir(data), _model_dir(model)
    load_intent_scorer(model_dir)  # an unusable old model fails here, before the data change
    total = len(read_corrections(file))
    added = add(file, data_dir)
    typer.echo(f"{added} of {total} corrections added ({total - added} already in the data)")
    comparison = retrain_and_compare(data_dir, model_dir, seed=SEED if seed is None else seed, install=install)
    typer.echo(format_comparison(comparison))


@_one_line_errors
def notes_gold(data: DataOption = None) -> None:
    """Rewrite train_notes_gold.jsonl: intent examples from the tuning splits' gold (never a held-out split)."""
    from collections import Counter

    from training.notes_gold import GOLD_FILE, build, write

    data_dir = _data_dir(data)
    examples, dropped = build(data_dir)
    write(examples, data_dir / GOLD_FILE)
    by_label = Counter(example.label for example in examples)
    typer.echo(f"{len(examples)} examples written to {data_dir / GOLD_FILE} "
               f"({', '.join(f'{label} {n}' for label, n in sorted(by_label.items()))}); "
               f"left out: {', '.join(f'{n} {why}' for why, n in dropped.items()) or 'none'}")


@_one_line_errors
def notes_gold_check(
    work: Annotated[Path, typer.Option("--work", help="scratch folder for the data copies and models")],
    data: DataOption = None,
    seed: SeedOption = None,
) -> None:
    """Leave-one-split-out: each tuning split scored without and with the other splits' gold examples."""
    from training.leave_one_split_out import format_table, run
    from training.train import SEED

    typer.echo(format_table(run(_data_dir(data), work, seed=SEED if seed is None else seed)))


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("evaluate")(evaluate)
    app.command("add-corrections")(add_corrections)
    app.command("notes-gold")(notes_gold)
    app.command("notes-gold-check")(notes_gold_check)
