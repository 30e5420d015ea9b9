"""Aggregate statistics of cases: cases per week by category, risk, province, age band and
outcome; time to claim (median, p90). The CSV for the child-protection database is made from
these aggregates only: it never holds a row per case.

Weeks start on Monday in Viet Nam time. Counting happens here rather than in SQL so that SQLite
and PostgreSQL give the same weeks.
"""
from __future__ import annotations

import csv
import io
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Optional

from khien.settings import VIETNAM
from nlu.risk_lexicon import RISK_LEVELS

DIMENSIONS = ("category", "risk", "province", "age_band", "status")
UNKNOWN = "unknown"
CSV_HEADER = ("week_start", "dimension", "group", "value")


def week_of(moment: datetime) -> date:
    """The Monday (Viet Nam time) of the week of a naive UTC moment."""
    local = (moment + VIETNAM.utcoffset(None)).date()
    return local - timedelta(days=local.weekday())


def percentile(values: list[float], share: float) -> Optional[float]:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


@dataclass(frozen=True)
class ClaimTimes:
    claimed: int
    median_minutes: Optional[float]
    p90_minutes: Optional[float]

    @classmethod
    def of(cls, minutes: list[float]) -> "ClaimTimes":
        median = round(statistics.median(minutes), 1) if minutes else None
        p90 = percentile(minutes, 0.9)
        return cls(len(minutes), median, round(p90, 1) if p90 is not None else None)


@dataclass(frozen=True)
class Statistics:
    weeks: list[date]  # oldest first
    counts: dict[str, dict[str, list[int]]]  # dimension -> group -> cases per week
    claims: list[ClaimTimes]  # per week
    claims_overall: ClaimTimes

    @property
    def cases_per_week(self) -> list[int]:
        return [sum(per_week[n] for per_week in self.counts["risk"].values()) for n in range(len(self.weeks))]


def _ordered(dimension: str, totals: Counter) -> list[str]:
    if dimension == "risk":
        return sorted(totals, key=lambda g: -RISK_LEVELS.index(g) if g in RISK_LEVELS else 1)
    return [group for group, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]


def compute(rows: Iterable, weeks: int, now: datetime) -> Statistics:
    """`rows` as Cases.reported_since gives them; the last `weeks` weeks up to `now`."""
    last = week_of(now)
    week_list = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    index = {week: n for n, week in enumerate(week_list)}
    counted: dict[str, Counter] = {d: Counter() for d in DIMENSIONS}
    minutes: list[list[float]] = [[] for _ in week_list]
    for row in rows:
        n = index.get(week_of(row.created_at))
        if n is None:
            continue
        for dimension in DIMENSIONS:
            counted[dimension][(getattr(row, dimension) or UNKNOWN, n)] += 1
        if row.claimed_at is not None:
            minutes[n].append(max((row.claimed_at - row.created_at).total_seconds(), 0) / 60)
    counts = {}
    for dimension, counter in counted.items():
        totals = Counter()
        for (group, _), count in counter.items():
            totals[group] += count
        counts[dimension] = {group: [counter[(group, n)] for n in range(len(week_list))]
                             for group in _ordered(dimension, totals)}
    return Statistics(week_list, counts, [ClaimTimes.of(m) for m in minutes],
                      ClaimTimes.of([m for week in minutes for m in week]))


def since_for(weeks: int, now: datetime) -> datetime:
    """The naive UTC moment the first of the last `weeks` weeks begins."""
    first = week_of(now) - timedelta(weeks=weeks - 1)
    return datetime.combine(first, datetime.min.time()) - VIETNAM.utcoffset(None)


def to_csv(stats: Statistics) -> str:
    """One line per (week, dimension, group) with its number of cases, then the week's time to
    claim in minutes (groups "median", "p90", "claimed"). Aggregates only."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for n, week in enumerate(stats.weeks):
        for dimension in DIMENSIONS:
            for group, per_week in stats.counts[dimension].items():
                if per_week[n]:
                    writer.writerow((week.isoformat(), dimension, group, per_week[n]))
        claims = stats.claims[n]
        if claims.claimed:
            for group, value in (("claimed", claims.claimed), ("median", claims.median_minutes),
                                 ("p90", claims.p90_minutes)):
                writer.writerow((week.isoformat(), "claim_minutes", group, value))
    return out.getvalue()
