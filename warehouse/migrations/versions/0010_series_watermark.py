"""incremental refine: per-series watermarks (points digest, analysis version, results) and
per-day industry-pulse input digests

Revision ID: 0010_series_watermark
Revises: 0009_desk
Create Date: 2026-11-30 04:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mi.warehouse.base

revision = '0010_series_watermark'
down_revision = '0009_desk'
branch_labels = None
depends_on = None

UTC = mi.warehouse.base.UTCDateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('series_watermarks',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('points_digest', sa.String(length=64), nullable=False),
    sa.Column('analysis_version', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('results', JSON, nullable=False),
    sa.Column('analysed_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_watermarks_series_id_series')),
    sa.PrimaryKeyConstraint('series_id', name=op.f('pk_series_watermarks'))
    )
    op.create_table('pulse_watermarks',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('inputs_digest', sa.String(length=64), nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_pulse_watermarks'))
    )


def downgrade() -> None:
    op.drop_table('pulse_watermarks')
    op.drop_table('series_watermarks')
