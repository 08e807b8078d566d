"""The staff door's one blueprint; its views live in modules named after what they show."""

from flask import Blueprint

blueprint = Blueprint("alkupalvelu", __name__)
