"""Search: one interface (:mod:`cop.search.base`), a Whoosh backend (:mod:`cop.search.whoosh_backend`).

Import the backend lazily (``from cop.search.whoosh_backend import WhooshBackend``) so importing
``cop.search`` stays cheap.
"""

from cop.search.base import (  # noqa: F401
    Hit,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResults,
)
from cop.search.query import QueryError  # noqa: F401
