import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..demo import generate_stories
from ..search import service as search_service
from . import service

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


def _import_with_progress(document, label: str) -> dict[str, int]:
    total = service.count_items(document) if isinstance(document, dict) else 0
    with click.progressbar(length=total, label=label, show_pos=True) as bar:
        counts = service.import_document(document, progress=bar.update)
    if search_service.apply_pending() > search_service.BATCH:  # one index segment per batch: merge them
        search_service.compact()
    return counts


def _report(counts: dict[str, int]) -> None:
    click.echo(", ".join(f"{name}: {n} new" for name, n in counts.items() if n) or "Nothing new.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(file):
    """Import an interchange file (format cop, version 1). A bad file imports nothing."""
    try:
        counts = _import_with_progress(service.read_file(file), "Importing")
    except service.InterchangeError as exc:
        raise click.ClickException(f"{exc} Nothing was imported.") from None
    _report(counts)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(file):
    """Export all content as an interchange file ('-' for standard output)."""
    text = json.dumps(service.export_document(), ensure_ascii=False, indent=1)
    if file == "-":
        click.echo(text)
    else:
        Path(file).write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote {file}.")


@click.command("seed")
@click.option("--demo", type=click.IntRange(min=0), default=0, help="Also add N generated stories.")
@with_appcontext
def seed_command(demo):
    """Load the shipped seed content (idempotent)."""
    try:
        for path in sorted(SEED_DIR.glob("*.json")):
            counts = _import_with_progress(service.read_file(path), path.name)
            _report(counts)
    except service.InterchangeError as exc:
        raise click.ClickException(f"{path.name}: {exc}") from None
    if demo:
        generate_stories(demo)
