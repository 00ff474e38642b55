"""GET /api/v1/outbox: the platform admins read the outbox by recipient, channel and status."""
from flask import jsonify, request

from ..api import PAGINATION_PARAMS, current_api_user, page_json, page_schema, query_param, route, schema
from ..errors import PermissionDenied
from ..pagination import paginate
from ..params import enum_arg
from .models import Channel, OutboxMessage, OutboxStatus
from .services import outbox_query

MESSAGE = schema("OutboxMessage", {
    "type": "object",
    "required": ["id", "channel", "recipient", "status", "template", "attempts", "provider_id", "last_error"],
    "properties": {
        "id": {"type": "integer"},
        "channel": {"type": "string", "enum": [c.value for c in Channel]},
        "recipient": {"type": "string"},
        "status": {"type": "string", "enum": [s.value for s in OutboxStatus]},
        "template": {"type": "string", "nullable": True, "description": "Template name; null for a ready e-mail"},
        "kind": {"type": "string", "enum": ["service", "marketing"]},
        "event_id": {"type": "integer", "nullable": True},
        "attempts": {"type": "integer"},
        "provider_id": {"type": "string", "nullable": True},
        "last_error": {"type": "string", "nullable": True},
        "routed_from": {"type": "string", "nullable": True, "description": "zns when ZNS could not deliver it"},
        "delivery_status": {"type": "string", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"},
        "sent_at": {"type": "string", "nullable": True, "format": "date-time"},
    },
})


def message_json(message: OutboxMessage) -> dict:
    return {"id": message.id, "channel": message.channel.value, "recipient": message.recipient,
            "status": message.status.value, "template": message.template or (message.reference or None),
            "kind": message.kind.value, "event_id": message.event_id, "attempts": message.attempts,
            "provider_id": message.provider_id, "last_error": message.last_error,
            "routed_from": message.routed_from, "delivery_status": message.delivery_status,
            "created_at": message.created_at.isoformat(),
            "sent_at": message.sent_at.isoformat() if message.sent_at else None}


@route("/outbox", "GET", summary="Outbox messages on every channel (platform admins)", tags=["outbox"],
       response=page_schema("OutboxPage", MESSAGE),
       query=[query_param("recipient", "E-mail address or phone number"),
              query_param("channel", "Channel", enum=[c.value for c in Channel]),
              query_param("status", "Status", enum=[s.value for s in OutboxStatus])] + PAGINATION_PARAMS)
def list_outbox():
    if not current_api_user().is_platform_admin:
        raise PermissionDenied()
    query = outbox_query(status=enum_arg(request.args, "status", OutboxStatus, strict=True),
                         channel=enum_arg(request.args, "channel", Channel, strict=True),
                         recipient=request.args.get("recipient"))
    return jsonify(page_json(paginate(query, 50), message_json))
