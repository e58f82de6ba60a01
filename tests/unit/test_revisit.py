"""The revisit schedule: a known article is asked for again at checkpoints after its first fetch."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cchc.crawl.crawler import Known
from cchc.crawl.revisit import is_due

FIRST = datetime(2026, 11, 1, 1, 0)
SCHEDULE = (1, 3, 7, 30)


def known(last_checked, content_hash="h"):
    return Known(None, None, content_hash, FIRST, last_checked)


@pytest.mark.parametrize("last_checked, now, due", [
    (FIRST, FIRST + timedelta(hours=20), False),                       # the same day
    (FIRST, FIRST + timedelta(days=1), True),                          # day 1 reached
    (FIRST + timedelta(days=1), FIRST + timedelta(days=2), False),     # asked on day 1, day 3 not yet
    (FIRST + timedelta(days=1), FIRST + timedelta(days=3, hours=1), True),
    (FIRST + timedelta(days=8), FIRST + timedelta(days=29), False),
    (FIRST + timedelta(days=8), FIRST + timedelta(days=31), True),     # the last checkpoint
    (FIRST + timedelta(days=31), FIRST + timedelta(days=400), False),  # then never
])
def test_an_article_is_due_when_a_checkpoint_passed_since_it_was_last_asked_for(last_checked, now, due):
    assert is_due(known(last_checked), now, SCHEDULE) is due


def test_an_article_without_history_is_always_due():
    now = FIRST + timedelta(hours=1)
    assert is_due(None, now, SCHEDULE)
    assert is_due(known(FIRST, content_hash=None), now, SCHEDULE)  # only ever logged, never stored
    assert is_due(Known("etag", None, "h"), now, SCHEDULE)
