"""Every module's models, imported together so that Alembic and the app see the whole schema."""
from .accounts import models as accounts  # noqa: F401
from .booths.allocation import models as booth_allocation  # noqa: F401
from .booths.applications import models as booth_applications  # noqa: F401
from .booths.floorplan import models as booth_floorplan  # noqa: F401
from .broadcasts import models as broadcasts  # noqa: F401
from .checkin import models as checkin  # noqa: F401
from .events import models as events  # noqa: F401
from .jobs import models as jobs  # noqa: F401
from .mail import models as mail  # noqa: F401
from .registration import models as registration  # noqa: F401
from .reports import models as reports  # noqa: F401
from .reports.issued import models as issued_reports  # noqa: F401
from .scheduling import models as scheduling  # noqa: F401
