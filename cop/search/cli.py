import click
from flask.cli import with_appcontext

from . import service


@click.group("search", help="Build and verify the search index.")
def search_cli():
    pass


@search_cli.command("reindex")
@with_appcontext
def reindex():
    """Rebuild the whole index from the database."""
    from . import registry

    total = registry.count_documents()
    with click.progressbar(length=total, label="Indexing", show_pos=True, show_eta=True) as bar:
        done = 0

        def progress(n_done: int) -> None:  # the backend reports a running total
            nonlocal done
            bar.update(n_done - done)
            done = n_done

        count = service.reindex(progress=progress)
    click.echo(f"Indexed {count} documents.")


@search_cli.command("check")
@click.option("--fix", is_flag=True, help="Apply pending changes first.")
@with_appcontext
def check(fix):
    """Compare the index with the database; exit 1 on drift."""
    if fix:
        service.apply_pending()
    drift = service.check()
    for label, keys in (
        ("missing from index", drift.missing),
        ("in index but not in database", drift.extra),
        ("out of date", drift.stale),
    ):
        if keys:
            click.echo(f"{len(keys)} {label}: {', '.join(keys[:20])}{' …' if len(keys) > 20 else ''}")
    if drift.pending:
        click.echo(f"{drift.pending} changes waiting in the outbox")
    if not drift.clean:
        raise SystemExit(1)
    click.echo("Index and database agree.")


@search_cli.command("purge-log")
@click.option("--days", type=int, default=None, help="Keep this many days (default: COP_SEARCH_LOG_DAYS).")
@with_appcontext
def purge_log(days):
    """Delete search-log rows older than the retention period."""
    from ..extensions import db
    from . import searchlog

    removed = searchlog.purge(days)
    db.session.commit()
    click.echo(f"Removed {removed} search-log rows.")
