"""Documents attached to a booth application (business registration, OCOP certificate, photos …)."""
from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ...errors import DomainError
from ...extensions import db
from ...lookup import get_owned
from ...timeutil import utcnow
from ...uploads import commit_or_remove, store, uploads_dir
from .models import ApplicationDocument, ApplicationStatus, DocumentType
from .services import OPEN_STATUSES, get_application
from .uploads import inspect_upload

MAX_DOCUMENTS = 20


def add_document(application_id: int, exhibitor_id: int, document_type: DocumentType, original_name: str,
                 data: bytes, now: datetime | None = None) -> ApplicationDocument:
    now = now or utcnow()
    application = get_application(application_id, exhibitor_id=exhibitor_id)
    if application.status not in OPEN_STATUSES:
        raise DomainError("application_closed", _l("Hồ sơ đã rút hoặc bị từ chối nên không thể tải thêm tài liệu."),
                          status=409)
    if len(application.documents) >= MAX_DOCUMENTS:
        raise DomainError("too_many_documents", _l("Mỗi hồ sơ tối đa %(n)d tài liệu.", n=MAX_DOCUMENTS), status=409)
    content_type, extension = inspect_upload(data)
    # Control and format characters (NUL, which no database stores, a right-to-left override that disguises
    # the extension) are dropped from the name the exhibitor's browser sent.
    printable = "".join(ch for ch in (original_name or "") if ch.isprintable())
    name = Path(printable.replace("\\", "/")).name.strip()[:200] or f"tai-lieu.{extension}"
    path = store("booth-documents", data, extension)
    document = ApplicationDocument(application_id=application.id, document_type=document_type, original_name=name,
                                   stored_name=path.name, content_type=content_type, size_bytes=len(data),
                                   uploaded_at=now)
    db.session.add(document)
    commit_or_remove(path)
    return document


def get_document(application_id: int, document_id: int) -> ApplicationDocument:
    return get_owned(ApplicationDocument, document_id, application_id=application_id)


def delete_document(application_id: int, exhibitor_id: int, document_id: int) -> None:
    application = get_application(application_id, exhibitor_id=exhibitor_id)
    document = get_document(application.id, document_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError("not_editable", _l("Hồ sơ đã được xét nên không thể xoá tài liệu."), status=409)
    stored = document.stored_name
    db.session.delete(document)
    db.session.commit()
    (uploads_dir("booth-documents") / stored).unlink(missing_ok=True)
