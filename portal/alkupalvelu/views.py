"""The staff door's inbox: the team's client cases by tab, filtered, searched and paged.

Every row shown is a read of a client's name, age, forms and flags, so each one is written to
the audit log. Leads also move cases to a colleague in bulk (e.g. an absent colleague's
whole queue) from the same page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.alkupalvelu import inbox as inbox_query
from portal.alkupalvelu.access import can, requires, team_case_or_404, team_colleagues
from portal.alkupalvelu.blueprint import blueprint
from portal.alkupalvelu.inbox import NURSE_QUESTIONNAIRES, SORTS, TABS, Filters, only_nurse
from portal.alkupalvelu.labels import STATUS, TAB
from portal.alkupalvelu.models import Municipality, StaffMember
from portal.audit.staff import staff_access, staff_list_access
from portal.auth.access import current_staff
from portal.cases import workflow
from portal.cases.client_case import Status
from portal.cases.deadlines import helsinki_today
from portal.db import db
from portal.questionnaires import registry

MAX_QUERY = 100
SORT_LABEL = {
    "due": _l("Yhteydenoton määräpäivä, kiireellisin ensin"),
    "newest": _l("Uusin ensin"),
    "oldest": _l("Vanhin ensin"),
}
CLOSED_SORT_LABEL = _l("Viimeksi päättynyt ensin")
SEARCH_SORT_LABEL = _l("Uusin ensin")


class BulkReassignForm(FlaskForm):
    to = SelectField(
        _l("Kenelle valitut asiat siirretään"),
        validators=[DataRequired(message=_l("Valitse työntekijä, jolle asiat siirretään."))],
    )
    reason = StringField(
        _l("Syy (vapaaehtoinen)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Kirjoita syy enintään 500 merkillä.")),
        ],
    )
    # The inbox's query string, so the lead lands back on the same tab, filters and page.
    back = HiddenField()


@dataclass(frozen=True)
class Choices:
    """What the filter form offers; a value not offered here is ignored, not an error."""

    flags: dict[str, str]
    questionnaires: dict[str, str]
    municipalities: dict[str, str]
    colleagues: list[StaffMember]

    @classmethod
    def for_staff(cls, staff: StaffMember) -> Choices:
        nurse = only_nurse(staff)
        flags: dict[str, str] = {}
        questionnaires: dict[str, str] = {}
        for q in registry.all_questionnaires().values():
            if nurse and q.id not in NURSE_QUESTIONNAIRES:
                continue
            questionnaires[q.id] = q.short_title or q.title
            if not nurse:  # a nurse sees no triage flags, so cannot filter by them either
                for flag in q.flags:
                    flags.setdefault(flag.id, flag.label)
        municipalities = {
            m.code: m.name
            for m in db.session.scalars(select(Municipality).order_by(Municipality.name))
        }
        return cls(flags, questionnaires, municipalities, team_colleagues(staff))


@dataclass(frozen=True)
class InboxArgs:
    """The inbox's query string, cleaned."""

    tab: str = "unassigned"
    sort: str = "due"
    after: str | None = None
    filters: Filters = field(default_factory=Filters)
    select_all: bool = False

    @classmethod
    def parse(cls, args: MultiDict[str, str], choices: Choices) -> InboxArgs:
        def pick(name: str, allowed: Any) -> str | None:
            value = (args.get(name) or "").strip()
            return value if value in allowed else None

        assignee = pick("assignee", {str(m.id) for m in choices.colleagues})
        return cls(
            tab=pick("tab", TABS) or "unassigned",
            sort=pick("sort", SORTS) or "due",
            after=(args.get("after") or "").strip()[:200] or None,
            filters=Filters(
                status=pick("status", STATUS),
                flag=pick("flag", choices.flags),
                questionnaire=pick("questionnaire", choices.questionnaires),
                municipality=pick("municipality", choices.municipalities),
                assignee=int(assignee) if assignee else None,
                overdue=args.get("overdue") == "1",
                query=(args.get("q") or "").strip()[:MAX_QUERY],
            ),
            select_all=args.get("valitse") == "kaikki",
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """The non-empty arguments for a link; `changes` override (None drops one)."""
        f = self.filters
        values: dict[str, Any] = {
            "tab": self.tab,
            "status": f.status,
            "flag": f.flag,
            "questionnaire": f.questionnaire,
            "municipality": f.municipality,
            "assignee": f.assignee,
            "overdue": "1" if f.overdue else None,
            "q": f.query,
            "sort": None if self.sort == "due" else self.sort,
            "after": self.after,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def _option_items(
    values: dict[str, Any], selected: Any, empty: str, *, translate: bool = False
) -> list[dict[str, Any]]:
    items = [{"value": "", "text": empty}]
    for value, text in values.items():
        label = gettext(text) if translate else str(text)
        items.append({"value": value, "text": label, "selected": value == selected})
    return items


def _render_inbox(
    staff: StaffMember,
    args: MultiDict[str, str],
    *,
    form: BulkReassignForm | None = None,
    errors: list[dict[str, str]] | None = None,
    selected: set[str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    choices = Choices.for_staff(staff)
    view = InboxArgs.parse(args, choices)
    today = helsinki_today()
    result = inbox_query.page(
        staff,
        view.tab,
        view.filters,
        sort=view.sort,
        after=view.after,
        today=today,
        page_size=inbox_query.PAGE_SIZE,
    )
    counts = inbox_query.tab_counts(staff, today)
    nurse = only_nurse(staff)
    what = "name, age, forms" if nurse else "name, age, forms, flags"
    # A search hit is its own action: the citizen's log says they were found by a search.
    # The search text itself is not logged (it may be an identity code).
    action = "inbox.searched" if result.searching else "inbox.listed"
    staff_list_access(
        staff, action, [(row.case.person_id, row.case.id) for row in result.rows], what=what
    )

    may_reassign = can(staff, "reassign")
    if may_reassign and form is None:
        form = BulkReassignForm(formdata=None)
    if form is not None:
        form.to.choices = [("", "")] + [(str(m.id), m.name) for m in choices.colleagues]
        form.back.data = urlencode(view.params())
    f = view.filters
    if result.searching:
        sort_label = SEARCH_SORT_LABEL if view.sort == "due" else SORT_LABEL[view.sort]
    elif view.tab == "closed" and view.sort == "due":
        sort_label = CLOSED_SORT_LABEL
    else:
        sort_label = SORT_LABEL[view.sort]
    html = render_template(
        "alkupalvelu/inbox.html",
        staff=staff,
        today=today,
        view=view,
        page=result,
        counts=counts,
        tabs=[(tab, TAB[tab]) for tab in TABS],
        tab_label=TAB[view.tab],
        nurse=nurse,
        flag_labels=choices.flags,
        questionnaire_labels=choices.questionnaires,
        status_labels=STATUS,
        sort_label=sort_label,
        status_items=_option_items(STATUS, f.status, _l("Kaikki tilat"), translate=True),
        flag_items=_option_items(choices.flags, f.flag, _l("Kaikki huomiot"), translate=True),
        questionnaire_items=_option_items(
            choices.questionnaires, f.questionnaire, _l("Kaikki lomakkeet"), translate=True
        ),
        municipality_items=_option_items(
            choices.municipalities, f.municipality, _l("Kaikki kunnat")
        ),
        assignee_items=_option_items(
            {str(m.id): m.name for m in choices.colleagues},
            str(f.assignee) if f.assignee else None,
            _l("Kaikki käsittelijät"),
        ),
        sort_items=[
            {
                "value": value,
                "text": (
                    CLOSED_SORT_LABEL
                    if value == "due" and view.tab == "closed" and not result.searching
                    else SORT_LABEL[value]
                ),
                "selected": value == view.sort,
            }
            for value in SORTS
            # A search lists the newest first; the contact date order belongs to the tabs.
            if not (value == "due" and result.searching)
        ],
        next_url=(
            url_for("alkupalvelu.inbox", **view.params(after=result.next_cursor))
            if result.next_cursor
            else None
        ),
        first_url=url_for("alkupalvelu.inbox", **view.params(after=None)) if view.after else None,
        clear_url=url_for("alkupalvelu.inbox", tab=view.tab),
        select_all_url=url_for("alkupalvelu.inbox", **view.params(valitse="kaikki")),
        tab_url=lambda tab: url_for(
            "alkupalvelu.inbox", **view.params(tab=tab, after=None, q=None)
        ),
        case_links="alkupalvelu.case" in current_app.view_functions,
        may_reassign=may_reassign,
        form=form,
        errors=errors or [],
        selected=selected or set(),
    )
    # Committed after rendering: a commit expires the loaded rows and the template would reload
    # each one (bench/: ~90 extra queries a page). The records still commit before the response.
    db.session.commit()
    return html, status


@blueprint.get("/")
@requires("read")
def inbox() -> tuple[str, int]:
    return _render_inbox(current_staff(), request.args)


def _case_ids(raw: list[str]) -> list[uuid.UUID]:
    ids = set()
    for value in raw:
        try:
            ids.add(uuid.UUID(value))
        except ValueError:
            continue
    # Locked in a fixed order, so two leads moving overlapping sets cannot deadlock.
    return sorted(ids)


@blueprint.post("/siirra")
@requires("reassign")
def bulk_reassign() -> Response | tuple[str, int]:
    staff = current_staff()
    form = BulkReassignForm()
    colleagues = {str(m.id): m for m in team_colleagues(staff)}
    form.to.choices = [("", "")] + [(key, m.name) for key, m in colleagues.items()]
    back = MultiDict(parse_qsl(form.back.data or "", keep_blank_values=False))
    ids = _case_ids(request.form.getlist("asiat"))
    errors: list[dict[str, str]] = []
    if not ids:
        errors.append({"text": _l("Valitse vähintään yksi asia siirrettäväksi."), "href": "#asiat"})
    if not form.validate():
        for wanted in (form.to, form.reason):
            errors += [{"text": str(m), "href": f"#{wanted.id}"} for m in wanted.errors]
    if errors:
        return _render_inbox(
            staff,
            back,
            form=form,
            errors=errors,
            selected={str(i) for i in ids},
            status=400,
        )
    to = colleagues[form.to.data]
    reason = (form.reason.data or "").strip() or None
    moved = 0
    for case_id in ids:
        case = team_case_or_404(case_id, for_update=True)
        if case.status == Status.CLOSED or case.assignee_id == to.id:
            continue  # nothing to move: closed cases are not worked, and it is theirs already
        workflow.reassign(case, staff, to, reason)
        staff_access(
            staff,
            "case.reassigned",
            what="assignee",
            person_id=case.person_id,
            case_id=case.id,
            to=to.id,
        )
        moved += 1
    db.session.commit()
    flash(
        ngettext(
            "%(num)d asia siirrettiin työntekijälle %(name)s.",
            "%(num)d asiaa siirrettiin työntekijälle %(name)s.",
            moved,
            name=to.name,
        )
        if moved
        else _l("Valitut asiat olivat jo työntekijällä %(name)s tai päättyneitä.", name=to.name),
        "success" if moved else "info",
    )
    params = InboxArgs.parse(back, Choices.for_staff(staff)).params(after=None)
    return redirect(url_for("alkupalvelu.inbox", **params))
