"""The one row lock behind every change that capacity depends on (an event's seats, a session's seats, a floor
plan). The lock is an UPDATE and must be the transaction's first write: SQLite then takes its write lock, and
PostgreSQL the row lock, before anything is read inside it. A session that has already written is refused with
`PendingWrites`: committing that work unseen, or keeping it outside the lock, would both be wrong."""
import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from .errors import NotFound
from .extensions import db

LOCK_OPTION = "eventhub_lock"  # marks the lock's own UPDATE, which is not "work" done before the lock
_WROTE = "eventhub_wrote"  # in Session.info: the transaction has flushed or executed a write
_LOCK_OPTIONS = {LOCK_OPTION: True, "synchronize_session": False}


class PendingWrites(RuntimeError):
    """A programming error: commit (or roll back) before taking the lock, or do the work inside it."""


def lock_row(version: InstrumentedAttribute, key):
    """Lock the row whose primary key is `key` by bumping its `version` column, and return it reloaded (what
    the caller loaded before may be stale). No such row: NotFound."""
    model = version.class_
    refuse_pending_writes()
    row = db.session.scalar(
        sa.update(model).where(_primary_key(model) == key).values({version: version + 1}).returning(model),
        execution_options={**_LOCK_OPTIONS, "populate_existing": True})  # one statement: lock and reload
    if row is None:
        db.session.rollback()
        raise NotFound()
    return row


def lock_rows(column: InstrumentedAttribute, keys) -> None:
    """Lock the rows whose primary keys are `keys`, in key order, by setting `column` to itself: for rows that
    carry no version, such as the room and speakers a session's conflicts depend on."""
    model, keys = column.class_, sorted(set(keys))
    if keys:
        _lock(sa.update(model).where(_primary_key(model).in_(keys)).values({column: column}))
    else:
        refuse_pending_writes()  # nothing to lock, but the caller still expects a clean transaction


def refuse_pending_writes() -> None:
    """Raise PendingWrites if the session holds changes, flushed or not, that its transaction has not committed."""
    session = db.session()
    if (session.new or session.deleted or session.info.get(_WROTE)
            or any(session.is_modified(instance) for instance in session.dirty)):
        raise PendingWrites("a lock must be the transaction's first write; commit or roll back the pending "
                            "changes first, or make them after taking the lock")


def _lock(statement) -> int:
    refuse_pending_writes()
    return db.session.execute(statement, execution_options=_LOCK_OPTIONS).rowcount


def _primary_key(model):
    (column,) = sa.inspect(model).primary_key
    return column


@sa.event.listens_for(db.session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if session.new or session.deleted or any(session.is_modified(instance) for instance in session.dirty):
        session.info[_WROTE] = True


@sa.event.listens_for(db.session, "do_orm_execute")
def _after_write_statement(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not state.execution_options.get(LOCK_OPTION):
        state.session.info[_WROTE] = True


@sa.event.listens_for(db.session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # committed or rolled back for good, not a savepoint
        session.info.pop(_WROTE, None)


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session loaded. For work done under a lock: everything it loaded is
    current, so the answer can be built from it with no query after the commit, and a connection lost right
    after a successful commit cannot turn that success into an error."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
