"""The JSON API: one NinjaAPI, each domain adds its router here."""

from ninja import NinjaAPI

from vgp.agencies.api import router as agencies_router

api = NinjaAPI(
    title="VGP API",
    version="1",
    description="API of the Government portal and operations platform.",
    urls_namespace="api-v1",
)
api.add_router("/agencies", agencies_router)
