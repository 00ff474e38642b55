"""co-organisers by invitation, consent provenance, delegations, paper check-ins, list windows, offline walk-ins

Revision ID: 0016_coorganisers
Revises: 0011_participant_groups
Create Date: 2026-12-04 21:40:00

Existing co-organiser rows become *invited*, not accepted: until now the lead alone named them, so no row
records that the named organisation agreed, and counting its events in that organisation's reports is the
very defect being fixed. Its admins find the invitations on their invitations page and accept in one click;
issued reports and snapshots are stored documents and do not change.
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil

revision = '0016_coorganisers'
down_revision = '0011_participant_groups'
branch_labels = None
depends_on = None

CO_ORGANISER_STATUSES = ('invited', 'accepted', 'declined', 'withdrawn')


def _utc():
    return eventhub.timeutil.UTCDateTime()


def upgrade():
    with op.batch_alter_table('event_co_organisers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum(*CO_ORGANISER_STATUSES, name='coorganiserstatus',
                                                        native_enum=False, create_constraint=True, length=32),
                                      nullable=False, server_default='invited'))
        batch_op.add_column(sa.Column('invited_at', _utc(), nullable=True))
        batch_op.add_column(sa.Column('invited_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('responded_at', _utc(), nullable=True))
        batch_op.add_column(sa.Column('responded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_event_co_organisers_invited_by_id_users'), 'users',
                                    ['invited_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_event_co_organisers_responded_by_id_users'), 'users',
                                    ['responded_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('event_co_organisers', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)

    with op.batch_alter_table('check_in_devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offline_hours', sa.Integer(), nullable=False, server_default='48'))
        batch_op.create_foreign_key(batch_op.f('fk_check_in_devices_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('check_in_devices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_check_in_devices_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_column('offline_hours')
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('event_co_organisers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_co_organisers_responded_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_event_co_organisers_invited_by_id_users'), type_='foreignkey')
        batch_op.drop_column('responded_by_id')
        batch_op.drop_column('responded_at')
        batch_op.drop_column('invited_by_id')
        batch_op.drop_column('invited_at')
        batch_op.drop_column('status')
