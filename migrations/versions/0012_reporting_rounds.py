"""reporting rounds: a parent asks its child organisations for their figures, checks and consolidates them

Revision ID: 0012_reporting_rounds
Revises: 0011_participant_groups
Create Date: 2026-12-04 21:20:00
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil


revision = '0012_reporting_rounds'
down_revision = '0011_participant_groups'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reporting_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Enum('first_half', 'second_half', 'year', 'custom', name='roundperiod', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_reporting_rounds_period_order')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_reporting_rounds_year_range')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_reporting_rounds_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_reporting_rounds_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_rounds')),
    sa.UniqueConstraint('organisation_id', 'starts_on', 'ends_on', name='uq_reporting_rounds_period')
    )
    op.create_table('round_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'draft', 'submitted', 'returned', 'resubmitted', 'accepted', name='submissionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=True),
    sa.Column('late_allowed', sa.Boolean(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('submitted_at', eventhub.timeutil.UTCDateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', eventhub.timeutil.UTCDateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_round_submissions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_round_submissions_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['reporting_rounds.id'], name=op.f('fk_round_submissions_round_id_reporting_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_round_submissions_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_submissions')),
    sa.UniqueConstraint('round_id', 'organisation_id', name='uq_round_submissions_organisation')
    )
    with op.batch_alter_table('round_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_submissions_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('submission_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.Column('field', sa.String(length=250), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['round_submissions.id'], name=op.f('fk_submission_changes_submission_id_round_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_submission_changes_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_changes'))
    )
    with op.batch_alter_table('submission_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_changes_submission_id'), ['submission_id'], unique=False)

    op.create_table('submission_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('manual_indicator_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('evidence_file', sa.String(length=100), nullable=True),
    sa.Column('evidence_media_type', sa.String(length=40), nullable=True),
    sa.CheckConstraint('value >= 0', name=op.f('ck_submission_values_value_not_negative')),
    sa.ForeignKeyConstraint(['manual_indicator_id'], ['manual_indicators.id'], name=op.f('fk_submission_values_manual_indicator_id_manual_indicators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['round_submissions.id'], name=op.f('fk_submission_values_submission_id_round_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_values')),
    sa.UniqueConstraint('submission_id', 'manual_indicator_id', name='uq_submission_values_indicator')
    )
    with op.batch_alter_table('submission_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_values_manual_indicator_id'), ['manual_indicator_id'], unique=False)



def downgrade():
    with op.batch_alter_table('submission_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_values_manual_indicator_id'))

    op.drop_table('submission_values')
    with op.batch_alter_table('submission_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_changes_submission_id'))

    op.drop_table('submission_changes')
    with op.batch_alter_table('round_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_submissions_organisation_id'))

    op.drop_table('round_submissions')
    op.drop_table('reporting_rounds')
