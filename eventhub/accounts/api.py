from flask import jsonify

from ..api import current_api_user, route, schema

ME = schema("Me", {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "email": {"type": "string"}, "full_name": {"type": "string"},
        "is_platform_admin": {"type": "boolean"},
        "memberships": {"type": "array", "items": {"type": "object", "properties": {
            "organisation_id": {"type": "integer"}, "organisation_name": {"type": "string"},
            "role": {"type": "string", "enum": ["admin", "organiser", "checkin_staff"]}}}},
    },
})


@route("/me", "GET", summary="The account behind the token, with its organisations and roles",
       tags=["accounts"], response=ME)
def me():
    user = current_api_user()
    return jsonify({
        "id": user.id, "email": user.email, "full_name": user.full_name,
        "is_platform_admin": user.is_platform_admin,
        "memberships": [{"organisation_id": m.organisation_id, "organisation_name": m.organisation.name,
                         "role": m.role.value} for m in user.memberships],
    })
