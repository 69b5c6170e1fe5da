"""crash-safe markers: refine steps done per document, confidential raw payloads; note ids scoped by file

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 20:40:00
"""
from __future__ import annotations

import re
from pathlib import PurePath

import sqlalchemy as sa
from alembic import op

import mi.warehouse.base
from mi.records.notes import note_ref

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document_analysis') as batch:
        batch.add_column(sa.Column('linked_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('pulsed_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True))
    # Documents analysed before this revision went through every step of their run.
    op.execute("UPDATE document_analysis SET linked_at = analysed_at, pulsed_at = analysed_at")
    with op.batch_alter_table('raw_items') as batch:
        batch.add_column(sa.Column('confidential', sa.Boolean(), nullable=False, server_default=sa.false()))
    _scope_file_note_ids()


_CONTENT_HASH = re.compile(r"[0-9a-f]{64}")


def _scope_file_note_ids() -> None:
    """A file's own note ids were one namespace across files; give each its file's scope.

    Notes identified by a content hash (64 hex characters) and notes without a payload
    (``mi note add``) keep their ref.
    """
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT n.id, n.note_ref, r.external_id, c.name FROM field_notes n "
        "JOIN raw_items r ON r.id = n.raw_item_id JOIN channels c ON c.id = r.channel_id")).all()
    for note_id, ref, target, channel in rows:
        if _CONTENT_HASH.fullmatch(ref) or len(ref) > 48:
            continue
        scoped = note_ref(note_id=ref, rm_ref="", customer_ref="", noted_on=None, text="",  # type: ignore[arg-type]
                          id_scope=f"{channel}/{PurePath(target).name}")
        conn.execute(sa.text("UPDATE field_notes SET note_ref = :scoped WHERE id = :id"), {"scoped": scoped, "id": note_id})


def downgrade() -> None:
    with op.batch_alter_table('raw_items') as batch:
        batch.drop_column('confidential')
    with op.batch_alter_table('document_analysis') as batch:
        batch.drop_column('pulsed_at')
        batch.drop_column('linked_at')
