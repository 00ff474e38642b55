"""accounts and tokens that can be revoked: API tokens get a scope and an expiry, device links an expiry, and
forgotten-password links a table of their digests; a log of every personal-data export and erasure

Revision ID: 0017_security
Revises: 0016_coorganisers
Create Date: 2026-12-04 22:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_security'
down_revision = '0016_coorganisers'
branch_labels = None
depends_on = None

# Tokens and device links issued before expiry existed keep working for 90 days from this revision.
EXISTING_EXPIRE = '2027-03-04 00:00:00'


def upgrade():
    op.create_table('personal_data_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('download', 'erasure', 'export', name='personaldataaction', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('detail', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_personal_data_log_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_personal_data_log_registration_id_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_data_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_log'))
    )
    with op.batch_alter_table('personal_data_log', schema=None) as batch_op:
        batch_op.create_index('ix_personal_data_log_created_at', ['created_at'], unique=False)

    op.create_table('password_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_password_resets_token_digest'))
    )
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_resets_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.Enum('read', 'checkin', 'manage', name='tokenscope', native_enum=False, create_constraint=True, length=32), server_default='manage', nullable=False))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    op.execute(f"UPDATE api_tokens SET expires_at = '{EXISTING_EXPIRE}'")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=150), nullable=True))

    with op.batch_alter_table('check_in_devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    op.execute(f"UPDATE check_in_devices SET expires_at = '{EXISTING_EXPIRE}'")
    with op.batch_alter_table('check_in_devices', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('display_name')
    with op.batch_alter_table('check_in_devices', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_api_tokens_tokenscope'), type_='check')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scope')
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_resets_user_id'))
    op.drop_table('password_resets')
    with op.batch_alter_table('personal_data_log', schema=None) as batch_op:
        batch_op.drop_index('ix_personal_data_log_created_at')
    op.drop_table('personal_data_log')
