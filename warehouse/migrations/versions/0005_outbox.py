"""outbox: brief deliveries (one per RM, kind, period and channel) and the items they carried

Revision ID: 0005_outbox
Revises: 0006_entity_tone
Create Date: 2026-11-29 21:32:09

Numbered 0005 while 0004 is written beside it; the two are chained when merged.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mi.warehouse.base

revision = '0005_outbox'
down_revision = '0006_entity_tone'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brief_deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('brief_key', sa.String(length=100), nullable=False),
    sa.Column('rm_ref', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('interruptions', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=True),
    sa.Column('card', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('window_start', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('window_end', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('sent_run_id', sa.String(length=64), nullable=True),
    sa.Column('receipt', sa.Text(), nullable=True),
    sa.Column('created_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempted_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_deliveries')),
    sa.UniqueConstraint('rm_ref', 'kind', 'period', 'channel', name=op.f('uq_brief_deliveries_rm_ref_kind_period_channel'))
    )
    op.create_index('ix_brief_deliveries_channel_status', 'brief_deliveries', ['channel', 'status'], unique=False)
    op.create_table('brief_delivery_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('delivery_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('customer_ref', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['brief_deliveries.id'], name=op.f('fk_brief_delivery_items_delivery_id_brief_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_delivery_items')),
    sa.UniqueConstraint('delivery_id', 'source', name=op.f('uq_brief_delivery_items_delivery_id_source'))
    )
    op.create_index('ix_brief_delivery_items_source', 'brief_delivery_items', ['source'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_brief_delivery_items_source', table_name='brief_delivery_items')
    op.drop_table('brief_delivery_items')
    op.drop_index('ix_brief_deliveries_channel_status', table_name='brief_deliveries')
    op.drop_table('brief_deliveries')
