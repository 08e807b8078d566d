"""create_app(): configuration, extensions and blueprints, nothing else."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from portal import i18n
from portal.auth import sessions
from portal.config import ROOT, load_config
from portal.db import db
from portal.notify import delivery
from portal.questionnaires import registry
from portal.text import text_to_html

migrate = Migrate()
csrf = CSRFProtect()


def create_app(
    overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> Flask:
    config = load_config(environ)
    app = Flask(
        "portal",
        root_path=str(ROOT / "portal"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config.flask_settings())
    app.config.update(overrides or {})
    if app.config["PORTAL"]["OIDC_INSECURE_TRANSPORT"] == "1":
        # authlib refuses plain-http token endpoints otherwise; only the local provider needs it.
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    i18n.init_app(app)
    sessions.init_app(app)
    registry.init_app(app)
    delivery.init_app(app)
    app.add_template_filter(text_to_html, "text_html")

    from portal import models  # noqa: F401  (registers every table on the metadata)
    from portal.alkupalvelu.routes import blueprint as staff_blueprint
    from portal.audit.citizen_view import blueprint as access_log_blueprint
    from portal.auth.access import template_context
    from portal.auth.keepalive import blueprint as keepalive_blueprint
    from portal.auth.views import blueprint as auth_blueprint
    from portal.cli import register_commands
    from portal.errors import register_error_handlers
    from portal.health import blueprint as health_blueprint
    from portal.intake.confirming import blueprint as confirming_blueprint
    from portal.intake.consents import blueprint as consents_blueprint
    from portal.intake.filling import blueprint as filling_blueprint
    from portal.intake.my_case import blueprint as my_case_blueprint
    from portal.intake.results import blueprint as results_blueprint
    from portal.intake.views import blueprint as intake_blueprint
    from portal.pages import blueprint as pages_blueprint

    app.register_blueprint(health_blueprint)
    app.register_blueprint(auth_blueprint)
    app.register_blueprint(keepalive_blueprint)
    app.register_blueprint(intake_blueprint)
    app.register_blueprint(filling_blueprint)
    app.register_blueprint(confirming_blueprint)
    app.register_blueprint(consents_blueprint)
    app.register_blueprint(results_blueprint)
    app.register_blueprint(my_case_blueprint)
    app.register_blueprint(access_log_blueprint)
    app.register_blueprint(staff_blueprint, url_prefix="/henkilosto")
    app.register_blueprint(pages_blueprint)
    register_error_handlers(app)
    register_commands(app)
    app.context_processor(template_context)

    logging.getLogger("portal").setLevel(logging.INFO)
    return app
