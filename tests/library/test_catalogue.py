"""The method catalogue is shipped as data and read in one place."""

from ipernity import IpernityAPI, catalogue


def test_the_catalogue_has_all_102_methods() -> None:
    assert len(catalogue.methods()) == 102
    assert len(IpernityAPI.__methods__) == 102


def test_raw_entries_are_exposed_as_pyipernity_did() -> None:
    entry = IpernityAPI.__methods__["upload.file"]
    assert entry["authentication"]["post"] == "1"


def test_flags_and_permissions_are_read() -> None:
    method = catalogue.get("doc.delete")
    assert method is not None
    assert (method.post, method.sign, method.token) == (True, True, True)
    assert method.permissions == {"doc": "delete"}
    assert not method.read_only


def test_unknown_methods_are_none() -> None:
    assert catalogue.get("doc.steal") is None


def test_required_parameters_leave_out_the_api_key() -> None:
    method = catalogue.get("doc.tags.add")
    assert method is not None
    assert method.required == ("doc_id",)


def test_per_page_limits_come_from_the_documentation() -> None:
    assert catalogue.methods()["doc.getList"].per_page_limits == (20, 100)
    assert catalogue.methods()["tags.docs.getList"].per_page_limits == (100, 500)
    assert catalogue.methods()["test.echo"].per_page_limits is None


def test_item_paths_are_read_from_the_sample_answers() -> None:
    paths = {name: m.item_path for name, m in catalogue.methods().items() if m.paged}
    assert paths["doc.getList"] == ("docs", "doc")
    assert paths["album.docs.getList"] == ("album", "docs", "doc")
    assert paths["folder.albums.getList"] == ("folder", "albums", "album")
    assert paths["doc.getVisitors"] == ("visits", "visit")
    assert paths["network.getList"] == ("network", "user")
    assert paths["album.getList"] == ("albums", "album")


def test_prefixes_cover_every_service_family() -> None:
    assert {"api", "auth", "doc", "upload", "test", "user", "post"} <= catalogue.prefixes()


def test_auth_and_upload_methods_are_never_read_only() -> None:
    read_only = {m.name for m in catalogue.methods().values() if m.read_only}
    assert "upload.checkTickets" not in read_only
    assert "auth.checkToken" not in read_only
    assert "doc.get" in read_only
