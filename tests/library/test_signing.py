"""Request signing follows PROTOCOL.md, verified against its two test vectors."""

import pytest

from ipernity.signing import encode_params, encode_value, is_valid_signature, signature

KEY = "6fa87ba500002712bd4eed6020f3bd72"
SECRET = "e9a599f0cf6ce193"


def test_method_call_vector() -> None:
    params = {"api_key": KEY, "doc_id": "1234", "keywords": "easy"}
    assert signature(params, SECRET, "doc.tags.add") == "a269b218feb341ef03bc093a0f2c8078"


def test_authorization_link_vector_has_no_method_name() -> None:
    params = {"api_key": KEY, "perm_network": "read"}
    assert signature(params, SECRET) == "da183021cd39461108770b822fcd9398"


def test_file_and_api_sig_are_not_signed() -> None:
    params = {"api_key": KEY, "doc_id": "1234", "keywords": "easy"}
    with_extras = {**params, "file": "photo.jpg", "api_sig": "whatever"}
    assert signature(with_extras, SECRET, "doc.tags.add") == signature(
        params, SECRET, "doc.tags.add"
    )


def test_unicode_values_are_signed_as_utf8() -> None:
    params = {"api_key": KEY, "title": "Été à Zürich – 東京"}
    sig = signature(params, SECRET, "doc.set")
    assert is_valid_signature({**params, "api_sig": sig}, SECRET, "doc.set")


def test_validation_rejects_a_wrong_or_missing_signature() -> None:
    params = {"api_key": KEY, "doc_id": "1"}
    assert not is_valid_signature({**params, "api_sig": "0" * 32}, SECRET, "doc.get")
    assert not is_valid_signature(params, SECRET, "doc.get")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "1"),
        (False, "0"),
        (42, "42"),
        (1.5, "1.5"),
        ("ümlaut", "ümlaut"),
        ([1, 2, 3], "1,2,3"),
        (("a", "b"), "a,b"),
    ],
)
def test_simple_values_are_encoded_as_the_service_expects(value: object, text: str) -> None:
    assert encode_value(value) == text  # type: ignore[arg-type]


def test_none_values_are_left_out() -> None:
    assert encode_params({"a": None, "b": 0, "c": ""}) == {"b": "0", "c": ""}


def test_unsupported_values_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match="dict"):
        encode_value({"nested": 1})  # type: ignore[arg-type]
