"""Administration: accounts (roles, territories, deactivation) and the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import audit, clock, team
from webui.admin.forms import DeactivateForm, NewUserForm, RoleForm, TerritoryFields, TerritoryForm
from webui.auth.session import actor
from webui.forms import refusals_shown_on
from webui.security import attachment

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/utilisateurs", methods=["GET", "POST"])
def users_index():
    accounts = team.list_users(actor())
    form = NewUserForm()
    with refusals_shown_on(form):
        if form.validate_on_submit() and not form.searching():
            team.create_user(
                actor(),
                form.email.data,
                form.display_name.data,
                form.password.data,
                form.role.data,
                form.territory.data or [],
            )
            flash("Compte créé.", "success")
            return redirect(url_for("admin.users_index"))
    return render_template("admin/users.html", accounts=accounts, form=form, picker=_picker(form))


@bp.route("/utilisateurs/<user_uid>", methods=["GET", "POST"])
def user_detail(user_uid: str):
    account = team.get_user(actor(), user_uid)
    role_form = RoleForm(prefix="role", data={"role": account["role"]})
    territory_form = TerritoryForm(
        prefix="territory",
        data={"territory": [t["code"] for t in account["territory"]]},
        formdata=_posted("territory"),
    )
    with refusals_shown_on(role_form):
        if role_form.submit_ok():
            team.set_role(actor(), user_uid, role_form.role.data)
            flash("Rôle modifié.", "success")
            return redirect(url_for("admin.user_detail", user_uid=user_uid))
    with refusals_shown_on(territory_form):
        if territory_form.submit_ok() and not territory_form.searching():
            team.set_territory(actor(), user_uid, territory_form.territory.data or [])
            flash("Territoire modifié.", "success")
            return redirect(url_for("admin.user_detail", user_uid=user_uid))
    return render_template(
        "admin/user.html",
        account=account,
        role_form=role_form,
        territory_form=territory_form,
        picker=_picker(territory_form),
        deactivate_form=DeactivateForm(formdata=None),
    )


@bp.route("/utilisateurs/<user_uid>/desactiver", methods=["POST"])
def deactivate(user_uid: str):
    form = DeactivateForm()
    team.deactivate_user(actor(), user_uid, confirmed=bool(form.confirm.data))
    flash("Compte désactivé : ses sessions sont fermées.", "success")
    return redirect(url_for("admin.user_detail", user_uid=user_uid))


@bp.route("/territoires.json")
def territory_units():
    """Suggestions of the territory picker (``static/js/territory-picker.js``)."""
    return {"items": team.find_units(actor(), request.args.get("q", ""))}


@bp.route("/journal")
def journal():
    filters = _journal_filters()
    page = audit.search(actor(), page=request.args.get("page", 1, type=int), **filters)
    return render_template(
        "admin/journal.html", page=page, filters=filters, args=request.args, actions=audit.ACTIONS
    )


@bp.route("/journal.csv")
def journal_csv():
    body = "\ufeff" + audit.export_csv(actor(), **_journal_filters())
    return attachment(body, "text/csv", "journal.csv")


def _journal_filters() -> dict:
    def day(name: str, end: bool = False) -> datetime | None:
        # A date that is not one, or so far off (0001-01-01) that it has no local time,
        # bounds nothing: the filter is left out.
        try:
            value = date.fromisoformat(request.args.get(name, ""))
            local = datetime.combine(value, time.max if end else time.min, clock.zone())
            return local.astimezone(UTC)  # days are the programme's (Africa/Casablanca)
        except (ValueError, OverflowError):
            return None

    return {
        "action": request.args.get("action") or None,
        "actor_email": (request.args.get("par") or "").strip().lower() or None,
        "since": day("du"),
        "until": day("au", end=True),
        "target_uid": (request.args.get("cible") or "").strip() or None,
    }


def _picker(form: TerritoryFields) -> dict:
    """The territory picker of ``form``: regions, chosen units, communes found."""
    return team.territory_picker(actor(), form.territory.data or [], form.territory_q.data)


def _posted(prefix: str):
    """The posted data if it is this form's (by its prefix): a territory left unposted keeps
    the account's, where an empty list would mean "none"."""
    if any(key.startswith(prefix + "-") for key in request.form):
        return request.form
    return None
