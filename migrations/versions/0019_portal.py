"""booth assignments remember when their exhibitor was told; organisations get a public contact; the portal's
search text gains the organiser's name

Revision ID: 0019_portal
Revises: 0014_competitions
Create Date: 2026-12-04 21:30:00
"""
from alembic import op
import sqlalchemy as sa

import eventhub.text
import eventhub.timeutil


revision = '0019_portal'
down_revision = '0014_competitions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('booth_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_at', eventhub.timeutil.UTCDateTime(), nullable=True))
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=20), nullable=True))
    # The same text as eventhub.events.services.search_text: title, venue, organiser, summary, without diacritics.
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        'SELECT e.id, e.title, e.venue_name, o.name, e.summary FROM events e '
        'JOIN organisations o ON o.id = e.organisation_id')).all()
    for event_id, *parts in rows:
        connection.execute(sa.text('UPDATE events SET search_text = :text WHERE id = :id'),
                           {'text': eventhub.text.search_key(' '.join(p for p in parts if p)), 'id': event_id})


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
    with op.batch_alter_table('booth_assignments', schema=None) as batch_op:
        batch_op.drop_column('announced_at')
