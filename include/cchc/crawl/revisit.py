"""When a known article is asked for again.

An article changes, if ever, soon after it is published: a corrected figure, an added photo.
So a known article is asked for again when a checkpoint of the schedule (days after it was
first fetched; ``CCHC_REVISIT_DAYS``, default 1, 3, 7 and 30) has passed since it was last
asked for, and never after the last checkpoint, unless a sitemap's lastmod or a feed's
updated date says it changed after it was last asked for. A quiet night then asks for
robots.txt, the discovery pages and what is due, not for every article it knows.
"""
from __future__ import annotations

from datetime import datetime, timedelta


def is_due(known, now: datetime, schedule_days: tuple[int, ...], changed_at: datetime | None = None) -> bool:
    """Whether to ask for an article tonight. Unknown articles, and any whose history is
    missing, are always due. ``changed_at``: when discovery says the page last changed."""
    if known is None or known.content_hash is None or known.first_seen is None or known.last_checked is None:
        return True
    if changed_at is not None and changed_at > known.last_checked:
        return True
    # by calendar day: an article fetched late in one night's crawl is due at the start of the
    # crawl d nights on, not the night after
    first, checked, today = known.first_seen.date(), known.last_checked.date(), now.date()
    return any(checked < first + timedelta(days=d) <= today for d in schedule_days)
