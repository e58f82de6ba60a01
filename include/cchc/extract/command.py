"""`cchc facts FILE`: the facts of one article as JSON lines, one object per fact.

Exit status: 0 (facts or none: no output means the article states no dossier statistics),
2 when the file cannot be read or an option is malformed (a message on standard error).
"""
from __future__ import annotations

import sys
from datetime import date

from cchc.extract.article import ArticleReadError, load_article
from cchc.extract.facts import extract_facts


def run_facts(args) -> int:
    published = None
    if getattr(args, "published", None):
        try:
            published = date.fromisoformat(args.published)
        except ValueError:
            print(f"cchc facts: --published {args.published!r} is not a date (expected YYYY-MM-DD)", file=sys.stderr)
            return 2
    try:
        text, found, _title = load_article(args.file, url=getattr(args, "url", None))
    except ArticleReadError as exc:
        print(f"cchc facts: {exc}", file=sys.stderr)
        return 2
    facts = extract_facts(text, published=published or found, url=getattr(args, "url", None),
                          locality_hint=getattr(args, "locality", None))
    for fact in facts:
        print(fact.to_json())
    return 0
