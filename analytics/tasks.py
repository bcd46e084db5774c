"""Beat jobs: roll-ups (idempotent recomputes) and pruning of raw rows past their retention."""

from __future__ import annotations

from celery import shared_task

from analytics import rollups


@shared_task(ignore_result=True, soft_time_limit=300)
def rollup_hourly() -> int:
    """Every ~10 minutes: the current and the previous hour of every active channel."""
    return rollups.rollup_recent()


@shared_task(ignore_result=True, soft_time_limit=600)
def rollup_daily() -> int:
    """Every hour: today and yesterday (UTC) of every active channel, with traffic breakdowns."""
    return rollups.rollup_recent_days()


@shared_task(ignore_result=True, soft_time_limit=600)
def prune_raw_analytics() -> int:
    return sum(rollups.prune_raw().values())
