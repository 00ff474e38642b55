"""participant groups become a table the platform admin configures; the columns keep today's codes

Revision ID: 0011_participant_groups
Revises: 0010_plan_tasks
Create Date: 2026-12-04 20:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_participant_groups'
down_revision = '0010_plan_tasks'
branch_labels = None
depends_on = None

CODES = ('student', 'youth', 'women', 'farmer', 'enterprise', 'official', 'lecturer', 'other')
SEED = [
    ('student', 'Học sinh, sinh viên', 'Pupils and students'),
    ('youth', 'Thanh niên', 'Youth'),
    ('women', 'Phụ nữ', 'Women'),
    ('farmer', 'Nông dân', 'Farmers'),
    ('enterprise', 'Doanh nghiệp, hợp tác xã', 'Enterprises and cooperatives'),
    ('official', 'Cán bộ, công chức, viên chức', 'Officials and civil servants'),
    ('lecturer', 'Giảng viên, chuyên gia', 'Lecturers and experts'),
    ('other', 'Cá nhân khác', 'Other individuals'),
]
# The two columns that held the enum's value: already VARCHAR(32), only their CHECK gives way to a foreign key.
TABLES = ('registration_categories', 'plan_targets')


def upgrade():
    groups = op.create_table('participant_groups',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_vi', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_participant_groups'))
    )
    op.bulk_insert(groups, [{'code': code, 'name_vi': vi, 'name_en': en, 'position': (index + 1) * 10,
                             'is_active': True} for index, (code, vi, en) in enumerate(SEED)])
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_participantgroup'), type_='check')
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_participant_group_participant_groups'),
                                        'participant_groups', ['participant_group'], ['code'])


def downgrade():
    # Rows of groups added since cannot go back under the old CHECK: the downgrade then fails, changing nothing.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_participant_group_participant_groups'),
                                     type_='foreignkey')
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_participantgroup'),
                                             sa.column('participant_group').in_(CODES))
    op.drop_table('participant_groups')
