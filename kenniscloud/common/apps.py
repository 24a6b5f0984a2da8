from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kenniscloud.common"
    label = "common"

    def ready(self):
        from . import admin_access, receivers

        receivers.connect()
        admin_access.connect()
