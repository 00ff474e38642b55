"""Where the test databases live and how they are emptied between tests."""
import os

import sqlalchemy as sa

# Memory-backed when the machine has it: commits then cost no disk flush (the data is thrown away anyway).
RAM_DIRECTORY = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None

_OWNED_SEQUENCES = sa.text("""
    SELECT t.relname, quote_ident(n.nspname) || '.' || quote_ident(s.relname)
    FROM pg_class s
    JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
                    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_namespace n ON n.oid = s.relnamespace
    WHERE s.relkind = 'S'
""")

# Reference data the migrations seed: put back as migrated after every test (tests may add or retire groups).
REFERENCE_TABLES = ("participant_groups",)

_RESTART_SEQUENCES = sa.text("SELECT setval(CAST(s AS regclass), 1, false) FROM unnest(CAST(:names AS text[])) AS s")


class TableEmptier:
    """Deletes every row, children first, from the tables that hold any, and starts their ids at 1
    again, as TRUNCATE ... RESTART IDENTITY would: on PostgreSQL that TRUNCATE costs ~185 ms whatever
    the tables hold (new files for each table and index), this costs a few milliseconds."""

    def __init__(self, engine: sa.Engine, metadata: sa.MetaData):
        self.engine = engine
        self.tables = list(reversed(metadata.sorted_tables))
        self.probe = sa.union_all(*(sa.select(sa.literal(table.name)).where(sa.exists().select_from(table))
                                    for table in self.tables))
        self.sequences: dict[str, list[str]] = {}
        with engine.connect() as connection:
            self.reference = {table: [dict(row) for row in connection.execute(table.select()).mappings()]
                              for table in self.tables if table.name in REFERENCE_TABLES}
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                for table, sequence in connection.execute(_OWNED_SEQUENCES):
                    self.sequences.setdefault(table, []).append(sequence)
        # SQLite needs nothing for ids: without AUTOINCREMENT an emptied table starts again at 1.

    def __call__(self) -> None:
        with self.engine.begin() as connection:
            filled = set(connection.execute(self.probe).scalars())
            for table in self.tables:
                if table.name in filled:
                    connection.execute(table.delete())
            sequences = [sequence for name in filled for sequence in self.sequences.get(name, ())]
            if sequences:
                connection.execute(_RESTART_SEQUENCES, {"names": sequences})
            for table, rows in self.reference.items():
                if table.name in filled:
                    connection.execute(table.insert(), rows)


def seat_counter_mismatches(connection) -> list:
    """Events and categories whose seat counters disagree with their registrations (none, if every seat change
    went through the registration services)."""
    def counted(status: str, owner: str) -> str:
        return f"(SELECT count(*) FROM registrations r WHERE {owner} AND r.status = '{status}')"

    events = connection.execute(sa.text(
        f"SELECT 'event', event_id, confirmed_count, {counted('confirmed', 'r.event_id = s.event_id')}, "
        f"waitlisted_count, {counted('waitlisted', 'r.event_id = s.event_id')} FROM registration_settings s")).all()
    categories = connection.execute(sa.text(
        f"SELECT 'category', id, confirmed_count, {counted('confirmed', 'r.category_id = c.id')}, 0, 0 "
        "FROM registration_categories c")).all()
    return [row for row in events + categories if row[2] != row[3] or row[4] != row[5]]
