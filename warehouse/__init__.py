"""The warehouse: SQLAlchemy 2.0 models by layer, engine, idempotent loads, migrations.

Importing the package registers every table on ``Base.metadata``.
"""
from mi.warehouse import analysis, book, desk, models, ops, outbox, products, signals  # noqa: F401
