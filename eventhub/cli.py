"""`flask --app wsgi eventhub ...` commands."""
import click
from flask import Flask
from flask.cli import AppGroup

eventhub_cli = AppGroup("eventhub", help="EventHub maintenance commands.")


@eventhub_cli.command("demo")
def demo_command():
    """Load a realistic demo province (safe to run again: nothing is duplicated)."""
    from .demo import load_demo_data

    summary = load_demo_data()
    click.echo(f"Demo data ready: {summary}")


@eventhub_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.password_option()
def create_admin_command(email, full_name, password):
    """Create a platform administrator."""
    from .accounts.services import create_user
    from .errors import ValidationFailed

    try:
        create_user(email, full_name, password, is_platform_admin=True)
    except ValidationFailed as error:
        raise click.ClickException(error.explanation()) from error
    click.echo(f"Created platform administrator {email}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(eventhub_cli)
