"""The organiser's results, advancement, prizes, publication and nomination export; the public results."""
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ...forms import submit
from ..entries.services import competition_for_event
from ..entries.views import managed_competition
from ..judging.services import get_round
from ..views import bp
from . import services
from .forms import AdvanceForm, PrizeForm

bp.add_app_template_global(services.published_prizes, "competition_published_prizes")
bp.add_app_template_global(competition_for_event, "competition_for_event")


def _back(event_id):
    return redirect(url_for("competitions.manage", event_id=event_id))


@bp.route("/manage/events/<int:event_id>/competition/rounds/<int:round_id>/results", methods=["GET", "POST"])
@login_required
def round_results(event_id, round_id):
    event, competition = managed_competition(event_id)
    round_ = get_round(competition.id, round_id)
    results = services.round_results(round_)
    form = AdvanceForm()
    form.picks.choices = [(r.entry.id, r.entry.team_name) for r in results]
    chosen = submit(form, lambda f: services.advance(competition.id, round_.id, list(f.picks.data or []),
                                                     f.reason.data or ""))
    if chosen is not None:
        flash(_("Đã chọn %(count)d bài vào vòng sau.", count=len(chosen)), "success")
        return redirect(url_for("competitions.round_results", event_id=event.id, round_id=round_.id))
    return render_template("competitions/results.html", event=event, round=round_, results=results, form=form,
                           tie_break=services.TIE_BREAK, tied_on=services.TIED_ON_LABELS), \
        422 if form.errors else 200


@bp.post("/manage/events/<int:event_id>/competition/prizes")
@login_required
def award_prize(event_id):
    event, competition = managed_competition(event_id)
    from ..entries.services import list_entries
    form = PrizeForm().bind(list_entries(competition.id))
    if submit(form, lambda f: services.award_prize(competition.id, f.entry_id.data, f.kind.data)) is not None:
        flash(_("Đã trao giải."), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return _back(event.id)


@bp.post("/manage/events/<int:event_id>/competition/prizes/<int:prize_id>/delete")
@login_required
def remove_prize(event_id, prize_id):
    event, competition = managed_competition(event_id)
    services.remove_prize(competition.id, prize_id)
    flash(_("Đã bỏ giải."), "success")
    return _back(event.id)


@bp.post("/manage/events/<int:event_id>/competition/<action>")
@login_required
def publish(event_id, action):
    event, competition = managed_competition(event_id)
    if action not in ("publish", "unpublish"):
        abort(404)
    services.publish_results(competition.id, publish=action == "publish")
    flash(_("Đã công bố kết quả.") if action == "publish" else _("Đã thu hồi công bố kết quả."), "success")
    return _back(event.id)


@bp.get("/manage/events/<int:event_id>/competition/nomination.zip")
@login_required
def nomination(event_id):
    _event, competition = managed_competition(event_id)
    return Response(services.nomination_zip(competition.id), mimetype="application/zip",
                    headers={"Content-Disposition": "attachment; filename=ho-so-de-cu.zip"})


@bp.get("/competitions/<int:event_id>/results")
def public_results(event_id):
    competition = competition_for_event(event_id)
    if competition is None or not competition.event.is_visible_on_portal or competition.results_published_at is None:
        abort(404)
    return render_template("competitions/public_results.html", competition=competition,
                           prizes=services.list_prizes(competition.id))
