"""A real SMTP server (aiosmtpd) on a loopback port that keeps what it receives."""
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(port: int | None = None):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller.port, mailbox
    finally:
        controller.stop()


@contextmanager
def delivering_to_smtp(app):
    """The app's outbox delivers to a fresh real SMTP server for the duration; yields its mailbox."""
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    with smtp_server() as (port, mailbox):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        try:
            yield mailbox
        finally:
            app.config.update(saved)
