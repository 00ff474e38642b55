"""The OpenAPI document says exactly what the server does: headers and parameters declared, real error answers
instead of `default`, `required` on response fields, bounds in the schemas; schemathesis against the real server
(gunicorn, the demo province's data) with its checks finds nothing."""
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from openapi_spec_validator import validate

from eventhub.accounts import services as accounts
from eventhub.accounts.models import User
from eventhub.demo import load_demo_data
from eventhub.extensions import db
from tests.support.server import gunicorn_server

ST = Path(sys.executable).parent / "st"
# Business rules between fields (an end after its start, a booth inside its hall) are no JSON Schema: a request
# valid by the document may still be refused with a 4xx, which is what positive_data_acceptance reports.
EXCLUDED_CHECKS = "positive_data_acceptance"


def test_the_document_is_valid_and_declares_headers_errors_and_required_fields(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    operations = [(path, method, operation) for path, methods in document["paths"].items()
                  for method, operation in methods.items()]
    assert [op for _, _, op in operations if "default" in op["responses"]] == []
    assert all({"404", "422"} <= set(op["responses"]) for _, _, op in operations)
    ticket = [(path, [p["name"] for p in op["parameters"] if p["in"] == "header"])
              for path, _, op in operations if path == "/ticket" or path.startswith("/ticket/")]
    assert ticket and all(headers == ["X-Ticket-Key"] for _, headers in ticket)
    scan = document["paths"]["/checkin/lists/{list_id}/scan"]["post"]
    assert {p["name"]: p["schema"] for p in scan["parameters"]}["X-Gate"] == {"type": "string", "maxLength": 60}
    requests = {body["content"]["application/json"]["schema"].get("$ref", "").rsplit("/", 1)[-1]
                for _, _, op in operations if (body := op.get("requestBody"))}
    objects = {name: definition for name, definition in document["components"]["schemas"].items()
               if definition.get("type") == "object" and definition.get("properties") and name not in requests
               and not name.endswith("Input")}
    assert [name for name, definition in objects.items() if not definition.get("required")] == []
    event = document["components"]["schemas"]["EventInput"]["properties"]["title"]
    assert event["minLength"] == 1 and event["pattern"] == r"\S" and event["maxLength"] > 0


def test_schemathesis_finds_nothing_against_the_real_server(app, database_url, tmp_path):
    load_demo_data()
    organiser = db.session.scalar(sa.select(User).where(User.email == "tochuc@skhcn.daklak.gov.vn"))
    token, _ = accounts.issue_api_token(organiser.id, "schemathesis")
    with gunicorn_server(database_url, workers=2, threads=4, env={"SECRET_KEY": app.config["SECRET_KEY"]}) as url:
        result = subprocess.run(
            [str(ST), "run", f"{url}/api/v1/openapi.json", "--checks", "all", "--exclude-checks", EXCLUDED_CHECKS,
             "--phases", "examples,fuzzing", "--max-examples", "5", "--seed", "20261204", "--workers", "2",
             "-H", f"Authorization: Bearer {token}", "--no-color"],
            capture_output=True, text=True, timeout=540, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
