from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "lms.kernel"
    label = "kernel"
    verbose_name = "Kernel"

    def ready(self) -> None:
        from lms.kernel import i18n, page_cache, page_routes, personal_pages

        i18n.install_active_language_urls()
        page_cache.connect_invalidation()
        personal_pages.connect_invalidation()
        page_routes.connect_invalidation()
