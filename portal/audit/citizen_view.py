"""(being written) Kuka on käsitellyt tietojani: the citizen's view of the access log."""

from flask import Blueprint

blueprint = Blueprint("access_log", __name__)
