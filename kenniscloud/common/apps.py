from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kenniscloud.common"
    label = "common"

    def ready(self):
        from . import receivers

        receivers.connect()
