from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "lms.kernel"
    label = "kernel"
    verbose_name = "Kernel"
