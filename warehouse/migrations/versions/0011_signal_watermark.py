"""signal refresh: the digest of what the last refresh read, so a run with nothing new skips it;
coverage indexed by customer

Revision ID: 0011_signal_watermark
Revises: 0010_series_watermark
Create Date: 2026-11-30 07:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mi.warehouse.base

revision = '0011_signal_watermark'
down_revision = '0010_series_watermark'
branch_labels = None
depends_on = None

UTC = mi.warehouse.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('signal_watermarks',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('inputs_digest', sa.String(length=64), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_signal_watermarks'))
    )
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.create_index('ix_coverage_customer_id', ['customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.drop_index('ix_coverage_customer_id')
    op.drop_table('signal_watermarks')
