"""A provider outage longer than the retry window: the platform admins hear of it once a day per channel,
by e-mail and (OUTBOX_ALERT_PHONES) by SMS, besides the failed messages on the outbox page."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..accounts.models import User
from ..extensions import db
from ..timeutil import to_local
from .models import Channel, OutboxMessage, OutboxStatus
from .services import claim_key


def alert_admins(channels: list[str], now: datetime) -> int:
    day = to_local(now).strftime("%Y-%m-%d")
    queued = 0
    for channel in channels:
        if not claim_key(f"alert:outbox:{channel}:{day}", now):
            continue
        failed = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.channel == Channel(channel)))
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = _("Cảnh báo hộp thư đi: kênh %(channel)s lỗi quá %(hours)s giờ", channel=channel,
                        hours=current_app.config["OUTBOX_RETRY_HOURS"])
            body = _("%(count)s tin nhắn trên kênh %(channel)s không gửi được sau thời gian thử lại và đã được "
                     "đánh dấu lỗi. Xem và gửi lại tại %(url)s", count=failed, channel=channel,
                     url=f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/admin/outbox?status=failed")
        for email in db.session.scalars(sa.select(User.email).where(User.is_platform_admin, User.is_active)):
            db.session.add(OutboxMessage(recipient=email, subject=subject, text_body=body, params={},
                                         attachments=[], next_attempt_at=now))
            queued += 1
        for phone in current_app.config["OUTBOX_ALERT_PHONES"]:
            db.session.add(OutboxMessage(channel=Channel.SMS, recipient=phone, subject=subject, text_body=subject,
                                         params={}, attachments=[], next_attempt_at=now))
            queued += 1
    db.session.commit()
    current_app.logger.error("outbox: channels %s failing beyond the retry window", ", ".join(channels))
    return queued
