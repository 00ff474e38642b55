"""Booth labels in the directory PDF's map: measured with the PDF's font, centred, shortened to fit their booth."""
import io
import xml.etree.ElementTree as ET

from pypdf import PdfReader

from eventhub.booths.directory.views import public_svg
from eventhub.booths.floorplan.svg import fitted_lines, text_width
from tests.booths.test_public import fair, map_url  # noqa: F401 (fair is a fixture)

SVG = "{http://www.w3.org/2000/svg}"


def test_fitted_lines_sweep(app):
    cases = [  # (text, width px, font px, lines) → expected lines
        (("HTX Cà phê", 200, 10, 2), ["HTX Cà phê"]),
        (("HTX Nông nghiệp Cà phê Buôn Ma Thuột", 56, 9.6, 3), ["HTX Nông", "nghiệp Cà", "phê Buôn…"]),
        (("Siêuthịnôngsảnsạchđắklắk", 40, 10, 2), ["Siêut…"]),
        (("", 60, 10, 2), []),
        (("Trà", 3, 10, 1), []),  # not even one letter and its ellipsis fit: nothing rather than an overflow
    ]
    for (text, width, font, lines), expected in cases:
        got = fitted_lines(text, width, font, lines)
        assert got == expected, (text, got)
        assert all(text_width(line, font) <= width for line in got), text


def test_pdf_map_labels_are_centred_and_inside_their_booths(app, fair):  # noqa: F811
    root = ET.fromstring(str(public_svg(fair["plan"], for_pdf=True)))
    checked = 0
    for booth in root.iter(f"{SVG}g"):
        if "fp-booth" not in booth.get("class", "").split():
            continue
        body = booth.find(f"{SVG}rect")
        left, width = float(body.get("x")), float(body.get("width"))
        top, height = float(body.get("y")), float(body.get("height"))
        texts = booth.findall(f"{SVG}text")
        assert texts and all(t.find(f"{SVG}tspan") is None for t in texts)  # one <text> per line
        for text in texts:
            size, bold = float(text.get("font-size")), text.get("font-weight") == "bold"
            assert text.get("text-anchor") == "middle" and abs(float(text.get("x")) - (left + width / 2)) < 0.01
            assert text_width(text.text, size, bold) <= width - 4, text.text
            assert top < float(text.get("y")) <= top + height, text.text
            checked += 1
    assert checked >= 8  # five codes and the named booths' lines
    names = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "fp-booth__name"]
    assert any(n.endswith("…") for n in names) and "HTX Nông" in names


def test_the_pdf_carries_the_shortened_labels(client, fair):  # noqa: F811
    response = client.get(f"{map_url(fair)}/directory.pdf")
    first_page = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "HTX Nông" in first_page and "…" in first_page
