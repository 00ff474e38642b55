"""Every module's models, imported together so that Alembic and the app see the whole schema."""
from .accounts import models as accounts  # noqa: F401
from .booths.allocation import models as booth_allocation  # noqa: F401
from .booths.applications import models as booth_applications  # noqa: F401
from .booths.floorplan import models as booth_floorplan  # noqa: F401
from .certificates import models as certificates  # noqa: F401
from .checkin import models as checkin  # noqa: F401
from .competitions.entries import models as competition_entries  # noqa: F401
from .competitions.judging import models as competition_judging  # noqa: F401
from .competitions.results import models as competition_results  # noqa: F401
from .events import models as events  # noqa: F401
from .jobs import models as jobs  # noqa: F401
from .mail import models as mail  # noqa: F401
from .registration import models as registration  # noqa: F401
from .reports import models as reports  # noqa: F401
from .reports.issued import models as issued_reports  # noqa: F401
from .reports.rounds import models as reporting_rounds  # noqa: F401
from .scheduling import models as scheduling  # noqa: F401
