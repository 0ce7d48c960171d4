"""Typed models of the API's JSON: the CLI's ``--format json`` contract (ipsmatch.output).

The handlers send the dicts :mod:`ipsmatch.output` makes (one serializer for the CLI and the
API); these models describe them for the OpenAPI document, and the tests check every
response against that document. Request bodies are models too, so a wrong field is a 422
that names it.

One module per area, beside its router: :mod:`~ipsmatch.web.api.models.citizens`,
:mod:`~ipsmatch.web.api.models.matching`, :mod:`~ipsmatch.web.api.models.jobdev`,
:mod:`~ipsmatch.web.api.models.ips`, :mod:`~ipsmatch.web.api.models.status`, and
:mod:`~ipsmatch.web.api.models.errors` for the error body; :mod:`~ipsmatch.web.api.models.base`
holds the base of the response models that allow extra fields.
"""
