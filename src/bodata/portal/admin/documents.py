"""Stored files (uploads, images, attachments), file types, and the customer documents that point at them."""

import mimetypes
from datetime import datetime
from hashlib import sha256
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response
from pydantic import ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from bodata.core.context import Context, DbSession
from bodata.portal.admin.crud import (
    Input,
    Output,
    check_references,
    columns_of,
    create_record,
    get_record,
    output_schema,
    unprocessable,
    update_record,
)
from bodata.portal.admin.invoices import check_contract_owner
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.admin.schemas import Base64Data, Id, text
from bodata.portal.images import ACCEPTED as IMAGE_FORMATS
from bodata.portal.images import image_type
from bodata.portal.models import Document, FileType, StoredFile

router = APIRouter()


class FileTypeFields(Input):
    """A document type (EntitetFilTyp) and its sort order."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"beteckning": "Hyresavtal", "ordning": 10}]})

    beteckning: text(200, required=True)
    ordning: int = 0


class FileIn(Input):
    """A file sent inside JSON: its bytes in base64, and its MIME type (recognised for images when left out)."""

    data: Base64Data
    mime_type: text(100) | None = Field(None, description="e.g. application/pdf; images are recognised by content.")
    extension: text(20) | None = Field(None, description="e.g. .pdf; derived from the MIME type when left out.")


def store_file(
    session: Session, *, data: bytes, mime_type: str | None, extension: str | None, now: datetime
) -> StoredFile:
    """Store a file's bytes; an unnamed type is recognised for images, else ``application/octet-stream``."""
    if not data:
        raise unprocessable("The file is empty.")
    recognised = image_type(data)
    mime_type = mime_type or (recognised[0] if recognised else "application/octet-stream")
    extension = extension or (recognised[1] if recognised else mimetypes.guess_extension(mime_type) or "")
    stored = StoredFile(
        mime_type=mime_type[:100],
        extension=extension[:20],
        size=len(data),
        sha256=sha256(data).hexdigest(),
        data=data,
        created_at=now,
    )
    session.add(stored)
    session.flush()
    return stored


def check_file_choice(file_id: int | None, file: FileIn | None, *, required: bool, what: str) -> None:
    if file_id is not None and file is not None:
        raise ValueError(f"{what}: give file_id or file, not both")
    if required and file_id is None and file is None:
        raise ValueError(f"{what}: give file_id (an uploaded file) or file (base64)")


def attached_file(session: Session, *, file_id: int | None, file: FileIn | None, now: datetime) -> int | None:
    """The id of the file a record attaches: an existing one (checked to exist) or one stored now."""
    if file is not None:
        return store_file(session, data=file.data, mime_type=file.mime_type, extension=file.extension, now=now).id
    if file_id is not None and session.get(StoredFile, file_id) is None:
        raise unprocessable(f"file_id: there is no stored file with id {file_id}")
    return file_id


def check_image(data: bytes, *, max_bytes: int, where: str) -> tuple[str, str]:
    """The MIME type and extension of an image of at most ``max_bytes``; 422 for anything else."""
    if len(data) > max_bytes:
        raise unprocessable(f"{where}: the image has {len(data)} bytes; at most {max_bytes} are accepted.")
    recognised = image_type(data)
    if recognised is None:
        raise unprocessable(f"{where}: not an image ({IMAGE_FORMATS}).")
    return recognised


class DocumentFields(Input):
    """A customer document (SessionDokument): a stored file, a web link, or both."""

    customer_id: Id
    contract_id: Id | None = Field(None, description="The contract (AvtalVersionId) the document belongs to.")
    node_id: Id | None = Field(None, description="The object; the contract's when left out.")
    file_type_id: Id
    file_id: Id | None = Field(None, description="An uploaded file (POST /admin/files).")
    ordning: int = 0
    beteckning: text(200, required=True)
    webbadress: text(500) | None = None
    meddelande: str | None = None


class DocumentCreate(DocumentFields):
    """A document with its file uploaded before (``file_id``), sent inline (``file``), or only a link."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 1,
                    "contract_id": 1,
                    "file_type_id": 2,
                    "beteckning": "Tvättmaskin 1",
                    "file": {"data": "JVBERi0xLjQK…", "mime_type": "application/pdf"},
                    "webbadress": "https://www.exempel.com/Bruksanvisning.html",
                    "meddelande": "Bruksanvisning för tvättmaskin 1.",
                }
            ]
        }
    )

    file: FileIn | None = None

    @model_validator(mode="after")
    def _content(self) -> "DocumentCreate":
        check_file_choice(self.file_id, self.file, required=self.webbadress is None, what="document")
        return self


def _document_rules(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """The contract is the customer's; the object defaults to the contract's; a document has a file or a link."""
    contract = check_contract_owner(session, contract_id=values.get("contract_id"), customer_id=values["customer_id"])
    if values.get("node_id") is None and contract is not None:
        values["node_id"] = contract.node_id
    return values


def create_document(session: Session, *, data: DocumentCreate, now: datetime) -> Document:
    """A document, storing its inline file."""
    values = data.model_dump(exclude={"file"})
    check_references(session, Document, values)
    values = _document_rules(session, values)
    values["file_id"] = attached_file(session, file_id=data.file_id, file=data.file, now=now)
    return create_record(session, Document, values)


def update_document(session: Session, *, document: Document, changes: dict[str, Any]) -> Document:
    """Change a document; it must keep a file or a link."""
    update_record(session, document, DocumentFields, changes)
    _document_rules(session, columns_of(document, DocumentFields))
    if document.file_id is None and document.webbadress is None:
        raise unprocessable("A document needs a file (file_id) or a link (webbadress).")
    return document


class FileOut(Output):
    """A stored file (its bytes: GET /portal/admin/files/{id}/content)."""

    id: int
    mime_type: str
    extension: str
    size: int
    sha256: str
    created_at: datetime


FileTypeOut = output_schema(FileTypeFields, "FileType", "A document type.")


DocumentOut = output_schema(DocumentFields, "Document", "A customer document.")


add_resources(
    router,
    (
        Resource(
            path="/file-types",
            model=FileType,
            tag="Documents",
            out=FileTypeOut,
            create_schema=FileTypeFields,
            edit_schema=FileTypeFields,
        ),
        Resource(path="/files", model=StoredFile, tag="Documents", out=FileOut, filters=("mime_type", "sha256")),
        Resource(
            path="/documents",
            model=Document,
            tag="Documents",
            out=DocumentOut,
            create_schema=DocumentCreate,
            edit_schema=DocumentFields,
            filters=("customer_id", "contract_id", "node_id", "file_type_id"),
            create=lambda session, body, context: create_document(session, data=body, now=clock_now(context)),
            update=lambda session, record, changes: update_document(session, document=record, changes=changes),
        ),
    ),
)


FileId = Annotated[int, Path(alias="id", ge=1, description="The file's id.")]


GENERIC_MIME_TYPE = "application/octet-stream"


@router.post("/files", status_code=201, response_model=FileOut, tags=["Documents"], summary="Upload a file")
def upload_file(
    file: Annotated[UploadFile, File(description="The file (multipart/form-data).")],
    session: DbSession,
    context: Context,
    mime_type: Annotated[str | None, Form(max_length=100, description="Overrides the upload's type.")] = None,
) -> Any:
    """Store a file for a document, case-row image or attachment to refer to (``file_id``).

    The MIME type is the form field ``mime_type``, else the part's Content-Type; images are recognised by content
    when neither names a type.
    """
    declared = mime_type or (file.content_type if file.content_type != GENERIC_MIME_TYPE else None)
    extension = PurePath(file.filename or "").suffix.lower() or None
    data = file.file.read()
    return store_file(session, data=data, mime_type=declared, extension=extension, now=clock_now(context))


@router.get(
    "/files/{id}/content",
    response_class=Response,
    tags=["Documents"],
    summary="Download a file",
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file's bytes."}},
)
def file_content(file_id: FileId, session: DbSession) -> Response:
    """The file's bytes, with its MIME type."""
    stored = get_record(session, StoredFile, file_id)
    return Response(stored.data, media_type=stored.mime_type)
