from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a fresh installation (top layer: it calls every domain's actions)."""

    name = "vgp.demo"
    label = "demo"
    verbose_name = "Demo data"
