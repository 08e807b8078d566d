"""(being written)"""

from portal.alkupalvelu.blueprint import blueprint  # noqa: F401
