"""The committed migrations build exactly the schema the models declare."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cop.extensions import db


def test_models_and_migrations_agree(app_ctx):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == [], f"Run 'flask --app cop db migrate': models differ from migrations: {diff}"
