import pytest

from eventhub.errors import NotFound
from eventhub.extensions import db
from eventhub.lookup import get_owned
from eventhub.scheduling.models import Room


def test_a_row_is_read_only_through_its_owner(factory):
    organisation = factory.organisation("Sở Khoa học và Công nghệ")
    event, other = factory.event(organisation), factory.event(organisation, title="Sự kiện khác")
    room = Room(event_id=event.id, name="Hội trường A", capacity=100)
    db.session.add(room)
    db.session.commit()
    assert get_owned(Room, room.id, event_id=event.id) is room
    assert get_owned(Room, room.id, event_id=event.id, name="Hội trường A") is room
    for key, owner in ((room.id, {"event_id": other.id}), (room.id + 1000, {"event_id": event.id}),
                       (room.id, {"event_id": event.id, "name": "Phòng khác"})):
        with pytest.raises(NotFound):
            get_owned(Room, key, **owner)
