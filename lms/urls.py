from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.home.views import set_language
from lms.kernel import page_routes
from lms.kernel.api.docs import redoc_bundle
from lms.kernel.api.errors import api_not_found
from lms.ops.health import healthz, healthz_web
from lms.pwa.views import service_worker

# Redoc from our static files; it styles itself with <style> elements it writes.
api_docs = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
)

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", api_docs, name="docs"),
    path(  # REDOC_DIST: the vendored bundle without its CDN logo
        "docs/bundles/redoc.standalone.js", redoc_bundle, name="docs-redoc-bundle"
    ),
    path("", include("registry.api.urls")),
    path("", include("courses.api.urls")),
    path("", include("media_pipeline.api.urls")),
    path("", include("virtual_classes.api.urls")),
    path("", include("assessments.api.urls")),
    path("reports/", include("lms.reports.api.urls")),
    path("skill-tests/", include("lms.reports.api.skilltests_urls")),
    re_path(r"", api_not_found),  # last: no endpoint, the JSON Error (not HTML)
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/web", healthz_web, name="healthz_web"),
    path("sw.js", service_worker, name="service_worker"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include((api_v1, "api"))),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("lms.accounts.urls")),
    path("", include("lms.pwa.urls")),
    path("", include("lms.home.urls")),
    path("", include("registry.urls")),
    path("", include("media_pipeline.urls")),
    path("", include("content.urls")),
    path("", include("courses.urls")),
    path("", include("virtual_classes.urls")),
    path("", include("assessments.urls")),
    path("", include("skilltests.urls")),
    path("reports/", include("lms.reports.urls")),
    # the site's pages, routed from kept routes (lms/kernel/page_routes.py); Wagtail's
    # own patterns after it (its password form, and the name page URLs reverse)
    re_path(wagtail_urls.serve_pattern, page_routes.serve, name="page"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from media_pipeline.media_serve import urlpatterns_for_media

    urlpatterns = urlpatterns_for_media() + urlpatterns
