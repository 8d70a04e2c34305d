import click
from flask.cli import with_appcontext

from ..extensions import db
from ..validation import ValidationError
from . import services
from .models import ROLES


@click.group("user", help="Manage user accounts.")
def user_cli():
    pass


@user_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--agency", default="")
@click.option("--province", default=None)
@with_appcontext
def create(email, name, role, password, agency, province):
    """Create an account."""
    try:
        user = services.create_user(
            email=email, name=name, password=password, role=role, agency=agency, province=province
        )
    except ValidationError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@user_cli.command("token")
@click.argument("email")
@click.option("--label", default="cli")
@with_appcontext
def token(email, label):
    """Print a new API token for EMAIL (send it as 'Authorization: Bearer TOKEN')."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    value = services.issue_token(user, label)
    db.session.commit()
    click.echo(value)


@user_cli.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def role(email, role, yes):
    """Change a user's role (asks first; the last admin keeps the role)."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    if user.role == role:
        click.echo(f"{user.email} is already {role}.")
        return
    problem = services.role_change_problem(user, role)
    if problem:
        raise click.ClickException(problem)
    if not yes:
        click.confirm(f"Change {user.email} from {user.role} to {role}?", abort=True)
    try:
        services.set_role(user, role, via="cli")
    except ValidationError as exc:
        db.session.rollback()
        raise click.ClickException("; ".join(str(m) for _f, m in exc.errors)) from None
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


@user_cli.command("reset-link")
@click.argument("email")
@with_appcontext
def reset_link(email):
    """Print a password-reset path for EMAIL, valid for three days or until used."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    click.echo(f"/reset/{services.reset_token(user)}")
