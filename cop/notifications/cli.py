import click
from flask.cli import with_appcontext

from .digest import send_digest, smtp_configured


@click.group("notifications", help="In-app notifications and the e-mail digest.")
def notifications_cli():
    pass


@notifications_cli.command("digest")
@with_appcontext
def digest():
    """E-mail each user their unread notifications (needs COP_SMTP_HOST)."""
    if not smtp_configured():
        click.echo("SMTP is not configured (set COP_SMTP_HOST and COP_SMTP_PORT); nothing sent.")
        return
    click.echo(f"Sent {send_digest()} digest e-mail(s).")
