"""Response formats of the REST API: CSV, JSON-LD and the ``format`` negotiation.

Kept apart from ``kaluga_cluster.api``: DRF imports these classes while its
views module is still loading, so this module imports nothing that needs it.
"""

import base64
import csv
import functools
import hashlib
import io
import re
from decimal import Decimal
from pathlib import Path

import rest_framework
from django.utils.html import escape
from rest_framework import renderers, serializers
from rest_framework.compat import pygments_css
from rest_framework.negotiation import DefaultContentNegotiation

# A fixed style attribute in a template: no template variables or tags inside.
STYLE_ATTRIBUTE = re.compile(r'\bstyle="([^"{}]*)"')


# A spreadsheet (Excel, LibreOffice, Google Sheets) reads a cell that starts with
# one of these as a formula: `=HYPERLINK(...)` in a name would be a live link.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """One CSV cell, safe to open in a spreadsheet.

    Text that a spreadsheet would run as a formula is prefixed with an
    apostrophe, as OWASP recommends for CSV injection, so it shows as typed.
    Numbers (by their Python type, not their text) stay numbers: a value of
    -5 exports as ``-5``, while a name or label written "-5" is text.
    """
    text = _csv_text(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text
    if text.startswith(FORMULA_TRIGGERS):
        return f"'{text}"
    return text


def _csv_text(value) -> str:
    """One CSV cell: numbers without trailing zeros, lists joined with "; "."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return _csv_label(value)
    if isinstance(value, list | tuple):
        return "; ".join(_csv_list_item(item) for item in value)
    return str(value)


def _csv_list_item(item) -> str:
    """One element of a list cell; an inner list is a range such as a span ("12-30")."""
    if isinstance(item, list | tuple):
        return "-".join(_csv_text(part) for part in item)
    return _csv_text(item)


def _csv_label(item: dict) -> str:
    """A nested object in one cell: its name, title or label (with its organisation)."""
    label = item.get("name") or item.get("title") or item.get("label") or ""
    organisation = item.get("organisation")
    if isinstance(organisation, dict) and organisation.get("name"):
        label = f"{label}, {organisation['name']}"
    return str(label)


def _csv_row(record: dict) -> dict:
    """A record as CSV cells: nested objects spread into ``parent.child`` columns."""
    row = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for child_key, child in value.items():
                row[f"{key}.{child_key}"] = csv_cell(child)
        else:
            row[key] = csv_cell(value)
    return row


def _serializer_columns(serializer) -> list[str]:
    """The CSV columns of a serializer: one per field, nested objects spread out."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.Serializer):
            columns.extend(f"{name}.{child}" for child in _serializer_columns(field))
        else:
            columns.append(name)
    return columns


class CSVRenderer(renderers.BaseRenderer):
    """Lists (and single records) as CSV: one row per record, a header row first.

    Nested objects become ``parent.child`` columns (``article.title``,
    ``subject.name``); lists of objects become one cell of their names joined
    with "; " (positions read "title, organisation"; spans "start-end"). Text
    that would run as a spreadsheet formula starts with an apostrophe.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """Render the records of ``data`` (or an error body) as CSV text."""
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            records = data["results"]
        elif isinstance(data, list):
            records = data
        else:
            records = [data]
        rows = [_csv_row(record) for record in records]
        columns = None
        view = renderer_context.get("view")
        if view is not None and response is not None and not response.exception:
            columns = _serializer_columns(view.get_serializer())
        if columns is None:
            columns = list(dict.fromkeys(key for row in rows for key in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().encode(self.charset)


class JSONLDRenderer(renderers.JSONRenderer):
    """Records as schema.org JSON-LD (``?format=jsonld``, ``Accept: application/ld+json``).

    The view builds the document (``kaluga_cluster.linked_data.LinkedDataMixin``);
    a body that is not records (an error, a ``detail``) is rendered as the
    plain JSON it is, so every error under ``/api/`` keeps its ``detail``.
    """

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """The view's JSON-LD document of ``data``, with a list's ``Link`` header set."""
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        failed = response is not None and response.exception
        if data is not None and hasattr(view, "linked_data") and not failed:
            document = view.linked_data(data)
            if document is not None:
                links = view.linked_data_links(data)
                if links and response is not None:
                    response["Link"] = links
                data = document
        return super().render(data, accepted_media_type, renderer_context)


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown ``?format=`` is a 400 naming it (DRF answers 404)."""

    def filter_renderers(self, renderers, format):
        """The renderers of ``format``, or a clear error listing the known formats."""
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            # Imported here: kaluga_cluster.api needs DRF's views, which import this module.
            from kaluga_cluster.api import QueryParameterError

            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise QueryParameterError(
                {"format": [f"Unknown format “{format}”. Known formats: {known}."]}
            )
        return matching


@functools.cache
def _browsable_api_style_hashes() -> tuple[str, ...]:
    """CSP hash sources for the inline styles of DRF's own browsable-API templates.

    DRF's templates lay out a few elements with fixed ``style="..."``
    attributes and, when pygments is installed, put its colours in a
    ``<style>`` block. Rather than allow inline style in general
    ('unsafe-inline'), the policy of a browsable-API page allows exactly these
    strings: their SHA-256 hashes, with 'unsafe-hashes' so that the hashes
    cover style attributes too. Any other inline style stays blocked.
    """
    templates = Path(rest_framework.__file__).parent / "templates" / "rest_framework"
    styles = set()
    for template in templates.rglob("*.html"):
        styles.update(STYLE_ATTRIBUTE.findall(template.read_text(encoding="utf-8")))
    code_style = pygments_css(BrowsableAPIRenderer.code_style)
    if code_style:
        # The template writes it as {{ code_style }}: autoescaped.
        styles.add(str(escape(code_style)))
    return tuple(
        f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"
        for style in sorted(styles)
    )


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML view of the API, under a policy that allows its own inline styles only."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """Render the page and widen style-src by the hashes of DRF's fixed inline styles."""
        page = super().render(data, accepted_media_type, renderer_context)
        response = (renderer_context or {}).get("response")
        if response is not None:
            # Read by django-csp's middleware: these sources are added to the policy.
            sources = ["'unsafe-hashes'", *_browsable_api_style_hashes()]
            response._csp_update = {"style-src": sources}
        return page
