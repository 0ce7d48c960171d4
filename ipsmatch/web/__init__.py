"""The web workspace (issue #15) and the HTTP JSON API (issue #16): one ASGI application.

``ipsmatch.web.app:create_app(settings)`` builds it; ``ipsmatch serve`` runs it with uvicorn.
"""
