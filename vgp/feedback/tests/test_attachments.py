"""Citizens' attachments: types decided by content, limits, bomb defences, private storage."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from PIL import Image

from vgp.feedback import attachments
from vgp.feedback.attachments import check_upload, check_uploads

CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + "<w:body><w:p><w:r><w:t>Kiến nghị về đường giao thông</w:t></w:r></w:p></w:body>".encode()
    + b"</w:document>"
)


# --- Builders of small real files ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def english_messages():
    """The refusals are compared with their English source text."""
    with translation.override("en"):
        yield


def make_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def make_image(fmt: str, size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def make_docx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR declares the given size (correct CRCs, almost no pixel data)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        attachments.PNG_MAGIC
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + png_chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.fixture(autouse=True)
def _private_storage_is_empty():
    storage = storages["private"]
    yield
    for directory in ("feedback",):
        if storage.exists(directory):
            _remove_tree(storage, directory)


def _remove_tree(storage, path: str) -> None:
    directories, files = storage.listdir(path)
    for name in files:
        storage.delete(f"{path}/{name}")
    for name in directories:
        _remove_tree(storage, f"{path}/{name}")


# --- Accepted files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type", "extension"),
    [
        ("don-khieu-nai.pdf", make_pdf(), "pdf", "application/pdf", "pdf"),
        ("anh-hien-truong.jpg", make_image("JPEG"), "jpeg", "image/jpeg", "jpg"),
        ("so-do.png", make_image("PNG"), "png", "image/png", "png"),
        (
            "kien-nghi.docx",
            make_docx(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
    ],
)
def test_real_small_files_are_accepted(name, content, kind, content_type, extension):
    # Given a real small file a citizen attaches (sent with a misleading content type)
    file = upload(name, content, content_type="text/plain")

    # When it is checked
    checked = check_upload(file)

    # Then its kind comes from its content, and it is described exactly
    assert checked.kind == kind
    assert checked.content_type == content_type
    assert checked.extension == extension
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.original_name == name
    # and the file is rewound for whoever reads it next
    assert file.tell() == 0


def test_type_is_decided_by_content_not_by_name():
    # Given a real PNG named as a PDF
    file = upload("scan.pdf", make_image("PNG"))

    # When it is checked
    checked = check_upload(file)

    # Then it is a PNG and will be stored as one
    assert (checked.kind, checked.extension) == ("png", "png")


def test_original_name_keeps_only_a_clean_basename():
    # Given a name with folders, control characters and a right-to-left override
    file = upload("x", make_pdf())
    file.name = "C:\\Users\\lan\\..\\ho\u202eso\x00.pdf"

    # When it is checked
    checked = check_upload(file)

    # Then only the cleaned basename remains
    assert checked.original_name == "hoso.pdf"


def test_long_original_name_is_cut_to_200_characters_keeping_its_extension():
    file = upload("a" * 300 + ".pdf", make_pdf())

    checked = check_upload(file)

    assert len(checked.original_name) == 200
    assert checked.original_name.endswith(".pdf")


# --- Refused files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("hoa-don.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # a Windows executable renamed
        ("anh.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("tai-lieu.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),  # a Linux executable
        ("bao-cao.docx", b"PK\x05\x06" + b"\x00" * 18),  # an empty zip
        ("ghi-chu.pdf", b"just some text"),
    ],
)
def test_files_of_other_types_are_refused_whatever_their_name(name, content):
    # Given a file that is not a PDF, JPEG, PNG or DOCX, under an allowed name
    file = upload(name, content, content_type="application/pdf")

    # When it is checked
    with pytest.raises(ValidationError) as error:
        check_upload(file)

    # Then it is refused, naming the file
    assert refusal(error.value) == (
        f"“{name}” is not a PDF, JPG, PNG or DOCX file (its content was checked)."
    )
    assert error.value.code == "file_type"
    assert file.tell() == 0


def test_plain_zip_renamed_docx_is_refused():
    # Given a zip with ordinary files, named .docx
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", b"hello")
        archive.writestr("data.csv", b"a,b\n1,2\n")
    file = upload("hop-dong.docx", buffer.getvalue())

    # When / Then it is refused as not a Word document
    with pytest.raises(ValidationError, match="is not a PDF, JPG, PNG or DOCX"):
        check_upload(file)


def test_macro_enabled_document_renamed_docx_is_refused():
    # Given a Word document carrying a VBA project (a .docm) named .docx
    file = upload("cong-van.docx", make_docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}))

    # When / Then it is refused
    with pytest.raises(ValidationError, match="is not a PDF, JPG, PNG or DOCX"):
        check_upload(file)


def test_pdf_without_end_of_file_marker_is_refused():
    # Given a PDF cut off in transfer (or a fake one that only starts like a PDF)
    file = upload("don.pdf", make_pdf()[:-7] + b"\x00" * 3000)

    # When / Then it is refused as damaged
    with pytest.raises(ValidationError, match=re.escape("“don.pdf” could not be read")):
        check_upload(file)


def test_jpeg_magic_followed_by_garbage_is_refused():
    # Given three bytes of JPEG signature followed by garbage
    file = upload("anh.jpg", b"\xff\xd8\xff" + bytes(range(7, 250)) * 4)

    # When / Then Pillow cannot read its header and the file is refused
    with pytest.raises(ValidationError, match=re.escape("“anh.jpg” could not be read")):
        check_upload(file)


def test_png_declaring_ten_billion_pixels_is_refused_without_decoding():
    # Given a PNG of a few dozen bytes whose header declares 100,000 x 100,000 pixels
    content = make_png_header(100_000, 100_000)
    assert len(content) < 100
    file = upload("ban-do.png", content)

    # When / Then it is refused for its size in pixels
    with pytest.raises(
        ValidationError, match=re.escape("“ban-do.png” has too many pixels")
    ) as error:
        check_upload(file)
    assert error.value.code == "image_too_large"


def test_png_over_our_own_pixel_limit_is_refused():
    # Given a PNG header of 8,000 x 6,000 (48 megapixels: below Pillow's own alarm, above ours)
    file = upload("anh-lon.png", make_png_header(8000, 6000))

    # When / Then it is refused for its size in pixels
    with pytest.raises(ValidationError, match="at most 40 megapixels"):
        check_upload(file)


def test_png_signature_on_a_jpeg_body_is_refused():
    # Given a JPEG whose first bytes were replaced by the PNG signature
    content = attachments.PNG_MAGIC + make_image("JPEG")[8:]
    file = upload("anh.png", content)

    # When / Then it is refused
    with pytest.raises(ValidationError):
        check_upload(file)


def test_docx_expanding_beyond_50_mb_is_refused():
    # Given a zip-bomb-like DOCX: one entry of 60 MB of zeros, deflated to some 60 KB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        with archive.open("word/media/padding.bin", "w") as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(60):
                entry.write(chunk)
    content = buffer.getvalue()
    assert len(content) < 200 * 1024
    file = upload("kien-nghi.docx", content)

    # When / Then it is refused without being extracted
    with pytest.raises(ValidationError, match="expands to too much data") as error:
        check_upload(file)
    assert error.value.code == "file_bomb"


def test_docx_entry_compressed_more_than_100_times_is_refused():
    # Given a DOCX of modest total size but with one entry compressed ~1000:1
    file = upload("kien-nghi.docx", make_docx({"word/media/zeros.bin": b"\x00" * 1024 * 1024}))

    # When / Then it is refused
    with pytest.raises(ValidationError, match="expands to too much data"):
        check_upload(file)


@override_settings(FEEDBACK_DOCX_MAX_ENTRIES=3)
def test_docx_with_too_many_entries_is_refused():
    file = upload("kien-nghi.docx", make_docx({"a.xml": b"<a/>", "b.xml": b"<b/>"}))

    with pytest.raises(ValidationError, match="expands to too much data"):
        check_upload(file)


@override_settings(FEEDBACK_ATTACHMENT_MAX_BYTES=100)
def test_file_over_the_size_limit_is_refused_before_reading():
    # Given a limit of 100 bytes and a 200-byte PDF
    file = upload("don.pdf", make_pdf() + b"\n" * 100)

    # When / Then it is refused for its size, naming the limit
    with pytest.raises(ValidationError) as error:
        check_upload(file)
    assert refusal(error.value) == "“don.pdf” is larger than 100 bytes."


def test_size_limit_message_reads_in_megabytes_by_default():
    assert attachments.format_size(attachments.max_bytes()) == "10 MB"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match=re.escape("“rong.pdf” is empty")):
        check_upload(upload("rong.pdf", b""))


# --- A whole submission ----------------------------------------------------------------------------


def test_submission_with_every_file_valid_is_accepted():
    files = [upload("a.pdf", make_pdf()), upload("b.png", make_image("PNG"))]

    checked = check_uploads(files)

    assert [item.kind for item in checked] == ["pdf", "png"]


def test_submission_collects_every_files_refusal():
    # Given a submission with one good file and two bad ones
    files = [
        upload("tot.pdf", make_pdf()),
        upload("virus.pdf", b"MZ" + b"\x00" * 64),
        upload("trang.png", b"<html></html>"),
    ]

    # When it is checked
    with pytest.raises(ValidationError) as error:
        check_uploads(files)

    # Then both refusals are reported together
    messages = error.value.messages
    assert len(messages) == 2
    assert "“virus.pdf”" in messages[0]
    assert "“trang.png”" in messages[1]


def test_too_many_files_are_refused():
    # Given six files where five are allowed
    files = [upload(f"{index}.pdf", make_pdf()) for index in range(6)]

    # When / Then the submission is refused for their number
    with pytest.raises(ValidationError) as error:
        check_uploads(files)
    assert error.value.messages == ["At most 5 files can be attached."]


@override_settings(FEEDBACK_ATTACHMENT_MAX_TOTAL_BYTES=300)
def test_files_over_the_total_limit_are_refused():
    # Given three valid PDFs that are together larger than the total allowed
    files = [upload(f"{index}.pdf", make_pdf()) for index in range(3)]

    # When / Then the submission is refused for their total size
    with pytest.raises(ValidationError) as error:
        check_uploads(files)
    assert error.value.messages == ["The attached files together are larger than 300 bytes."]


# --- Storage ---------------------------------------------------------------------------------------


def test_stored_file_gets_a_generated_name_in_private_storage():
    # Given a checked PDF with a citizen's name
    file = upload("Đơn khiếu nại của Lan.pdf", make_pdf())
    checked = check_upload(file)

    # When it is stored
    name = attachments.store(file, checked)

    # Then the name is generated, carries nothing of the citizen's, and lives in private storage
    assert attachments.STORED_NAME.match(name)
    assert "Lan" not in name
    assert "khi" not in name
    assert storages["private"].exists(name)
    assert not storages["default"].exists(name)
    with attachments.open_stored(name) as stored:
        assert stored.read() == make_pdf()


def test_deleted_file_is_gone_and_deleting_twice_is_harmless():
    file = upload("a.png", make_image("PNG"))
    name = attachments.store(file, check_upload(file))

    attachments.delete_stored(name)
    attachments.delete_stored(name)

    assert not storages["private"].exists(name)


@pytest.mark.parametrize("name", ["../settings.py", "feedback/2025/01/x.pdf", "/etc/passwd"])
def test_names_not_generated_here_are_never_opened(name):
    with pytest.raises(ValueError, match="Not a stored feedback attachment name"):
        attachments.open_stored(name)
