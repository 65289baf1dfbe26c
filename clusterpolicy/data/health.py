"""Whether this host can serve: the served data version opens and the application state answers.

``python -m clusterpolicy check`` prints it (a replica's unit runs it before starting), and the
media gate answers it at ``/ready`` on loopback for monitoring.
"""

from __future__ import annotations

from clusterpolicy.data import appstate, audit, store


def readiness() -> dict:
    """Whether this host can serve: the state database answers and the served data version opens (else why not)."""
    report: dict = {"ready": False}
    try:
        report["state"] = appstate.backend()
        report["audit_entries"] = audit.count()
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        report["problem"] = f"the state database does not answer: {exc}"[:300]
        return report
    try:
        report["data_version"] = store.version_of(store.served_path())
    except Exception as exc:  # noqa: BLE001
        report["problem"] = f"the served data version does not open: {exc}"[:300]
        return report
    report["ready"] = True
    return report
