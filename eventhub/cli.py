"""`flask --app wsgi eventhub ...` commands."""
import logging
import signal

import click
from flask import Flask, current_app
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


@eventhub_cli.command("send-mail")
def send_mail_command():
    """Deliver every message due in the outbox (e-mail, SMS, ZNS), batch after batch, once."""
    from .mail.services import deliver_due

    click.echo(f"Outbox: {deliver_due()}")


@eventhub_cli.command("scheduler")
def scheduler_command():
    """Run the job scheduler in the foreground (production: one such process beside gunicorn)."""
    from .jobs import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    scheduler = build_scheduler(current_app._get_current_object(), background=False)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    try:
        scheduler.start()
    except KeyboardInterrupt:
        scheduler.shutdown(wait=False)


@eventhub_cli.command("dev-server")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def dev_server_command(host, port):
    """Development server with the scheduler inside it (the `make run` way)."""
    from werkzeug.serving import run_simple

    from .jobs import build_scheduler

    app = current_app._get_current_object()
    scheduler = build_scheduler(app, background=True)
    scheduler.start()
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        scheduler.shutdown(wait=False)


def register_commands(app: Flask) -> None:
    app.cli.add_command(eventhub_cli)
