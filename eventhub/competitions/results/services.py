"""Results of a round (mean weighted score per entry, its spread, judges' outliers, the ranking with its tie-break),
advancement to the next round, prizes, published results, the winners for certificates and the nomination export."""
import io
import statistics
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from ...errors import DomainError, NotFound, ValidationFailed
from ...extensions import db
from ...lookup import get_owned
from ...spreadsheets import put_row
from ...timeutil import utcnow
from ..entries.models import Competition, Entry, EntryStatus
from ..entries.services import file_path, notify
from ..judging.models import AdvancementRule, Assignment, Round, RoundEntry, RoundStatus
from ..judging.services import get_round, list_rounds
from .models import Prize, PrizeKind

# With three judges or more, a judge's total is an outlier when it lies this share of the scale or more from the
# entry's median total.
OUTLIER_SHARE = 0.2
TIE_BREAK = _l("Bằng điểm trung bình thì xét điểm tiêu chí có trọng số cao nhất, rồi độ lệch giữa các giám khảo "
               "nhỏ hơn, rồi bài nộp sớm hơn.")


@dataclass
class JudgeScore:
    judge_id: int
    judge_name: str
    total: float
    outlier: bool = False


@dataclass
class EntryResult:
    entry: Entry
    mean: float | None
    spread: float | None  # population standard deviation of the judges' totals
    low: float | None
    high: float | None
    top_criterion: float | None  # mean score on the criterion weighted most (the first tie-break)
    judges: list[JudgeScore] = field(default_factory=list)
    missing: int = 0  # assignments not yet complete
    rank: int | None = None
    tied_on: str | None = None  # which tie-break decided against the entry above, if it was tied


def weighted_total(scores: dict[int, float], weights: dict[int, int]) -> float:
    return sum(scores[c] * w for c, w in weights.items()) / sum(weights.values())


def round_results(round_: Round) -> list[EntryResult]:
    """Every entry of the round, ranked; only once the round is closed (scores are blind while it is open)."""
    if round_.status != RoundStatus.CLOSED:
        raise DomainError("round_open", _l("Kết quả chỉ xem được khi vòng thi đã đóng."), status=409)
    weights = {c.id: c.weight for c in round_.criteria}
    top = max(round_.criteria, key=lambda c: (c.weight, -c.position)).id
    rows = db.session.scalars(sa.select(Assignment).where(Assignment.round_id == round_.id)
                              .order_by(Assignment.entry_id, Assignment.judge_id))
    by_entry: dict[int, list[Assignment]] = {}
    for assignment in rows:
        by_entry.setdefault(assignment.entry_id, []).append(assignment)
    results = []
    for round_entry in db.session.scalars(sa.select(RoundEntry).where(RoundEntry.round_id == round_.id)):
        assignments = by_entry.get(round_entry.entry_id, [])
        done = [a for a in assignments if a.completed_at is not None]
        judges = [JudgeScore(a.judge_id, a.judge.user.full_name,
                             round(weighted_total({s.criterion_id: s.value for s in a.scores}, weights), 4))
                  for a in done]
        totals = [j.total for j in judges]
        result = EntryResult(round_entry.entry, None, None, None, None, None, judges, len(assignments) - len(done))
        if totals:
            result.mean = round(statistics.fmean(totals), 4)
            result.spread = round(statistics.pstdev(totals), 4)
            result.low, result.high = min(totals), max(totals)
            result.top_criterion = round(statistics.fmean(
                s.value for a in done for s in a.scores if s.criterion_id == top), 4)
            if len(totals) > 2:
                middle = statistics.median(totals)
                for judge in judges:
                    judge.outlier = abs(judge.total - middle) >= OUTLIER_SHARE * round_.scale_max
        results.append(result)
    return rank(results)


def _order_key(result: EntryResult):
    submitted = result.entry.submitted_at or result.entry.created_at
    return (result.mean is None, -(result.mean or 0), -(result.top_criterion or 0), result.spread or 0,
            submitted, result.entry.id)


def rank(results: list[EntryResult]) -> list[EntryResult]:
    """Order by the mean, then the tie-breaks (TIE_BREAK); each entry's rank is its place, and an entry tied on
    the mean with the one above says which tie-break put it below."""
    results = sorted(results, key=_order_key)
    for place, result in enumerate(results, 1):
        result.rank = place if result.mean is not None else None
        if place > 1 and result.mean is not None and result.mean == results[place - 2].mean:
            above = results[place - 2]
            if result.top_criterion != above.top_criterion:
                result.tied_on = "top_criterion"
            elif result.spread != above.spread:
                result.tied_on = "spread"
            else:
                result.tied_on = "submitted_at"
    return results


TIED_ON_LABELS = {"top_criterion": _l("xếp sau do điểm tiêu chí chính"), "spread": _l("xếp sau do độ lệch lớn hơn"),
                  "submitted_at": _l("xếp sau do nộp bài muộn hơn")}


def advance(competition_id: int, round_id: int, picks: list[int] | None = None, reason: str = "",
            now: datetime | None = None) -> list[int]:
    """Decide which entries of a closed round go on, by its rule (the organiser's pick needs a reason); the
    next round then takes them. Returns the advancing entries' ids."""
    round_ = get_round(competition_id, round_id)
    results = round_results(round_)
    ranked = [r for r in results if r.mean is not None]
    if round_.rule == AdvancementRule.TOP_N:
        chosen = [r.entry.id for r in ranked[:round_.advance_count or 0]]
    elif round_.rule == AdvancementRule.THRESHOLD:
        chosen = [r.entry.id for r in ranked if r.mean >= round_.threshold]
    else:
        in_round = {r.entry.id for r in results}
        if not picks or any(p not in in_round for p in picks):
            raise ValidationFailed({"picks": [_l("Chọn các bài vào vòng sau trong số bài của vòng này.")]})
        if not reason.strip():
            raise ValidationFailed({"reason": [_l("Vui lòng nêu lý do chọn.")]})
        chosen = sorted(set(picks))
    for row in db.session.scalars(sa.select(RoundEntry).where(RoundEntry.round_id == round_.id)):
        row.advanced = row.entry_id in chosen
        row.decision_reason = reason.strip() or None
    round_.advanced_at = now or utcnow()
    later = [r for r in list_rounds(competition_id) if r.position > round_.position]
    for entry_id in chosen:
        entry = db.session.get(Entry, entry_id)
        if later:
            notify(entry, "advanced", detail=str(_l("Vòng tiếp theo: %(name)s", name=later[0].name)))
    db.session.commit()
    return chosen


def final_round(competition_id: int) -> Round | None:
    rounds = list_rounds(competition_id)
    return rounds[-1] if rounds else None


def is_held(competition_id: int) -> bool:
    """A competition counts as held once its final round has closed."""
    last = final_round(competition_id)
    return last is not None and last.status == RoundStatus.CLOSED


# Prizes ---------------------------------------------------------------------------------------------

def list_prizes(competition_id: int) -> list[Prize]:
    prizes = db.session.scalars(sa.select(Prize).where(Prize.competition_id == competition_id))
    return sorted(prizes, key=lambda p: (p.kind.rank, p.entry.team_name, p.id))


def award_prize(competition_id: int, entry_id: int, kind: PrizeKind) -> Prize:
    entry = get_owned(Entry, entry_id, competition_id=competition_id)
    if entry.status != EntryStatus.SUBMITTED:
        raise ValidationFailed({"entry_id": [_l("Chỉ trao giải cho bài dự thi đã nộp.")]})
    prize = db.session.scalar(sa.select(Prize).where(Prize.entry_id == entry.id)) \
        or Prize(competition_id=competition_id, entry_id=entry.id)
    prize.kind = kind
    db.session.add(prize)
    db.session.commit()
    return prize


def remove_prize(competition_id: int, prize_id: int) -> None:
    db.session.delete(get_owned(Prize, prize_id, competition_id=competition_id))
    db.session.commit()


def publish_results(competition_id: int, publish: bool = True, now: datetime | None = None) -> Competition:
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound()
    if publish and not list_prizes(competition_id):
        raise DomainError("no_prizes", _l("Chưa có giải nào để công bố."), status=409)
    newly = publish and competition.results_published_at is None
    competition.results_published_at = (now or utcnow()) if publish else None
    if newly:
        for prize in list_prizes(competition_id):
            notify(prize.entry, "prize", detail=str(prize.kind.label))
    db.session.commit()
    return competition


def published_prizes(event_id: int) -> list[Prize]:
    """The prizes the public event page shows, once the organiser has published them."""
    competition = db.session.scalar(sa.select(Competition).where(Competition.event_id == event_id))
    if competition is None or competition.results_published_at is None:
        return []
    return list_prizes(competition.id)


@dataclass(frozen=True)
class PrizeWinner:
    entry_id: int
    team_name: str
    member_names: list[str]
    prize_title: str
    rank: int  # 1 Nhất, 2 Nhì, 3 Ba, 4 Khuyến khích
    kind: str


def prize_winners(competition_id: int) -> list[PrizeWinner]:
    """Every prize of the competition with its team and members, best first (what prize certificates need)."""
    return [PrizeWinner(p.entry.id, p.entry.team_name, p.entry.member_names, str(p.kind.label), p.kind.rank,
                        p.kind.value) for p in list_prizes(competition_id)]


# The nomination dossier -----------------------------------------------------------------------------

def nomination_zip(competition_id: int, only_prized: bool = True) -> bytes:
    """One ZIP for the regional or national Techfest: an XLSX summary (team, members, field, each round's mean,
    prize) and each entry's files in a folder of its own."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound()
    prizes = {p.entry_id: p for p in list_prizes(competition_id)}
    if only_prized:
        entries = [p.entry for p in prizes.values()]
    else:
        entries = list(db.session.scalars(sa.select(Entry).where(Entry.competition_id == competition_id,
                                                                 Entry.status == EntryStatus.SUBMITTED)
                                          .order_by(Entry.id)))
    if not entries:
        raise DomainError("nothing_to_export", _l("Chưa có bài dự thi nào để xuất hồ sơ."), status=409)
    closed = [r for r in list_rounds(competition_id) if r.status == RoundStatus.CLOSED]
    means = {r.id: {res.entry.id: res.mean for res in round_results(r)} for r in closed}
    book = Workbook()
    sheet = book.active
    sheet.title = "Ho so de cu"
    put_row(sheet, 1, [str(_l("Đội/dự án")), str(_l("Mã dự án")), str(_l("Thành viên")), str(_l("Số điện thoại")),
                       str(_l("Lĩnh vực"))] + [r.name for r in closed] + [str(_l("Giải"))])
    for row, entry in enumerate(entries, 2):
        prize = prizes.get(entry.id)
        put_row(sheet, row, [entry.team_name, entry.project.code, ", ".join(entry.member_names),
                             ", ".join(m.phone for m in entry.members), entry.field.name if entry.field else ""]
                + [means[r.id].get(entry.id) for r in closed] + [str(prize.kind.label) if prize else ""])
    sheet_bytes = io.BytesIO()
    book.save(sheet_bytes)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("tong-hop.xlsx", sheet_bytes.getvalue())
        for entry in entries:
            for number, upload in enumerate(entry.files, 1):
                path = file_path(upload)
                if path.exists():
                    extension = upload.stored_name.rsplit(".", 1)[-1]
                    bundle.write(path, f"bai-{entry.id:04d}/{number:02d}.{extension}")
    return archive.getvalue()
