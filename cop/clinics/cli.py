import click
from flask.cli import with_appcontext

from ..extensions import db
from . import registrations


@click.group("clinics", help="Mobile clinics: reminders for cron.")
def clinics_cli():
    pass


@clinics_cli.command("remind")
@click.option(
    "--days",
    type=click.IntRange(min=0, max=60),
    default=2,
    show_default=True,
    help="Remind people registered for clinics starting within this many days.",
)
@with_appcontext
def remind(days):
    """Notify registrants of clinics starting soon (each registration is reminded once)."""
    count = registrations.remind(days)
    db.session.commit()
    click.echo(f"Sent {count} reminder(s).")
