"""first day: the organisation's logo, the language a scanner device answers in

Revision ID: 0018_first_day
Revises: 0013_channels
Create Date: 2026-12-04 22:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_first_day'
down_revision = '0013_channels'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('logo_path', sa.String(length=255), nullable=True))
    with op.batch_alter_table('check_in_devices') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('check_in_devices') as batch:
        batch.drop_column('language')
    with op.batch_alter_table('organisations') as batch:
        batch.drop_column('logo_path')
