"""certificates: templates per event or organisation, yearly number counters, issued certificates with their
verification code and revocation; "certificates issued" becomes an indicator plans can target

Revision ID: 0015_certificates
Revises: 0020_seat_counters
Create Date: 2026-12-04 21:30:00
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil


revision = '0015_certificates'
down_revision = '0020_seat_counters'
branch_labels = None
depends_on = None

INDICATORS = ('events', 'trainees', 'participants', 'attendees', 'unique_participants', 'competition_entries',
              'supported_projects', 'exhibitors', 'ocop_products')
KIND = sa.Enum('completion', 'participation', 'prize', name='certificatekind', native_enum=False,
               create_constraint=True, length=32)


def upgrade():
    op.create_table('certificate_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('kind', KIND, nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=150), nullable=False),
    sa.Column('self_service', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_certificate_templates_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_certificate_templates_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_certificate_templates_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_templates')),
    sa.UniqueConstraint('event_id', 'kind', name='uq_certificate_templates_event_kind')
    )
    with op.batch_alter_table('certificate_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_templates_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('uq_certificate_templates_default', ['organisation_id', 'kind'], unique=True,
                              sqlite_where=sa.text('event_id IS NULL'), postgresql_where=sa.text('event_id IS NULL'))

    op.create_table('certificate_sequences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_certificate_sequences_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_sequences')),
    sa.UniqueConstraint('organisation_id', 'year', name='uq_certificate_sequences_year')
    )

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', KIND, nullable=False),
    sa.Column('status', sa.Enum('valid', 'revoked', name='certificatestatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('holder_key', sa.String(length=300), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('prize_title', sa.String(length=120), nullable=True),
    sa.Column('source_kind', sa.String(length=40), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('issued_year', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('governing_body', sa.String(length=200), nullable=True),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=150), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', eventhub.timeutil.UTCDateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revocation_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint('serial > 0', name=op.f('ck_certificates_serial_positive')),
    sa.CheckConstraint("(status = 'revoked') = (revoked_at IS NOT NULL AND revocation_reason IS NOT NULL)", name=op.f('ck_certificates_revocation_complete')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_certificates_event_id_events'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_certificates_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_certificates_registration_id_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('event_id', 'kind', 'holder_key', name='uq_certificates_holder'),
    sa.UniqueConstraint('organisation_id', 'issued_year', 'serial', name='uq_certificates_number')
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_registration_id'), ['registration_id'], unique=False)

    _indicator_check(INDICATORS + ('certificates_issued',))


def _indicator_check(values):
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_plan_targets_indicator'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_plan_targets_indicator'), sa.column('indicator').in_(values))


def downgrade():
    op.execute("DELETE FROM plan_targets WHERE indicator = 'certificates_issued'")
    _indicator_check(INDICATORS)
    op.drop_table('certificates')
    op.drop_table('certificate_sequences')
    op.drop_table('certificate_templates')
