# ruff: noqa: E501  (Arabic prose: wrapping sentences mid-word hurts the editors more)
"""Mobile-phone repair: static electricity, tools, lithium batteries, diagnosis and
measuring, opening a phone, the screen, the charging port, soldering."""

from __future__ import annotations

from courses.seed_data.mobile.diagnosis import DIAGNOSIS
from courses.seed_data.mobile.figures import (
    BATTERY,
    BATTERY_DISCONNECT,
    ESD_BENCH,
    OPENING,
    REPAIR_TOOLS,
    SCREEN_FLEX,
    SCREEN_TEST,
)
from courses.seed_data.mobile.repairs import REPAIRS
from courses.seed_data.mobile.safety import SAFETY
from courses.seed_data.shapes import Course, Curriculum, DemoVideo, Slide

VIDEO = DemoVideo(
    title="عرض توضيحي: تغيير شاشة الهاتف بأمان",
    lesson="repairs/screen",
    minutes=3,
    caption="تغيير الشاشة من تجهيز المكان إلى الاختبار والإغلاق، بصوت عربي وترجمة مكتوبة.",
    slides=(
        Slide(
            REPAIR_TOOLS.svg,
            "العدة",
            (
                "في هذا العرض نغير شاشة هاتف ذكي خطوة بخطوة.",
                "نجهز المفكات الدقيقة، والسبادجر النايلون، وريشة الفتح، وكوب الشفط، ووسادة التسخين.",
                "ونتأكد قبل أن نبدأ أن الشاشة الجديدة مطابقة لطراز الجهاز.",
            ),
        ),
        Slide(
            ESD_BENCH.svg,
            "مكان العمل",
            (
                "نعمل على سطح مضاد للكهرباء الساكنة، ونلبس سوار المعصم الموصول بالأرضي.",
                "ونفصل الشاحن، ونتأكد أن شحن البطارية أقل من خمسة وعشرين في المئة.",
                "وإذا كان زجاج الشاشة مكسوراً نلصق عليه شريطاً شفافاً، ونلبس نظارة واقية.",
            ),
        ),
        Slide(
            OPENING.svg,
            "الفتح",
            (
                "نسخن الحافة دقيقتين حتى يلين اللاصق.",
                "نرفع الشاشة قليلاً بكوب الشفط، وندخل الريشة بعمق قليل، ونحركها على طول الحافة.",
                "ثم نفتح الشاشة كالكتاب في الجهة التي توجد فيها الكابلات.",
            ),
        ),
        Slide(
            BATTERY_DISCONNECT.svg,
            "فصل البطارية",
            (
                "نفك الغطاء المعدني، ونفصل موصل البطارية أولاً بالسبادجر النايلون.",
                "لا نستعمل أداة معدنية قرب البطارية أبداً.",
                "فصل البطارية قبل أي موصل آخر يحمي الكابلات واللوحة من القصر.",
            ),
        ),
        Slide(
            SCREEN_FLEX.svg,
            "موصلات الشاشة",
            (
                "نفصل موصلات الشاشة بحركة رفع مستقيمة.",
                "ونقارن الشاشة الجديدة بالقديمة: مكان الكابلات، وشكل الموصل، والقطع الصغيرة التي ننقلها.",
            ),
        ),
        Slide(
            SCREEN_TEST.svg,
            "الاختبار قبل الإغلاق",
            (
                "نصل الشاشة الجديدة بدون لاصق، ونصل البطارية، ونشغل الجهاز.",
                "نختبر اللمس في كل أنحاء الشاشة، والإضاءة، والكاميرا الأمامية، ومستشعر القرب.",
            ),
        ),
        Slide(
            BATTERY.svg,
            "إذا كانت البطارية منتفخة",
            (
                "إذا وجدنا البطارية منتفخة فلا نضغطها ولا نشحنها.",
                "نفصلها بهدوء، ونعزلها في وعاء معدني فيه رمل، ونركب بطارية جديدة من مصدر موثوق.",
            ),
        ),
        Slide(
            SCREEN_FLEX.svg,
            "الإغلاق والتسليم",
            (
                "نفصل البطارية، وننظف الإطار من اللاصق القديم، ونضع لاصقاً جديداً، ثم نغلق ونضغط بالتساوي.",
                "وعند التسليم نشرح للزبون أن اللاصق يحتاج ساعات حتى يكتمل، فلا يعرض الجهاز للماء في اليوم الأول.",
                "ونسجل في الإيصال نوع الشاشة ومدة الضمان.",
            ),
        ),
    ),
)

MOBILE = Curriculum(
    trade_slug="mobile-repair",
    occupation_code="7422",
    trade_title="صيانة الهاتف المحمول",
    trade_code="mobile_repair",
    intro="تشخيص أعطال الهواتف الذكية وإصلاحها بأمان: من الفك إلى تغيير الشاشة.",
    course=Course(
        slug="basics",
        title="أساسيات صيانة الهاتف المحمول",
        summary="السلامة من الكهرباء الساكنة ومع بطاريات الليثيوم، والعدة، واستلام الجهاز وتشخيصه بالقياس، وفتح الهاتف، وتغيير الشاشة ومنفذ الشحن، وأساسيات اللحام.",
        hours=30,
        audience="everyone",
        prerequisites="استخدام الهاتف الذكي، ونظر جيد أو عدسة مكبرة.",
        accessibility="يمكن متابعة الدروس بالنص وحده، ولكل رسم وصف مكتوب، والفيديو عليه ترجمة عربية.",
    ),
    modules=(SAFETY, DIAGNOSIS, REPAIRS),
    video=VIDEO,
)
