"""training completion: rules per event, organisers' overrides and their log; what a trainees target counts

Revision ID: 0008_completion
Revises: 0007_reports
Create Date: 2026-12-04 20:00:00
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil


revision = '0008_completion'
down_revision = '0007_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('completion_rules',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('checked_in', 'sessions', 'every_day', name='completionrulekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('min_percent', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.CheckConstraint("(kind = 'sessions' AND min_percent BETWEEN 1 AND 100) OR (kind <> 'sessions' AND min_percent IS NULL)", name=op.f('ck_completion_rules_percent_for_sessions')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_completion_rules_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_completion_rules_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_completion_rules'))
    )
    op.create_table('completion_overrides',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_completion_overrides_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_completion_overrides_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_completion_overrides'))
    )
    op.create_table('completion_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_completion_log_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_completion_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completion_log'))
    )
    with op.batch_alter_table('completion_log', schema=None) as batch_op:
        batch_op.create_index('ix_completion_log_registration', ['registration_id', 'created_at'], unique=False)

    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trainee_basis', sa.Enum('completers', 'attendees', name='traineebasis', native_enum=False, create_constraint=True, length=32), nullable=True))
    # Existing trainees targets count completers, what a trainee is.
    op.execute("UPDATE plan_targets SET trainee_basis = 'completers' WHERE indicator = 'trainees'")
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_plan_targets_basis_for_trainees'), "(indicator = 'trainees' AND trainee_basis IS NOT NULL) OR (indicator <> 'trainees' AND trainee_basis IS NULL)")


def downgrade():
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_targets_basis_for_trainees'), type_='check')
        batch_op.drop_constraint(op.f('ck_plan_targets_traineebasis'), type_='check')
        batch_op.drop_column('trainee_basis')

    with op.batch_alter_table('completion_log', schema=None) as batch_op:
        batch_op.drop_index('ix_completion_log_registration')

    op.drop_table('completion_log')
    op.drop_table('completion_overrides')
    op.drop_table('completion_rules')
