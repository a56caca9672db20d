"""The workflow's closed sets of values, in one place: statuses, letter urgency, verdicts, action kinds.

They belong to the colocation workflow, not to the inventory below it: the
inventory (:mod:`dcim.choices`) knows nothing of requests, letters
or SOP actions. Each set is a ``StrEnum`` so that the value stored in the
database, written in the SOP file and shown in JSON is the same plain
string; ``values()`` lists a set in declaration order for check
constraints and error messages.
"""

from __future__ import annotations

from enum import StrEnum


class WorkflowChoices(StrEnum):
    """A closed set of workflow values."""

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """All values of the set, in declaration order."""
        return tuple(member.value for member in cls)


class RequestStatus(WorkflowChoices):
    """Where a colocation request stands: still moving through the SOP, or ended and how.

    Every status but ``open`` is the status of an end of the SOP file
    (``ends.<key>.status``).
    """

    OPEN = "open"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DONE = "done"


class LetterUrgency(WorkflowChoices):
    """The *sifat* of an incoming letter, as the agenda book and the Lembar Disposisi record it."""

    BIASA = "biasa"
    PENTING = "penting"
    SEGERA = "segera"
    SANGAT_SEGERA = "sangat_segera"
    RAHASIA = "rahasia"


class ChecklistStatus(WorkflowChoices):
    """An installation and configuration item (SOP step 10): done, or not needed for this server."""

    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class TestResult(WorkflowChoices):
    """The verdict of one performance test (SOP step 11)."""

    PASS = "pass"
    FAIL = "fail"


class ActionKind(WorkflowChoices):
    """What an SOP action does besides moving the request; ``kind:`` in the SOP file.

    Each kind has one handler in :mod:`colocation.actions`, which registers
    it; the state machine knows no kind by name. ``withdraw`` is the office's
    withdrawal, open at every step up to the SOP's limit, never listed in a state.
    """

    REGISTER = "register"
    DISPOSITION = "disposition"
    CAPACITY_CHECK = "capacity_check"
    REPORT = "report"
    REPLY = "reply"
    INSTALL = "install"
    CHECKLIST = "checklist"
    PERFORMANCE_TEST = "performance_test"
    MONITORING = "monitoring"
    BERITA_ACARA = "berita_acara"
    ACKNOWLEDGE = "acknowledge"
    RECHECK = "recheck"
    PLAIN = "plain"
    WITHDRAW = "withdraw"


class EngineCall(WorkflowChoices):
    """What an action asks of the capacity engine, in the action's transaction (see :mod:`capacity.holds`)."""

    RESERVE = "reserve"  # step 5: check, and hold what fits
    COMMIT = "commit"  # step 9: the hold becomes the installed server
    RELEASE = "release"  # rejection, withdrawal, a recheck after a lapsed hold


class NotificationReason(WorkflowChoices):
    """Why the workflow writes to somebody (:mod:`colocation.notifications`)."""

    STEP = "step"  # a request now waits for the recipient's role
    OVERDUE = "overdue"  # the step waiting for the recipient's role is past its deadline
    LETTER = "letter"  # a letter to the OPD was issued
