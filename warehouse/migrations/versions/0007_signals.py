"""demand signals, their notes, evidence, events, publications, outbox, feedback; product alerts

Revision ID: 0007_signals
Revises: 0005_outbox
Create Date: 2026-11-29 21:47:46
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mi.warehouse.base

revision = '0007_signals'
down_revision = '0005_outbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signal_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_key', sa.String(length=160), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_messages')),
    sa.UniqueConstraint('message_key', name=op.f('uq_signal_messages_message_key'))
    )
    op.create_table('demand_signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('need', sa.String(length=40), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('first_noted_on', sa.Date(), nullable=False),
    sa.Column('last_noted_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.Integer(), nullable=False),
    sa.Column('customers', sa.Integer(), nullable=False),
    sa.Column('rms', sa.Integer(), nullable=False),
    sa.Column('confidential_notes', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_demand_signals_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_signals')),
    sa.UniqueConstraint('signal_key', name=op.f('uq_demand_signals_signal_key'))
    )
    op.create_table('product_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('episode_start', sa.Date(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('message_key', sa.String(length=160), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_alerts_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_alerts')),
    sa.UniqueConstraint('product_id', 'kind', 'episode_start', name=op.f('uq_product_alerts_product_id_kind_episode_start'))
    )
    op.create_table('signal_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_signal_events_product_id_products')),
    sa.ForeignKeyConstraint(['signal_id'], ['demand_signals.id'], name=op.f('fk_signal_events_signal_id_demand_signals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_events'))
    )
    with op.batch_alter_table('signal_events', schema=None) as batch_op:
        batch_op.create_index('ix_signal_events_signal', ['signal_id'], unique=False)

    op.create_table('signal_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('stance', sa.String(length=10), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('observed_on', sa.Date(), nullable=True),
    sa.Column('added_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['demand_signals.id'], name=op.f('fk_signal_evidence_signal_id_demand_signals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_evidence')),
    sa.UniqueConstraint('signal_id', 'ref', name=op.f('uq_signal_evidence_signal_id_ref'))
    )
    op.create_table('note_needs',
    sa.Column('note_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('need', sa.String(length=40), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('language', sa.String(length=4), nullable=False),
    sa.Column('unread', sa.Boolean(), nullable=False),
    sa.Column('cues', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('reader_version', sa.String(length=20), nullable=False),
    sa.Column('read_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['field_notes.id'], name=op.f('fk_note_needs_note_id_field_notes')),
    sa.PrimaryKeyConstraint('note_id', name=op.f('pk_note_needs'))
    )
    with op.batch_alter_table('note_needs', schema=None) as batch_op:
        batch_op.create_index('ix_note_needs_need', ['need'], unique=False)

    op.create_table('signal_feedback',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('rm_id', sa.Integer(), nullable=False),
    sa.Column('brief_key', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['signal_events.id'], name=op.f('fk_signal_feedback_event_id_signal_events')),
    sa.ForeignKeyConstraint(['rm_id'], ['relationship_managers.id'], name=op.f('fk_signal_feedback_rm_id_relationship_managers')),
    sa.PrimaryKeyConstraint('event_id', 'rm_id', name=op.f('pk_signal_feedback'))
    )
    op.create_table('signal_notes',
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('added_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['field_notes.id'], name=op.f('fk_signal_notes_note_id_field_notes')),
    sa.ForeignKeyConstraint(['signal_id'], ['demand_signals.id'], name=op.f('fk_signal_notes_signal_id_demand_signals')),
    sa.PrimaryKeyConstraint('signal_id', 'note_id', name=op.f('pk_signal_notes'))
    )
    with op.batch_alter_table('signal_notes', schema=None) as batch_op:
        batch_op.create_index('ix_signal_notes_note', ['note_id'], unique=False)

    op.create_table('signal_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('change', sa.String(length=10), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('what_changed', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('message_key', sa.String(length=160), nullable=True),
    sa.Column('published_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['signal_events.id'], name=op.f('fk_signal_publications_event_id_signal_events')),
    sa.ForeignKeyConstraint(['signal_id'], ['demand_signals.id'], name=op.f('fk_signal_publications_signal_id_demand_signals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_publications')),
    sa.UniqueConstraint('signal_id', 'period', 'kind', name=op.f('uq_signal_publications_signal_id_period_kind'))
    )


def downgrade() -> None:
    op.drop_table('signal_publications')
    with op.batch_alter_table('signal_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_signal_notes_note')

    op.drop_table('signal_notes')
    op.drop_table('signal_feedback')
    with op.batch_alter_table('note_needs', schema=None) as batch_op:
        batch_op.drop_index('ix_note_needs_need')

    op.drop_table('note_needs')
    op.drop_table('signal_evidence')
    with op.batch_alter_table('signal_events', schema=None) as batch_op:
        batch_op.drop_index('ix_signal_events_signal')

    op.drop_table('signal_events')
    op.drop_table('product_alerts')
    op.drop_table('demand_signals')
    op.drop_table('signal_messages')
