import click
from flask.cli import with_appcontext

from ..extensions import db
from ..search import outbox, registry
from ..search import service as search_service
from . import backup as backup_module


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(directory):
    """Back up the database (all tables, portable JSON; on SQLite also a raw copy) and the uploads
    into DIRECTORY (new or empty). Safe while the site runs."""
    try:
        with click.progressbar(length=0, label="Backing up rows", show_pos=True) as bar:
            manifest = backup_module.backup(directory, progress=bar.update)
    except backup_module.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(manifest["tables"].values())
    click.echo(
        f"Backed up {rows} rows from {len(manifest['tables'])} tables ({manifest['engine']}, "
        f"revision {manifest['revision']}) and {manifest['uploads']} files to {directory}."
    )


@click.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--replace", is_flag=True, help="Empty a database that already holds data first.")
@with_appcontext
def restore_command(directory, replace):
    """Restore a backup made by `backup` into an empty database (any engine), copy the uploads back
    and rebuild the search index."""
    try:
        total = backup_module.count_rows(directory)
        with click.progressbar(length=total, label="Restoring rows", show_pos=True) as bar:
            manifest = backup_module.restore(directory, replace=replace, progress=bar.update)
    except backup_module.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.execute(outbox.SearchOutbox.__table__.delete())  # the rebuild below covers them
    db.session.commit()
    docs = registry.count_documents()
    with click.progressbar(length=docs, label="Indexing", show_pos=True, show_eta=True) as bar:
        done = 0

        def progress(n_done: int) -> None:
            nonlocal done
            bar.update(n_done - done)
            done = n_done

        count = search_service.reindex(progress=progress)
    click.echo(
        f"Restored {sum(manifest['tables'].values())} rows and {manifest['uploads']} files; indexed {count} documents."
    )
