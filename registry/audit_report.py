"""The whole proof, in one place: the hash chain, the signed checkpoints outside the
database, and every certificate row against the entry that last changed it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from registry.audit import audit_verify
from registry.audit_state import certificates_verify
from registry.checkpoints import checkpoints_verify, status_record


@dataclass(frozen=True)
class AuditReport:
    entries: int
    checkpoints: int
    certificates: int
    problems: tuple[str, ...]


def _where(seq: int | None) -> str:
    return f"entry #{seq}: " if seq else ""


def audit_full_verify(*, record: bool = True) -> AuditReport:
    """Run every check; `record` writes the outcome for the staff page."""
    problems: list[str] = []
    checked, chain_problem = audit_verify()
    if chain_problem is not None:
        problems.append(
            f"Audit log broken at entry #{chain_problem.seq}: {chain_problem.reason} "
            f"({checked} entries before it verified)."
        )
    checkpoints, checkpoint_problems = checkpoints_verify()
    problems += [f"Checkpoint: {p.reason}." for p in checkpoint_problems]
    certificates, state_problems = certificates_verify()
    problems += [
        f"Certificate row: {_where(p.seq)}{p.reason}." for p in state_problems[:50]
    ]
    if len(state_problems) > 50:
        problems.append(f"... and {len(state_problems) - 50} more certificate rows.")
    if record:
        status_record(
            verified_seq=checked,
            at=timezone.now().astimezone(dt.UTC).isoformat(),
            problem=problems[0] if problems else "",
        )
    return AuditReport(
        entries=checked,
        checkpoints=checkpoints,
        certificates=certificates,
        problems=tuple(problems),
    )
