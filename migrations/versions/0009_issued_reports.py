"""issued reports: number, date, signer, figures and the exact PDF and XLSX bytes, never changed

Revision ID: 0009_issued_reports
Revises: 0008_completion
Create Date: 2026-12-04 19:55:13
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil


revision = '0009_issued_reports'
down_revision = '0008_completion'
branch_labels = None
depends_on = None

GUARDED_TABLES = ('issued_reports', 'issued_report_organisations')
MESSAGE = 'an issued report is never changed: issue a correction that replaces it'


def upgrade():
    op.create_table('issued_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_year', sa.Integer(), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=150), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('xlsx', sa.LargeBinary(), nullable=False),
    sa.Column('xlsx_sha256', sa.String(length=64), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_issued_reports_period_order')),
    sa.CheckConstraint('issued_year BETWEEN 2000 AND 2100', name=op.f('ck_issued_reports_issued_year_range')),
    sa.CheckConstraint('length(pdf_sha256) = 64 AND length(xlsx_sha256) = 64', name=op.f('ck_issued_reports_sha256_length')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_issued_reports_issued_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_issued_reports_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaces_id'], ['issued_reports.id'], name=op.f('fk_issued_reports_replaces_id_issued_reports')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['report_snapshots.id'], name=op.f('fk_issued_reports_snapshot_id_report_snapshots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_reports')),
    sa.UniqueConstraint('organisation_id', 'issued_year', 'number', name='uq_issued_reports_number'),
    sa.UniqueConstraint('replaces_id', name='uq_issued_reports_replaces')
    )
    with op.batch_alter_table('issued_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_reports_snapshot_id'), ['snapshot_id'], unique=False)

    op.create_table('issued_report_organisations',
    sa.Column('issued_report_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issued_report_id'], ['issued_reports.id'], name=op.f('fk_issued_report_organisations_issued_report_id_issued_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_issued_report_organisations_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('issued_report_id', 'organisation_id', name=op.f('pk_issued_report_organisations'))
    )
    with op.batch_alter_table('issued_report_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_report_organisations_organisation_id'), ['organisation_id'], unique=False)

    # What was signed stays as signed: the database itself refuses any UPDATE of these rows.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"CREATE FUNCTION issued_report_never_changes() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$")
        for table in GUARDED_TABLES:
            op.execute(f"CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION issued_report_never_changes()")
    else:
        for table in GUARDED_TABLES:
            op.execute(f"CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade():
    for table in GUARDED_TABLES:
        op.execute(f"DROP TRIGGER {table}_never_change" +
                   (f" ON {table}" if op.get_bind().dialect.name == 'postgresql' else ""))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION issued_report_never_changes()")

    with op.batch_alter_table('issued_report_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_report_organisations_organisation_id'))

    op.drop_table('issued_report_organisations')
    with op.batch_alter_table('issued_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_reports_snapshot_id'))

    op.drop_table('issued_reports')
