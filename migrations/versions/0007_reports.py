"""yearly plans, targets, supported projects and report snapshots

Revision ID: 0007_reports
Revises: 0006_jobs
Create Date: 2026-11-26 13:15:00
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil


revision = '0007_reports'
down_revision = '0006_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('document_no', sa.String(length=60), nullable=True),
    sa.Column('created_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.Column('updated_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_plans_year_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_plans_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('organisation_id', 'year', name='uq_plans_organisation_year')
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('report_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('monthly', 'year_end', name='snapshotkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('taken_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_report_snapshots_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshots')),
    sa.UniqueConstraint('organisation_id', 'kind', 'starts_on', 'ends_on', name='uq_report_snapshots_scope')
    )
    op.create_table('event_tags',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_tags_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'tag', name=op.f('pk_event_tags'))
    )
    with op.batch_alter_table('event_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_tags_tag'), ['tag'], unique=False)

    op.create_table('plan_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.Enum('events', 'trainees', 'participants', 'attendees', 'unique_participants', 'competition_entries', 'supported_projects', 'exhibitors', 'ocop_products', name='indicator', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('target_value', sa.Integer(), nullable=False),
    sa.Column('participant_group', sa.Enum('student', 'youth', 'women', 'farmer', 'enterprise', 'official', 'lecturer', 'other', name='participantgroup', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('event_types', sa.JSON(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('target_value >= 0', name=op.f('ck_plan_targets_target_not_negative')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_targets_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_targets'))
    )
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_targets_plan_id'), ['plan_id'], unique=False)

    op.create_table('supported_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('startup_project', 'exhibitor', name='supportkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('supported_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_supported_projects_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_supported_projects_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_supported_projects_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supported_projects'))
    )
    with op.batch_alter_table('supported_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supported_projects_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supported_projects_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_report', ['event_id', 'status', 'category_id', 'phone_key', 'email_key'], unique=False)



def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_report')

    with op.batch_alter_table('supported_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supported_projects_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_supported_projects_event_id'))

    op.drop_table('supported_projects')
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_targets_plan_id'))

    op.drop_table('plan_targets')
    with op.batch_alter_table('event_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_tags_tag'))

    op.drop_table('event_tags')
    op.drop_table('report_snapshots')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_organisation_id'))

    op.drop_table('plans')
