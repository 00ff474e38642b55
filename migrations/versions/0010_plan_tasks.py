"""plan tasks and manual indicators with their entries: the whole yearly plan, not only events

Revision ID: 0010_plan_tasks
Revises: 0009_issued_reports
Create Date: 2026-12-04 20:30:00
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil


revision = '0010_plan_tasks'
down_revision = '0009_issued_reports'
branch_labels = None
depends_on = None

TASK_STATUSES = ('not_started', 'in_progress', 'done', 'postponed')


def upgrade():
    op.create_table('plan_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
    sa.Column('outside_agencies', sa.String(length=500), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('due_quarter', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum(*TASK_STATUSES, name='taskstatus', native_enum=False, create_constraint=True,
                                length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('due_quarter IS NULL OR due_quarter BETWEEN 1 AND 4', name=op.f('ck_plan_tasks_quarter_range')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_plan_tasks_lead_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_tasks_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_tasks'))
    )
    with op.batch_alter_table('plan_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_tasks_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_tasks_lead_organisation_id'), ['lead_organisation_id'], unique=False)

    op.create_table('plan_task_organisations',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_plan_task_organisations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['plan_tasks.id'], name=op.f('fk_plan_task_organisations_task_id_plan_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'organisation_id', name=op.f('pk_plan_task_organisations'))
    )
    with op.batch_alter_table('plan_task_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_task_organisations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('plan_task_events',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_plan_task_events_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['plan_tasks.id'], name=op.f('fk_plan_task_events_task_id_plan_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'event_id', name=op.f('pk_plan_task_events'))
    )
    with op.batch_alter_table('plan_task_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_task_events_event_id'), ['event_id'], unique=False)

    op.create_table('manual_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('target_value', sa.Integer(), nullable=True),
    sa.CheckConstraint('target_value IS NULL OR target_value >= 0', name=op.f('ck_manual_indicators_target_not_negative')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_manual_indicators_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manual_indicators'))
    )
    with op.batch_alter_table('manual_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manual_indicators_plan_id'), ['plan_id'], unique=False)

    op.create_table('indicator_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('entry_on', sa.Date(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('evidence_file', sa.String(length=100), nullable=True),
    sa.Column('evidence_media_type', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.CheckConstraint('evidence_url IS NOT NULL OR evidence_file IS NOT NULL', name=op.f('ck_indicator_entries_evidence_given')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_indicator_entries_value_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_indicator_entries_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['manual_indicators.id'], name=op.f('fk_indicator_entries_indicator_id_manual_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_entries'))
    )
    with op.batch_alter_table('indicator_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_entries_indicator_id'), ['indicator_id'], unique=False)


def downgrade():
    op.drop_table('indicator_entries')
    op.drop_table('manual_indicators')
    op.drop_table('plan_task_events')
    op.drop_table('plan_task_organisations')
    op.drop_table('plan_tasks')
