"""booth floor plans, exhibitors, applications and allocations

Revision ID: 0004_booths
Revises: 0003_checkin
Create Date: 2026-11-26 13:15:00
"""
from alembic import op
import sqlalchemy as sa

import eventhub.timeutil


revision = '0004_booths'
down_revision = '0003_checkin'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exhibitors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('cooperative', 'enterprise', 'startup', 'household', 'school', name='exhibitorkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('registration_no', sa.String(length=30), nullable=True),
    sa.Column('contact_name', sa.String(length=150), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('province', sa.String(length=100), nullable=True),
    sa.Column('sub_unit', sa.String(length=150), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.Column('consented_at', eventhub.timeutil.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exhibitors_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exhibitors'))
    )
    with op.batch_alter_table('exhibitors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exhibitors_user_id'), ['user_id'], unique=False)

    op.create_table('floor_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('hall_width_m', sa.Float(), nullable=False),
    sa.Column('hall_depth_m', sa.Float(), nullable=False),
    sa.Column('entrance_x_m', sa.Float(), nullable=False),
    sa.Column('entrance_y_m', sa.Float(), nullable=False),
    sa.Column('booking_mode', sa.Enum('allocation', 'self_booking', name='bookingmode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('self_booking_open', sa.Boolean(), nullable=False),
    sa.Column('hold_minutes', sa.Integer(), nullable=False),
    sa.Column('setup_instructions_md', sa.Text(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.CheckConstraint('hall_width_m > 0 AND hall_depth_m > 0', name=op.f('ck_floor_plans_hall_size_positive')),
    sa.CheckConstraint('hold_minutes > 0', name=op.f('ck_floor_plans_hold_minutes_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_floor_plans_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_floor_plans')),
    sa.UniqueConstraint('event_id', name=op.f('uq_floor_plans_event_id'))
    )
    op.create_table('allocation_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('objective', sa.Float(), nullable=False),
    sa.Column('upper_bound', sa.Float(), nullable=False),
    sa.Column('gap_percent', sa.Float(), nullable=False),
    sa.Column('proven_optimal', sa.Boolean(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('assigned', sa.Integer(), nullable=False),
    sa.Column('unassigned', sa.Integer(), nullable=False),
    sa.Column('explanations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_allocation_runs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['floor_plans.id'], name=op.f('fk_allocation_runs_plan_id_floor_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_runs'))
    )
    with op.batch_alter_table('allocation_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_runs_plan_id'), ['plan_id'], unique=False)

    op.create_table('booth_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('booth_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['floor_plans.id'], name=op.f('fk_booth_audit_log_plan_id_floor_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booth_audit_log'))
    )
    with op.batch_alter_table('booth_audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_booth_audit_log_plan_time', ['plan_id', 'created_at'], unique=False)

    op.create_table('booth_zones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('booth_type', sa.Enum('ocop', 'startup', 'enterprise', 'institution', 'sponsor', 'food', name='boothtype', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('x_m', sa.Float(), nullable=False),
    sa.Column('y_m', sa.Float(), nullable=False),
    sa.Column('width_m', sa.Float(), nullable=False),
    sa.Column('depth_m', sa.Float(), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.CheckConstraint('width_m > 0 AND depth_m > 0', name=op.f('ck_booth_zones_zone_size_positive')),
    sa.ForeignKeyConstraint(['plan_id'], ['floor_plans.id'], name=op.f('fk_booth_zones_plan_id_floor_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booth_zones')),
    sa.UniqueConstraint('plan_id', 'name', name='uq_booth_zones_plan_name')
    )
    with op.batch_alter_table('booth_zones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booth_zones_plan_id'), ['plan_id'], unique=False)

    op.create_table('booth_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'approved', 'rejected', 'waitlisted', 'withdrawn', name='applicationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('booth_type', sa.Enum('ocop', 'startup', 'enterprise', 'institution', 'sponsor', 'food', name='boothtype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('booths_requested', sa.Integer(), nullable=False),
    sa.Column('preferred_zone_id', sa.Integer(), nullable=True),
    sa.Column('near_exhibitor_ids', sa.JSON(), nullable=False),
    sa.Column('avoid_exhibitor_ids', sa.JSON(), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=False),
    sa.Column('startup_stage', sa.Enum('idea', 'prototype', 'mvp', 'growth', name='startupstage', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('review_reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', eventhub.timeutil.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.Column('updated_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.CheckConstraint('booths_requested BETWEEN 1 AND 4', name=op.f('ck_booth_applications_booths_requested_range')),
    sa.CheckConstraint('staff_count >= 0', name=op.f('ck_booth_applications_staff_count_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_booth_applications_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['exhibitors.id'], name=op.f('fk_booth_applications_exhibitor_id_exhibitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['preferred_zone_id'], ['booth_zones.id'], name=op.f('fk_booth_applications_preferred_zone_id_booth_zones'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_booth_applications_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booth_applications'))
    )
    with op.batch_alter_table('booth_applications', schema=None) as batch_op:
        batch_op.create_index('ix_booth_applications_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_booth_applications_exhibitor_id'), ['exhibitor_id'], unique=False)
        batch_op.create_index('uq_booth_applications_live_exhibitor', ['event_id', 'exhibitor_id'], unique=True, sqlite_where=sa.text("status <> 'withdrawn'"), postgresql_where=sa.text("status <> 'withdrawn'"))

    op.create_table('booths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('booth_type', sa.Enum('ocop', 'startup', 'enterprise', 'institution', 'sponsor', 'food', name='boothtype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('x_m', sa.Float(), nullable=False),
    sa.Column('y_m', sa.Float(), nullable=False),
    sa.Column('width_m', sa.Float(), nullable=False),
    sa.Column('depth_m', sa.Float(), nullable=False),
    sa.Column('price_vnd', sa.Integer(), nullable=False),
    sa.Column('has_power', sa.Boolean(), nullable=False),
    sa.Column('has_water', sa.Boolean(), nullable=False),
    sa.Column('is_corner', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('available', 'held', 'assigned', 'blocked', name='boothstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('premium', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.CheckConstraint('premium BETWEEN 0 AND 3', name=op.f('ck_booths_premium_range')),
    sa.CheckConstraint('price_vnd >= 0', name=op.f('ck_booths_price_not_negative')),
    sa.CheckConstraint('width_m > 0 AND depth_m > 0', name=op.f('ck_booths_booth_size_positive')),
    sa.ForeignKeyConstraint(['plan_id'], ['floor_plans.id'], name=op.f('fk_booths_plan_id_floor_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['booth_zones.id'], name=op.f('fk_booths_zone_id_booth_zones'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booths')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_booths_plan_code')
    )
    with op.batch_alter_table('booths', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booths_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booths_zone_id'), ['zone_id'], unique=False)

    op.create_table('application_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('document_type', sa.Enum('business_registration', 'ocop_certificate', 'product_photo', 'other', name='documenttype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=100), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['booth_applications.id'], name=op.f('fk_application_documents_application_id_booth_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_application_documents_stored_name'))
    )
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_documents_application_id'), ['application_id'], unique=False)

    op.create_table('booth_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booth_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('auto', 'manual', 'self', name='allocationsource', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('held_until', eventhub.timeutil.UTCDateTime(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', eventhub.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['booth_applications.id'], name=op.f('fk_booth_assignments_application_id_booth_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_booth_assignments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['booth_id'], ['booths.id'], name=op.f('fk_booth_assignments_booth_id_booths'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booth_assignments')),
    sa.UniqueConstraint('booth_id', name=op.f('uq_booth_assignments_booth_id'))
    )
    with op.batch_alter_table('booth_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booth_assignments_application_id'), ['application_id'], unique=False)

    op.create_table('exhibitor_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('product_group', sa.Enum('food', 'beverage', 'herbal', 'handicraft', 'textile', 'agriculture', 'tourism', 'technology', 'other', name='productgroup', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('ocop_stars', sa.Integer(), nullable=True),
    sa.Column('ocop_certificate_no', sa.String(length=60), nullable=True),
    sa.Column('ocop_certificate_year', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('photo', sa.String(length=100), nullable=True),
    sa.Column('search_key', sa.String(length=600), nullable=False),
    sa.CheckConstraint('ocop_stars IS NULL OR ocop_stars BETWEEN 3 AND 5', name=op.f('ck_exhibitor_products_ocop_stars_range')),
    sa.ForeignKeyConstraint(['application_id'], ['booth_applications.id'], name=op.f('fk_exhibitor_products_application_id_booth_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exhibitor_products'))
    )
    with op.batch_alter_table('exhibitor_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exhibitor_products_application_id'), ['application_id'], unique=False)



def downgrade():
    with op.batch_alter_table('exhibitor_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exhibitor_products_application_id'))

    op.drop_table('exhibitor_products')
    with op.batch_alter_table('booth_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booth_assignments_application_id'))

    op.drop_table('booth_assignments')
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_documents_application_id'))

    op.drop_table('application_documents')
    with op.batch_alter_table('booths', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booths_zone_id'))
        batch_op.drop_index(batch_op.f('ix_booths_plan_id'))

    op.drop_table('booths')
    with op.batch_alter_table('booth_applications', schema=None) as batch_op:
        batch_op.drop_index('uq_booth_applications_live_exhibitor', sqlite_where=sa.text("status <> 'withdrawn'"), postgresql_where=sa.text("status <> 'withdrawn'"))
        batch_op.drop_index(batch_op.f('ix_booth_applications_exhibitor_id'))
        batch_op.drop_index('ix_booth_applications_event_status')

    op.drop_table('booth_applications')
    with op.batch_alter_table('booth_zones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booth_zones_plan_id'))

    op.drop_table('booth_zones')
    with op.batch_alter_table('booth_audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_booth_audit_log_plan_time')

    op.drop_table('booth_audit_log')
    with op.batch_alter_table('allocation_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_runs_plan_id'))

    op.drop_table('allocation_runs')
    op.drop_table('floor_plans')
    with op.batch_alter_table('exhibitors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exhibitors_user_id'))

    op.drop_table('exhibitors')
