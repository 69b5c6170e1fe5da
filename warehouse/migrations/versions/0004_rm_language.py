"""relationship managers: the language their briefs are written in

Revision ID: 0004_rm_language
Revises: 0007_signals
Create Date: 2026-11-29 22:00:00

Numbered 0004 as written beside 0005-0007; chained after them (0003 -> 0006 -> 0005 -> 0007 -> 0004).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_rm_language'
down_revision = '0007_signals'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # RMs loaded before this revision read English, the default of the book's language field.
    with op.batch_alter_table('relationship_managers') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))


def downgrade() -> None:
    with op.batch_alter_table('relationship_managers') as batch:
        batch.drop_column('language')
