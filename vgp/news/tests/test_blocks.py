"""Video and audio blocks take only files a browser can play, and WebVTT captions."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents import get_document_model

from vgp.news.blocks import AudioBlock, VideoBlock


def document(name: str):
    model = get_document_model()
    doc = model(title=name)
    doc.file.save(name, ContentFile(b"data"), save=False)
    doc.save()
    return doc


def video_value(block: VideoBlock, file, captions=None):
    return block.to_python({"file": file.pk, "captions": captions.pk if captions else None})


def test_a_video_block_takes_an_mp4_with_webvtt_captions(db):
    block = VideoBlock()
    block.clean(video_value(block, document("hop-bao.mp4"), document("hop-bao.vtt")))


def test_a_video_block_names_each_wrong_file(db):
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(video_value(block, document("hop-bao.pdf"), document("hop-bao.srt")))
    assert set(raised.value.block_errors) == {"file", "captions"}


def test_an_audio_block_refuses_a_video_file(db):
    block = AudioBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python({"file": document("ban-tin.mp4").pk}))
    assert set(raised.value.block_errors) == {"file"}
    block.clean(block.to_python({"file": document("ban-tin.mp3").pk}))
