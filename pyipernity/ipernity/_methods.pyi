"""The API's methods, typed, for type checkers and editors.

Generated from the catalogue by scripts/generate_method_stubs.py: do not edit.
``IpernityAPI`` has the namespaces of :class:`MethodTree` (``api.doc``,
``api.album``, ...); each method takes the catalogue's parameters as keyword
arguments typed by their kind (see ``ipernity.parameters``) and answers the
parsed JSON. A parameter the catalogue does not list is sent with
``api.call("doc.search", name=value)``, which checks no parameter.
"""

from typing import Any

from .parameters import Flag, Id, Ids, Integers, Texts, Upload
from .signing import ParamValue

class MethodTree:
    """The API's namespaces, as IpernityAPI reaches them: ``api.doc``, ..."""

    @property
    def account(self) -> AccountNamespace: ...
    @property
    def album(self) -> AlbumNamespace: ...
    @property
    def api(self) -> ApiNamespace: ...
    @property
    def doc(self) -> DocNamespace: ...
    @property
    def explore(self) -> ExploreNamespace: ...
    @property
    def faves(self) -> FavesNamespace: ...
    @property
    def folder(self) -> FolderNamespace: ...
    @property
    def group(self) -> GroupNamespace: ...
    @property
    def network(self) -> NetworkNamespace: ...
    @property
    def post(self) -> PostNamespace: ...
    @property
    def tags(self) -> TagsNamespace: ...
    @property
    def test(self) -> TestNamespace: ...
    @property
    def upload(self) -> UploadNamespace: ...
    @property
    def user(self) -> UserNamespace: ...

class AccountNamespace:
    """The ``account.*`` methods."""

    def getQuota(self, *, lg: str | None = None) -> dict[str, Any]:
        """Return the calling user upload quota.

        GET, signed, needs a token, permissions: doc=write

        Parameters (* required):
            lg  text  The language of the answer's texts (en, fr, …).

        Note: Only the universe is infinite. This is why an "unlimited" upload limit
        has an internal 10 Gig limit, automatically upgraded when reached.

        Other parameters: api.call("account.getQuota", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/account.getQuota
        """

class AlbumNamespace:
    """The ``album.*`` methods."""

    @property
    def docs(self) -> AlbumDocsNamespace: ...
    def create(
        self,
        *,
        title: str,
        description: str | None = None,
        cover_id: Id | None = None,
        perm_comment: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Create a new album

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * title         text     A title for this album
            description   text     A description for this album. (Some HTML tags are
                                   accepted)
            cover_id      id       The document Id to be used as the cover. (Must
                                   belong to the calling user)
            perm_comment  integer  Who can add comments to this album. Possible values
                                   are : • 0: only you • 1: family • 2: friends • 3:
                                   friends & family • 4: contacts • 5: everybody
            lg            text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("album.create", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/album.create
        """

    def delete(self, *, album_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Delete an album

        POST, signed, needs a token, permissions: doc=delete

        Parameters (* required):
          * album_id  id    The Id of the album to delete.
            lg        text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("album.delete", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/album.delete
        """

    def edit(
        self,
        *,
        album_id: Id,
        title: str | None = None,
        description: str | None = None,
        cover_id: Id | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Edit an album

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * album_id     id    The Album ID you wish to edit
            title        text  The new title for this album
            description  text  The new description for this album. (Some HTML tags are
                               accepted)
            cover_id     id    The document ID to be used as the new cover. (Must
                               belong to the calling user)
            lg           text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("album.edit", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/album.edit
        """

    def get(
        self, *, album_id: Id, thumbsize: str | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Get information about an album.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * album_id   id    The ID of the album to get information for.
            thumbsize  text  Choose your prefered size for the cover: 75x, 100, 240,
                             250x, 500, 560, 640, 800, 1024, 1600 or 2048. (Value is
                             75x by default)
            lg         text  The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        Note: Permissions are only returned on an authenticated call by the albums
        owner. The count.family, count.friend, (...) indicates the number of documents
        visible for each part of the calling user's network.

        Other parameters: api.call("album.get", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/album.get
        """

    def getFaves(
        self,
        *,
        album_id: Id,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the list of members who have faved a album.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * album_id  id       The ID of the album to get the member faves list for.
            per_page  integer  The number of records to return on each page. (Default
                               is 10, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("album.getFaves", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/album.getFaves
        """

    def getList(
        self,
        *,
        user_id: Id | None = None,
        safesurf: int | None = None,
        empty: Flag | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the albums list for a given user

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            user_id    id       The ID of the user to get an album list for. (If not
                                specified, the calling user is assumed)
            safesurf   integer  Only return elements matching this safety level. See
                                doc.setSafety.
            empty      flag     Set to 1 to list empty albums.
            thumbsize  text     Choose your prefered size for the cover: 75x, 100, 240,
                                250x, 500, 560, 640, 800, 1024, 1600 or 2048. (Value is
                                75x by default)
            per_page   integer  The number of records to return on each page. (Default
                                is 100, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        Note: Permissions are only returned on an authenticated call by the albums
        owner. The count.family, count.friend, (...) indicates the number of documents
        visible for each part of the calling user's network.

        Other parameters: api.call("album.getList", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/album.getList
        """

    def getVisitors(
        self,
        *,
        album_id: Id,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the album latest visitors.

        GET, signed, needs a token, permissions: doc=read

        Parameters (* required):
          * album_id  id       The ID of the album to get the latest visitors for.
            per_page  integer  The number of records to return on each page. (Default
                               is 10, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("album.getVisitors", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/album.getVisitors
        """

    def orderList(self, *, album_ids: Ids, lg: str | None = None) -> dict[str, Any]:
        """Change the order of your albums

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * album_ids  ids   A comma separated list of your album IDs. The first ID
                             will be the first displayed album. Missing album IDs will
                             be displayed at the end of the list, ordered by their IDs.
            lg         text  The language of the answer's texts (en, fr, …).

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("album.orderList", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/album.orderList
        """

    def setPerms(
        self, *, album_id: Id, perm_comment: int, lg: str | None = None
    ) -> dict[str, Any]:
        """Set permissions for an album

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * album_id      id       The Album ID you wish to edit
          * perm_comment  integer  The new permissions to comment on the album • 0:
                                   only you • 3: friends & family • 4: contacts • 5:
                                   every member
            lg            text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("album.setPerms", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/album.setPerms
        """

class AlbumDocsNamespace:
    """The ``album.docs.*`` methods."""

    def add(self, *, album_id: Id, doc_id: Ids, lg: str | None = None) -> dict[str, Any]:
        """Add one or many docs to an album

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * album_id  id    The album ID you wish to add documents in.
          * doc_id    ids   A document ID or a comma separated list of document IDs.
                            (List may contain a maximum of 20 IDs)
            lg        text  The language of the answer's texts (en, fr, …).

        Note: A document is skipped when: • added="0": it is already a member of this
        album. • error="X": there was an error when adding the document to this album.
        Document error codes: • error="1": The document has been previously added in
        the maximum allowed albums.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("album.docs.add", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/album.docs.add
        """

    def getContext(
        self,
        *,
        album_id: Id,
        doc_id: Id,
        media: str | None = None,
        safesurf: int | None = None,
        prev: int | None = None,
        next: int | None = None,
        thumbsize: str | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Get the document context in an album

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
          * album_id   id       The Album ID which the document belongs to.
          * doc_id     id       The ID of the document to get the context for. By
                                default 10 previous and 10 next documents are returned.
            media      text     Specify the type of returned documents. media values
                                are : photo, audio, video, other. If specified, the
                                media type must be the same as the document doc_id.
            safesurf   integer  Only return the documents matching a safety level. See
                                doc.setSafety.
            prev       integer  Only return some previous (oldest) documents. (Value is
                                from 1 to 50)
            next       integer  Only return some next (newest) documents. (Value is
                                from 1 to 50)
            thumbsize  text     Choose your prefered size for thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            lg         text     The language of the answer's texts (en, fr, …).

        Note: • The next and prev direction refer to the album order. Moving to the
        previous items goes to the album first added items and moving to the next items
        goes to the album added last items. • Access to thumbnail size greater than 800
        pixels depends on user preferences.

        Other parameters: api.call("album.docs.getContext", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/album.docs.getContext
        """

    def getList(
        self,
        *,
        album_id: Id,
        media: str | None = None,
        share: int | None = None,
        safesurf: int | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the list of documents in an album

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
          * album_id   id       The Album ID to return the documents for.
            media      text     Only return this type of media. Valid values are :
                                photo, video, audio, other.
            share      integer  Only return the documents matching this privacy level.
                                Possible values are : • 0 : private documents • 1 :
                                documents visible to family • 2 : documents visible to
                                friends • 3 : documents visible to friends & family • 4
                                : public documents This option is only available on an
                                album owned by an authenticated calling user.
            safesurf   integer  Only return the documents matching this safety level.
                                See doc.setSafety.
            extra      texts    A comma seprarated list of extra information to include
                                in each records. Extra values are: dates, geo, medias,
                                original, link.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                20, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("album.docs.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/album.docs.getList
        """

    def remove(self, *, album_id: Id, doc_id: Ids, lg: str | None = None) -> dict[str, Any]:
        """Remove one or many docs from an album

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * album_id  id    The Album ID you wish to remove a document from.
          * doc_id    ids   A document ID or a comma separated list of document IDs.
                            (List may contain a maximum of 20 IDs)
            lg        text  The language of the answer's texts (en, fr, …).

        Note: When all documents are removed from an album (e.g. total=0), the album
        will be automatically destroyed.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("album.docs.remove", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/album.docs.remove
        """

    def setList(
        self, *, album_id: Id, doc_ids: Ids, cover_id: Id, lg: str | None = None
    ) -> dict[str, Any]:
        """Replace all the documents and the cover of an album

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * album_id  id    The Album ID you wish to set its document list.
          * doc_ids   ids   A comma separated list of document IDs. This list of
                            documents will replace the album existing list. Document
                            will appear in the album the order sent.
          * cover_id  id    The document ID to use as the album cover. This document
                            must belong to the doc_ids list.
            lg        text  The language of the answer's texts (en, fr, …).

        Note: A document is skipped when: • added="0": it is already a member of this
        album. • error="X": there was an error when adding the document to this album.
        Document error codes: • error="1": The document has been previously added in
        the maximum allowed albums.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("album.docs.setList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/album.docs.setList
        """

class ApiNamespace:
    """The ``api.*`` methods."""

    @property
    def methods(self) -> ApiMethodsNamespace: ...

class ApiMethodsNamespace:
    """The ``api.methods.*`` methods."""

    def get(self, *, method: str | None = None, lg: str | None = None) -> dict[str, Any]:
        """Return information about an API method.

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            method  text  The name of the method to return information for.
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("api.methods.get", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/api.methods.get
        """

    def getList(self, *, lg: str | None = None) -> dict[str, Any]:
        """Return the API methods list

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            lg  text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("api.methods.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/api.methods.getList
        """

class DocNamespace:
    """The ``doc.*`` methods."""

    @property
    def albums(self) -> DocAlbumsNamespace: ...
    @property
    def comments(self) -> DocCommentsNamespace: ...
    @property
    def notes(self) -> DocNotesNamespace: ...
    @property
    def tags(self) -> DocTagsNamespace: ...
    def checkMD5(self, *, md5: Texts, lg: str | None = None) -> dict[str, Any]:
        """Check if a doc exists in your stream using MD5.

        GET, signed, needs a token, permissions: doc=read

        Parameters (* required):
          * md5  texts  The MD5 checksum to check or a comma seperated list of MD5
                        checksums (maximum is 20).
            lg   text   The language of the answer's texts (en, fr, …).

        Note: Or, an empty response if the md5 was not found.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("doc.checkMD5", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.checkMD5
        """

    def delete(self, *, doc_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Delete a document.

        POST, signed, needs a token, permissions: doc=delete

        Parameters (* required):
          * doc_id  id    The ID of the document to delete. This document must belong
                          to the calling user.
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.delete", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.delete
        """

    def get(
        self, *, doc_id: Id, extra: Texts | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Get details about document.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * doc_id  id     The ID of the document to get details about.
            extra   texts  A comma seprarated list of extra information to include in
                           each records. Extra values are: tags, notes, geo and md5.
            lg      text   The language of the answer's texts (en, fr, …).

        Note: • share: 0=private, 1=family, 2=friends, 3=both, 5=public • media: photo,
        audio, video or other • permissions: 0=private, 1=family, 2=friends, 3=both,
        4=contacts, 5=public

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("doc.get", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.get
        """

    def getContainers(self, *, doc_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Return all albums and groups the document belongs to.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * doc_id  id    The ID of the document to get the containers for.
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.getContainers", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/doc.getContainers
        """

    def getContext(
        self,
        *,
        doc_id: Id,
        media: str | None = None,
        safesurf: int | None = None,
        prev: int | None = None,
        next: int | None = None,
        thumbsize: str | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Get the document context in docstream

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * doc_id     id       The ID of the document to get the context for. By
                                default 10 previous and 10 next documents are returned
            media      text     Specify the type of returned documents. media values
                                are : photo, audio, video, other.
            safesurf   integer  Only return the documents matching this safety level.
                                See doc.setSafety.
            prev       integer  Only return some previous (oldest) documents. (Value is
                                from 1 to 50)
            next       integer  Only return some next (newest) documents. (Value is
                                from 1 to 50)
            thumbsize  text     Choose your prefered size for thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            lg         text     The language of the answer's texts (en, fr, …).

        Note: • The next and prev direction refer to the stream posted date order.
        Moving to the previous items goes to the stream oldest items and moving to the
        next items goes to the stream recent items. • Access to thumbnail size greater
        than 800 pixels depends on user preferences.

        Other parameters: api.call("doc.getContext", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.getContext
        """

    def getExif(self, **params: ParamValue) -> dict[str, Any]:
        """Return the meta information for a document (EXIF/ID3/...).

        GET, not signed, no token needed, permissions: doc=read

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("doc.getExif", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.getExif
        """

    def getFaves(
        self,
        *,
        doc_id: Id,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the list of members who have faved a document.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * doc_id    id       The ID of the document to get the member faves list for.
            per_page  integer  The number of records to return on each page. (Default
                               is 10, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.getFaves", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.getFaves
        """

    def getList(
        self,
        *,
        user_id: Id | None = None,
        media: str | None = None,
        share: int | None = None,
        safesurf: int | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the member's list of documents

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            user_id    id       Left out, with a token: the token's member. The User ID
                                to return the documents for.
            media      text     Only return this type of media. Valid values are :
                                photo, video, audio, other.
            share      integer  Only return the documents matching a privacy level.
                                Possible values are : • 0 : private documents • 1 :
                                documents visible to family • 2 : documents visible to
                                friends • 3 : documents visible to friends & family • 4
                                : public documents
            safesurf   integer  Only return the documents matching a safety level. See
                                doc.setSafety.
            extra      texts    A comma seprarated list of extra information to include
                                in each records. Extra values are: dates, count, geo,
                                medias, original, md5.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                20, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("doc.getList", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.getList
        """

    def getMedias(self, *, doc_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Get document media urls (thumbs, medias, original,...).

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * doc_id  id    The ID of the document to get information for.
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.getMedias", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.getMedias
        """

    def getPerms(self, *, doc_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Return permissions for a document.

        GET, signed, needs a token, permissions: doc=read

        Parameters (* required):
          * doc_id  id    The ID of the document to get the permissions for.
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.getPerms", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.getPerms
        """

    def getVisitors(
        self,
        *,
        doc_id: Id,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the document latest visitors.

        GET, signed, needs a token, permissions: doc=read

        Parameters (* required):
          * doc_id    id       The ID of the document to get the latest visitors for.
            per_page  integer  The number of records to return on each page. (Default
                               is 10, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.getVisitors", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.getVisitors
        """

    def search(
        self,
        *,
        user_id: Id | None = None,
        media: str | None = None,
        share: int | None = None,
        safesurf: int | None = None,
        text: str | None = None,
        tags: Texts | None = None,
        album_id: Id | None = None,
        group_id: Id | None = None,
        license: Integers | None = None,
        posted_min: int | None = None,
        posted_max: int | None = None,
        created_min: str | None = None,
        created_max: str | None = None,
        lat: float | None = None,
        lng: float | None = None,
        dist: float | None = None,
        sort: str | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Search for documents.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
            user_id      id        Return documents belonging to this user_id. If
                                   ommited the search will be performed in everyone
                                   public docs.
            media        text      Specify the type of returned documents. media values
                                   are : photo, audio, video, other.
            share        integer   Return the calling user documents matching this
                                   privacy level. Values are : • 0: private docs • 1:
                                   docs visible to family • 2: docs visible to friends
                                   • 3: docs visible to friends & family • 4: public
                                   docs This parameter will be discarded if the
                                   specified user_id is not the calling user.
            safesurf     integer   Only return the documents matching this safety
                                   level. See doc.setSafety.
            text         text      Search document titles, descriptions and tags using
                                   a fulltext query. (Use +/- for boolean mode)
            tags         texts     Search document tags using a comma separated list of
                                   tags. (a maximum of 20 tags is allowed)
            album_id     id        Perform the search in this album ID only.
            group_id     id        Perform the search in this group ID only.
            license      integers  Return documents matching this license or a comma
                                   separated list of licenses (ex: 1,3,7). See
                                   doc.setLicense for more details about license IDs.
            posted_min   integer   Specify a minimum posted GMT+0 timestamp.
            posted_max   integer   Specify a maximum posted GMT+0 timestamp.
            created_min  text      Specify a minimum creation date (using the
                                   YYYY-MM-DD HH:MM:SS format).
            created_max  text      Specify a maximum creation date (using the
                                   YYYY-MM-DD HH:MM:SS format).
            lat          decimal   Center point latitude in degrees.
            lng          decimal   Center point longitude in degrees.
            dist         decimal   Radius search size in meters (5 km by default,
                                   maximum 30 km).
            sort         text      The order in which to sort returned documents. The
                                   possible sorts are : relevance, popular,
                                   posted-desc, posted-asc, ''created-desc' and
                                   'created-asc'. The default order is relevance.
            extra        texts     A comma seprarated list of extra information. Extra
                                   parameters are: owner, dates, count, license,
                                   medias, geo, original.
            thumbsize    text      Choose your prefered size for the thumbnails: 75x,
                                   100, 240, 250x, 500, 560, 640, 800, 1024, 1600 or
                                   2048. (Value is 75x by default)
            per_page     integer   The number of docs to return on each page. (Default
                                   is 20, maximum is 100)
            page         integer   The page of results to return.
            lg           text      The language of the answer's texts (en, fr, …).

        Note: You may not combine all search parameters. For example you may not
        combine group_id and album_id, or a fulltext search with a tag search. •
        Searching text and tags syntax : • blue sky clouds : return documents
        containing any of these words. Rank first the documents containing the 3 words.
        • +blue +sky clouds : return documents showing a "blue sky" with some possible
        "clouds". • +blue +sky -clouds : return documents showing a "blue sky" without
        any "clouds". • "the earth is round, like an orange" : search the exact phrase.
        • The search is case-insensitive but accent-sensitive. • Adding a "+", "-" or
        quotes will activate the boolean search mode. • Access to thumbnail size
        greater than 800 pixels depends on user preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("doc.search", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.search
        """

    def set(
        self,
        *,
        doc_id: Id,
        title: str | None = None,
        description: str | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Edit a document title and description.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id       id    The ID of the document you wish to edit
            title        text  The new title for this document
            description  text  The new description for this document
            lg           text  The language of the answer's texts (en, fr, …).

        Note: The doc.set method can also be used to set the document geolocation,
        permissions, license and safety. Additional parameters are described in the
        doc.setGeo, doc.setPerms, doc.setLicense and doc.setSafety methods.

        Note: • share: 0=private, 1=family, 2=friends, 3=both, 4=public

        Other parameters: api.call("doc.set", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.set
        """

    def setGeo(
        self,
        *,
        doc_id: Id,
        lng: float | None = None,
        lat: float | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Set longitude and latitude of a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id  id       The ID of the document you wish to geolocate.
            lng     decimal  Longitude of document, decimal form e.g. 43.6667. Override
                             longitude from EXIF
            lat     decimal  Latitude of document, decimal form e.g. 6.9234. Override
                             latitude from EXIF
            lg      text     The language of the answer's texts (en, fr, …).

        Note: To reset longitude and latitude, use -999 for both values.

        Other parameters: api.call("doc.setGeo", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.setGeo
        """

    def setLicense(self, *, doc_id: Id, license: int, lg: str | None = None) -> dict[str, Any]:
        """Set the license for a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id   id       The ID of the document you wish to set the license for
          * license  integer  The new license ID for the document. Valid license IDs
                              are: • 0: Copyright • 1: Attribution (CC by) • 3:
                              Attribution+Non Commercial (CC by-nc) • 5:
                              Attribution+Non Deriv (CC by-nd) • 7: Attribution+Non
                              Commercial+Non Deriv (CC by-nc-nd) • 9: Attribution+Share
                              Alike (CC by-sa) • 11: Attribution+Non Commercial+Share
                              Alike (CC by-nc-sa) • 255: Copyleft
            lg       text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.setLicense", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.setLicense
        """

    def setPerms(
        self,
        *,
        doc_id: Id,
        is_public: Flag | None = None,
        is_family: Flag | None = None,
        is_friend: Flag | None = None,
        share: int | None = None,
        perm_comment: int | None = None,
        perm_tag: int | None = None,
        perm_tagme: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Set permissions for a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id        id       The ID of the document you wish to set permissions
                                   for.
            is_public     flag     Set to 1 to flag this document as public, 0 to make
                                   it private.
            is_family     flag     Set to 1 to flag this document as family.
            is_friend     flag     Set to 1 to flag this document as friend.
            share         integer  Set the privacy level with one parameter. Values are
                                   : • 0 : private • 1 : visible to family • 2 :
                                   visible to friends • 3 : visible to friends & family
                                   • 4 : public When sent, the is_public, is_family and
                                   is_friend flags are ignored.
            perm_comment  integer  The new permissions to comment on the document : •
                                   0: only you • 3: friends & family • 4: contacts • 5:
                                   every member
            perm_tag      integer  The new permissions to add a tag on the document : •
                                   0: only you • 3: friends & family • 4: contacts • 5:
                                   every member
            perm_tagme    integer  The new permissions to let a member add his personal
                                   member tag on the document : • 0: only you • 3:
                                   friends & family • 4: contacts • 5: every member
            lg            text     The language of the answer's texts (en, fr, …).

        Note: At least one of the required parameters is needed. When setting the
        document privacy the three parameters is_public, is_friend, is_family are
        required - or use share.

        Other parameters: api.call("doc.setPerms", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.setPerms
        """

    def setSafety(self, **params: ParamValue) -> dict[str, Any]:
        """Set the safety for a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("doc.setSafety", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.setSafety
        """

class DocAlbumsNamespace:
    """The ``doc.albums.*`` methods."""

    def add(self, **params: ParamValue) -> dict[str, Any]:
        """Add doc in one or many albums

        POST, signed, needs a token, permissions: doc=write

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("doc.albums.add", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.albums.add
        """

class DocCommentsNamespace:
    """The ``doc.comments.*`` methods."""

    def add(
        self, *, doc_id: Id, content: str, preview: Flag | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Comment on a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id   id    The ID of the document you wish to add a comment on
          * content  text  The comment text. (Some HTML tags are accepted)
            preview  flag  Set this flag to 1 to preview the comment. The comment will
                           not be added.
            lg       text  The language of the answer's texts (en, fr, …).

        Note: You can't post twice the same comment on a given document. If this
        happens, the comment will be accepted but not added as a duplicate.

        Other parameters: api.call("doc.comments.add", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.comments.add
        """

    def delete(self, *, comment_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Delete a comment on a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * comment_id  id    The ID of the comment you wish to delete. The calling
                              user must be the author of the comment or the owner of
                              the document the comment was posted on.
            lg          text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.comments.delete", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/doc.comments.delete
        """

    def edit(
        self, *, comment_id: Id, content: str, preview: Flag | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Edit a comment on a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * comment_id  id    The ID of the comment you wish to edit
          * content     text  The new comment text. (Some HTML tags are accepted)
            preview     flag  Set this flag to 1 to preview the comment. The comment
                              will not be added.
            lg          text  The language of the answer's texts (en, fr, …).

        Note: The modified timestamp is set only if the modification occurs 5 minutes
        after the creation timestamp. The original author (user_id) is never modified.

        Other parameters: api.call("doc.comments.edit", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/doc.comments.edit
        """

    def get(
        self, *, comment_id: Id, extra: Texts | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Return a comment on a document.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * comment_id  id     The ID of the comment to get
            extra       texts  A comma seprarated list of extra information. Extra
                               parameters are: owner.
            lg          text   The language of the answer's texts (en, fr, …).

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("doc.comments.get", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.comments.get
        """

    def getList(
        self,
        *,
        doc_id: Id,
        extra: Texts | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the comments on a document.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * doc_id    id       The ID of the document to get the comment list for
            extra     texts    A comma seprarated list of extra information. Extra
                               parameters are: owner.
            per_page  integer  The number of records to return on each page. (Default
                               is 100, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("doc.comments.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/doc.comments.getList
        """

    def reply(self, *, comment_id: Id, content: str, lg: str | None = None) -> dict[str, Any]:
        """Reply to a comment on a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * comment_id  id    The ID of the comment you would like to reply to
          * content     text  The text of the reply. (Some HTML tags are accepted)
            lg          text  The language of the answer's texts (en, fr, …).

        Note: The comment ID you're replying to is listed in the API response as the
        parent_id.

        Other parameters: api.call("doc.comments.reply", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/doc.comments.reply
        """

class DocNotesNamespace:
    """The ``doc.notes.*`` methods."""

    def add(
        self,
        *,
        doc_id: Id,
        content: str,
        member_id: Id | None = None,
        x: int,
        y: int,
        w: int,
        h: int,
        preview: Flag | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Add a note to a photo.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id     id       The ID of the photo you wish to add a note on.
          * content    text     The note text. (Some HTML tags are accepted)
            member_id  id       The user ID associated to this note.
          * x          integer  The left coordinate of the note.
          * y          integer  The top coordinate of the note.
          * w          integer  The width of the note.
          * h          integer  The height of the note.
            preview    flag     Set this flag to 1 to preview the note. The note will
                                not be added.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: The note coordinates are expressed in pixels. Notes are shown normally on
        the 560 pixel image size. If the coordinates don't match with the photo
        dimensions, the note will be placed at x=0, y=0, w=50, h=50. When associating a
        member ID to a note, the content is not required.

        Other parameters: api.call("doc.notes.add", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.notes.add
        """

    def delete(self, *, note_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Remove a note from a photo.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * note_id  id    The note to remove.
            lg       text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.notes.delete", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.notes.delete
        """

    def edit(
        self,
        *,
        note_id: Id,
        content: str,
        x: int,
        y: int,
        w: int,
        h: int,
        preview: Flag | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Edit a note on a photo.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * note_id  id       The ID of the note you wish to edit.
          * content  text     The new note text. (Some HTML tags are accepted)
          * x        integer  The left coordinate of the note.
          * y        integer  The top coordinate of the note.
          * w        integer  The width of the note.
          * h        integer  The height of the note.
            preview  flag     Set this flag to 1 to preview the note. The note will not
                              be added.
            lg       text     The language of the answer's texts (en, fr, …).

        Note: The note coordinates are expressed in pixels. See doc.notes.add.

        Other parameters: api.call("doc.notes.edit", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.notes.edit
        """

class DocTagsNamespace:
    """The ``doc.tags.*`` methods."""

    def add(
        self,
        *,
        doc_id: Id,
        keywords: str | None = None,
        members: Texts | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Add a tag to a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id    id     The ID of the document you wish to add a tag on.
            keywords  text   The keyword tags to add to the document. You may add one
                             or more keyword tags using the syntax: holidays,beach or
                             "blue sky",sunset.
            members   texts  A comma separated list of member IDs or member Web
                             aliases. The members must belong to the calling user
                             network.
            lg        text   The language of the answer's texts (en, fr, …).

        Note: At least one of the keywords or members parameter is required.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("doc.tags.add", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/doc.tags.add
        """

    def edit(
        self,
        *,
        doc_id: Id,
        keywords: str | None = None,
        members: str | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Edit (in fact replace) the tags for a document owned by the calling user.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id    id    The ID of the document you wish to edit the tags for.
            keywords  text  The new keyword tags to set on the document.
            members   text  The new member tags to set in the document.
            lg        text  The language of the answer's texts (en, fr, …).

        Note: At least one of the keywords or members parameter is required. Send the
        parameter with an empty value to remove the tags.

        Other parameters: api.call("doc.tags.edit", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.tags.edit
        """

    def getList(self, *, doc_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Return the list of tags on a document.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * doc_id  id    The ID of the document you wish to get the tags list on.
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.tags.getList", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.tags.getList
        """

    def remove(self, *, doc_id: Id, type: str, id: Id, lg: str | None = None) -> dict[str, Any]:
        """Remove a tag from a document.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * doc_id  id    The ID of the document you wish to remove a tag from.
          * type    text  The type is keyword or member
          * id      id    The ID of the tag to remove.
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("doc.tags.remove", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/doc.tags.remove
        """

class ExploreNamespace:
    """The ``explore.*`` methods."""

    @property
    def docs(self) -> ExploreDocsNamespace: ...
    @property
    def groups(self) -> ExploreGroupsNamespace: ...

class ExploreDocsNamespace:
    """The ``explore.docs.*`` methods."""

    def getPopular(
        self,
        *,
        safesurf: int | None = None,
        media: str | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the week most popular documents

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
            safesurf   integer  Only return the documents matching a safety level. See
                                doc.setSafety.
            media      text     The type of media to return. Values are : photo and
                                video.
            extra      texts    A comma seprarated list of extra information. Extra
                                parameters are: owner, dates, license, medias, geo.
            thumbsize  text     Choose your prefered size for thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                20, maximum is 50)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("explore.docs.getPopular", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/explore.docs.getPopular
        """

    def getRecent(
        self,
        *,
        safesurf: int | None = None,
        media: str | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        count: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return some recent documents posted by everyone

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
            safesurf   integer  Only return the documents matching a safety level. See
                                doc.setSafety.
            media      text     The type of media to return. Values are : photo, video,
                                audio and other.
            extra      texts    A comma seprarated list of extra information. Extra
                                parameters are: owner, dates, license, medias, geo.
            thumbsize  text     Choose your prefered size for thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            count      integer  The number of records to return. (Count is 50 by
                                default, maximum is 100)
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("explore.docs.getRecent", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/explore.docs.getRecent
        """

    def homepage(
        self,
        *,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the homepage focus last 5 items

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
            extra      texts    A comma seprarated list of extra information. Extra
                                parameters are: owner, dates, license, medias, geo.
            thumbsize  text     Choose your prefered size for thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                5, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("explore.docs.homepage", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/explore.docs.homepage
        """

class ExploreGroupsNamespace:
    """The ``explore.groups.*`` methods."""

    def getRandom(self, *, count: int | None = None, lg: str | None = None) -> dict[str, Any]:
        """Return some random interesting groups

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            count  integer  The number of groups to return. (Default is 10, maximum is
                            50)
            lg     text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("explore.groups.getRandom", name=value) sends them
        as given. The service's page:
        http://www.ipernity.com/help/api/method/explore.groups.getRandom
        """

class FavesNamespace:
    """The ``faves.*`` methods."""

    @property
    def albums(self) -> FavesAlbumsNamespace: ...
    @property
    def docs(self) -> FavesDocsNamespace: ...

class FavesAlbumsNamespace:
    """The ``faves.albums.*`` methods."""

    def add(self, *, album_id: Id | None = None, lg: str | None = None) -> dict[str, Any]:
        """Add an album to your faves

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
            album_id  id    The album ID to add to your faves
            lg        text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("faves.albums.add", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/faves.albums.add
        """

    def getList(
        self,
        *,
        user_id: Id | None = None,
        owner_id: Id | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return a list of favorite albums for a given user

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
            user_id    id       Left out, with a token: the token's member. The user ID
                                to get the favorites list for. If ommited the user ID
                                will be set as the calling user.
            owner_id   id       If set, only return albums from owner ID faved by user
                                ID
            extra      texts    A comma seprarated list of extra information. Extra
                                parameters are: owner.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                20, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: • By default, this method only returns the elements faved by user_id
        owned by others. To view user_id's own faves set owner_id equal to user_id. •
        Access to thumbnail size greater than 800 pixels depends on user preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("faves.albums.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/faves.albums.getList
        """

    def remove(self, *, album_id: Id | None = None, lg: str | None = None) -> dict[str, Any]:
        """Remove an album from your faves

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
            album_id  id    The album ID to remove from your faves
            lg        text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("faves.albums.remove", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/faves.albums.remove
        """

class FavesDocsNamespace:
    """The ``faves.docs.*`` methods."""

    def add(self, *, doc_id: Id | None = None, lg: str | None = None) -> dict[str, Any]:
        """Add a document to your faves

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
            doc_id  id    The doc ID to add to your faves
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("faves.docs.add", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/faves.docs.add
        """

    def getList(
        self,
        *,
        user_id: Id | None = None,
        owner_id: Id | None = None,
        safesurf: int | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return a list of favorite documents for a given user

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
            user_id    id       Left out, with a token: the token's member. The user ID
                                to get the favorites list for. If ommited the user ID
                                will be set as the calling user.
            owner_id   id       If set, only return docs from owner ID faved by user ID
            safesurf   integer  Only return the documents matching a safety level. See
                                doc.setSafety.
            extra      texts    A comma seprarated list of extra information to include
                                in each records. Extra values are: owner, dates, count,
                                geo, medias, original.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                20, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: • By default, this method only returns the elements faved by user_id
        owned by others. To view user_id's own faves set owner_id equal to user_id. •
        Access to thumbnail size greater than 800 pixels depends on user preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("faves.docs.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/faves.docs.getList
        """

    def remove(self, *, doc_id: Id | None = None, lg: str | None = None) -> dict[str, Any]:
        """Remove a document from your faves

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
            doc_id  id    The doc ID to remove from your faves
            lg      text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("faves.docs.remove", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/faves.docs.remove
        """

class FolderNamespace:
    """The ``folder.*`` methods."""

    @property
    def albums(self) -> FolderAlbumsNamespace: ...
    def create(
        self, *, title: str, description: str | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Create a new folder

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * title        text  A title for this folder
            description  text  A description for this folder. (Some HTML tags are
                               accepted)
            lg           text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("folder.create", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/folder.create
        """

    def delete(self, *, folder_id: Id, lg: str | None = None) -> dict[str, Any]:
        """Delete a folder

        POST, signed, needs a token, permissions: doc=delete

        Parameters (* required):
          * folder_id  id    The Id of the folder to delete.
            lg         text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("folder.delete", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/folder.delete
        """

    def edit(
        self,
        *,
        folder_id: Id,
        title: str | None = None,
        description: str | None = None,
        cover_id: Id | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Edit a folder

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * folder_id    id    The folder ID you wish to edit
            title        text  The new title for this folder
            description  text  The new description for this folder. (Some HTML tags are
                               accepted)
            cover_id     id    The document ID to be used as the new cover. (Must
                               belong to the calling user)
            lg           text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("folder.edit", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/folder.edit
        """

    def get(
        self, *, folder_id: Id, thumbsize: str | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Get information about a folder.

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * folder_id  id    The ID of the folder to get information for.
            thumbsize  text  Choose your prefered size for the cover: 75x, 100, 240,
                             250x, 500, 560, 640, 800, 1024, 1600 or 2048. (Value is
                             75x by default)
            lg         text  The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        Note: The count.family, count.friend, (...) indicates the number of albums
        visible for each category of the member's contacts

        Other parameters: api.call("folder.get", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/folder.get
        """

    def getList(
        self,
        *,
        user_id: Id | None = None,
        empty: Flag | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the folders list for a given user

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            user_id    id       The ID of the user to get an folder list for. (If not
                                specified, the calling user is assumed)
            empty      flag     Set to 1 to list empty folders.
            thumbsize  text     Choose your prefered size for the cover: 75x, 100, 240,
                                250x, 500, 560, 640, 800, 1024, 1600 or 2048. (Value is
                                75x by default)
            per_page   integer  The number of records to return on each page. (Default
                                is 100, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        Note: The count.family, count.friend, (...) indicates the number of albums
        visible for each part of the calling user's network.

        Other parameters: api.call("folder.getList", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/folder.getList
        """

    def orderList(self, *, folder_ids: Ids, lg: str | None = None) -> dict[str, Any]:
        """Change the order of your folders

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * folder_ids  ids   A comma separated list of your folder IDs. The first ID
                              will be the first displayed folder. Missing folder IDs
                              will be displayed at the end of the list, ordered by
                              their IDs.
            lg          text  The language of the answer's texts (en, fr, …).

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("folder.orderList", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/folder.orderList
        """

class FolderAlbumsNamespace:
    """The ``folder.albums.*`` methods."""

    def add(self, *, folder_id: Id, album_id: Ids, lg: str | None = None) -> dict[str, Any]:
        """Add one or many albums to a folder

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * folder_id  id    The folder ID you wish to add albums to.
          * album_id   ids   An album ID or a comma separated list of album IDs. (List
                             may contain a maximum of 20 IDs)
            lg         text  The language of the answer's texts (en, fr, …).

        Note: An album is skipped when: • added="0": it is already a member of this
        folder.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("folder.albums.add", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/folder.albums.add
        """

    def getList(
        self,
        *,
        folder_id: Id,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the list of albums in a folder

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
          * folder_id  id       The folder ID to return the albums for.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of albums to return on each page. (Default
                                is 20, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        Other parameters: api.call("folder.albums.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/folder.albums.getList
        """

    def remove(self, *, folder_id: Id, album_id: Ids, lg: str | None = None) -> dict[str, Any]:
        """Remove one or many albums from a folder

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * folder_id  id    The folder ID you wish to remove a album from.
          * album_id   ids   A album ID or a comma separated list of album IDs. (List
                             may contain a maximum of 20 IDs)
            lg         text  The language of the answer's texts (en, fr, …).

        Note: When all albums are removed from an folder (e.g. total=0), the folder
        will be automatically destroyed.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("folder.albums.remove", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/folder.albums.remove
        """

class GroupNamespace:
    """The ``group.*`` methods."""

    @property
    def docs(self) -> GroupDocsNamespace: ...
    def get(
        self, *, group_id: Id, lang: str | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Get details about a group.

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
          * group_id  id or alias  The Group ID (or Group Alias) to get details about.
            lang      text         The language code of the group title and description
                                   to fetch. If not specified, the calling user
                                   language or the browser language will be used by
                                   default.
            lg        text         The language of the answer's texts (en, fr, …).

        Note: The visibility.ispublic property indicates: • ispublic="1" : the group is
        public and open to everyone • ispublic="2" : the group is public, invitation
        only • ispublic="0" : the group is private The quota only applies on docs. New
        docs are moderated if quota.moderated is set to 1. A quota.max="0" means no
        quota. The quota period values are: • period="d" for a day • period="w" for a
        week • period="m" for a month • empty for all time The quota limitations are
        only applied on members.

        Other parameters: api.call("group.get", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/group.get
        """

    def getList(
        self,
        *,
        user_id: Id | None = None,
        lang: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the groups list for a given user

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            user_id   id       The ID of the user to get an group list for. (If not
                               specified, the calling user is assumed)
            lang      text     The language code of the group title and description to
                               fetch. If not specified, the calling user language or
                               the browser language will be used by default.
            per_page  integer  The number of records to return on each page. (Default
                               is 100, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("group.getList", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/group.getList
        """

    def search(
        self,
        *,
        text: str | None = None,
        lang: str | None = None,
        sort: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Search for a group.

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            text      text     Search group titles and descriptions in fulltext. (Use
                               +/- for boolean mode)
            lang      text     The language code of the group title and description to
                               fetch. If not specified, the calling user language or
                               the browser language will be used by default.
            sort      text     The order in which to sort returned groups: • relevance:
                               sort by fulltext relevance. (This is the default). •
                               created-desc: sort by creation date newest first. •
                               created-asc: sort by creation date oldest first.
            per_page  integer  The number of docs to return on each page. (Default is
                               20, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("group.search", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/group.search
        """

class GroupDocsNamespace:
    """The ``group.docs.*`` methods."""

    def add(self, *, group_id: Id, doc_id: Ids, lg: str | None = None) -> dict[str, Any]:
        """Add one or many docs to a group

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * group_id  id    The group ID you wish to add documents in.
          * doc_id    ids   A document ID or a comma separated list of document IDs.
                            (List may contain a maximum of 20 IDs)
            lg        text  The language of the answer's texts (en, fr, …).

        Note: A document is skipped (marked added="0") when it is already a member of
        this group. A document is marked as pending when it needs to be approved by the
        group moderators. When a doc is marked added="0" and pending="1", it means the
        doc has been added previously and is still waiting for approval. Document error
        codes: • error="1": The document has been previously added to the maximum
        allowed groups. • error="2": The document type (photo/audio/video/other) does
        not match the group restrictions

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("group.docs.add", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/group.docs.add
        """

    def getContext(
        self,
        *,
        group_id: Id,
        doc_id: Id,
        user_id: Id | None = None,
        media: str | None = None,
        safesurf: int | None = None,
        prev: int | None = None,
        next: int | None = None,
        thumbsize: str | None = None,
        extra: Texts | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Get the document context in a group

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * group_id   id       The Group ID which the document belongs to.
          * doc_id     id       The ID of the document to get the context for. By
                                default 10 previous and 10 next documents are returned.
            user_id    id       Only return documents owned by the specified User ID.
            media      text     Specify the type of returned documents. media values
                                are : photo, audio, video, other. If specified, the
                                media type must be the same as the document doc_id.
            safesurf   integer  Only return the documents matching this safety level.
                                See doc.setSafety.
            prev       integer  Only return some previous (oldest) documents. (Value is
                                from 1 to 50)
            next       integer  Only return some next (newest) documents. (Value is
                                from 1 to 50)
            thumbsize  text     Choose your prefered size for thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            extra      texts    A comma seprarated list of extra information to include
                                in each records. Extra value is: owner.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: • The next and prev direction refer to the group order. Moving to the
        previous items goes to the group first added items and moving to the next items
        goes to the group last added items. • Access to thumbnail size greater than 800
        pixels depends on user preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("group.docs.getContext", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/group.docs.getContext
        """

    def getList(
        self,
        *,
        group_id: Id,
        user_id: Id | None = None,
        media: str | None = None,
        safesurf: int | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the list of documents in a group

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * group_id   id       The Group ID to return the documents for.
            user_id    id       Only return documents owned by the specified User ID.
            media      text     Specify the type of returned documents. media values
                                are : photo, audio, video, other. If specified, the
                                media type must be the same as the document doc_id.
            safesurf   integer  Only return the documents matching this safety level.
                                See doc.setSafety.
            extra      texts    A comma seprarated list of extra information to include
                                in each records. Extra values are: owner, dates, geo,
                                medias, original.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                20, maximum is 100)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("group.docs.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/group.docs.getList
        """

    def remove(self, *, group_id: Id, doc_id: Ids, lg: str | None = None) -> dict[str, Any]:
        """Remove one or many docs from a group

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * group_id  id    The Group ID you wish to remove a document from.
          * doc_id    ids   A document ID or a comma separated list of document IDs.
                            (List may contain a maximum of 20 IDs)
            lg        text  The language of the answer's texts (en, fr, …).

        Note: Only an administrator or a moderator of a group may remove a document not
        owned by himself.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("group.docs.remove", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/group.docs.remove
        """

class NetworkNamespace:
    """The ``network.*`` methods."""

    @property
    def docs(self) -> NetworkDocsNamespace: ...
    def autocomplete(
        self,
        *,
        query: str,
        anywhere: Flag | None = None,
        relation: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the members matching a sub-query.

        GET, signed, needs a token, permissions: network=read

        Parameters (* required):
          * query     text     Return the member usernames matching this query. The
                               search is case insensitive.
            anywhere  flag     By default the search matches username words boundaries.
                               Setting anywhere to 1 will perform a search anywhere in
                               the word.
            relation  integer  Only return the members matching this relation : • 0:
                               everyone • 1: just family • 2: just friends • 3: friends
                               & family • 4: contacts
            lg        text     The language of the answer's texts (en, fr, …).

        Note: The network autocompleter only returns the first 500 results. Results
        must be cached. When the complete flag is set it means there wont be new
        results for queries starting by the given query.

        Note: network.autocomplete is specificly designed for a formular autocomplete
        list. This is why this method only returns the minimum data.

        Other parameters: api.call("network.autocomplete", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/network.autocomplete
        """

    def getList(
        self,
        *,
        user_id: Id | None = None,
        relation: int | None = None,
        extra: Texts | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return members of someone's network.

        GET, not signed, no token needed, permissions: network=read

        Parameters (* required):
            user_id   id       The user ID to get the network list for.
            relation  integer  Only return users matching this relation: • 0: everyone
                               • 1: just family • 2: just friends • 3: friends & family
                               • 4: contacts • 8: members you blocked This parameter is
                               only effective when calling this method as an
                               authenticated user (user_id is ommited or equal to the
                               calling user).
            extra     texts    A comma seprarated list of extra information. Extra
                               parameters are: realname, count, location
            per_page  integer  The number of docs to return on each page. (Default is
                               20, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("network.getList", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/network.getList
        """

class NetworkDocsNamespace:
    """The ``network.docs.*`` methods."""

    def getRecent(
        self,
        *,
        hours: int | None = None,
        limit: int | None = None,
        relation: int | None = None,
        extra: Texts | None = None,
        thumbsize: str | None = None,
        count: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return recent uploads of the calling user's network

        GET, signed, needs a token, permissions: none

        Parameters (* required):
            hours      integer  Only return documents published since the given hours.
                                If ommited, the timeframe is set to the last visit time
                                for each network member. The maximum value is 744 (31
                                days).
            limit      integer  The number of documents to show for each member.
                                Default is 5, maximum is 10
            relation   integer  Only return the members matching this relation : • 0:
                                everyone • 1: just family • 2: just friends • 3:
                                friends & family • 4: contacts
            extra      texts    A comma seprarated list of extra information to include
                                in each records. Extra values are: dates, count, geo,
                                medias, original, owner.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            count      integer  The number of documents to return. (Default is 50,
                                maximum is 100)
            lg         text     The language of the answer's texts (en, fr, …).

        Note: Access to thumbnail size greater than 800 pixels depends on user
        preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("network.docs.getRecent", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/network.docs.getRecent
        """

class PostNamespace:
    """The ``post.*`` methods."""

    @property
    def comments(self) -> PostCommentsNamespace: ...
    def get(self, **params: ParamValue) -> dict[str, Any]:
        """Get details about a post.

        GET, not signed, no token needed, permissions: blog=read

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.get", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/post.get
        """

    def getContext(self, **params: ParamValue) -> dict[str, Any]:
        """Get the post context in posts stream

        GET, not signed, no token needed, permissions: post=read

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.getContext", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/post.getContext
        """

    def getFaves(
        self,
        *,
        post_id: Id,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the list of members who have faved a post.

        GET, not signed, no token needed, permissions: post=read

        Parameters (* required):
          * post_id   id       The ID of the post to get the member faves list for.
            per_page  integer  The number of records to return on each page. (Default
                               is 10, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("post.getFaves", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/post.getFaves
        """

    def getList(self, **params: ParamValue) -> dict[str, Any]:
        """Return the member's list of posts

        GET, not signed, no token needed, permissions: none

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.getList", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/post.getList
        """

    def getVisitors(
        self,
        *,
        post_id: Id,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the post latest visitors.

        GET, signed, needs a token, permissions: post=read

        Parameters (* required):
          * post_id   id       The ID of the post to get the latest visitors for.
            per_page  integer  The number of records to return on each page. (Default
                               is 10, maximum is 100)
            page      integer  The page of results to return.
            lg        text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("post.getVisitors", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/post.getVisitors
        """

    def search(self, **params: ParamValue) -> dict[str, Any]:
        """Search for posts.

        GET, not signed, no token needed, permissions: post=read

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.search", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/post.search
        """

    def set(self, **params: ParamValue) -> dict[str, Any]:
        """Edit a article title and description.

        POST, signed, needs a token, permissions: blog=write

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.set", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/post.set
        """

class PostCommentsNamespace:
    """The ``post.comments.*`` methods."""

    def add(self, **params: ParamValue) -> dict[str, Any]:
        """Comment on a post.

        POST, signed, needs a token, permissions: post=write

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.comments.add", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/post.comments.add
        """

    def delete(self, **params: ParamValue) -> dict[str, Any]:
        """Delete a comment on a post.

        POST, signed, needs a token, permissions: post=write

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.comments.delete", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/post.comments.delete
        """

    def edit(self, **params: ParamValue) -> dict[str, Any]:
        """Edit a comment on a post.

        POST, signed, needs a token, permissions: post=write

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.comments.edit", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/post.comments.edit
        """

    def get(self, **params: ParamValue) -> dict[str, Any]:
        """Return a comment on a post.

        GET, not signed, no token needed, permissions: post=read

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.comments.get", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/post.comments.get
        """

    def getList(self, **params: ParamValue) -> dict[str, Any]:
        """Return the comments on a post.

        GET, not signed, no token needed, permissions: post=read

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.comments.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/post.comments.getList
        """

    def reply(self, **params: ParamValue) -> dict[str, Any]:
        """Reply to a comment on a post.

        POST, signed, needs a token, permissions: post=write

        Parameters: the catalogue lists none; those given are sent as they are.

        Other parameters: api.call("post.comments.reply", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/post.comments.reply
        """

class TagsNamespace:
    """The ``tags.*`` methods."""

    @property
    def docs(self) -> TagsDocsNamespace: ...
    @property
    def user(self) -> TagsUserNamespace: ...

class TagsDocsNamespace:
    """The ``tags.docs.*`` methods."""

    def getList(
        self,
        *,
        type: str,
        id: Id,
        user_id: Id | None = None,
        safesurf: int | None = None,
        media: str | None = None,
        extra: Texts | None = None,
        sort: str | None = None,
        thumbsize: str | None = None,
        per_page: int | None = None,
        page: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Return the list of documents for a given tag

        GET, not signed, no token needed, permissions: doc=read

        Parameters (* required):
          * type       text     The type of tag: keyword or member.
          * id         id       The ID of the tag
            user_id    id       Only return documents owned by the given user_id
            safesurf   integer  Only return the documents matching this safety level.
                                See doc.setSafety.
            media      text     Only return this type of media. Valid values are :
                                photo, video, audio, other.
            extra      texts    A comma seprarated list of extra information to include
                                in each records. Extra values are: owner, dates,
                                medias, original.
            sort       text     The order in which to sort returned documents. The
                                possible sorts are : popular, posted-desc, posted-asc.
                                The default order is popular.
            thumbsize  text     Choose your prefered size for the thumbnails: 75x, 100,
                                240, 250x, 500, 560, 640, 800, 1024, 1600 or 2048.
                                (Value is 75x by default)
            per_page   integer  The number of docs to return on each page. (Default is
                                100, maximum is 500)
            page       integer  The page of results to return.
            lg         text     The language of the answer's texts (en, fr, …).

        Note: • The extra parameter original is only availale when requesting documents
        for a given user_id. • Access to thumbnail size greater than 800 pixels depends
        on user preferences.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("tags.docs.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/tags.docs.getList
        """

class TagsUserNamespace:
    """The ``tags.user.*`` methods."""

    def getList(
        self,
        *,
        user_id: Id | None = None,
        type: str | None = None,
        count: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Get the tags list for a given user.

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            user_id  id       Left out, with a token: the token's member. The User ID
                              to get the list for. (if omitted, the current logged in
                              user is assumed).
            type     text     The type of tags to return : keyword or member. (Default
                              is keywords)
            count    integer  The number of tags to return. Default is 100, maximum is
                              1000
            lg       text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("tags.user.getList", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/tags.user.getList
        """

    def getPopular(
        self,
        *,
        user_id: Id | None = None,
        type: str | None = None,
        count: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Get the most used tags for a given user.

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            user_id  id       Left out, with a token: the token's member. The User ID
                              to get the list for. (if omitted, the current logged in
                              user is assumed).
            type     text     The type of tags to return : keyword or member. (Default
                              is keywords)
            count    integer  The number of tags to return. Default is 20, maximum is
                              100
            lg       text     The language of the answer's texts (en, fr, …).

        Other parameters: api.call("tags.user.getPopular", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/tags.user.getPopular
        """

class TestNamespace:
    """The ``test.*`` methods."""

    def echo(self, *, echo: str, lg: str | None = None) -> dict[str, Any]:
        """A simple echo test.

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
          * echo  text  Some text we will echo back to you.
            lg    text  The language of the answer's texts (en, fr, …).

        Note: This method echoes to you any given parameter. The parameter echo is only
        given as an example.

        Other parameters: api.call("test.echo", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/test.echo
        """

    def hello(self, *, lg: str | None = None) -> dict[str, Any]:
        """Hello world!

        GET, not signed, no token needed, permissions: none

        Parameters (* required):
            lg  text  The language of the answer's texts (en, fr, …).

        Other parameters: api.call("test.hello", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/test.hello
        """

class UploadNamespace:
    """The ``upload.*`` methods."""

    def checkTickets(self, *, tickets: Texts, lg: str | None = None) -> dict[str, Any]:
        """Check the status of one or more upload tickets.

        GET, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * tickets  texts  A comma delimited list of upload tickets. (A list of 50
                            tickets is a maximum).
            lg       text   The language of the answer's texts (en, fr, …).

        Note: The global eta (estimated time of arrival) value represents the number of
        seconds left to complete the tickets. Each ticket has it's own eta. Please do
        not query unecessary tickets such as done tickets or before it's eta is
        supposed to be 0. Once the tickets have been processed, you may redirect to the
        following url :
        http://www.ipernity.com/doc/(user_id)/uploaded?doc_id1,doc_id2,doc_id3,...

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("upload.checkTickets", name=value) sends them as
        given. The service's page:
        http://www.ipernity.com/help/api/method/upload.checkTickets
        """

    def file(
        self,
        *,
        file: Upload,
        title: str | None = None,
        description: str | None = None,
        created_at: str | None = None,
        license: int | None = None,
        is_public: Flag | None = None,
        is_family: Flag | None = None,
        is_friend: Flag | None = None,
        safety: int | None = None,
        keywords: str | None = None,
        album_id: Id | None = None,
        member_ids: Ids | None = None,
        perm_comment: int | None = None,
        perm_tag: int | None = None,
        perm_tagme: int | None = None,
        lng: float | None = None,
        lat: float | None = None,
        dir: int | None = None,
        lg: str | None = None,
    ) -> dict[str, Any]:
        """Upload a new file.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * file          file     The file data to import. Use a url-encoded post. Do
                                   not include this parameter when signing the query.
            title         text     The title for this document
            description   text     The description for this document. (You may use some
                                   HTML tags)
            created_at    text     Creation date. Override creation date from EXIF
            license       integer  The license code for this document.
            is_public     flag     Set to 1 to flag this document as public, 0 to make
                                   it private.
            is_family     flag     Set to 1 to flag this document as family.
            is_friend     flag     Set to 1 to flag this document as friend.
            safety        integer  Safety level. Possible values are : • 1 : document
                                   suitable for all audience • 2 : document not
                                   suitable for all audience • 3 : document suitable
                                   for adults only
            keywords      text     Add some optional keyword tags.
            album_id      id       Add this doc to an album ID.
            member_ids    ids      A comma separated list of user IDs. Add member tags
                                   to this doc.
            perm_comment  integer  The permissions to comment on the document.
            perm_tag      integer  The permissions to add a tag on the document.
            perm_tagme    integer  The permissions to let a member add his personal
                                   member tag on the document.
            lng           decimal  Longitude of document, decimal form e.g. 43.6667.
                                   Override longitude from EXIF
            lat           decimal  Latitude of document, decimal form e.g. 6.9234.
                                   Override latitude from EXIF
            dir           integer  Orientation of document. Override oritentation from
                                   EXIF. • 1 : Up orientation • 3 : Down (180°
                                   rotation) • 6 : Left orientation (90° counter
                                   clockwise) • 8 : Right orientation (90° clockwise)
            async         flag     Wait (0) or don't wait (1) for doc to be complete
            lg            text     The language of the answer's texts (en, fr, …).

        Note: You may try this method live without providing a file. We'll add a bulk
        file for you. To force creation of a doc without geolocation, set longitude and
        latitude to -999.

        Note: Once the upload is complete, use the upload.checkTickets method to check
        when the documents have been processed.

        A list or tuple given for texts, ids or integers is sent joined with commas.

        Other parameters: api.call("upload.file", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/upload.file
        """

    def replace(
        self, *, file: Upload, doc_id: Id | None = None, lg: str | None = None
    ) -> dict[str, Any]:
        """Replace a file.

        POST, signed, needs a token, permissions: doc=write

        Parameters (* required):
          * file    file  The file data. Use a url-encoded post. Do not include this
                          parameter when signing the query.
            doc_id  id    The document ID to be replaced with this file.
            async   flag  Wait (0) or don't wait (1) for doc to be complete
            lg      text  The language of the answer's texts (en, fr, …).

        Note: Once the upload is complete, use the upload.checkTickets method to check
        when the documents have been processed.

        Other parameters: api.call("upload.replace", name=value) sends them as given.
        The service's page: http://www.ipernity.com/help/api/method/upload.replace
        """

class UserNamespace:
    """The ``user.*`` methods."""

    def get(self, *, user_id: Id | None = None, lg: str | None = None) -> dict[str, Any]:
        """Get information about a user

        GET, signed, no token needed, permissions: none

        Parameters (* required):
            user_id  id or alias  Left out, with a token: the token's member. The User
                                  ID (or User Alias) to get information about.
            lg       text         The language of the answer's texts (en, fr, …).

        Note: The flag user.is_closed="1" means the user account is desactivated or
        temporarily closed by ipernity moderation team. The realname value is subject
        to privacy settings and may not always be displayed.

        Other parameters: api.call("user.get", name=value) sends them as given. The
        service's page: http://www.ipernity.com/help/api/method/user.get
        """
