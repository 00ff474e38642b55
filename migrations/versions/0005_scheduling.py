"""rooms, tracks, speakers, sessions and session sign-up

Revision ID: 0005_scheduling
Revises: 0004_booths
Create Date: 2026-11-26 13:15:00
"""
revision = '0005_scheduling'
down_revision = '0004_booths'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
