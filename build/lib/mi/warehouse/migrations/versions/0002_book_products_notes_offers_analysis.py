"""book, products, field notes, competitor offers, analysis layer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 21:44:49.534938
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mi.warehouse.base

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_ref', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('industry_scheme', sa.String(length=10), nullable=True),
    sa.Column('industry_code', sa.String(length=20), nullable=True),
    sa.Column('isic_section', sa.String(length=1), nullable=True),
    sa.Column('updated_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('company_ref', name=op.f('uq_companies_company_ref'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_key', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('first_published_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('document_count', sa.Integer(), nullable=False),
    sa.Column('channel_count', sa.Integer(), nullable=False),
    sa.Column('updated_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('event_key', name=op.f('uq_events_event_key'))
    )
    op.create_table('industry_pulse',
    sa.Column('section', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=False),
    sa.Column('volume_z', sa.Float(), nullable=False),
    sa.Column('sentiment', sa.Float(), nullable=False),
    sa.Column('sentiment_trend', sa.Float(), nullable=False),
    sa.Column('competitor_changes', sa.Integer(), nullable=False),
    sa.Column('series_moves', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('label', sa.String(length=10), nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('section', 'day', name=op.f('pk_industry_pulse'))
    )
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_ref', sa.String(length=50), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('launch_date', sa.Date(), nullable=True),
    sa.Column('target_segment', sa.String(length=20), nullable=True),
    sa.Column('target_industries', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('uptake_target', sa.Integer(), nullable=True),
    sa.Column('cost', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('product_ref', name=op.f('uq_products_product_ref'))
    )
    op.create_table('relationship_managers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rm_ref', sa.String(length=50), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('team', sa.String(length=100), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_managers')),
    sa.UniqueConstraint('rm_ref', name=op.f('uq_relationship_managers_rm_ref'))
    )
    op.create_table('company_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_aliases_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_aliases')),
    sa.UniqueConstraint('company_id', 'kind', 'value', name=op.f('uq_company_aliases_company_id_kind_value'))
    )
    with op.batch_alter_table('company_aliases', schema=None) as batch_op:
        batch_op.create_index('ix_company_aliases_kind_value', ['kind', 'value'], unique=False)

    op.create_table('competitor_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('competitor', sa.String(length=100), nullable=False),
    sa.Column('offer_key', sa.String(length=200), nullable=False),
    sa.Column('product_name', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('rate', sa.Float(), nullable=True),
    sa.Column('term', sa.String(length=50), nullable=True),
    sa.Column('min_amount', sa.Float(), nullable=True),
    sa.Column('fees', sa.Text(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('industries', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('first_seen', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_competitor_offers_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitor_offers')),
    sa.UniqueConstraint('channel_id', 'offer_key', name=op.f('uq_competitor_offers_channel_id_offer_key'))
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_ref', sa.String(length=50), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('segment', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('industry_scheme', sa.String(length=10), nullable=True),
    sa.Column('industry_code', sa.String(length=20), nullable=True),
    sa.Column('isic_section', sa.String(length=1), nullable=True),
    sa.Column('updated_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_customers_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('customer_ref', name=op.f('uq_customers_customer_ref'))
    )
    op.create_table('product_metrics',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('customers', sa.Integer(), nullable=True),
    sa.Column('volume', sa.Float(), nullable=True),
    sa.Column('revenue', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_metrics_product_id_products')),
    sa.PrimaryKeyConstraint('product_id', 'date', name=op.f('pk_product_metrics'))
    )
    op.create_table('competitor_offer_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('change', sa.String(length=20), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('raw_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['offer_id'], ['competitor_offers.id'], name=op.f('fk_competitor_offer_changes_offer_id_competitor_offers')),
    sa.ForeignKeyConstraint(['raw_item_id'], ['raw_items.id'], name=op.f('fk_competitor_offer_changes_raw_item_id_raw_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitor_offer_changes')),
    sa.UniqueConstraint('offer_id', 'observed_on', 'change', 'field', name=op.f('uq_competitor_offer_changes_offer_id_observed_on_change_field'))
    )
    op.create_table('coverage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rm_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_coverage_customer_id_customers')),
    sa.ForeignKeyConstraint(['rm_id'], ['relationship_managers.id'], name=op.f('fk_coverage_rm_id_relationship_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage')),
    sa.UniqueConstraint('rm_id', 'customer_id', name=op.f('uq_coverage_rm_id_customer_id'))
    )
    op.create_table('field_notes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('note_ref', sa.String(length=64), nullable=False),
    sa.Column('rm_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('raw_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_field_notes_customer_id_customers')),
    sa.ForeignKeyConstraint(['raw_item_id'], ['raw_items.id'], name=op.f('fk_field_notes_raw_item_id_raw_items')),
    sa.ForeignKeyConstraint(['rm_id'], ['relationship_managers.id'], name=op.f('fk_field_notes_rm_id_relationship_managers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_notes')),
    sa.UniqueConstraint('note_ref', name=op.f('uq_field_notes_note_ref'))
    )
    with op.batch_alter_table('field_notes', schema=None) as batch_op:
        batch_op.create_index('ix_field_notes_customer', ['customer_id'], unique=False)

    op.create_table('holdings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('balance', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_holdings_customer_id_customers')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_holdings_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holdings')),
    sa.UniqueConstraint('customer_id', 'product_id', name=op.f('uq_holdings_customer_id_product_id'))
    )
    op.create_table('series_anomalies',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('change', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_anomalies_series_id_series')),
    sa.PrimaryKeyConstraint('series_id', 'date', name=op.f('pk_series_anomalies'))
    )
    op.create_table('series_forecasts',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('lower', sa.Float(), nullable=False),
    sa.Column('upper', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_forecasts_series_id_series')),
    sa.PrimaryKeyConstraint('series_id', 'as_of', 'date', name=op.f('pk_series_forecasts'))
    )
    op.create_table('series_metrics',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('last_value', sa.Float(), nullable=True),
    sa.Column('change_1d', sa.Float(), nullable=True),
    sa.Column('change_1w', sa.Float(), nullable=True),
    sa.Column('change_1m', sa.Float(), nullable=True),
    sa.Column('change_ytd', sa.Float(), nullable=True),
    sa.Column('trend', sa.String(length=10), nullable=True),
    sa.Column('trend_slope', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_metrics_series_id_series')),
    sa.PrimaryKeyConstraint('series_id', 'as_of', name=op.f('pk_series_metrics'))
    )
    op.create_table('document_analysis',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('duplicate_of', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('industries', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('themes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('sentiment_label', sa.String(length=10), nullable=False),
    sa.Column('sentiment_score', sa.Float(), nullable=False),
    sa.Column('tagger_version', sa.String(length=20), nullable=False),
    sa.Column('analysed_at', mi.warehouse.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_analysis_document_id_documents')),
    sa.ForeignKeyConstraint(['duplicate_of'], ['documents.id'], name=op.f('fk_document_analysis_duplicate_of_documents')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_document_analysis_event_id_events')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_analysis'))
    )
    with op.batch_alter_table('document_analysis', schema=None) as batch_op:
        batch_op.create_index('ix_document_analysis_event', ['event_id'], unique=False)

    op.create_table('document_entities',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('mention', sa.Text(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_document_entities_company_id_companies')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_entities_document_id_documents')),
    sa.PrimaryKeyConstraint('document_id', 'company_id', name=op.f('pk_document_entities'))
    )


def downgrade() -> None:
    op.drop_table('document_entities')
    with op.batch_alter_table('document_analysis', schema=None) as batch_op:
        batch_op.drop_index('ix_document_analysis_event')

    op.drop_table('document_analysis')
    op.drop_table('series_metrics')
    op.drop_table('series_forecasts')
    op.drop_table('series_anomalies')
    op.drop_table('holdings')
    with op.batch_alter_table('field_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_field_notes_customer')

    op.drop_table('field_notes')
    op.drop_table('coverage')
    op.drop_table('competitor_offer_changes')
    op.drop_table('product_metrics')
    op.drop_table('customers')
    op.drop_table('competitor_offers')
    with op.batch_alter_table('company_aliases', schema=None) as batch_op:
        batch_op.drop_index('ix_company_aliases_kind_value')

    op.drop_table('company_aliases')
    op.drop_table('relationship_managers')
    op.drop_table('products')
    op.drop_table('industry_pulse')
    op.drop_table('events')
    op.drop_table('companies')
