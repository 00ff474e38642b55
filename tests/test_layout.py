"""The package layout the README describes: imports run one way between modules, and file names say the layer or
the capability, never both."""
import ast
import re
from pathlib import Path

import eventhub

PACKAGE = Path(eventhub.__file__).parent
# A module may import the modules of lower tiers; within a tier only the pairs listed in PEERS.
TIERS = [{"accounts", "mail"}, {"events"}, {"registration", "booths", "scheduling", "competitions"}, {"checkin"},
         {"broadcasts"},
         {"certificates"}, {"reports"}]
PEERS = {("scheduling", "registration"),  # session sign-up is for registered participants
         ("mail", "accounts"),  # the outbox alerts the platform admins
         ("accounts", "mail")}  # the forgotten-password link goes out through the outbox
LAYERS = ("models", "services", "forms", "views", "api")


def _tier(module: str) -> int | None:
    return next((i for i, tier in enumerate(TIERS) if module in tier), None)


def _imported_modules(path: Path, package: Path) -> set[str]:
    """The eventhub modules a file imports, relative or absolute, at the top or inside a function."""
    depth = len(path.relative_to(package).parts)  # dots that lead from this file to eventhub/
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level == depth and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == depth and not node.module:
                found.update(alias.name for alias in node.names)
            elif node.level == 0 and (node.module or "").startswith("eventhub."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("eventhub."))
    return found


def upward_imports(package: Path = PACKAGE) -> list[str]:
    wrong = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        own = _tier(parts[0]) if len(parts) > 1 else None
        if own is None:
            continue  # the app factory, jobs, cli and shared helpers may import any module
        for other in sorted(_imported_modules(path, package) - {parts[0]}):
            tier = _tier(other)
            if tier is not None and (tier > own or (tier == own and (parts[0], other) not in PEERS)):
                wrong.append(f"{path.relative_to(package)} imports {other}")
    return wrong


def mixed_names(package: Path = PACKAGE) -> list[str]:
    mixed = re.compile(rf"^[a-z]+_({'|'.join(LAYERS)}|service|view|form)\.py$")
    return sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                  if len(p.relative_to(package).parts) > 1 and mixed.match(p.name))


def test_modules_import_only_the_modules_below_them():
    assert upward_imports() == []


def test_file_names_are_a_layer_or_a_capability_not_both():
    assert mixed_names() == []


def test_the_checks_see_an_upward_import_and_a_mixed_name(tmp_path):
    (tmp_path / "booths" / "floorplan").mkdir(parents=True)
    (tmp_path / "booths" / "floorplan" / "badges.py").write_text(
        "from ...checkin.badges import BadgeWriter\nfrom ..applications import services\n")
    (tmp_path / "scheduling").mkdir()
    (tmp_path / "scheduling" / "views.py").write_text(
        "def page():\n    from ..checkin import services\n    from ..registration import services as r\n")
    (tmp_path / "registration").mkdir()
    (tmp_path / "registration" / "export_views.py").write_text("from eventhub.scheduling import ics\n")
    assert upward_imports(tmp_path) == ["booths/floorplan/badges.py imports checkin",
                                        "registration/export_views.py imports scheduling",
                                        "scheduling/views.py imports checkin"]
    assert mixed_names(tmp_path) == ["registration/export_views.py"]
