"""Import every staff view module so its routes are on the blueprint before registering it."""

from portal.alkupalvelu import (  # noqa: F401  (each module adds its routes)
    audit_views,
    case_views,
    figures_views,
    plan_views,
    routing_views,
    views,
)
from portal.alkupalvelu.blueprint import blueprint

__all__ = ["blueprint"]
