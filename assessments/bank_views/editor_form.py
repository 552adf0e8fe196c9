"""The question editor's form: what it shows (a version's definition, or exactly
what was posted, as strings) and the definition it posts (numbers read with
Eastern-Arabic digits; a number that is not one is an error next to its field)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from assessments.selectors.question_editor import (
    COMBINED_FEEDBACK_KINDS,
    SHUFFLED_KINDS,
)
from lms.kernel.digits import to_western_digits

MAX_ROWS = 30
MAX_HINTS = 10
# The repeated rows of each kind and their fields (the hidden ones keep an option's
# id and picture from version to version).
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "single_choice": ("id", "text", "fraction", "feedback", "image", "image_alt"),
    "multiple_response": ("id", "text", "fraction", "feedback", "image", "image_alt"),
    "matching": ("id", "prompt", "answer", "image", "image_alt"),
    "ordering": ("id", "text", "image", "image_alt"),
    "numeric": ("value", "tolerance", "fraction", "feedback"),
    "short_answer": ("text", "fraction", "feedback"),
}
# The fields that say a row was filled in (a grade alone does not).
TYPED = {
    kind: tuple(
        f
        for f in fields
        if f not in ("id", "image", "image_alt", "fraction", "tolerance")
    )
    for kind, fields in ROW_FIELDS.items()
}
PERCENT_FIELDS = ("fraction",)
NUMBER_FIELDS = ("value", "tolerance")
BLANK_ROWS = 2
MIN_ROWS = {"single_choice": 4, "multiple_response": 4, "matching": 3, "ordering": 4}


def _percent(value: Any) -> str:
    try:
        return format(round(float(value) * 100, 4), "g")
    except (TypeError, ValueError):
        return ""


def _number(value: Any) -> str:
    try:
        return format(float(value), "g")
    except (TypeError, ValueError):
        return ""


def _row_strings(kind: str, row: dict) -> dict[str, str]:
    out = {}
    for field in ROW_FIELDS[kind]:
        value = row.get(field)
        if field in PERCENT_FIELDS:
            out[field] = _percent(value if value is not None else 1)
        elif field in NUMBER_FIELDS:
            out[field] = _number(value) if value is not None else ""
        else:
            out[field] = str(value or "")
    return out


def _pad(kind: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows shown: the question's, then empty ones to add more without script."""
    if kind not in ROW_FIELDS:
        return rows
    wanted = max(len(rows) + BLANK_ROWS, MIN_ROWS.get(kind, 2))
    blank = dict.fromkeys(ROW_FIELDS[kind], "")
    return (rows + [dict(blank) for _i in range(wanted)])[: max(wanted, len(rows))]


def state_from_version(
    kind: str, *, stem: str, data: dict, explanation: str, points: Any, meta: dict
) -> dict[str, Any]:
    """The form's strings for a saved version (or a new question: empty data)."""
    rows_key = {"matching": "pairs", "ordering": "items", "numeric": "answers"}.get(
        kind, "answers" if kind == "short_answer" else "options"
    )
    rows = (
        [_row_strings(kind, r) for r in data.get(rows_key) or []]
        if kind in ROW_FIELDS
        else []
    )
    feedback = data.get("feedback") or {}
    answer = data.get("answer")
    return {
        **meta,
        "kind": kind,
        "stem": stem,
        "explanation": explanation,
        "points": _number(points) or "1",
        "rows": _pad(kind, rows),
        "hints": [*(data.get("hints") or []), "", ""][:MAX_HINTS],
        "shuffle": data.get("shuffle", True) is not False,
        "feedback": {
            k: str(feedback.get(k) or "") for k in ("correct", "partial", "incorrect")
        },
        "answer": "" if answer is None else ("true" if answer else "false"),
        "feedback_true": str(data.get("feedback_true") or ""),
        "feedback_false": str(data.get("feedback_false") or ""),
        "units": [
            {"name": u.get("name", ""), "multiplier": _number(u.get("multiplier"))}
            for u in data.get("units") or []
        ]
        + [{"name": "", "multiplier": ""}],
        "unit_required": bool(data.get("unit_required")),
        "case_sensitive": bool(data.get("case_sensitive")),
        "distractors": "\n".join(data.get("distractors") or []),
        "grader_info": str(data.get("grader_info") or ""),
        "errors": {},
    }


def state_from_post(kind: str, post: Any) -> dict[str, Any]:
    """Exactly what was typed, to show again beside the errors."""
    fields = ROW_FIELDS.get(kind, ())
    rows = []
    for i in range(MAX_ROWS):
        row = {f: str(post.get(f"row-{i}-{f}", "")) for f in fields}
        if any(post.get(f"row-{i}-{f}") is not None for f in fields):
            rows.append(row)
    units = [
        {
            "name": str(post.get(f"unit-{i}-name", "")),
            "multiplier": str(post.get(f"unit-{i}-multiplier", "")),
        }
        for i in range(MAX_ROWS)
        if post.get(f"unit-{i}-name") is not None
    ]
    return {
        "kind": kind,
        "stem": str(post.get("stem", "")),
        "name": str(post.get("name", "")),
        "topic": str(post.get("topic", "")),
        "difficulty": str(post.get("difficulty", "")),
        "explanation": str(post.get("explanation", "")),
        "points": str(post.get("points", "")),
        "rows": rows,
        "hints": [str(h) for h in post.getlist("hint")][:MAX_HINTS],
        "shuffle": post.get("shuffle") == "1",
        "feedback": {
            k: str(post.get(f"feedback_{k}", ""))
            for k in ("correct", "partial", "incorrect")
        },
        "answer": str(post.get("answer", "")),
        "feedback_true": str(post.get("feedback_true", "")),
        "feedback_false": str(post.get("feedback_false", "")),
        "units": units or [{"name": "", "multiplier": ""}],
        "unit_required": post.get("unit_required") == "1",
        "case_sensitive": post.get("case_sensitive") == "1",
        "distractors": str(post.get("distractors", "")),
        "grader_info": str(post.get("grader_info", "")),
        "errors": {},
    }


def read_number(raw: str) -> float | None:
    """A typed number (Eastern-Arabic digits, a comma or ٫ as decimal mark)."""
    text = to_western_digits(raw or "").strip().replace(",", ".").rstrip("%").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(text) from None


def _row_value(kind: str, field: str, raw: str, errors: dict, key: str) -> Any:
    if field in PERCENT_FIELDS or field in NUMBER_FIELDS:
        try:
            number = read_number(raw)
        except ValueError:
            errors[key] = _("Type a number, for example 12.5.")
            return None
        if field in PERCENT_FIELDS:
            return None if number is None else number / 100
        return number
    if field in ("id", "image"):
        return raw.strip() or None
    return raw.strip()


def _rows(kind: str, state: dict, errors: dict) -> list[dict]:
    rows = []
    for i, row in enumerate(state["rows"]):
        if not any(row.get(f, "").strip() for f in TYPED[kind]) and not row.get(
            "image"
        ):
            continue
        values = {
            f: _row_value(kind, f, row.get(f, ""), errors, f"row-{i}-{f}")
            for f in ROW_FIELDS[kind]
        }
        if "fraction" in values and values["fraction"] is None:
            # a blank grade: 0% for an option, 100% for a typed answer
            values["fraction"] = 1.0 if kind in ("numeric", "short_answer") else 0.0
        rows.append(values)
    return rows


def definition_from_state(kind: str, state: dict) -> tuple[dict, dict[str, str]]:
    """The definition to give the kind's clean(), and the fields typed wrong."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    if kind != "essay":
        data["hints"] = [h.strip() for h in state["hints"] if h.strip()]
    if kind in COMBINED_FEEDBACK_KINDS:
        data["feedback"] = {k: v.strip() for k, v in state["feedback"].items()}
    if kind in SHUFFLED_KINDS:
        data["shuffle"] = state["shuffle"]
    rows = _rows(kind, state, errors) if kind in ROW_FIELDS else []
    if kind in ("single_choice", "multiple_response"):
        data["options"] = rows
    elif kind == "matching":
        data["pairs"] = rows
        data["distractors"] = [
            d.strip() for d in state["distractors"].splitlines() if d.strip()
        ]
    elif kind == "ordering":
        data["items"] = rows
    elif kind in ("numeric", "short_answer"):
        if kind == "numeric":
            data["units"] = _units(state, errors)
            data["unit_required"] = state["unit_required"]
        else:
            data["case_sensitive"] = state["case_sensitive"]
        data["answers"] = rows
    elif kind == "true_false":
        data["answer"] = {"true": True, "false": False}.get(state["answer"])
        data["feedback_true"] = state["feedback_true"].strip()
        data["feedback_false"] = state["feedback_false"].strip()
    elif kind == "essay":
        data["grader_info"] = state["grader_info"].strip()
    _attach(state, errors)
    return data, errors


def _attach(state: dict, errors: dict[str, str]) -> None:
    """Each row's errors on the row, for the template (`err_<field>`)."""
    for key, message in errors.items():
        group, _sep, rest = key.partition("-")
        index, _sep, field = rest.partition("-")
        rows = {"row": state["rows"], "unit": state["units"]}.get(group)
        if rows is not None and index.isdigit() and int(index) < len(rows):
            rows[int(index)][f"err_{field}"] = message


def _units(state: dict, errors: dict) -> list[dict]:
    units = []
    for i, unit in enumerate(state["units"]):
        if not unit["name"].strip() and not unit["multiplier"].strip():
            continue
        try:
            multiplier = read_number(unit["multiplier"])
        except ValueError:
            errors[f"unit-{i}-multiplier"] = _("Type a number, for example 12.5.")
            continue
        units.append(
            {
                "name": unit["name"].strip(),
                "multiplier": 1 if multiplier is None else multiplier,
            }
        )
    return units
