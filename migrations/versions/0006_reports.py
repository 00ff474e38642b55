"""yearly plans, targets, supported projects and report snapshots

Revision ID: 0006_reports
Revises: 0005_scheduling
Create Date: 2026-11-26 13:15:00
"""
revision = '0006_reports'
down_revision = '0005_scheduling'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
