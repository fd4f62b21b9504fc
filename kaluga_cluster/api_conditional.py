"""Conditional requests on the REST API: ETags, ``If-None-Match`` and ``If-Match``.

Every successful GET (a list, a record) carries a strong ETag: a digest of
the exact bytes of its body, so two responses share one only when they are
byte for byte the same (the same record, fields, format and viewer). A client
that sends it back in ``If-None-Match`` gets ``304 Not Modified`` and no body
while nothing changed.

A write (PUT, PATCH, DELETE) with ``If-Match`` applies only if the record is
still as the client read it, as NetBox protects against lost updates: the
ETag is compared with the one a GET of the record would answer now (its full
JSON representation, no ``fields``/``brief``), once before the body is
validated and again inside the write's transaction, with the record locked,
so two editors racing cannot both win. A mismatch answers ``412
Precondition Failed`` (JSON ``detail``, the current ETag in the header);
``If-Match: *`` only asks that the record exist.

A hash of the body rather than a version stamp: what a record shows depends
on the viewer (editors see hidden positions), on related records and on the
format, and a digest of what was sent is right about all of them at once.
"""

import hashlib

from django.db import transaction
from django.http import HttpResponseNotModified
from django.utils.http import parse_etags
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer

from entities.editing import RecordGone, lock_for_edit
from kaluga_cluster.api import Conflict
from kaluga_cluster.schema import ErrorSerializer

#: Headers a 304 repeats from the 200 it stands for (RFC 9110, section 15.4.5).
_NOT_MODIFIED_HEADERS = ("Cache-Control", "Content-Location", "ETag", "Expires", "Vary")


class PreconditionFailed(exceptions.APIException):
    """``If-Match`` names another version of the record than the current one (answers 412)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record changed since you read it: its ETag is no longer the one in If-Match. "
        "Read it again, then retry the change."
    )
    default_code = "precondition_failed"

    def __init__(self, *, etag: str | None):
        super().__init__()
        self.etag = etag


def body_etag(content: bytes) -> str:
    """A strong ETag for a response body: the first 128 bits of its SHA-256, quoted."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _matches(header: str, etag: str, *, weak: bool) -> bool:
    """Whether ``etag`` is among those of an ``If-Match``/``If-None-Match`` header (or ``*``).

    ``If-None-Match`` compares weakly (``W/"x"`` matches ``"x"``); ``If-Match``
    strongly, where a weak tag never matches (RFC 9110, section 8.8.3.2).
    """
    for tag in parse_etags(header):
        if tag == "*":
            return True
        if tag.startswith("W/"):
            if weak and tag[2:] == etag:
                return True
        elif tag == etag:
            return True
    return False


class ConditionalRequestsMixin:
    """ETags on every GET, ``If-None-Match`` (304) and ``If-Match`` on writes (412).

    For the viewsets of ``/api/``; a viewset that serves records it can
    change (``update``, ``destroy``) gets the lost-update check too.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        """Tag a successful GET; answer 304 when the client's copy is current."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != status.HTTP_200_OK:
            return response
        if getattr(response, "streaming", False):
            return response
        response.render()
        etag = body_etag(response.content)
        response["ETag"] = etag
        if _matches(request.headers.get("If-None-Match", ""), etag, weak=True):
            return _not_modified(response)
        return response

    def handle_exception(self, exc):
        """A 412 names the current version in its ``ETag`` header."""
        response = super().handle_exception(exc)
        if isinstance(exc, PreconditionFailed) and exc.etag:
            response["ETag"] = exc.etag
        return response

    def initial(self, request, *args, **kwargs):
        """Refuse a stale write (412) before its body is even read.

        Checked once more inside the write's transaction (``perform_update``,
        ``perform_destroy``). A PUT or PATCH answers without an ETag: its body
        is not the record's GET representation; a GET gives the new one.
        """
        super().initial(request, *args, **kwargs)
        if getattr(self, "action", None) in _WRITES and "If-Match" in request.headers:
            self.check_if_match(self.get_object())

    def perform_update(self, serializer):
        """Check ``If-Match`` again with the record locked, then write (one transaction)."""
        with transaction.atomic():
            self.check_if_match(serializer.instance, lock=True)
            super().perform_update(serializer)

    def perform_destroy(self, instance):
        """Check ``If-Match`` again with the record locked, then delete (one transaction)."""
        with transaction.atomic():
            self.check_if_match(instance, lock=True)
            super().perform_destroy(instance)

    def check_if_match(self, instance, *, lock: bool = False) -> None:
        """Raise PreconditionFailed unless ``If-Match`` is absent, ``*`` or the current ETag.

        With ``lock``, first waits for any import writing the record's article
        and locks the record until the transaction ends (``entities.editing``).
        """
        header = self.request.headers.get("If-Match")
        if not header:
            return
        if lock:
            try:
                lock_for_edit(instance)
            except RecordGone as error:
                raise Conflict(str(error)) from error
        if parse_etags(header) == ["*"]:
            return
        etag = self.current_etag(instance.pk)
        if etag is None or not _matches(header, etag, weak=False):
            raise PreconditionFailed(etag=etag)

    def current_etag(self, pk) -> str | None:
        """The ETag a GET of record ``pk`` in JSON would answer this client now (None: unseen)."""
        action = self.action
        self.action = "retrieve"
        try:
            record = self.get_queryset().filter(pk=pk).first()
            if record is None:
                return None
            data = self.get_serializer(record).data
        finally:
            self.action = action
        renderer = JSONRenderer()
        context = {"request": self.request, "view": self}
        return body_etag(renderer.render(data, renderer.media_type, context))

    def own_schema_parameters(self) -> list[OpenApiParameter]:
        """The ETag response header and ``If-None-Match`` on reads, ``If-Match`` on writes."""
        own = getattr(super(), "own_schema_parameters", list)()
        action = getattr(self, "action", None)
        if action in ("list", "retrieve"):
            return [*own, *_READ_HEADERS]
        if action in _WRITES:
            return [*own, _IF_MATCH]
        return own

    def own_schema_responses(self) -> dict:
        """304 for reads, 412 for writes."""
        own = getattr(super(), "own_schema_responses", dict)()
        action = getattr(self, "action", None)
        if action in ("list", "retrieve"):
            own["304"] = OpenApiResponse(
                description="Not modified: If-None-Match named the current ETag (no body)."
            )
        elif action in _WRITES:
            own["412"] = OpenApiResponse(
                ErrorSerializer,
                description=(
                    "If-Match named another version: the record changed since it was read. "
                    "The ETag header holds the current one."
                ),
            )
        return own


_WRITES = ("update", "partial_update", "destroy")

_READ_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="An ETag from an earlier response: 304 without a body if it is current.",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        description="Strong validator of this body (a digest of its bytes).",
        response=[200],
    ),
]

_IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=(
        "The ETag of the record as last read (a GET of it in JSON, no fields or brief): "
        "the write applies only if it is still current, else 412. `*`: any version."
    ),
)


def _not_modified(response) -> HttpResponseNotModified:
    """The 304 standing for ``response``: no body, the headers a cache needs.

    Not Django's ``get_conditional_response``: it also applies ``If-Match``
    and ``If-Unmodified-Since`` to a GET and answers a mismatch with a bare
    412, where a read here ignores them (only writes are preconditioned, with
    a JSON ``detail``).
    """
    not_modified = HttpResponseNotModified()
    for header in _NOT_MODIFIED_HEADERS:
        if header in response:
            not_modified[header] = response[header]
    not_modified.cookies = response.cookies
    return not_modified
