"""persistent scheduler job store and the notification ledger that keeps jobs idempotent

Revision ID: 0006_jobs
Revises: 0005_scheduling
Create Date: 2026-11-26 13:15:00
"""
revision = '0006_jobs'
down_revision = '0005_scheduling'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
