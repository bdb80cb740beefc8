"""The database failure pages catch, so pages themselves never import SQLAlchemy."""

from sqlalchemy.exc import SQLAlchemyError as DatabaseError

__all__ = ["DatabaseError"]
