"""operations: intraday alerts to RMs (once per event, RM and channel) and source-health episodes

Revision ID: 0008_ops
Revises: 0004_rm_language
Create Date: 2026-11-30 00:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mi.warehouse.base

revision = '0008_ops'
down_revision = '0004_rm_language'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rm_alerts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_key', sa.String(length=200), nullable=False),
    sa.Column('rm_ref', sa.String(length=50), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=True),
    sa.Column('card', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rm_alerts')),
    sa.UniqueConstraint('event_key', 'rm_ref', 'channel', name=op.f('uq_rm_alerts_event_key_rm_ref_channel'))
    )
    op.create_index('ix_rm_alerts_channel_status', 'rm_alerts', ['channel', 'status'], unique=False)
    op.create_table('channel_health_alerts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('opened_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_health_alerts_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_health_alerts'))
    )
    op.create_index('ix_channel_health_alerts_channel_id_condition', 'channel_health_alerts',
                    ['channel_id', 'condition'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_channel_health_alerts_channel_id_condition', table_name='channel_health_alerts')
    op.drop_table('channel_health_alerts')
    op.drop_index('ix_rm_alerts_channel_status', table_name='rm_alerts')
    op.drop_table('rm_alerts')
