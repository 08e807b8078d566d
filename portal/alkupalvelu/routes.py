"""Import every staff view module so its routes are on the blueprint before registering it."""

from portal.alkupalvelu import views  # noqa: F401  (inbox)
from portal.alkupalvelu.blueprint import blueprint

__all__ = ["blueprint"]
