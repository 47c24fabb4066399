"""Upload bodies are streamed multipart, readable back by a standard parser."""

import io
from email.parser import BytesParser
from email.policy import HTTP

import pytest

from ipernity.exceptions import IpernityError
from ipernity.multipart import MultipartBody, open_upload


def _parse(body: MultipartBody, payload: bytes) -> dict[str, bytes]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {body.content_type}\r\n\r\n".encode() + payload
    )
    return {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in message.iter_parts()
    }


def test_fields_and_file_round_trip() -> None:
    data = bytes(range(256)) * 100
    body = MultipartBody({"title": "Été", "api_key": "k"}, "file", "a.jpg", io.BytesIO(data))
    payload = body.read()
    assert len(payload) == len(body)
    parts = _parse(body, payload)
    assert parts["file"] == data
    assert parts["title"] == "Été".encode()


def test_the_body_is_read_in_small_blocks() -> None:
    data = b"x" * 100_000
    body = MultipartBody({}, "file", "big.bin", io.BytesIO(data))
    chunks = iter(lambda: body.read(8192), b"")
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) <= 8192
    assert sum(sizes) == len(body)


def test_a_missing_path_is_a_clear_error(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(IpernityError, match="cannot read"), open_upload("/nonexistent/x.jpg"):
        pass


def test_text_mode_files_are_refused() -> None:
    with pytest.raises(IpernityError, match="binary mode"), open_upload(io.StringIO("text")):
        pass
