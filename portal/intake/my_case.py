"""(being written) The citizen's own case: status timeline, messages, plan."""

from flask import Blueprint

blueprint = Blueprint("my_case", __name__)


@blueprint.get("/oma-asia")
def overview() -> str:
    return ""
