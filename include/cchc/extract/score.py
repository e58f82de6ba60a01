"""Scores extracted facts against hand-labelled gold facts: precision, recall and F1, overall
and per metric, under strict matching, and an error table of what the unmatched facts got wrong.

Two kinds of gold, scored alike: the five seeds (tests/gold beside ../shared/seeds, plain
``cchc score``) and any folder of ``NNN.jsonl`` gold with ``NNN.txt`` texts (``cchc score
--gold DIR --texts DIR``, as ../shared/dev). Scoring is exactly what
../shared/tools/score_facts.py does, so both tools print the same figures: strict is
``fact_key`` (metric, value, unit, qualifier, tier, period start and end, locality name and
type), compared as the set of keys of each article; lenient keeps metric, value, unit and
tier. With ``--breaks FILE``, ``cchc check`` on the same texts is scored against the
hand-found breaks as ../shared/tools/score_breaks.py scores it.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

# Positions in a strict key (``fact_key`` and ``official_key`` share them); the error table
# names a pair's wrong fields in this order. Value and unit are what a pair agrees on.
FIELDS = {"tier": (4,), "period_start": (5,), "period_end": (6,), "metric": (0,), "locality": (7, 8), "qualifier": (3,)}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @classmethod
    def of(cls, found: Counter, expected: Counter) -> "Counts":
        """Found against expected, as multisets: what both hold, only found, only expected."""
        return cls(sum((found & expected).values()), sum((found - expected).values()), sum((expected - found).values()))


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    lenient: Counts = field(default_factory=Counts)
    per_metric: dict[str, Counts] = field(default_factory=dict)
    per_article: dict[str, Counts] = field(default_factory=dict)
    misses: list[tuple[str, dict]] = field(default_factory=list)  # (article, gold fact)
    spurious: list[tuple[str, dict]] = field(default_factory=list)  # (article, extracted fact)
    # The error table: a miss and a spurious fact of the same value and unit make a pair
    # (the number was found, a field is wrong); the rest are missed or invented values.
    pairs: list[tuple[str, tuple, tuple]] = field(default_factory=list)  # (article, gold key, extracted key)
    wrong_fields: Counter = field(default_factory=Counter)
    missed: list[tuple[str, dict]] = field(default_factory=list)
    invented: list[tuple[str, dict]] = field(default_factory=list)


# A copy of the official scorer's normalisation, not vocabulary's type words: its figures
# are the reference, so its quirks (this list, its order, "quận") are kept as they are.
_OFFICIAL_TYPE_WORDS = ["thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "xã", "phường", "quận", "tp."]


def _norm_name(s: Any) -> str:
    s = unicodedata.normalize("NFC", str(s or "")).lower().strip()
    for w in _OFFICIAL_TYPE_WORDS:
        if s.startswith(w + " "):
            s = s[len(w) + 1:]
    return re.sub(r"\s+", " ", s)


def _norm_value(v: Any) -> Any:
    try:
        return round(float(v), 4)
    except (TypeError, ValueError):
        return str(v)


def fact_key(fact: dict[str, Any]) -> tuple:
    """The strict key of ../shared/tools/score_facts.py."""
    loc = fact.get("locality") or {}
    loc = {"name": loc} if isinstance(loc, str) else loc
    return (fact.get("metric"), _norm_value(fact.get("value")), fact.get("unit"), fact.get("qualifier") or "exact",
            fact.get("tier"), str(fact.get("period_start"))[:10], str(fact.get("period_end"))[:10],
            _norm_name(loc.get("name")), (loc.get("type") or "").lower())


def lenient_key(fact: dict[str, Any]) -> tuple:
    return (fact.get("metric"), _norm_value(fact.get("value")), fact.get("unit"), fact.get("tier"))


def score(pairs: Iterable[Sequence], key: Callable[[dict], tuple] = fact_key) -> Report:
    """``pairs``: (extracted, gold) or (name, extracted, gold), each a list of fact dicts (as
    ``Fact.to_dict()`` or the gold JSON lines give them), compared as the sets of keys of each
    article (a fact stated twice is one fact)."""
    report = Report()
    for i, pair in enumerate(pairs):
        name, extracted, gold = pair if len(pair) == 3 else (str(i), *pair)
        extracted, gold = _distinct(extracted, key), _distinct(gold, key)
        counts = Counts()
        ext, gld = Counter(map(key, extracted)), Counter(map(key, gold))
        for k in ext.keys() | gld.keys():
            c = Counts(min(ext[k], gld[k]), max(0, ext[k] - gld[k]), max(0, gld[k] - ext[k]))
            counts.add(c)
            report.per_metric.setdefault(k[0], Counts()).add(c)
        lext, lgld = Counter(set(map(lenient_key, extracted))), Counter(set(map(lenient_key, gold)))
        report.lenient.add(Counts.of(lext, lgld))
        misses, spurious = _unmatched(gold, ext, key), _unmatched(extracted, gld, key)
        report.misses += [(name, f) for f in misses]
        report.spurious += [(name, f) for f in spurious]
        _pair(report, name, misses, spurious, key)
        report.per_article[name] = counts
        report.overall.add(counts)
    return report


def _distinct(facts: list[dict], key: Callable[[dict], tuple]) -> list[dict]:
    first: dict[tuple, dict] = {}
    for f in facts:
        first.setdefault(key(f), f)
    return list(first.values())


def _unmatched(facts: list[dict], other: Counter, key: Callable[[dict], tuple]) -> list[dict]:
    left = Counter(other)
    out = []
    for f in facts:
        k = key(f)
        if left[k]:
            left[k] -= 1
        else:
            out.append(f)
    return out


def _pair(report: Report, name: str, misses: list[dict], spurious: list[dict], key: Callable[[dict], tuple]) -> None:
    """Pairs each miss with a spurious fact of the same value and unit, the pairs with most
    fields equal first; a miss or spurious fact left without a partner is a missed or an
    invented value. So fn = pairs + missed and fp = pairs + invented."""
    gk, ek = [key(f) for f in misses], [key(f) for f in spurious]
    candidates = sorted(
        ((sum(a == b for a, b in zip(g, e)), i, j) for i, g in enumerate(gk) for j, e in enumerate(ek) if g[1:3] == e[1:3]),
        key=lambda c: (-c[0], c[1], c[2]))
    used_g, used_e = set(), set()
    for _, i, j in candidates:
        if i in used_g or j in used_e:
            continue
        used_g.add(i)
        used_e.add(j)
        report.pairs.append((name, gk[i], ek[j]))
        report.wrong_fields.update(f for f, pos in FIELDS.items() if any(gk[i][p] != ek[j][p] for p in pos))
    report.missed += [(name, f) for i, f in enumerate(misses) if i not in used_g]
    report.invented += [(name, f) for j, f in enumerate(spurious) if j not in used_e]


def load_gold(path: Path) -> list[dict]:
    """The gold facts of one JSON-lines file; a line that is not JSON is a ValueError naming
    the file and the line."""
    facts = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    facts.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
    return facts


def select_articles(names: list[str], spec: str | None) -> list[str]:
    """The names ``--articles`` chooses: comma-separated items, each an inclusive range of
    article numbers ("001-023") or a prefix of the name ("005", "001_7e")."""
    if not spec:
        return names
    items = [s.strip() for s in spec.split(",") if s.strip()]
    ranges = [(int(m[1]), int(m[2])) for m in (re.fullmatch(r"(\d+)-(\d+)", s) for s in items) if m]
    prefixes = [s for s in items if not re.fullmatch(r"\d+-\d+", s)]

    def chosen(name: str) -> bool:
        num = re.match(r"\d+", name)
        return (any(name.startswith(p) for p in prefixes)
                or bool(num) and any(lo <= int(num.group()) <= hi for lo, hi in ranges))

    return [n for n in names if chosen(n)]


def score_seeds(gold_dir: Path | None = None, articles_dir: Path | None = None, articles: str | None = None) -> Report:
    """Extract every article that has a gold file and score it; per-article options (the
    assumed publication date, the locality hint) come from ``seeds.json`` beside the gold."""
    from cchc.extract.article import load_article
    from cchc.extract.facts import extract_facts
    from cchc.settings import PROJECT_ROOT

    gold_dir = Path(gold_dir or PROJECT_ROOT / "tests" / "gold")
    articles_dir = Path(articles_dir or PROJECT_ROOT.parent / "shared" / "seeds")
    _need_dirs(gold_dir, articles_dir)
    options_file = gold_dir / "seeds.json"
    options = json.loads(options_file.read_text(encoding="utf-8")) if options_file.exists() else {}
    stems = select_articles(sorted(f.name[: -len(".facts.jsonl")] for f in gold_dir.glob("*.facts.jsonl")), articles)
    if articles and not stems:
        raise ValueError(f"no gold in {gold_dir} matches --articles {articles!r}")
    pairs = []
    for stem in stems:
        gold_file = gold_dir / (stem + ".facts.jsonl")
        article = next(iter(sorted(articles_dir.glob(stem + ".*"))), None)
        if article is None:
            raise FileNotFoundError(f"no article for {gold_file.name} in {articles_dir}")
        opts = options.get(stem, {})
        text, published, _ = load_article(str(article))
        if opts.get("published"):
            published = date.fromisoformat(opts["published"])
        facts = extract_facts(text, published=published, url=opts.get("url"), locality_hint=opts.get("locality"))
        pairs.append((stem, [f.to_dict() for f in facts], load_gold(gold_file)))
    return score(pairs)


def _need_dirs(*dirs: Path) -> None:
    for d in dirs:
        if not d.is_dir():
            raise FileNotFoundError(f"no such folder: {d}")


def read_text(path: Path) -> tuple[dict[str, str], str]:
    """(header, body) of a scored text: 'KEY: value' lines up to a line '---', then the
    article. Read line by line as the official scorer reads it, so both see the same body."""
    header: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as f:
            lines = list(f)
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8") from None
    for i, line in enumerate(lines):
        if line.strip() == "---":
            return header, "".join(lines[i + 1:])
        if ":" in line:
            k, v = line.split(":", 1)
            header[k.strip().upper()] = v.strip()
    raise ValueError(f"{path}: no '---' line ends the header")


def extract_text(path: Path) -> list[dict]:
    """The facts ``cchc facts BODY --published --url --locality`` prints for a scored text."""
    return [f.to_dict() for f in _extract(path)]


def _extract(path: Path):
    """The facts of a scored text as the official scorers call the command line: the body
    goes through a file and ``load_article`` (same decoding, HTML detection, date found in the
    text), the options come from the header."""
    from cchc.extract.article import load_article
    from cchc.extract.facts import extract_facts

    header, body = read_text(path)
    published = None
    if header.get("PUBLISHED"):
        try:
            published = date.fromisoformat(header["PUBLISHED"])
        except ValueError:
            raise ValueError(f"{path}: PUBLISHED {header['PUBLISHED']!r} is not a date (expected YYYY-MM-DD)") from None
    url = None if header.get("URL") in (None, "", "unknown") else header["URL"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as t:
        t.write(body)
    try:
        text, found, _ = load_article(t.name, url=url)
    finally:
        os.unlink(t.name)
    try:
        return extract_facts(text, published=published or found, url=url, locality_hint=header.get("LOCALITY") or None)
    except Exception as exc:  # noqa: BLE001 (where `cchc facts` exits non-zero, the official scorer counts no facts)
        print(f"cchc score: {path}: the extractor failed: {exc!r}", file=sys.stderr)
        return []


def score_folder(gold_dir: Path, texts_dir: Path | None = None, articles: str | None = None) -> Report:
    """Score every ``NNN.jsonl`` in ``gold_dir`` that has an ``NNN.txt`` in ``texts_dir``
    (default: beside the gold), as the official scorer does; gold without a text is skipped
    there too, here with a note on standard error."""
    gold_dir, texts_dir = Path(gold_dir), Path(texts_dir or gold_dir)
    _need_dirs(gold_dir, texts_dir)
    names = select_articles(sorted(p.stem for p in gold_dir.glob("*.jsonl")), articles)
    untexted = [n for n in names if not (texts_dir / (n + ".txt")).is_file()]
    if untexted:
        print(f"cchc score: skipped {len(untexted)} gold files with no text in {texts_dir}: {', '.join(untexted)}",
              file=sys.stderr)
    names = [n for n in names if n not in untexted]
    if not names:
        matching = f" matching --articles {articles!r}" if articles else ""
        raise ValueError(f"no articles to score in {gold_dir} with texts in {texts_dir}{matching}")
    pairs = [(n, extract_text(texts_dir / (n + ".txt")), load_gold(gold_dir / (n + ".jsonl"))) for n in names]
    return score(pairs)


@dataclass
class BreaksReport:
    strict: Counts = field(default_factory=Counts)
    lenient: Counts = field(default_factory=Counts)  # (rule, tier) only
    missed: list[tuple[str, tuple]] = field(default_factory=list)
    invented: list[tuple[str, tuple]] = field(default_factory=list)


def break_key(b: dict[str, Any]) -> tuple:
    """What ../shared/tools/score_breaks.py compares: rule, tier, severity, period."""
    return (b.get("rule"), b.get("tier"), b.get("severity"), str(b.get("period_start"))[:10], str(b.get("period_end"))[:10])


def score_breaks(breaks_file: Path, texts_dir: Path, articles: str | None = None) -> BreaksReport:
    """``cchc check`` on every text of ``texts_dir`` against the hand-found breaks (one JSON
    object a line with its "article"); an article absent from the file holds every rule, so
    whatever is found there counts as invented. Breaks are counted as multisets: an article
    can break one rule twice."""
    from cchc.quality.command import check_facts

    _need_dirs(Path(texts_dir))
    gold = load_gold(Path(breaks_file))
    names = select_articles(sorted(p.stem for p in Path(texts_dir).glob("*.txt")), articles)
    report = BreaksReport()
    for name in names:
        found = Counter(break_key(v.to_dict()) for v in check_facts(_extract(Path(texts_dir) / (name + ".txt"))))
        expected = Counter(break_key(b) for b in gold if b.get("article") == name)
        report.strict.add(Counts.of(found, expected))
        lf, le = Counter(k[:2] for k in found.elements()), Counter(k[:2] for k in expected.elements())
        report.lenient.add(Counts.of(lf, le))
        report.missed += [(name, k) for k in (expected - found).elements()]
        report.invented += [(name, k) for k in (found - expected).elements()]
    return report


def _header(title: str) -> str:
    return f"{title:40} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"


def _row(name: str, c: Counts) -> str:
    return f"{name:40} {c.tp:4d} {c.fp:4d} {c.fn:4d} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"


def format_breaks(report: BreaksReport, verbose: bool = False) -> str:
    lines = [_header("cchc check against the breaks"),
             _row("BREAKS (lenient: rule, tier)", report.lenient), _row("BREAKS (strict)", report.strict)]
    if verbose:
        lines += ["missed breaks:"] + [f"  {a}: {k}" for a, k in report.missed]
        lines += ["invented breaks:"] + [f"  {a}: {k}" for a, k in report.invented]
    return "\n".join(lines)


def format_report(report: Report, verbose: bool = False) -> str:
    lines = [_header("metric")]
    lines += [_row(m, c) for m, c in sorted(report.per_metric.items())]
    lines.append("-" * 72)
    lines += [_row("article " + a, c) for a, c in report.per_article.items()]
    lines.append(_row("OVERALL (lenient)", report.lenient))
    lines.append(_row("OVERALL (strict)", report.overall))
    wrong = ", ".join(f"{f} {report.wrong_fields[f]}" for f in FIELDS)
    lines.append(f"pairs with the right number but a wrong field: {len(report.pairs)} ({wrong}); "
                 f"missed {len(report.missed)}; invented {len(report.invented)}; exact {report.overall.tp}")
    if verbose:
        lines += ["", "right number, wrong field (gold -> extracted):"]
        lines += [f"  {a}: {g[0]} = {_num(g[1])} {g[2]}: {_diff(g, e)}" for a, g, e in report.pairs]
        lines += ["missed (in gold, no extracted fact of that value):"] + [f"  {a}: {_brief(f)}" for a, f in report.missed]
        lines += ["invented (extracted, no gold fact of that value):"] + [f"  {a}: {_brief(f)}" for a, f in report.invented]
    return "\n".join(lines)


def _diff(g: tuple, e: tuple) -> str:
    def show(k: tuple, pos: tuple) -> str:
        return "/".join(str(k[p]) for p in pos)

    return "; ".join(f"{f} {show(g, pos)} -> {show(e, pos)}" for f, pos in FIELDS.items() if any(g[p] != e[p] for p in pos))


def _num(v: Any) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def _brief(f: dict) -> str:
    loc = f.get("locality") or {}
    loc = {"name": loc} if isinstance(loc, str) else loc
    return (f"{f.get('metric')}={f.get('value')} {f.get('qualifier')} {loc.get('name')}/{loc.get('type')} {f.get('tier')} "
            f"{f.get('period_start')}..{f.get('period_end')}")


def run_score(args) -> int:
    gold, texts, articles = getattr(args, "gold", None), getattr(args, "texts", None), getattr(args, "articles", None)
    breaks, verbose = getattr(args, "breaks", None), getattr(args, "verbose", False)
    try:
        if texts and not gold:
            raise ValueError("--texts needs --gold")
        if breaks and not gold:
            raise ValueError("--breaks needs --gold (and --texts)")
        if gold:
            report = score_folder(Path(gold), Path(texts) if texts else None, articles)
        else:
            report = score_seeds(getattr(args, "gold_dir", None), getattr(args, "articles_dir", None), articles)
        print(format_report(report, verbose=verbose))
        if breaks:
            print(format_breaks(score_breaks(Path(breaks), Path(texts or gold), articles), verbose=verbose))
    except (OSError, ValueError) as exc:
        print(f"cchc score: {exc}", file=sys.stderr)
        return 2
    return 0
