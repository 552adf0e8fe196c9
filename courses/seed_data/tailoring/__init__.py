# ruff: noqa: E501  (Arabic prose: wrapping sentences mid-word hurts the editors more)
"""Tailoring & sewing: measuring, the skirt pattern, fabric and cutting, the machine,
seams and finishing. A women-only cohort: the lessons speak to the trainee as "you"
(feminine)."""

from __future__ import annotations

from courses.seed_data.shapes import Course, Curriculum, DemoVideo, Slide
from courses.seed_data.tailoring.figures import (
    BOBBIN,
    BOBBIN_PULL,
    FINISHING,
    MACHINE_PARTS,
    SEAM,
    TENSION,
    THREAD_PATH,
)
from courses.seed_data.tailoring.machine import MACHINE
from courses.seed_data.tailoring.measuring import MEASURING
from courses.seed_data.tailoring.pattern import PATTERN

VIDEO = DemoVideo(
    title="عرض توضيحي: لضم الماكينة وخياطة أول درزة",
    lesson="machine/threading",
    minutes=3,
    caption="اللضم والبوبينة والدرزة الأولى خطوة بخطوة، بصوت عربي وترجمة مكتوبة.",
    slides=(
        Slide(
            MACHINE_PARTS.svg,
            "أجزاء الماكينة",
            (
                "في هذا العرض نلضم ماكينة الخياطة المنزلية، ونخيط أول درزة مستقيمة.",
                "نبدأ بالأجزاء التي يمر بها الخيط: حامل البكرة، والدليل العلوي، وأقراص الشد، وذراع الشد، ثم الإبرة.",
                "وتحت لوح الإبرة توجد البوبينة داخل المكوك.",
            ),
        ),
        Slide(
            THREAD_PATH.svg,
            "مسار الخيط العلوي",
            (
                "نرفع الإبرة إلى أعلى نقطة بتدوير العجلة نحونا، ثم نرفع القدم الضاغطة.",
                "رفع القدم يفتح أقراص الشد، فيدخل الخيط بينها.",
                "نمرر الخيط من البكرة إلى الدليل، وننزل به بين أقراص الشد، ثم نصعد إلى ذراع الشد.",
                "ثم ننزل إلى الإبرة، وندخل الخيط في ثقبها من الأمام إلى الخلف.",
            ),
        ),
        Slide(
            BOBBIN.svg,
            "تركيب البوبينة",
            (
                "نعبئ البوبينة بالتساوي على عمود التعبئة.",
                "ثم نضعها في مكانها بحيث يدور الخيط في الاتجاه المرسوم على الغطاء، ونمرره في شق الشد.",
                "البوبينة المقلوبة تعطي غرزاً غير منتظمة.",
            ),
        ),
        Slide(
            BOBBIN_PULL.svg,
            "إخراج خيط البوبينة",
            (
                "نمسك طرف الخيط العلوي بيد، وندير العجلة نحونا دورة كاملة باليد الأخرى.",
                "يخرج خيط البوبينة على شكل حلقة، فنسحبه، ونضع الخيطين تحت القدم وإلى الخلف.",
            ),
        ),
        Slide(
            SEAM.svg,
            "الدرزة الأولى",
            (
                "نضع القطعتين وجهاً لوجه، وحافتهما على خط واحد ونصف سنتيمتر في لوح الإبرة.",
                "ننزل الإبرة في القماش ثم القدم، ونخيط ثلاث غرز إلى الأمام، وثلاثاً إلى الخلف لقفل الخيط.",
                "ثم نتابع بسرعة ثابتة، وعيننا على حافة القماش لا على الإبرة.",
            ),
        ),
        Slide(
            TENSION.svg,
            "فحص الشد",
            (
                "نفحص الغرزة على الوجه والظهر.",
                "الغرزة السليمة تتشابك في منتصف القماش.",
                "الحلقات على الظهر تعني أن الشد العلوي مرتخٍ فنزيده درجة، والنقاط على الوجه تعني أنه زائد فنخففه.",
            ),
        ),
        Slide(
            FINISHING.svg,
            "الكي والتشطيب",
            (
                "نكوي الدرزة كما خيطت، ثم نفتح مقدار الخياطة ونكويه على الجانبين.",
                "ونشطب الحواف بغرزة الزجزاج حتى لا تتنسل مع الغسيل.",
            ),
        ),
        Slide(
            MACHINE_PARTS.svg,
            "قبل أن تبدئي",
            (
                "تذكري: افصلي الكهرباء قبل تغيير الإبرة أو تنظيف المكوك، وأبقي أصابعك بعيدة عن مسار الإبرة.",
                "وجربي دائماً على قطعة من القماش نفسه قبل القطعة الحقيقية.",
            ),
        ),
    ),
)

TAILORING = Curriculum(
    trade_slug="tailoring",
    occupation_code="7531",
    trade_title="الخياطة والتفصيل",
    trade_code="tailoring",
    intro="من أخذ المقاسات إلى خياطة قطعة كاملة على الماكينة المنزلية أو الصناعية.",
    course=Course(
        slug="basics",
        title="أساسيات الخياطة والتفصيل",
        summary="دورة للمبتدئات: أخذ مقاسات الجسم بدقة، ورسم باترون التنورة الأساسية، وتجهيز القماش وقصه، ولضم الماكينة وخياطة الدرزات وتشطيبها، حتى تنورة بسيطة كاملة.",
        hours=24,
        audience="women",
        prerequisites="القراءة والكتابة، ومعرفة استخدام المسطرة والأرقام.",
        accessibility="الدروس مكتوبة وفيها رسم توضيحي لكل خطوة مع وصف نصي، والفيديو عليه ترجمة عربية مكتوبة.",
    ),
    modules=(MEASURING, PATTERN, MACHINE),
    video=VIDEO,
)
