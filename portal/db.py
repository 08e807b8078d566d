"""The one store both doors share: SQLAlchemy engine, session and base model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)

# JSONB on PostgreSQL (indexable, compact), plain JSON text elsewhere.
JsonDoc = JSON().with_variant(JSONB(), "postgresql")


# Indexes the migrations create that Alembic's comparison cannot see through (expression and
# operator-class indexes): migrations/env.py and tests/test_migrations.py leave them out.
DATABASE_ONLY_INDEXES = frozenset({"ix_person_name_search", "uq_routing_rule_active"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic `include_object` hook: compare everything but DATABASE_ONLY_INDEXES."""
    return not (type_ == "index" and name in DATABASE_ONLY_INDEXES)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()
