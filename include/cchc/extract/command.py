"""`cchc facts FILE`: the facts of one article as JSON lines, one object per fact.

Exit status: 0 (facts or none: no output means the article states no dossier statistics).
A file that cannot be read as an article (``ArticleReadError``) or a malformed option is
answered by ``cchc.cli``: one line on standard error, exit 2.
"""
from __future__ import annotations

from cchc.extract.article import load_article
from cchc.extract.facts import extract_facts


def run_facts(args) -> int:
    text, found, _title = load_article(args.file, url=args.url)
    for fact in extract_facts(text, published=args.published or found, url=args.url, locality_hint=args.locality):
        print(fact.to_json())
    return 0
