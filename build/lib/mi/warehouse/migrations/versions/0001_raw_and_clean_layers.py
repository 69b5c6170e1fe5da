"""raw and clean layers

Revision ID: 0001
Revises:
Create Date: 2026-11-28 21:40:45.739626
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mi.warehouse.base

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('config', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('industry_hints', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('cursor', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('last_run_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('items_fetched', sa.Integer(), nullable=False),
    sa.Column('items_new', sa.Integer(), nullable=False),
    sa.Column('items_quarantined', sa.Integer(), nullable=False),
    sa.Column('created_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    sa.UniqueConstraint('name', name=op.f('uq_channels_name'))
    )
    op.create_table('raw_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('parse_status', sa.String(length=20), nullable=False),
    sa.Column('parse_error', sa.Text(), nullable=True),
    sa.Column('parsed_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('record_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_raw_items_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_items')),
    sa.UniqueConstraint('channel_id', 'external_id', 'content_hash', name=op.f('uq_raw_items_channel_id_external_id_content_hash'))
    )
    with op.batch_alter_table('raw_items', schema=None) as batch_op:
        batch_op.create_index('ix_raw_items_channel_status', ['channel_id', 'parse_status'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('frequency', sa.String(length=4), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('industry', sa.String(length=2), nullable=True),
    sa.Column('channel_id', sa.Integer(), nullable=True),
    sa.Column('created_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_series_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
    sa.UniqueConstraint('key', name=op.f('uq_series_key'))
    )
    op.create_table('documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('raw_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('external_id', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('language', sa.String(length=12), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('industry_hints', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('fetched_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_documents_channel_id_channels')),
    sa.ForeignKeyConstraint(['raw_item_id'], ['raw_items.id'], name=op.f('fk_documents_raw_item_id_raw_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('channel_id', 'external_id', name=op.f('uq_documents_channel_id_external_id'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_content_hash', ['content_hash'], unique=False)
        batch_op.create_index('ix_documents_published_at', ['published_at'], unique=False)

    op.create_table('observations',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('vintage', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('raw_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['raw_item_id'], ['raw_items.id'], name=op.f('fk_observations_raw_item_id_raw_items')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_observations_series_id_series')),
    sa.PrimaryKeyConstraint('series_id', 'date', 'vintage', name=op.f('pk_observations'))
    )


def downgrade() -> None:
    op.drop_table('observations')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_published_at')
        batch_op.drop_index('ix_documents_content_hash')

    op.drop_table('documents')
    op.drop_table('series')
    with op.batch_alter_table('raw_items', schema=None) as batch_op:
        batch_op.drop_index('ix_raw_items_channel_status')

    op.drop_table('raw_items')
    op.drop_table('channels')
