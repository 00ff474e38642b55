"""The one row lock: it refuses a transaction that has already written, and it serialises its holders
(on whichever database the run uses)."""
import threading
import time

import pytest
import sqlalchemy as sa

from eventhub import locking
from eventhub.accounts.models import Organisation, OrganisationKind
from eventhub.errors import NotFound
from eventhub.extensions import db
from eventhub.registration.models import RegistrationSettings
from eventhub.registration.services import settings_for

VERSION = RegistrationSettings.lock_version


@pytest.fixture
def event_id(factory):
    event = factory.event(factory.organisation())
    settings_for(event.id)
    return event.id


def _name(organisation_id: int) -> str:
    return db.session.scalar(sa.select(Organisation.name).where(Organisation.id == organisation_id))


def test_the_lock_bumps_the_version_and_returns_the_row_reloaded(event_id):
    before = db.session.get(RegistrationSettings, event_id).lock_version
    settings = locking.lock_row(VERSION, event_id)
    db.session.commit()
    assert settings.event_id == event_id and settings.lock_version == before + 1
    assert db.session.scalar(sa.select(VERSION).where(RegistrationSettings.event_id == event_id)) == before + 1


def test_a_missing_row_is_not_found(event_id):
    with pytest.raises(NotFound):
        locking.lock_row(VERSION, event_id + 1000)


def test_a_new_object_is_refused_not_committed(event_id, factory):
    db.session.add(Organisation(name="Chưa lưu", kind=OrganisationKind.AGENCY, province="Đắk Lắk"))
    with pytest.raises(locking.PendingWrites):
        locking.lock_row(VERSION, event_id)
    db.session.rollback()
    assert db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "Chưa lưu")) is None


def test_a_changed_object_is_refused_not_committed(event_id, factory):
    organisation = factory.organisation(name="Tên cũ")
    organisation.name = "Tên mới"
    with pytest.raises(locking.PendingWrites):
        locking.lock_row(VERSION, event_id)
    with pytest.raises(locking.PendingWrites):
        locking.lock_rows(Organisation.name, [organisation.id])
    db.session.rollback()
    assert _name(organisation.id) == "Tên cũ"


def test_a_deleted_object_is_refused_not_committed(event_id, factory):
    organisation = factory.organisation()
    db.session.delete(organisation)
    with pytest.raises(locking.PendingWrites):
        locking.lock_row(VERSION, event_id)
    db.session.rollback()
    assert _name(organisation.id) is not None


def test_flushed_work_is_refused_not_committed(event_id, factory):
    organisation = factory.organisation(name="Tên cũ")
    organisation.name = "Đã gửi xuống"
    db.session.flush()
    assert not db.session.dirty
    with pytest.raises(locking.PendingWrites):
        locking.lock_row(VERSION, event_id)
    db.session.rollback()
    assert _name(organisation.id) == "Tên cũ"


def test_an_executed_update_is_refused_not_committed(event_id, factory):
    organisation = factory.organisation(name="Tên cũ")
    db.session.execute(sa.update(Organisation).where(Organisation.id == organisation.id).values(name="Câu lệnh"))
    with pytest.raises(locking.PendingWrites):
        locking.lock_row(VERSION, event_id)
    db.session.rollback()
    assert _name(organisation.id) == "Tên cũ"


def test_nothing_to_lock_still_refuses_pending_writes(factory):
    factory.organisation().name = "Tên mới"
    with pytest.raises(locking.PendingWrites):
        locking.lock_rows(Organisation.name, [])


def test_after_commit_or_rollback_the_lock_is_taken(event_id, factory):
    organisation = factory.organisation()
    organisation.name = "Đã lưu"
    db.session.flush()
    db.session.commit()
    assert locking.lock_row(VERSION, event_id).event_id == event_id
    db.session.rollback()
    organisation.name = "Bỏ đi"
    db.session.flush()
    db.session.rollback()
    assert locking.lock_row(VERSION, event_id).event_id == event_id
    db.session.commit()


def test_a_change_back_to_the_loaded_value_is_not_a_write(event_id, factory):
    organisation = factory.organisation(name="Như cũ")
    assert organisation.name == "Như cũ"  # loaded, so the session can tell the value did not change
    organisation.name = "Như cũ"
    assert organisation in db.session.dirty
    assert locking.lock_row(VERSION, event_id).event_id == event_id
    db.session.commit()


def test_several_locks_may_open_one_transaction_and_work_follows_them(event_id, factory):
    organisation = factory.organisation(name="Tên cũ")
    locking.lock_row(VERSION, event_id)
    locking.lock_rows(Organisation.name, [organisation.id, organisation.id])
    organisation.name = "Tên mới"
    db.session.commit()
    assert _name(organisation.id) == "Tên mới"


def test_two_holders_take_the_lock_one_after_the_other(app, event_id):
    """The second holder's lock waits until the first commits, then sees the first one's bump."""
    first_holds, order, versions, errors = threading.Event(), [], {}, []

    def first():
        try:
            with app.app_context():
                versions["first"] = locking.lock_row(VERSION, event_id).lock_version
                first_holds.set()
                time.sleep(0.6)  # long enough for the second to try, and wait
                order.append("first commits")
                db.session.commit()
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
            first_holds.set()

    def second():
        try:
            first_holds.wait(10)
            with app.app_context():
                versions["second"] = locking.lock_row(VERSION, event_id).lock_version
                order.append("second holds")
                db.session.commit()
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert order == ["first commits", "second holds"]
    assert versions["second"] == versions["first"] + 1
