"""Self-booking through /api/v1, with an exhibitor's own token: hold free booths, then confirm them."""
from flask import jsonify

from ...api import current_api_user, form_input, route, schema
from ...forms import submit_json
from ...timeutil import to_local
from ..applications import services
from . import services as selfbooking
from .forms import PickForm

_STRING = {"type": "string"}
PICK_INPUT = form_input(PickForm, name="BoothPick")
SELECTION = schema("BoothSelection", {"type": "object", "properties": {
    "booths": {"type": "array", "items": _STRING},
    "held_until": {"type": "string", "format": "date-time", "nullable": True,
                   "description": "Null once confirmed"}}})


def _selection_json(selection) -> dict:
    return {"booths": list(selection.booth_codes),
            "held_until": to_local(selection.held_until).isoformat() if selection.held_until else None}


@route("/exhibitor/applications/<int:application_id>/hold", "POST",
       summary="Exhibitor: hold free booths for your approved application (self-booking)", tags=["booths"],
       body=PICK_INPUT, response=SELECTION)
def hold_booths(application_id):
    user = current_api_user()
    exhibitor = services.require_exhibitor(user)
    selection = submit_json(PickForm, lambda form: selfbooking.hold(application_id, exhibitor.id, form.booth_ids.data,
                                                                    actor_user_id=user.id))
    return jsonify(_selection_json(selection))


@route("/exhibitor/applications/<int:application_id>/confirm", "POST",
       summary="Exhibitor: confirm the booths you hold", tags=["booths"], response=SELECTION)
def confirm_booths(application_id):
    user = current_api_user()
    exhibitor = services.require_exhibitor(user)
    return jsonify(_selection_json(selfbooking.confirm(application_id, exhibitor.id, actor_user_id=user.id)))
