"""How an uploaded PDF reaches the verification: in memory, never on disk, and cut off at the
size limit.

Django's own upload handlers keep small files in memory and write larger ones to a temporary
file, and read a whole upload before a view can look at its size. :class:`BoundedUpload`
replaces them for the verification doors: the first file part is kept in memory up to
``SIGNATURE_VERIFY_MAX_BYTES``; past that, the rest of it is read off the connection and
dropped, and ``too_large`` is set; any further file part is dropped. Nothing uploaded is
stored anywhere.

The page sets it on the request before anything reads the body (so the view is exempt from
the CSRF middleware, which reads it, and checks the token itself afterwards).
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from .verification import max_bytes

FILE_FIELD = "file"


class BoundedUpload(FileUploadHandler):
    """Keeps the first ``file`` part in memory, up to ``limit`` bytes."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.taken = False
        self.buffer: io.BytesIO | None = None
        self.size = 0

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        if field_name != FILE_FIELD or self.taken:
            raise SkipFile
        self.taken = True
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
            self.buffer = None
            raise SkipFile
        assert self.buffer is not None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def bound_uploads(request: HttpRequest) -> BoundedUpload:
    """Put the bounded handler on the request (before its body is read); returns it."""
    handler = BoundedUpload(request, limit=max_bytes())
    request.upload_handlers = [handler]
    return handler
