"""signal refresh: the digest of what the last refresh read, so a run with nothing new skips it

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


def downgrade() -> None:
    op.drop_table('signal_watermarks')
