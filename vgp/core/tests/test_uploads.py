"""The checks every upload shares (vgp.core.uploads): each refuses its bad input, takes a good one.

The files are built small and real by the documents' and feedback's own test builders; the
doors' whole behaviour (which kinds, which limits, which messages) is tested with them, in
vgp/documents/tests/test_files.py and vgp/feedback/tests/test_attachments.py.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfWriter

from vgp.core import uploads
from vgp.documents import files
from vgp.documents.tests.test_files import (
    encrypt,
    make_docx,
    make_image,
    make_odt,
    make_pdf,
    make_xlsx,
)
from vgp.feedback import attachments
from vgp.feedback.tests.test_attachments import make_png_header

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS"


@pytest.fixture(autouse=True)
def english_messages():
    """Refusals are compared with their English source text."""
    with translation.override("en"):
        yield


def not_ours(name: str) -> ValidationError:
    """The refusal a door gives for a file that is not one of its kinds."""
    return ValidationError("%(name)s: not ours", code="not_ours", params={"name": name})


def examine_names(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    return names


def check_zip(content: bytes, **limits: int) -> set[str]:
    limits = {"max_entries": 100, "max_uncompressed": 1024 * 1024, **limits}
    return uploads.check_zip(
        io.BytesIO(content), "x.docx", examine=examine_names, not_accepted=not_ours, **limits
    )


def damaged_docx(member: str) -> bytes:
    """A DOCX whose directory is intact but whose ``member`` no longer inflates."""
    content = bytearray(make_docx())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo(member)
    data_start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    content[data_start : data_start + 6] = b"\xff" * 6  # the deflate stream's first bytes
    return bytes(content)


def kind_of(content: bytes) -> str | None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return uploads.office_kind(archive, set(archive.namelist()))


# --- Sniffing, sizes, names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (make_pdf(), "pdf"),
        (make_image("JPEG"), "jpeg"),
        (make_image("PNG"), "png"),
        (make_image("TIFF"), "tiff"),
        (make_docx(), "zip"),
        (uploads.OLE_MAGIC + b"\x00" * 504, "ole"),
        (PROGRAM, None),  # an executable renamed .pdf
        (b"<html>%PDF-1.7</html>", None),  # a polyglot: the header must come first
        (b"", None),
    ],
)
def test_the_first_bytes_decide_the_family(content, kind):
    assert uploads.sniff(io.BytesIO(content)) == kind


def test_an_empty_file_or_one_over_the_limit_is_refused_and_others_pass():
    uploads.check_size(1024, 1024, "du.pdf")

    with pytest.raises(ValidationError) as error:
        uploads.check_size(1025, 1024, "lon.pdf")
    assert error.value.code == "file_too_large"
    assert error.value.params == {"name": "lon.pdf", "limit": "1 KB"}
    assert error.value.messages == ["“lon.pdf” is larger than 1 KB."]

    with pytest.raises(ValidationError) as error:
        uploads.check_size(0, 1024, "rong.pdf")
    assert error.value.code == "file_empty"
    assert error.value.messages == ["“rong.pdf” is empty."]


@pytest.mark.parametrize(
    ("size", "text"),
    [(50 * uploads.MB, "50 MB"), (1536, "1.5 KB"), (1, "1 byte"), (100, "100 bytes")],
)
def test_sizes_read_as_people_say_them(size, text):
    assert uploads.format_size(size) == text


def test_an_original_name_keeps_a_clean_basename_or_the_fallback():
    assert uploads.clean_original_name("C:\\x\\..\\ho\u202eso\x00.pdf", fallback="f") == "hoso.pdf"
    assert uploads.clean_original_name("../..", fallback="tệp") == "tệp"
    assert uploads.clean_original_name(None, fallback="tệp") == "tệp"
    long = uploads.clean_original_name("a" * 300 + ".docx", fallback="f")
    assert len(long) == 200 and long.endswith(".docx")


def test_a_stream_that_cannot_seek_is_spooled_up_to_the_limit():
    class Stream:
        """Read only: no seek at all, like some storages' and packets' streams."""

        def __init__(self, data: bytes) -> None:
            self.read = io.BytesIO(data).read

    content = b"%PDF-" + bytes(range(256)) * 1024
    with uploads.seekable(Stream(content), limit=len(content)) as fp:
        assert uploads.size_of(fp) == len(content)
        assert uploads.sha256(fp) == hashlib.sha256(content).hexdigest()
    # Over the limit: one block more than it, enough to refuse the file, never all of it.
    with uploads.seekable(Stream(content), limit=1000) as fp:
        assert 1000 < uploads.size_of(fp) <= 1000 + uploads.COPY_BLOCK


def test_a_file_that_can_seek_is_used_as_it_is_and_rewound():
    upload = ContentFile(b"%PDF-1.7 ...", name="a.pdf")

    with uploads.seekable(upload, limit=10) as fp:
        assert fp is upload
        fp.read(5)

    assert upload.tell() == 0


# --- Images -------------------------------------------------------------------------------------


def test_a_png_declaring_ten_billion_pixels_is_refused_without_decoding():
    content = make_png_header(100_000, 100_000)
    assert len(content) < 100

    with pytest.raises(ValidationError) as error:
        uploads.check_image(
            io.BytesIO(content), "png", "ban-do.png", max_pixels=10**9, not_accepted=not_ours
        )

    assert error.value.code == "image_too_large"
    assert error.value.messages == ["“ban-do.png” has too many pixels (at most 1000 megapixels)."]


def test_an_image_over_the_callers_pixel_limit_is_refused_and_one_under_it_accepted():
    content = make_png_header(8000, 6000)

    assert uploads.check_image(
        io.BytesIO(content), "png", "a.png", max_pixels=48_000_000, not_accepted=not_ours
    )
    with pytest.raises(ValidationError, match="at most 40 megapixels"):
        uploads.check_image(
            io.BytesIO(content), "png", "a.png", max_pixels=40_000_000, not_accepted=not_ours
        )


def test_an_image_signature_followed_by_garbage_is_damaged():
    content = b"\xff\xd8\xff" + bytes(range(7, 250)) * 4

    with pytest.raises(ValidationError) as error:
        uploads.check_image(
            io.BytesIO(content), "jpeg", "anh.jpg", max_pixels=10**6, not_accepted=not_ours
        )

    assert error.value.code == "file_damaged"


def test_the_frames_of_a_tiff_are_counted_only_when_asked():
    fax = make_image("TIFF", frames=3)
    check = {"max_pixels": 10**6, "not_accepted": not_ours}

    assert uploads.check_image(io.BytesIO(fax), "tiff", "fax.tif", count_frames=True, **check) == 3
    assert uploads.check_image(io.BytesIO(fax), "tiff", "fax.tif", **check) == 1


# --- ZIP archives and Office documents ----------------------------------------------------------


def test_a_good_docx_is_examined():
    assert "word/document.xml" in check_zip(make_docx())


def test_a_zip_bomb_docx_is_refused_by_the_sizes_it_declares():
    bomb = make_docx(extra={"word/media/zeros.bin": b"\x00" * (2 * 1024 * 1024)})
    assert len(bomb) < 20 * 1024

    with pytest.raises(ValidationError) as error:
        check_zip(bomb, max_uncompressed=1024 * 1024)

    assert error.value.code == "file_bomb"
    assert error.value.messages == ["“x.docx” expands to too much data to be accepted."]


def test_too_many_entries_are_refused():
    many = make_docx(extra={f"word/media/{i}.bin": b"x" for i in range(20)})

    with pytest.raises(ValidationError) as error:
        check_zip(many, max_entries=10)

    assert error.value.code == "file_bomb"


def test_the_compression_ratio_is_bounded_only_when_the_caller_asks():
    zeros = make_docx(extra={"word/media/zeros.bin": b"\x00" * 512 * 1024})

    assert "word/media/zeros.bin" in check_zip(zeros)
    with pytest.raises(ValidationError) as error:
        check_zip(zeros, max_ratio=100)
    assert error.value.code == "file_bomb"


@pytest.mark.parametrize("member", ["[Content_Types].xml", "word/document.xml"])
def test_a_part_that_fails_to_inflate_is_refused_not_a_server_error(member):
    def read_it(archive: zipfile.ZipFile, names: set[str]) -> None:
        uploads.inflate_part(archive, member, 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        uploads.check_zip(
            io.BytesIO(damaged_docx(member)),
            "hong.docx",
            max_entries=100,
            max_uncompressed=1024 * 1024,
            examine=read_it,
            not_accepted=not_ours,
        )

    assert error.value.code == "not_ours"


def test_a_zip_that_is_not_one_is_refused_as_not_ours():
    with pytest.raises(ValidationError) as error:
        check_zip(b"PK\x03\x04" + b"\x00" * 100)

    assert error.value.code == "not_ours"


def test_office_documents_are_told_by_their_parts():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert kind_of(make_docx()) == "docx"
    assert kind_of(make_xlsx()) == "xlsx"
    assert kind_of(make_odt()) == "odt"
    assert kind_of(plain.getvalue()) is None


def test_a_macro_enabled_document_renamed_is_no_office_document():
    docm = make_docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    odt_with_basic = make_odt(extra={"Basic/Standard/Module1.xml": "Sub"})
    odt_with_empty_libraries = make_odt(extra={"Basic/script-lc.xml": "<libraries/>"})

    assert kind_of(docm) is None
    with zipfile.ZipFile(io.BytesIO(docm)) as archive:
        assert uploads.ooxml_kind(archive, set(archive.namelist())) is None
    assert kind_of(odt_with_basic) is None
    assert kind_of(odt_with_empty_libraries) == "odt"


# --- PDF ----------------------------------------------------------------------------------------


def test_a_truncated_pdf_has_no_end_and_a_whole_one_has():
    whole = make_pdf()
    padded = whole + b"\x00" * 1000  # bytes after %%EOF are allowed
    cut = whole[: len(whole) - 40]

    assert uploads.pdf_has_end(io.BytesIO(whole), len(whole))
    assert uploads.pdf_has_end(io.BytesIO(padded), len(padded))
    assert not uploads.pdf_has_end(io.BytesIO(cut), len(cut))


def test_a_pdf_opens_unless_it_needs_a_password():
    assert len(uploads.open_pdf(io.BytesIO(make_pdf())).pages) == 3
    restricted = encrypt(make_pdf(), user_password="")
    assert len(uploads.open_pdf(io.BytesIO(restricted)).pages) == 3

    with pytest.raises(uploads.PdfNeedsPassword):
        uploads.open_pdf(io.BytesIO(encrypt(make_pdf(), user_password="mat-khau")))


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_an_aes_encrypted_pdf_opens_the_same_way(algorithm):
    restricted = encrypt(make_pdf(), user_password="", algorithm=algorithm)
    assert len(uploads.open_pdf(io.BytesIO(restricted)).pages) == 3
    with pytest.raises(uploads.PdfNeedsPassword):
        uploads.open_pdf(
            io.BytesIO(encrypt(make_pdf(), user_password="mat-khau", algorithm=algorithm))
        )


def test_something_that_only_starts_like_a_pdf_does_not_open():
    with pytest.raises(Exception) as error:  # noqa: PT011  # pypdf raises many kinds
        len(uploads.open_pdf(io.BytesIO(b"%PDF-1.7\nnot really a PDF\n%%EOF\n")).pages)

    assert not isinstance(error.value, uploads.PdfNeedsPassword)


# --- Private storage ----------------------------------------------------------------------------

FILES = uploads.PrivateFiles(
    prefix="tests", pattern=re.compile(r"^tests/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$"), label="test file"
)


def test_a_file_is_saved_under_a_generated_name_opened_and_deleted():
    generated = FILES.new_name("pdf", timezone.localtime())
    content = make_pdf()

    stored = FILES.save(generated, ContentFile(content))

    assert stored == generated
    assert FILES.storage().exists(stored)
    with FILES.open(stored) as handle:
        assert handle.read() == content
    FILES.delete(stored)
    FILES.delete(stored)  # already gone: not an error
    assert not FILES.storage().exists(stored)


@pytest.mark.parametrize(
    "name",
    ["../settings.py", "tests/2026/01/../../x.pdf", "documents/2026/01/" + "a" * 32 + ".pdf"],
)
def test_only_names_matching_the_pattern_reach_the_storage(name):
    with pytest.raises(ValueError, match="Not a stored test file name"):
        FILES.open(name)
    with pytest.raises(ValueError, match="Not a stored test file name"):
        FILES.delete(name)


# --- Both doors ---------------------------------------------------------------------------------


def signed_twice_and_cut() -> bytes:
    """A PDF whose last incremental update (a second signature, say) was cut off: pypdf alone
    opens the revision before it."""
    first = make_pdf()
    writer = PdfWriter(io.BytesIO(first), incremental=True)
    # As long as a signature's update (its /Contents alone are kilobytes of hex).
    writer.add_metadata({"/Title": "Bản đã ký lần hai " + "0" * 8192})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()[:-20]


@pytest.mark.parametrize(
    ("content", "document_code", "feedback_code"),
    [
        pytest.param(
            damaged_docx("[Content_Types].xml"), "file_type", "file_type", id="damaged docx"
        ),
        pytest.param(signed_twice_and_cut(), "pdf_damaged", "file_damaged", id="cut pdf"),
    ],
)
def test_both_doors_refuse_a_damaged_docx_and_a_cut_pdf(content, document_code, feedback_code):
    with pytest.raises(ValidationError) as refused_document:
        files.store(SimpleUploadedFile("x", content))
    with pytest.raises(ValidationError) as refused_feedback:
        attachments.check_upload(SimpleUploadedFile("x", content))

    assert refused_document.value.code == document_code
    assert refused_feedback.value.code == feedback_code
