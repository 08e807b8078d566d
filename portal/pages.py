"""Static information pages: the accessibility statement and the privacy notice."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("pages", __name__)


@blueprint.get("/saavutettavuus")
def accessibility() -> str:
    return render_template("pages/accessibility.html")


@blueprint.get("/tietosuoja")
def privacy() -> str:
    return render_template("pages/privacy.html")
