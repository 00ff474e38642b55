"""co-organisers by invitation, consent provenance, delegations, paper check-ins, list windows, offline walk-ins

Revision ID: 0016_coorganisers
Revises: 0018_first_day
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
down_revision = '0018_first_day'
branch_labels = None
depends_on = None

SCAN_RESULTS = ('ok', 'exit_ok', 'undone', 'already_checked_in', 'not_checked_in', 'cancelled', 'waitlisted',
                'pending', 'rejected', 'wrong_event', 'category_not_allowed', 'outside_hours', 'forged', 'invalid',
                'unknown_ticket')
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

    with op.batch_alter_table('registration_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_registration_categories_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'], ondelete='SET NULL')

    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('leader_name', sa.String(length=150), nullable=False),
    sa.Column('leader_phone', sa.String(length=20), nullable=True),
    sa.Column('access_key', sa.String(length=48), nullable=False),
    sa.Column('pending_rows', sa.JSON(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('confirming_until', _utc(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', _utc(), nullable=False),
    sa.CheckConstraint('quota > 0', name=op.f('ck_delegations_quota_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['registration_categories.id'],
                            name=op.f('fk_delegations_category_id_registration_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_delegations_created_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_delegations_event_id_events'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_delegations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations')),
    sa.UniqueConstraint('access_key', name=op.f('uq_delegations_access_key')),
    sa.UniqueConstraint('event_id', 'name', name='uq_delegations_event_name')
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegations_organisation_id'), ['organisation_id'], unique=False)

    methods = ('online', 'delegation_leader', 'staff', 'paper', 'import')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_method', sa.Enum(*methods, name='consentmethod', native_enum=False,
                                                                create_constraint=True, length=32),
                                      nullable=False, server_default='online'))
        batch_op.add_column(sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consent_recorded_by_name', sa.String(length=150), nullable=True))
        batch_op.add_column(sa.Column('delegation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('walk_in_key', sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f('ix_registrations_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_walk_in_key'), ['walk_in_key'])
        batch_op.create_foreign_key(batch_op.f('fk_registrations_consent_recorded_by_id_users'), 'users',
                                    ['consent_recorded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_registrations_delegation_id_delegations'), 'delegations',
                                    ['delegation_id'], ['id'], ondelete='SET NULL')
    # Until now every registration was stored as if the person had consented online: say what is known.
    op.execute("UPDATE registrations SET consent_method = 'import' WHERE source = 'import'")
    op.execute("UPDATE registrations SET consent_method = 'staff' WHERE source IN ('manual', 'walk_in')")
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.alter_column('consent_method', server_default=None)

    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_paper', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('scan_logs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_scan_logs_scanresult'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_scan_logs_scanresult'),
                                         sa.column('result').in_(SCAN_RESULTS + ('scan_too_old',)))


def downgrade():
    op.execute("DELETE FROM scan_logs WHERE result = 'scan_too_old'")  # the old CHECK cannot hold them
    with op.batch_alter_table('scan_logs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_scan_logs_scanresult'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_scan_logs_scanresult'), sa.column('result').in_(SCAN_RESULTS))
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_column('from_paper')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registrations_delegation_id_delegations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_registrations_consent_recorded_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_registrations_walk_in_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_registrations_delegation_id'))
        batch_op.drop_constraint(batch_op.f('ck_registrations_consentmethod'), type_='check')
        for column in ('walk_in_key', 'delegation_id', 'consent_recorded_by_name', 'consent_recorded_by_id',
                       'consent_method'):
            batch_op.drop_column(column)
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_delegations_event_id'))
    op.drop_table('delegations')
    with op.batch_alter_table('registration_categories', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registration_categories_organisation_id_organisations'),
                                 type_='foreignkey')
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('check_in_devices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_check_in_devices_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_column('offline_hours')
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('event_co_organisers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_co_organisers_responded_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_event_co_organisers_invited_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_event_co_organisers_coorganiserstatus'), type_='check')
        batch_op.drop_column('responded_by_id')
        batch_op.drop_column('responded_at')
        batch_op.drop_column('invited_by_id')
        batch_op.drop_column('invited_at')
        batch_op.drop_column('status')
