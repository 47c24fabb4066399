"""Errors are one hierarchy, keep PyIpernity's attributes and hide secrets."""

import pytest

from ipernity import exceptions as exc


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (1, exc.NotFound),
        (100, exc.InvalidAPIKey),
        (101, exc.InvalidAPIKey),
        (104, exc.SignatureError),
        (105, exc.SignatureError),
        (106, exc.TokenError),
        (107, exc.TokenError),
        (110, exc.PermissionDenied),
        (112, exc.RateLimited),
        (113, exc.RateLimited),
        (120, exc.APIRequestError),
    ],
)
def test_error_codes_map_to_classes_by_meaning(code: int, cls: type) -> None:
    error = exc.error_for(str(code), "message", "doc.get", {})
    assert type(error) is cls
    assert isinstance(error, exc.APIRequestError)
    assert isinstance(error, exc.IpernityError)


def test_upload_codes_are_not_taken_for_not_found() -> None:
    assert type(exc.error_for("1", "File missing", "upload.file")) is exc.APIRequestError


def test_pyipernity_attributes_are_kept() -> None:
    error = exc.error_for("1", "Document not found", "doc.get", {"doc_id": 5})
    assert (error.status, error.code, error.message, error.method) == (
        "error",
        1,
        "Document not found",
        "doc.get",
    )
    assert error.params == {"doc_id": 5}
    assert str(error) == "Error 1 from doc.get: Document not found"


def test_credentials_are_masked_in_params_and_repr() -> None:
    error = exc.error_for(
        "107", "Invalid token", "auth.checkToken", {"auth_token": "tok-123", "frob": "frob-9"}
    )
    assert error.params == {"auth_token": "***", "frob": "***"}
    assert "tok-123" not in repr(error) + str(error)


def test_transport_errors_are_ipernity_errors() -> None:
    assert issubclass(exc.RequestTimeout, exc.TransportError)
    assert issubclass(exc.TransportError, exc.IpernityError)
    assert issubclass(exc.UploadTimeout, exc.UploadError)
