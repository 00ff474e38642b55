"""Self-booking through /api/v1, with an exhibitor's own token: hold free booths, then confirm them."""
from flask import jsonify
from flask_babel import lazy_gettext as _l

from ...api import current_api_user, json_body, route, schema
from ...errors import ValidationFailed
from ...timeutil import to_local
from ..applications import services
from . import services as selfbooking

_STRING = {"type": "string"}
_INTEGER = {"type": "integer"}
PICK_INPUT = schema("BoothPick", {"type": "object", "required": ["booth_ids"], "properties": {
    "booth_ids": {"type": "array", "items": _INTEGER, "description": "As many adjacent booths as requested"}}})
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
    booth_ids = json_body().get("booth_ids")
    if not isinstance(booth_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                                   and 0 < i < 2**31 for i in booth_ids):
        raise ValidationFailed({"booth_ids": [_l("Danh sách mã gian hàng không hợp lệ.")]})
    selection = selfbooking.hold(application_id, exhibitor.id, booth_ids, actor_user_id=user.id)
    return jsonify(_selection_json(selection))


@route("/exhibitor/applications/<int:application_id>/confirm", "POST",
       summary="Exhibitor: confirm the booths you hold", tags=["booths"], response=SELECTION)
def confirm_booths(application_id):
    user = current_api_user()
    exhibitor = services.require_exhibitor(user)
    return jsonify(_selection_json(selfbooking.confirm(application_id, exhibitor.id, actor_user_id=user.id)))
