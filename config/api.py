"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json."""

from polku.actors.api import router as organisations_router
from polku.api.base import PolkuAPI
from polku.statistics.api import router as statistics_router
from polku.voice.api import router as challenges_router

api = PolkuAPI(
    title="Polku API",
    version="1",
    description=(
        "Polku's JSON API. Authenticate with an organisation's API token in the header "
        "`Authorization: Bearer polku_<prefix>_<secret>`; each endpoint names the scope the "
        "token needs. Signed-in people can also call the endpoints from this page with their "
        "session. Every error is JSON with a `code` and a `message`; validation errors list "
        "each field in `errors`."
    ),
    urls_namespace="api-v1",
)
api.add_router("/organisations", organisations_router, tags=["Organisations"])
api.add_router("/challenges", challenges_router, tags=["Challenges"])
api.add_router("/statistics", statistics_router, tags=["Statistics"])
