"""What citizens asked and how it went: `python -m ops.report [--json] [--since DAYS]`
(`make report ARGS="--json --since 7"`).

Read from Rasa's tracker store (the `events` table of Rasa's SQLTrackerStore: SQLite in
var/tracker.db by default, PostgreSQL when TRACKER_DB_URL is set) and the feedback DB:

- the questions the bot refused, by the outcome the answer action recorded in the `outcome`
  slot (not_covered, unfit, out_of_scope: actions/scope.py), with counts;
- the questions answered although the NLU was unsure (nlu_fallback or out_of_scope intent, or an
  intent confidence < 0.6), with counts;
- the most asked services: the `service` slot the answer action sets ("item:<id>" /
  "package:<id>"), with names from the guide;
- the 👍/👎 counts of the web widget (FEEDBACK_DB, default var/feedback.db; no file = zero).

Read-only: nothing is written to either database. Messages were masked by the channels before
they were stored, so the report shows no personal numbers.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from ops import storage_health
from ops.settings import ConfigurationError, Settings

LOW_CONFIDENCE = 0.6
FALLBACK_INTENTS = ("nlu_fallback", "out_of_scope")
# the outcomes of actions/scope.py that refuse (指南未涉及 + 12333)
REFUSED_OUTCOMES = ("not_covered", "unfit", "out_of_scope")


class ReportError(Exception):
    """The report cannot be made; the message says why and what to do."""


# ---- reading ------------------------------------------------------------------------------------

def tracker_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the tracker store the bot writes to (same settings as Rasa's)."""
    if settings.tracker_db_url:
        url = settings.tracker_db_url
        if url.startswith("postgres://"):  # SQLAlchemy 1.4 only knows postgresql://
            url = "postgresql://" + url[len("postgres://"):]
        if not url.startswith("postgresql://"):
            raise ConfigurationError(
                "TRACKER_DB_URL must be postgresql://user:password@host:port/db")
        return url
    return f"sqlite:///{settings.sqlite_path}"


def read_events(url: str, since: Optional[float] = None) -> Iterator[Dict[str, Any]]:
    """The events that matter for the report, per conversation in order, as Rasa stored them
    (`data` is the event's JSON)."""
    import sqlalchemy as sa

    label = _safe_url(url)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.is_file():
            raise ReportError(f"no tracker store at {path}: no conversation yet, or set "
                              "TRACKER_DB_URL / TRACKER_SQLITE_PATH to the bot's store")
        # read-only: do not create or lock anything in the live store
        engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, timeout=10))
    else:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    query, params = turn_events_query("sender_id, type_name, timestamp, action_name, data",
                                      since=since)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                raise ReportError(f"{label} has no `events` table: it is not a Rasa "
                                  "tracker store, or the bot has not stored a conversation yet")
            result = connection.execution_options(stream_results=True).execute(
                sa.text(query), params)
            for sender_id, type_name, timestamp, action_name, data in result:
                try:
                    event = json.loads(data or "{}")
                except ValueError:
                    continue
                yield {"sender_id": sender_id, "type_name": type_name, "timestamp": timestamp,
                       "action_name": action_name, "event": event}
    except sa.exc.SQLAlchemyError as error:
        first = str(getattr(error, "orig", error) or error).strip().splitlines()
        raise ReportError(f"cannot read the tracker store {label}: "
                          f"{first[0] if first else type(error).__name__}") from None
    finally:
        engine.dispose()


def turn_events_query(columns: str, since: Optional[float] = None,
                      sender: Optional[str] = None) -> Tuple[str, Dict[str, Any]]:
    """SQL and parameters for the tracker store's events that make up turns (user, bot, slot,
    session start), since a time and of one sender if given, per conversation in order: what
    the report and the staff pages both read."""
    query = (f"SELECT {columns} FROM events "
             "WHERE type_name IN ('user', 'bot', 'slot', 'session_started')")
    params: Dict[str, Any] = {}
    if since is not None:
        query += " AND timestamp >= :since"
        params["since"] = since
    if sender is not None:
        query += " AND sender_id = :sender"
        params["sender"] = sender
    return query + " ORDER BY sender_id, id", params


def unstored_turns(path: Path, since: Optional[float] = None) -> int:
    """Turns the channels answered 「请稍后再问一次」 because they could not be stored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    stamps = [line.split("\t", 1)[0] for line in lines]
    return sum(1 for stamp in stamps
               if stamp.isdigit() and (since is None or int(stamp) >= since))


def feedback_counts(path: Path, since: Optional[float] = None) -> Dict[str, int]:
    """👍/👎 counts of web/feedback.py's SQLite file; a missing file or table counts zero."""
    counts = {"up": 0, "down": 0}
    if not Path(path).is_file():
        return counts
    query, params = "SELECT rating, COUNT(*) FROM feedback", []
    if since is not None:  # created_at is ISO 8601 in UTC, so text order is time order
        query += " WHERE created_at >= ?"
        params.append(datetime.datetime.fromtimestamp(since, datetime.timezone.utc)
                      .isoformat(timespec="seconds"))
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            rows = connection.execute(query + " GROUP BY rating", params).fetchall()
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return counts
        raise ReportError(f"cannot read the feedback DB {path}: {error}") from None
    for rating, count in rows:
        if rating in counts:
            counts[rating] = int(count)
    return counts


# ---- analysis -----------------------------------------------------------------------------------

def _question(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _Turn:
    question: str
    intent: Optional[str]
    confidence: Optional[float]
    outcome: Optional[str] = None


@dataclass
class _Tally:
    count: int = 0
    reasons: Counter = field(default_factory=Counter)
    lowest: Optional[float] = None

    def add(self, reason: str, confidence: Optional[float]) -> None:
        self.count += 1
        self.reasons[reason] += 1
        if confidence is not None:
            self.lowest = confidence if self.lowest is None else min(self.lowest, confidence)


def analyse(events: Iterable[Mapping[str, Any]],
            service_name: Callable[[str], Optional[str]]) -> Dict[str, Any]:
    """The report's tracker part from events ordered per conversation."""
    fallback: Dict[str, _Tally] = defaultdict(_Tally)
    low: Dict[str, _Tally] = defaultdict(_Tally)
    services: Counter = Counter()
    service_senders: Dict[str, set] = defaultdict(set)
    senders, questions = set(), 0
    turn: Optional[_Turn] = None
    carried_over = False  # slots Rasa re-sets at a new session are not new questions

    def close(turn: Optional[_Turn]) -> None:
        if turn is None or not turn.question:
            return
        if turn.outcome in REFUSED_OUTCOMES:
            fallback[turn.question].add(turn.outcome, turn.confidence)
        elif turn.intent in FALLBACK_INTENTS or (
                turn.confidence is not None and turn.confidence < LOW_CONFIDENCE):
            low[turn.question].add(turn.intent or "?", turn.confidence)

    previous_sender = None
    for row in events:
        sender, kind, event = row["sender_id"], row["type_name"], row["event"]
        if sender != previous_sender:
            close(turn)
            turn, carried_over, previous_sender = None, False, sender
        if kind == "session_started":
            carried_over = True
        elif kind == "user":
            close(turn)
            carried_over = False
            text = event.get("text") or ""
            intent = (event.get("parse_data") or {}).get("intent") or {}
            confidence = intent.get("confidence")
            turn = _Turn(_question(text), intent.get("name"),
                         float(confidence) if isinstance(confidence, (int, float)) else None)
            senders.add(sender)
            questions += 1 if turn.question else 0
        elif kind == "slot" and not carried_over:
            name = event.get("name") or row.get("action_name")
            if name == "outcome" and turn is not None:
                turn.outcome = event.get("value")
            if name != "service":
                continue
            value = event.get("value")
            for ref in (value if isinstance(value, str) else "").split(","):
                ref = ref.strip()
                if ref:
                    services[ref] += 1
                    service_senders[ref].add(sender)
    close(turn)

    def ranked(tallies: Dict[str, _Tally]) -> List[Dict[str, Any]]:
        rows = sorted(tallies.items(), key=lambda kv: (-kv[1].count, kv[0]))
        return [{"question": q, "count": t.count, "reasons": dict(t.reasons.most_common()),
                 "lowest_confidence": None if t.lowest is None else round(t.lowest, 3)}
                for q, t in rows]

    return {
        "conversations": len(senders),
        "questions": questions,
        "fallback": ranked(fallback),
        "low_confidence": ranked(low),
        "services": [{"ref": ref, "name": service_name(ref) or f"(unknown) {ref}",
                      "count": count, "conversations": len(service_senders[ref])}
                     for ref, count in sorted(services.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def guide_names() -> Callable[[str], Optional[str]]:
    """item:<id> / package:<id> → the name in knowledge/guide.yml (None when unknown)."""
    from guide_kb.loader import load_guide

    guide = load_guide()

    def name(ref: str) -> Optional[str]:
        kind, _, key = ref.partition(":")
        if kind == "item" and guide.has_item(key):
            return guide.item(key).name
        if kind == "package" and guide.has_package(key):
            return guide.package(key).name
        return None

    return name


def build_report(settings: Settings, feedback_db: Path, since_days: Optional[float] = None,
                 now: Optional[float] = None,
                 service_name: Optional[Callable[[str], Optional[str]]] = None
                 ) -> Dict[str, Any]:
    now = time.time() if now is None else now
    since = None if since_days is None else now - since_days * 86400
    url = tracker_url(settings)
    report = analyse(read_events(url, since), service_name or guide_names())
    feedback = feedback_counts(feedback_db, since)
    return {"since_days": since_days,
            "unstored_turns": unstored_turns(storage_health.failure_log(), since),
            "since": None if since is None else datetime.datetime.fromtimestamp(
                since, datetime.timezone.utc).isoformat(timespec="seconds"),
            "tracker_store": _safe_url(url),
            "low_confidence_threshold": LOW_CONFIDENCE,
            **report,
            "feedback": {"db": str(feedback_db), **feedback}}


def _safe_url(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).__repr__()


# ---- output -------------------------------------------------------------------------------------

def render_text(report: Mapping[str, Any], top: int = 20) -> str:
    period = (f"the last {report['since_days']:g} days (since {report['since']})"
              if report["since_days"] is not None else "all time")
    lines = [f"Bot report — {period}",
             f"Tracker store: {report['tracker_store']}",
             f"{report['conversations']} conversations, {report['questions']} questions", ""]

    def questions(title: str, rows: List[Dict[str, Any]]) -> None:
        total = sum(r["count"] for r in rows)
        lines.append(f"{title}: {total} ({len(rows)} different)")
        for row in rows[:top]:
            why = ", ".join(f"{k} {v}" if v > 1 else k for k, v in row["reasons"].items())
            confidence = ("" if row["lowest_confidence"] is None
                          else f", lowest confidence {row['lowest_confidence']:.2f}")
            lines.append(f"  {row['count']:>5}  {row['question']}   [{why}{confidence}]")
        if len(rows) > top:
            lines.append(f"         … {len(rows) - top} more (--top N, or --json for all)")
        if not rows:
            lines.append("         none")
        lines.append("")

    questions("Questions the bot refused (the recorded outcome: not_covered, unfit, out_of_scope)",
              report["fallback"])
    questions(f"Questions answered with low confidence (< {report['low_confidence_threshold']})",
              report["low_confidence"])
    lines.append("Most asked services (answers / conversations):")
    for row in report["services"][:top]:
        lines.append(f"  {row['count']:>5} / {row['conversations']:<5} {row['name']}  "
                     f"({row['ref']})")
    if not report["services"]:
        lines.append("         none")
    lines += ["", f"Turns that could not be stored (answered 请稍后再问一次): "
                  f"{report['unstored_turns']}"]
    lines += ["", f"Feedback ({report['feedback']['db']}): 👍 {report['feedback']['up']}   "
                  f"👎 {report['feedback']['down']}"]
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.report",
        description="Questions that fell back or were answered with low confidence, the most "
                    "asked services and the 👍/👎 counts. Tracker store: TRACKER_DB_URL "
                    "(PostgreSQL) or TRACKER_SQLITE_PATH (default var/tracker.db); feedback: "
                    "FEEDBACK_DB (default var/feedback.db).")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--since", type=float, metavar="DAYS",
                        help="only the last DAYS days (default: everything)")
    parser.add_argument("--top", type=int, default=20, metavar="N",
                        help="rows per list in the text report (default 20)")
    args = parser.parse_args(argv)
    if args.since is not None and args.since <= 0:
        parser.error("--since must be a positive number of days")
    if args.top < 1:
        parser.error("--top must be at least 1")
    try:
        settings = Settings.from_env()
        feedback_db = Path.cwd() / settings.feedback_db  # an absolute one stays itself
        report = build_report(settings, feedback_db, args.since)
    except (ReportError, ConfigurationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(report, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
