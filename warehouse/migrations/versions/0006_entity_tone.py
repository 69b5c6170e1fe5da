"""entity tone: the tone of a document toward each linked company; the language analysis read

Revision ID: 0006_entity_tone
Revises: 0003
Create Date: 2026-12-01 12:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_entity_tone'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document_entities') as batch:
        batch.add_column(sa.Column('tone', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('tone_score', sa.Float(), nullable=True))
    with op.batch_alter_table('document_analysis') as batch:
        batch.add_column(sa.Column('language', sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('document_analysis') as batch:
        batch.drop_column('language')
    with op.batch_alter_table('document_entities') as batch:
        batch.drop_column('tone_score')
        batch.drop_column('tone')
