"""StreamField blocks the content team writes lessons with.

A knowledge check's correct answers live only in the stored block value: the
template renders prompts and choices, and courses scores answers on the server
(`courses.services.knowledge_check_submit`), shuffles the choices per try and
applies the check's reveal policy (`reveal`, `reveal_after_tries`). Blocks only:
reads live in `content.selectors`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from content.selectors import video_get

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "content/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe the image for trainees who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = SnippetChooserBlock("media_pipeline.VideoAsset", label=_("video"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        video = value.get("video")
        context["asset"] = video_get(asset_id=video.pk) if video else None
        context["asset_id"] = video.pk if video else None
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "content/blocks/document.html"


class StepBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"), required=False)
    alt = blocks.CharBlock(label=_("alternative text"), required=False, max_length=250)
    text = blocks.TextBlock(label=_("what to do"))

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.get("alt"):
            raise StructBlockValidationError(
                block_errors={
                    "alt": ValidationError(_("Describe the step's image for trainees."))
                }
            )
        return value


class ProcedureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    steps = blocks.ListBlock(StepBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step procedure")
        template = "content/blocks/procedure.html"


class SafetyBlock(blocks.StructBlock):
    severity = blocks.ChoiceBlock(
        label=_("severity"),
        choices=[("caution", _("Caution")), ("danger", _("Danger"))],
        default="caution",
    )
    title = blocks.CharBlock(label=_("title"), max_length=200)
    text = blocks.TextBlock(label=_("text"))

    class Meta:
        icon = "warning"
        label = _("Safety warning")
        template = "content/blocks/safety.html"


class ToolItemBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=150)
    note = blocks.CharBlock(label=_("note"), required=False, max_length=250)


class ToolsBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("title"), max_length=200, required=False, default=""
    )
    items = blocks.ListBlock(ToolItemBlock(), label=_("items"), min_num=1)

    class Meta:
        icon = "cog"
        label = _("Tools and materials")
        template = "content/blocks/tools.html"


class GlossaryBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("term"), max_length=150)
    definition = blocks.TextBlock(label=_("definition"))

    class Meta:
        icon = "help"
        label = _("Glossary term")
        template = "content/blocks/glossary.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("choice"), max_length=300)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("feedback when this choice is picked"),
        max_length=500,
        required=False,
        help_text=_("Shown only once the check says which answers were right."),
    )


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("question"), max_length=500)
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("single", _("One correct answer")),
            ("multiple", _("One or more correct answers")),
        ],
        default="single",
    )
    choices = blocks.ListBlock(ChoiceBlock(), label=_("choices"), min_num=2, max_num=6)
    explanation = blocks.TextBlock(
        label=_("explanation shown after answering"), required=False
    )
    shuffle = blocks.BooleanBlock(
        label=_("shuffle the choices for each try"),
        required=False,
        default=True,
        help_text=_("Untick to keep your order (for “all of the above” and the like)."),
    )
    hints = blocks.ListBlock(
        blocks.CharBlock(max_length=300, label=_("hint")),
        label=_("hints: one more is shown after each try that did not pass"),
        default=[],
        min_num=0,
        max_num=5,
    )

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(_("Mark at least one correct choice."))
                }
            )
        if value["kind"] == "single" and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("A one-answer question needs exactly one correct choice.")
                    )
                }
            )
        return value


class KnowledgeCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("title"), max_length=200, required=False, default=""
    )
    questions = blocks.ListBlock(
        QuestionBlock(), label=_("questions"), min_num=1, max_num=5
    )
    reveal = blocks.ChoiceBlock(
        label=_("say which answers were right"),
        choices=[
            ("tries", _("after the number of tries below")),
            ("never", _("never: only passed or not, and the explanations")),
        ],
        default="tries",
    )
    reveal_after_tries = blocks.IntegerBlock(
        label=_("tries before the right answers are shown"),
        min_value=1,
        max_value=20,
        default=3,
        required=False,
    )

    def get_context(self, value, parent_context=None):
        """The author's order, for a rendering without the page's per-try view
        (courses passes `check`, the order of the trainee's try)."""
        context = super().get_context(value, parent_context=parent_context)
        context["author_questions"] = [
            {
                "index": index,
                "prompt": question["prompt"],
                "kind": question["kind"],
                "choices": [
                    {"position": position, "text": choice["text"]}
                    for position, choice in enumerate(question["choices"])
                ],
                "hints": [],
            }
            for index, question in enumerate(value["questions"])
        ]
        return context

    class Meta:
        icon = "tick-inverse"
        label = _("Knowledge check")
        template = "content/blocks/knowledge_check.html"


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        template="content/blocks/text.html",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    procedure = ProcedureBlock()
    safety = SafetyBlock()
    tools = ToolsBlock()
    glossary = GlossaryBlock()
    knowledge_check = KnowledgeCheckBlock()
