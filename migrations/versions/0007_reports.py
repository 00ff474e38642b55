"""yearly plans, targets, supported projects and report snapshots

Revision ID: 0007_reports
Revises: 0006_jobs
Create Date: 2026-11-26 13:15:00
"""
revision = '0007_reports'
down_revision = '0006_jobs'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
