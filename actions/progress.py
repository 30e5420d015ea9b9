"""Lesson progress per pseudonym, in the report store's database (migration 0002).

One row per user and lesson: where they are, their last quiz score, when they first started and
first finished. `lesson_stats` is what the console may show: counts per week, track and age band,
never a row about one person. `/xoa` deletes a user's rows (actions/privacy.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional

from sqlalchemy import Column, DateTime, Integer, String, UniqueConstraint, delete, select

from actions.store import Base, ReportStore, utcnow


class LessonProgress(Base):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("pseudonym", "lesson_id", name="uq_lesson_progress_pseudonym_lesson"),)

    id = Column(Integer, primary_key=True)
    pseudonym = Column(String(64), nullable=False, index=True)
    lesson_id = Column(String(64), nullable=False)
    track = Column(String(16), nullable=False)  # child | parent | staff
    age_band = Column(String(16))  # under_11 | 11_15 | 16_17; None on the adult tracks
    position = Column(Integer, nullable=False, default=0)  # steps, then questions; done at the end
    score = Column(Integer, nullable=False, default=0)  # right answers so far in this run
    started_at = Column(DateTime, nullable=False)  # first start
    updated_at = Column(DateTime, nullable=False)
    completed_at = Column(DateTime)  # first completion


@dataclass(frozen=True)
class Progress:
    lesson_id: str
    position: int
    score: int
    completed: bool
    updated_at: datetime


class LessonProgressStore:
    """Progress rows through the report store's engine and sessions."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    def _row(self, session, pseudonym: str, lesson_id: str) -> Optional[LessonProgress]:
        return session.execute(select(LessonProgress).where(
            LessonProgress.pseudonym == pseudonym, LessonProgress.lesson_id == lesson_id)).scalar_one_or_none()

    def start(self, pseudonym: str, lesson_id: str, track: str, age_band: Optional[str]) -> None:
        """A (re)start: position and score back to zero; first start and completion are kept."""
        now = utcnow()
        with self.store.session() as session, session.begin():
            row = self._row(session, pseudonym, lesson_id)
            if row is None:
                row = LessonProgress(pseudonym=pseudonym, lesson_id=lesson_id, track=track, started_at=now)
                session.add(row)
            row.age_band, row.position, row.score, row.updated_at = age_band, 0, 0, now

    def save(self, pseudonym: str, lesson_id: str, position: int, score: int, completed: bool = False) -> None:
        now = utcnow()
        with self.store.session() as session, session.begin():
            row = self._row(session, pseudonym, lesson_id)
            if row is None:
                return  # started before a /xoa: nothing to keep
            row.position, row.score, row.updated_at = position, score, now
            if completed and row.completed_at is None:
                row.completed_at = now

    def of(self, pseudonym: str) -> dict[str, Progress]:
        """This user's lessons by id."""
        with self.store.session() as session:
            rows = session.execute(select(LessonProgress).where(LessonProgress.pseudonym == pseudonym)).scalars()
            return {r.lesson_id: Progress(r.lesson_id, r.position, r.score, r.completed_at is not None, r.updated_at)
                    for r in rows}

    def delete_user(self, pseudonym: str) -> int:
        with self.store.session() as session, session.begin():
            return session.execute(delete(LessonProgress).where(LessonProgress.pseudonym == pseudonym)).rowcount


def week_of(moment: datetime) -> date:
    """The Monday of the moment's week (UTC)."""
    return moment.date() - timedelta(days=moment.weekday())


def lesson_stats(store: ReportStore, since: Optional[datetime] = None) -> list[dict]:
    """Lessons started and completed per week, track and age band: aggregates only, for the console.

    Rows look like {"week": "2026-03-02", "track": "child", "age_band": "under_11",
    "started": 12, "completed": 9}; age_band is "all" on the adult tracks.
    """
    counts: dict[tuple, dict[str, int]] = {}
    with store.session() as session:
        rows = session.execute(select(LessonProgress.track, LessonProgress.age_band,
                                      LessonProgress.started_at, LessonProgress.completed_at))
        for track, band, started_at, completed_at in rows:
            for kind, moment in (("started", started_at), ("completed", completed_at)):
                if moment is None or (since is not None and moment < since):
                    continue
                key = (week_of(moment).isoformat(), track, band or "all")
                counts.setdefault(key, {"started": 0, "completed": 0})[kind] += 1
    return [{"week": week, "track": track, "age_band": band, **n}
            for (week, track, band), n in sorted(counts.items())]
