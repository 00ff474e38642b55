"""seat counters in the event's lock row and on each category, so taking a seat reads no COUNT(*); the
client's submission key on a registration, so a retried submission finds the registration it made

Revision ID: 0020_seat_counters
Revises: 0012_reporting_rounds
Create Date: 2026-12-04 22:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_seat_counters'
down_revision = '0012_reporting_rounds'
branch_labels = None
depends_on = None


def _count(status: str, owner: str) -> str:
    return f"(SELECT count(*) FROM registrations WHERE {owner} AND registrations.status = '{status}')"


def upgrade():
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('waitlisted_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('registration_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_index('uq_registrations_submission_key', ['event_id', 'submission_key'], unique=True)
    event = "registrations.event_id = registration_settings.event_id"
    op.execute(f"UPDATE registration_settings SET confirmed_count = {_count('confirmed', event)}, "
               f"waitlisted_count = {_count('waitlisted', event)}")
    category = "registrations.category_id = registration_categories.id"
    op.execute(f"UPDATE registration_categories SET confirmed_count = {_count('confirmed', category)}")


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('uq_registrations_submission_key')
        batch_op.drop_column('submission_key')
    with op.batch_alter_table('registration_categories', schema=None) as batch_op:
        batch_op.drop_column('confirmed_count')
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.drop_column('waitlisted_count')
        batch_op.drop_column('confirmed_count')
