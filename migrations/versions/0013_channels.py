"""one outbox for e-mail, SMS and Zalo ZNS: channel, template and parameters rendered when sent, a stable
idempotency key, provider id and delivery report; channel policies, opt-outs, provider tokens, organiser
messages; events count their calendar SEQUENCE

Revision ID: 0013_channels
Revises: 0019_portal
Create Date: 2026-12-04 21:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_channels'
down_revision = '0019_portal'
branch_labels = None
depends_on = None

NEW_COLUMNS = ('channel', 'template', 'params', 'kind', 'event_id', 'organisation_id', 'idempotency_key',
               'routed_from', 'provider_id', 'parts', 'delivery_status', 'delivery_report', 'delivered_at', 'requeued_at')


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum('email', 'sms', 'zns', name='channel', native_enum=False,
                                      create_constraint=True, length=32), server_default='email', nullable=False))
        batch_op.add_column(sa.Column('template', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.Enum('service', 'marketing', name='messagekind', native_enum=False,
                                      create_constraint=True, length=32), server_default='service', nullable=False))
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('routed_from', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('provider_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('parts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delivery_status', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('delivery_report', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('requeued_at', sa.DateTime(), nullable=True))
    random_key = ("lower(hex(randomblob(16)))" if op.get_bind().dialect.name == 'sqlite'
                  else "md5(random()::text || id::text)")
    op.execute(f"UPDATE outbox_messages SET idempotency_key = {random_key}, params = '{{}}'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('idempotency_key', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('params', existing_type=sa.JSON(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_messages_idempotency_key'), ['idempotency_key'])
        batch_op.create_index(batch_op.f('ix_outbox_messages_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_recipient'), ['recipient'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_event_id_events'), 'events', ['event_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_organisation_id_organisations'), 'organisations',
                                    ['organisation_id'], ['id'], ondelete='SET NULL')

    op.create_table('channel_policies',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('use_email', sa.Boolean(), nullable=False),
    sa.Column('use_sms', sa.Boolean(), nullable=False),
    sa.Column('use_zns', sa.Boolean(), nullable=False),
    sa.Column('sms_unicode', sa.Boolean(), nullable=False),
    sa.Column('paid_budget_per_event', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_channel_policies_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_channel_policies'))
    )
    op.create_table('message_opt_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact', sa.String(length=254), nullable=False),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_opt_outs')),
    sa.UniqueConstraint('contact', name=op.f('uq_message_opt_outs_contact'))
    )
    op.create_table('provider_tokens',
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('access_token', sa.Text(), nullable=False),
    sa.Column('refresh_token', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('provider', name=op.f('pk_provider_tokens'))
    )
    op.create_table('organiser_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('paid', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_organiser_messages_created_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_organiser_messages_event_id_events'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organiser_messages'))
    )
    with op.batch_alter_table('organiser_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organiser_messages_event_id'), ['event_id'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('calendar_sequence')
    with op.batch_alter_table('organiser_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organiser_messages_event_id'))
    op.drop_table('organiser_messages')
    op.drop_table('provider_tokens')
    op.drop_table('message_opt_outs')
    op.drop_table('channel_policies')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_event_id_events'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_recipient'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_event_id'))
        batch_op.drop_constraint(batch_op.f('uq_outbox_messages_idempotency_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_messagekind'), type_='check')
        for column in reversed(NEW_COLUMNS):
            batch_op.drop_column(column)
