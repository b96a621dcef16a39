"""CDS Hooks feedback: which cards coders accepted or overrode. Kept in memory (bounded) and, when
NOTECODE_FEEDBACK_FILE is set, appended to that JSONL file. A record holds ids, outcome, the reason's code
and the warning code the card was about; never note text and never the clinician's free-text comment."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import deque
from pathlib import Path
from typing import Any

from api.http_api.cds_cards import CardLedger
from api.http_api.cds_models import Feedback


class FeedbackStore:
    def __init__(self, path: Path | None, memory_limit: int) -> None:
        self.path = path
        self._recent: deque[dict[str, Any]] = deque(maxlen=memory_limit)
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, records: list[dict[str, Any]]) -> None:
        with self._lock:
            self._recent.extend(records)
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.writelines(json.dumps(r, sort_keys=True) + "\n" for r in records)

    def recent(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._recent)


def feedback_record(item: Feedback, service_id: str, key_name: str, ledger: CardLedger) -> dict[str, Any]:
    facts = ledger.recall(item.card)
    reason = item.overrideReason.reason if item.overrideReason else None
    return {
        "received_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "service": service_id,
        "key": key_name,
        "card": item.card,
        "outcome": item.outcome,
        "outcome_timestamp": item.outcomeTimestamp.isoformat(),
        "accepted_suggestions": [s.id for s in item.acceptedSuggestions or []],
        "override_reason": {"system": reason.system, "code": reason.code} if reason else None,
        "had_user_comment": bool(item.overrideReason and item.overrideReason.userComment),
        "card_kind": facts.kind if facts else None,  # None: a card this process did not issue (or forgot)
        "warning_code": facts.warning_code if facts else None,
        "cpt": facts.cpt if facts else None,
    }
