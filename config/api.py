"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Polku API",
    version="1",
    description="Polku's JSON API. Authenticate with an organisation API token.",
    urls_namespace="api-v1",
)
