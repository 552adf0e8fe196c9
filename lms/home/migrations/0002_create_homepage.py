from django.db import migrations

INTRO = (
    "تعلّم حرفة على هاتفك: دروس قصيرة، وفصول مباشرة مع مدرّبين، واختبار مستوى مهاري، "
    "وشهادة من وزارة العمل يتحقق منها أي صاحب عمل."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    page_ct = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_ct, slug="home", depth=2).delete()
    locale, _ = Locale.objects.get_or_create(language_code="ar")
    homepage_ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    homepage = HomePage.objects.create(
        title="مهارات",
        draft_title="مهارات",
        slug="home",
        content_type=homepage_ct,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro=INTRO,
    )
    Site.objects.create(
        hostname="localhost", root_page=homepage, is_default_site=True, site_name="Maharat"
    )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    apps.get_model("home.HomePage").objects.filter(slug="home", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="home").delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
