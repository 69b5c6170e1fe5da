"""the desk: accounts, sessions, sign-in attempts, audit log; RMs' feedback on brief items

Revision ID: 0009_desk
Revises: 0008_ops
Create Date: 2026-11-29 23:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mi.warehouse.base

revision = '0009_desk'
down_revision = '0008_ops'
branch_labels = None
depends_on = None

UTC = mi.warehouse.base.UTCDateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('desk_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('rm_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['rm_id'], ['relationship_managers.id'],
                            name=op.f('fk_desk_accounts_rm_id_relationship_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_accounts')),
    sa.UniqueConstraint('username', name=op.f('uq_desk_accounts_username'))
    )
    op.create_table('desk_sessions',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('expires_at', UTC, nullable=False),
    sa.Column('ended_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['desk_accounts.id'], name=op.f('fk_desk_sessions_account_id_desk_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_desk_sessions_token_hash'))
    )
    op.create_table('desk_sign_ins',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('client', sa.String(length=100), nullable=False),
    sa.Column('at', UTC, nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_sign_ins'))
    )
    op.create_index('ix_desk_sign_ins_username_at', 'desk_sign_ins', ['username', 'at'], unique=False)
    op.create_index('ix_desk_sign_ins_client_at', 'desk_sign_ins', ['client', 'at'], unique=False)
    op.create_table('desk_audit',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('at', UTC, nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('client', sa.String(length=100), nullable=True),
    sa.Column('detail', JSON, nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['desk_accounts.id'], name=op.f('fk_desk_audit_account_id_desk_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_audit'))
    )
    op.create_index('ix_desk_audit_at', 'desk_audit', ['at'], unique=False)
    op.create_table('brief_feedback',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('rm_id', sa.Integer(), nullable=False),
    sa.Column('brief_key', sa.String(length=100), nullable=False),
    sa.Column('item_key', sa.String(length=400), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('customer_ref', sa.String(length=50), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['rm_id'], ['relationship_managers.id'],
                            name=op.f('fk_brief_feedback_rm_id_relationship_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_feedback')),
    sa.UniqueConstraint('rm_id', 'item_key', 'customer_ref', name=op.f('uq_brief_feedback_rm_id_item_key_customer_ref'))
    )
    op.create_index('ix_brief_feedback_rm_id', 'brief_feedback', ['rm_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_brief_feedback_rm_id', table_name='brief_feedback')
    op.drop_table('brief_feedback')
    op.drop_index('ix_desk_audit_at', table_name='desk_audit')
    op.drop_table('desk_audit')
    op.drop_index('ix_desk_sign_ins_client_at', table_name='desk_sign_ins')
    op.drop_index('ix_desk_sign_ins_username_at', table_name='desk_sign_ins')
    op.drop_table('desk_sign_ins')
    op.drop_table('desk_sessions')
    op.drop_table('desk_accounts')
