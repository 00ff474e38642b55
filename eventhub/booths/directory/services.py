"""The exhibitor directory of a published plan: who is in which booth with which products, a search by
exhibitor, product or product group that ignores diacritics, and the printable PDF."""
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ...extensions import db
from ...text import search_key
from ..allocation.models import BoothAssignment
from ..applications.models import BoothApplication, Exhibitor, ExhibitorProduct, ProductGroup
from ..floorplan.models import Booth, FloorPlan


@dataclass
class Product:
    name: str
    group: ProductGroup
    ocop_stars: int | None


@dataclass
class Entry:
    application_id: int
    exhibitor_name: str
    kind_label: str
    locality: str
    booth_ids: list[int] = field(default_factory=list)
    booth_codes: list[str] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)


def _groups_matching(word: str) -> list[ProductGroup]:
    return [g for g in ProductGroup if word == g.value or word in search_key(str(g.label)).split()]


def _matches(words: list[str]):
    """Every word of the query appears in the exhibitor's name, one of its products, or a product group."""
    conditions = []
    for word in words:
        product = sa.select(ExhibitorProduct.id).where(ExhibitorProduct.application_id == BoothApplication.id)
        groups = _groups_matching(word)
        product_match = ExhibitorProduct.search_key.contains(word, autoescape=True)
        if groups:
            product_match = sa.or_(product_match, ExhibitorProduct.product_group.in_(groups))
        conditions.append(sa.or_(Exhibitor.name_key.contains(word, autoescape=True),
                                 product.where(product_match).exists()))
    return sa.and_(*conditions)


def directory(plan_id: int, q: str | None = None) -> list[Entry]:
    """Confirmed exhibitors of the plan (holds not yet confirmed are left out), by first booth code;
    with `q`, only those that match it."""
    query = (sa.select(BoothApplication.id, Exhibitor, Booth.id, Booth.code)
             .join(BoothAssignment, BoothAssignment.application_id == BoothApplication.id)
             .join(Booth, Booth.id == BoothAssignment.booth_id)
             .join(Exhibitor, Exhibitor.id == BoothApplication.exhibitor_id)
             .where(Booth.plan_id == plan_id, BoothAssignment.held_until.is_(None))
             .order_by(Booth.code))
    words = search_key(q or "").split()
    if words:
        query = query.where(_matches(words))
    entries: dict[int, Entry] = {}
    for application_id, exhibitor, booth_id, code in db.session.execute(query):
        entry = entries.get(application_id)
        if entry is None:
            locality = ", ".join(filter(None, [exhibitor.sub_unit, exhibitor.province]))
            entry = entries[application_id] = Entry(application_id, exhibitor.name, str(exhibitor.kind.label),
                                                    locality)
        entry.booth_ids.append(booth_id)
        entry.booth_codes.append(code)
    if entries:
        products = db.session.scalars(sa.select(ExhibitorProduct)
                                      .where(ExhibitorProduct.application_id.in_(entries))
                                      .order_by(ExhibitorProduct.id))
        for product in products:
            entries[product.application_id].products.append(
                Product(product.name, product.product_group, product.ocop_stars))
    return list(entries.values())


def stars(count: int | None) -> str:
    return "★" * count if count else ""


def directory_pdf(plan: FloorPlan, entries: list[Entry], map_svg: str) -> bytes:
    """A4 portrait: title, the map, then one row per exhibitor with booth, products and OCOP stars."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from ...i18n import format_datetime

    event = plan.event
    fonts = current_app.static_folder + "/vendor/dejavu"
    pdf = FPDF(format="A4")
    pdf.set_title(_("Danh bạ gian hàng — %(title)s", title=event.title))
    # The map's SVG names its font "DejaVu Sans"; the table uses the same family.
    pdf.add_font("DejaVu Sans", "", f"{fonts}/DejaVuSans.ttf")
    pdf.add_font("DejaVu Sans", "B", f"{fonts}/DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu Sans", "B", 15)
    pdf.multi_cell(0, 8, _("Danh bạ gian hàng"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu Sans", "B", 12)
    pdf.multi_cell(0, 7, event.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu Sans", "", 10)
    pdf.multi_cell(0, 6, f"{format_datetime(event.starts_at)} · {event.venue_name}", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.image(io.BytesIO(map_svg.encode()), x=pdf.l_margin, w=pdf.epw)
    pdf.ln(4)
    pdf.set_font("DejaVu Sans", "", 9)
    if not entries:
        pdf.multi_cell(0, 6, _("Chưa có đơn vị nào được xếp gian hàng."), new_x="LMARGIN", new_y="NEXT")
    else:
        with pdf.table(col_widths=(18, 62, 110), headings_style=FontFace(emphasis="BOLD"), line_height=5) as table:
            table.row([_("Gian"), _("Đơn vị"), _("Sản phẩm")])
            for entry in entries:
                products = "\n".join(
                    " · ".join(filter(None, [p.name, str(p.group.label), stars(p.ocop_stars) and
                                             f"OCOP {stars(p.ocop_stars)}"])) for p in entry.products)
                table.row([", ".join(entry.booth_codes),
                           "\n".join(filter(None, [entry.exhibitor_name, entry.kind_label, entry.locality])),
                           products])
    return bytes(pdf.output())
