"""Flask commands: `flask --app portal.wsgi seed-demo` and friends."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import select

from portal import demo
from portal.alkupalvelu.models import Municipality, RoutingRule, StaffMember, Team
from portal.auth.sessions import prune_expired
from portal.db import db
from portal.questionnaires import ask_once
from portal.questionnaires.registry import all_questionnaires


def seed_demo_data() -> None:
    """Teams, municipalities, routing rules and staff from portal.demo; safe to run again."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    for code, name in demo.MUNICIPALITIES:
        if db.session.get(Municipality, code) is None:
            db.session.add(Municipality(code=code, name=name))
    teams: dict[str, Team] = {}
    for spec in demo.TEAMS:
        team = db.session.scalars(select(Team).where(Team.slug == spec["slug"])).first()
        if team is None:
            team = Team(slug=spec["slug"])
            db.session.add(team)
        team.name, team.email = spec["name"], spec["email"]
        team.is_central = spec.get("central", False)
        team.contact_working_days = int(current_app.config["PORTAL"]["CONTACT_WORKING_DAYS"])
        teams[spec["slug"]] = team
    db.session.flush()
    for spec in demo.TEAMS:
        for code in spec["municipalities"]:
            rule = db.session.scalars(
                select(RoutingRule).where(
                    RoutingRule.municipality_code == code,
                    RoutingRule.questionnaire_id.is_(None),
                    RoutingRule.flag_id.is_(None),
                    RoutingRule.retired_at.is_(None),
                )
            ).first()
            if rule is None:
                db.session.add(
                    RoutingRule(
                        municipality_code=code,
                        team_id=teams[spec["slug"]].id,
                        reason="Demo data (flask seed-demo)",
                    )
                )
    for spec in demo.STAFF:
        staff = db.session.scalars(
            select(StaffMember).where(StaffMember.oidc_sub == spec["sub"])
        ).first()
        if staff is None:
            staff = StaffMember(oidc_sub=spec["sub"])
            db.session.add(staff)
        staff.name, staff.roles = spec["name"], list(spec["roles"])
        staff.team_id = teams[spec["team"]].id
    db.session.commit()


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option(
        "--with-cases", is_flag=True, help="Also send demo citizens' forms (a queue to look at)."
    )
    def seed_demo(with_cases: bool) -> None:
        """Load demo teams, municipalities, routing rules and staff (not in production)."""
        seed_demo_data()
        click.echo(f"Demo data ready: {len(demo.TEAMS)} teams, {len(demo.STAFF)} staff members.")
        if with_cases:
            from portal.demo_cases import seed_demo_cases

            click.echo(f"Demo cases: {seed_demo_cases()} forms sent.")

    @app.cli.command("ask-once-report")
    def ask_once_report() -> None:
        """Items on the paper forms versus distinct questions asked, from the definitions."""
        for line in ask_once.report(all_questionnaires()).lines():
            click.echo(line)

    @app.cli.command("send-outbox")
    @click.option("--limit", default=500, show_default=True, help="Most messages to try.")
    def send_outbox(limit: int) -> None:
        """Deliver pending e-mails from the outbox (run from cron or a scheduled job)."""
        from portal.notify import delivery

        report = delivery.deliver(limit=limit)
        waiting, given_up = delivery.pending_counts()
        click.echo(f"Sent {report.sent} e-mails, {report.failed} failed; {waiting} pending.")
        if given_up:
            click.echo(
                f"{given_up} e-mails failed {delivery.MAX_ATTEMPTS} times and are no longer "
                "tried: see docs/notifications.md.",
                err=True,
            )
        if report.failed:
            raise SystemExit(1)  # a scheduler shows the run as failed: someone should look

    @app.cli.command("prune-sessions")
    def prune_sessions() -> None:
        """Delete expired login sessions (run from cron or a scheduled job)."""
        click.echo(f"Deleted {prune_expired()} expired sessions.")
