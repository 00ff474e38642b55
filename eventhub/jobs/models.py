"""The scheduler's job store, declared here so that the migrations create it and models == migrations.
APScheduler's SQLAlchemyJobStore reads and writes this exact table (its own definition, same columns)."""
import sqlalchemy as sa

from ..extensions import db

JOB_TABLE = "apscheduler_jobs"

apscheduler_jobs = sa.Table(
    JOB_TABLE,
    db.metadata,
    sa.Column("id", sa.Unicode(191), primary_key=True),
    sa.Column("next_run_time", sa.Float(25), index=True),
    sa.Column("job_state", sa.LargeBinary, nullable=False),
)
