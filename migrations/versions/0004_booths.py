"""booth floor plans, exhibitors, applications and allocations

Revision ID: 0004_booths
Revises: 0003_checkin
Create Date: 2026-11-26 13:15:00
"""
revision = '0004_booths'
down_revision = '0003_checkin'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
