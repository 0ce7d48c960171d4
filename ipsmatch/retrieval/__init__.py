"""Retrievers over vacancy texts. Every retriever has the same shape:

``fit(docs) -> self``, ``score_all(query) -> scores for every row``,
``search(query, *, limit) -> Hits``, ``save(dir)`` / ``load(dir, expected_hash=...)`` with a
JSON manifest (format version, parameters, model, row count, data hash). A stale index (data
hash mismatch) is refused with :class:`ipsmatch.errors.IndexNotReadyError`, never silently used.
"""

from ipsmatch.retrieval.base import Hits, data_hash, read_manifest
from ipsmatch.retrieval.lexical import LexicalRetriever
from ipsmatch.retrieval.semantic import SemanticRetriever

__all__ = ["Hits", "LexicalRetriever", "SemanticRetriever", "data_hash", "read_manifest"]
