# ruff: noqa: E501  (Arabic prose: wrapping sentences mid-word hurts the editors more)
"""Refrigeration & air conditioning: safety (electricity, refrigerants, heights), the
cycle, tools and gauges, installing a split unit, leak test, vacuum, charging,
troubleshooting."""

from __future__ import annotations

from courses.seed_data.refrigeration.figures import (
    CHARGING,
    CYCLE,
    FLARE,
    HEIGHTS,
    LOCKOUT,
    NITROGEN,
    SPLIT_INSTALL,
    VACUUM,
)
from courses.seed_data.refrigeration.install import INSTALL
from courses.seed_data.refrigeration.safety import SAFETY
from courses.seed_data.refrigeration.system import SYSTEM
from courses.seed_data.shapes import Course, Curriculum, DemoVideo, Slide

VIDEO = DemoVideo(
    title="عرض توضيحي: تركيب وحدة سبليت من التثبيت إلى التشغيل",
    lesson="install/split-install",
    minutes=3,
    caption="التركيب واختبار التسريب والتفريغ والشحن بالوزن، بصوت عربي وترجمة مكتوبة.",
    slides=(
        Slide(
            CYCLE.svg,
            "كيف يعمل المكيف",
            (
                "في هذا العرض نركب وحدة سبليت ونجهزها للتشغيل.",
                "تذكر أن المكيف ينقل الحرارة من الغرفة إلى الخارج، بوسيط يدور بين الوحدتين في دائرة مغلقة.",
            ),
        ),
        Slide(
            LOCKOUT.svg,
            "الكهرباء أولاً",
            (
                "قبل أي عمل نفصل القاطع، ونقفله ببطاقة تحذير، ونتأكد بالقياس أن الجهد صفر عند أطراف الوحدة.",
                "ونفرغ مكثف التشغيل قبل أن نلمس أطرافه.",
            ),
        ),
        Slide(
            HEIGHTS.svg,
            "العمل على الواجهة",
            (
                "نلبس حزام الأمان الكامل، ونثبت الحبل بنقطة قوية داخل المبنى قبل الخروج إلى الواجهة.",
                "ونرفع الوحدة الخارجية بشخصين، على حامل مثبت بمسامير تمدد في الخرسانة.",
            ),
        ),
        Slide(
            SPLIT_INSTALL.svg,
            "الوحدة الداخلية والمواسير",
            (
                "نثبت لوح الوحدة الداخلية أفقياً بميزان المياه، ونفتح فتحة الحائط مائلة إلى الخارج.",
                "نمرر المواسير والكابل، وخرطوم الصرف في الأسفل وينحدر باستمرار.",
            ),
        ),
        Slide(
            FLARE.svg,
            "الفلير",
            (
                "نقطع الماسورة بالقاطع، ونزيل الرايش والماسورة متجهة إلى أسفل، ونركب الصامولة قبل الفلير.",
                "ثم نربط الصامولة بمفتاح العزم بالقيمة المكتوبة في الدليل.",
            ),
        ),
        Slide(
            NITROGEN.svg,
            "اختبار التسريب",
            (
                "نضغط الدائرة بالنيتروجين الجاف من خلال منظم، ونرش رغوة الصابون على كل وصلة.",
                "الضغط الثابت ربع ساعة يعني أن الدائرة محكمة.",
                "ولا نستعمل الأكسجين أو الهواء المضغوط أبداً.",
            ),
        ),
        Slide(
            VACUUM.svg,
            "التفريغ",
            (
                "نفرغ الدائرة حتى خمسمئة ميكرون أو أقل، وعداد الميكرون قريب من الوحدة.",
                "ثم نطفئ المضخة ونراقب عشر دقائق: القراءة الثابتة تعني أن الدائرة جافة ومحكمة.",
            ),
        ),
        Slide(
            CHARGING.svg,
            "الفتح والشحن",
            (
                "نفتح صمامات الوحدة الخارجية، ونضيف بالوزن ما تحتاجه المواسير الزائدة حسب جدول الشركة.",
                "ثم نشغل الجهاز، ونقيس الضغط والتحميص والتيار، ونسجل ما أضفناه بجانب لوحة البيانات.",
            ),
        ),
    ),
)

REFRIGERATION = Curriculum(
    trade_slug="refrigeration-ac",
    occupation_code="7127",
    trade_title="التبريد والتكييف",
    trade_code="refrigeration_ac",
    intro="تركيب أجهزة التكييف والتبريد وصيانتها وشحنها بأمان.",
    course=Course(
        slug="basics",
        title="أساسيات التبريد والتكييف",
        summary="السلامة من الكهرباء ووسائط التبريد والعمل على الارتفاعات، ودورة التبريد، والعدة وقراءة العدادات، وتركيب وحدة السبليت واختبار التسريب والتفريغ والشحن بالوزن، وتشخيص الأعطال الشائعة.",
        hours=36,
        audience="everyone",
        prerequisites="أساسيات الكهرباء المنزلية.",
        accessibility="يتطلب العمل العملي الوقوف والعمل على سلم؛ الدروس النظرية متاحة للجميع، ولكل رسم وصف مكتوب، والفيديو عليه ترجمة عربية.",
    ),
    modules=(SAFETY, SYSTEM, INSTALL),
    video=VIDEO,
)
