import click
from flask.cli import with_appcontext


@click.group("suggest", help="The category and code suggestion model.")
def suggest_cli():
    pass


@suggest_cli.command("train")
@with_appcontext
def train():
    """Retrain the suggestions from every public story, question and AAR (and the taxonomy)."""
    from ..search import registry
    from . import services

    total = registry.count_documents()
    with click.progressbar(length=total, label="Training", show_pos=True) as bar:
        done = 0

        def progress(n: int) -> None:
            nonlocal done
            bar.update(n - done)
            done = n

        data = services.train(progress)
    click.echo(f"Trained on {data['trained_on']} tagged items; {len(data['centroids']['codes'])} codes known.")
