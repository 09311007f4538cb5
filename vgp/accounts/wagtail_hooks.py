from wagtail import hooks

from .admin_views import ApiKeyViewSet


@hooks.register("register_admin_viewset")
def register_api_key_viewset() -> ApiKeyViewSet:
    return ApiKeyViewSet()
