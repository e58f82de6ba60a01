"""Maintainer tool: regenerate the sample-portal snapshot (``include/cchc/samples/site/``) and
its ``manifest.json``.

    .venv/bin/python tools/samples/build_site.py

Every text lives in ``site_articles.py`` and is the project's own, the five articles modelled on
the seeds included (their ``seed`` names the real article whose figures and structures they
keep; no seed text is read or copied). This module writes the family page chrome around them,
the paginated listings, RSS feeds, sitemaps and robots.txt files. Neither the server nor the
crawler imports it; the generated files are committed.

What a portal's family decides (listing paths and page template, sitemap, feed, the date line,
whether the Content-Type names the charset) comes from its entry in the sample registry
(``include/cchc/samples/portals.yaml``) resolved through ``include/cchc/registry/families.yaml``:
the site is laid out exactly as the crawler will look for it. ``SITES`` below holds only what is
the sample site's own: its chrome (names, menus, the about page) and its robots.txt.

File naming rule (the server routes by the manifest, which records it per page):
  URL path without the leading "/"; "" or a trailing "/" gets "index.html"; a query string is
  appended as "__k-v" (pairs joined by "__"); a name that does not end in .html/.xml/.rss/.txt
  gets ".html". So "/tin-tuc/tin-hoat-dong?page=2" -> "tin-tuc/tin-hoat-dong__page-2.html",
  "/tin-tuc-su-kien/Pages/default.aspx?PageIndex=2" -> "tin-tuc-su-kien/Pages/default.aspx__PageIndex-2.html",
  "/chuyen-muc/thoi-su/page/2/" -> "chuyen-muc/thoi-su/page/2/index.html".
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLES = ROOT / "include" / "cchc" / "samples"
SITE = SAMPLES / "site"
MANIFEST = SAMPLES / "manifest.json"
ICT = timezone(timedelta(hours=7))
# Pages without a date of their own (listings, feeds, robots, home) are "last modified" at the snapshot.
SNAPSHOT = "2025-12-15T10:00:00+07:00"

sys.path[:0] = [str(HERE), str(ROOT / "include")]
from site_articles import ARTICLES  # noqa: E402

from cchc.registry.registry import load_registry  # noqa: E402

# The sample sites' own: chrome (site name, the listing's and the feed's titles, the about page,
# the menu after its first three items) and robots.txt. Everything else comes from the registry.
SITES: dict[str, dict] = {
    "thoxuan": {
        "site_name": "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN THỌ XUÂN",
        "listing_title": "Tin hoạt động",
        "about": "/gioi-thieu.html",
        "menu": ["Văn bản chỉ đạo điều hành", "Thủ tục hành chính", "Hỏi đáp", "Liên hệ"],
        "robots": {"disallow": ["/noi-bo/", "/admin/"], "crawl_delay": "0.5"},
    },
    "sonla": {
        "site_name": "CỔNG THÔNG TIN ĐIỆN TỬ TỈNH SƠN LA",
        "listing_title": "Tin tức - Sự kiện",
        "feed_title": "Tin tức - Sự kiện | sonla.gov.vn",
        "about": "/gioi-thieu.html",
        "menu": ["Chính quyền", "Công dân", "Doanh nghiệp", "Du khách"],
        "robots": {"disallow": ["/tin-noi-bo/", "/admin/", "/tim-kiem"], "crawl_delay": "1"},
    },
    "baodongthap": {
        "site_name": "BÁO ĐỒNG THÁP ĐIỆN TỬ",
        "listing_title": "Chính trị",
        "feed_title": "Báo Đồng Tháp - Tin mới nhất",
        "about": "/gioi-thieu.html",
        "menu": ["Kinh tế", "Văn hóa", "Xã hội", "Thể thao", "Bạn đọc"],
        "robots": {"disallow": ["/preview/", "/admin/"], "crawl_delay": "0.2", "blocked_bot": "GPTBot"},
    },
    "thanhliem": {
        "site_name": "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN THANH LIÊM",
        "listing_title": "Tin tức - Sự kiện",
        "about": "/Pages/gioi-thieu.aspx",
        "menu": ["Văn bản pháp quy", "Thủ tục hành chính", "Lịch công tác"],
        "robots": {"disallow": ["/_layouts/", "/_vti_bin/", "/noi-bo/"], "crawl_delay": "0.5"},
    },
    "baoapbac": {
        "site_name": "BÁO ẤP BẮC",
        "listing_title": "Thời sự",
        "about": "/gioi-thieu.html",
        "menu": ["Kinh tế", "Văn hóa", "Thể thao", "Pháp luật"],
        "robots": {"disallow": ["/ban-bien-tap/", "/tim-kiem"], "crawl_delay": "0.2"},
    },
}
PER_PAGE = 4


def sample_portals() -> dict[str, dict]:
    """Each sample portal as this tool uses it: its registry entry, resolved through its family,
    with its site's own chrome (``SITES``). In registry order."""
    registry = load_registry(SAMPLES / "portals.yaml")
    if registry.errors:
        raise SystemExit("\n".join(str(e) for e in registry.errors.values()))
    portals = {}
    for pid, entry in registry.portals.items():
        site = SITES[pid]
        listing = entry.listings[0]
        portals[pid] = {
            "host": urlsplit(entry.base_url).hostname,
            "family": entry.family,
            "name": entry.name,
            "site_name": site["site_name"],
            "locality": {"name": entry.locality_name, "type": entry.locality_type, "province": entry.locality_province},
            "listing": {"url": listing.url, "page": listing.next_page, "title": site["listing_title"]},
            "about": site["about"],
            "menu": site["menu"],
            "sitemap": entry.sitemap,
            "feed": {"url": entry.feeds[0], "title": site["feed_title"]} if entry.feeds else None,
            "robots": site["robots"],
            "date_line": entry.date_line,
            "charset_in_header": entry.charset_in_header,
        }
    return portals


PORTALS = sample_portals()


# ----------------------------------------------------------------------------- helpers
def file_for(path: str) -> str:
    parts = urlsplit(path)
    name = parts.path.lstrip("/")
    if name == "" or name.endswith("/"):
        name += "index.html"
    if parts.query:
        name += "__" + "__".join(f"{k}-{v}" for k, v in parse_qsl(parts.query, keep_blank_values=True))
    if not name.endswith((".html", ".xml", ".rss", ".txt")):
        name += ".html"
    return name


def parse_when(value: str | None) -> datetime | None:
    if not value:
        return None
    if len(value) == 10:
        d = date.fromisoformat(value)
        return datetime(d.year, d.month, d.day, tzinfo=ICT)
    return datetime.fromisoformat(value)


def sort_key(a: dict) -> datetime:
    return parse_when(a.get("published") or a.get("lastmod"))  # type: ignore[return-value]


def e(text: str) -> str:
    return escape(text, quote=False)


def a(href: str, text: str, cls: str | None = None) -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<a href="{escape(href)}"{c}>{e(text)}</a>'


def excerpt(art: dict, n: int = 170) -> str:
    for p in art["paras"]:
        if p.startswith("CAPTION: ") or not p.strip():
            continue
        text = p.strip()
        if len(text) <= n:
            return text
        cut = text[:n].rsplit(" ", 1)[0]
        return cut + "..."
    return ""


def date_line(portal: str, art: dict) -> str:
    """The article's date as its family prints it; an article that shows a relative date
    ("1 giờ trước") carries that text as ``published_text``."""
    if art.get("published_text"):
        return art["published_text"]
    dt = parse_when(art["published"])
    assert dt is not None, art["path"]
    return dt.strftime(PORTALS[portal]["date_line"])


def body_html(art: dict, indent: str = "") -> str:
    out = []
    for p in art["paras"]:
        if p.startswith("CAPTION: "):
            out.append(f'{indent}<p style="text-align:center"><em>{e(p[len("CAPTION: "):])}</em></p>')
        else:
            out.append(f"{indent}<p>{e(p)}</p>")
    if art.get("author"):
        out.append(f'{indent}<p style="text-align:right"><strong>{e(art["author"])}</strong></p>')
    return "\n".join(out)


# ----------------------------------------------------------------------------- family chrome
STYLE = "body{font-family:Arial,sans-serif;margin:0}.container{max-width:1100px;margin:auto}"


def nav_items(portal: str) -> list[tuple[str, str]]:
    p = PORTALS[portal]
    items = [("/", "Trang chủ"), (p["about"], "Giới thiệu"), (p["listing"]["url"], p["listing"]["title"])]
    return items + [("#", x) for x in p["menu"]]


def shell(portal: str, ctx: dict, title: str, main: str, crumbs: list[tuple[str, str]], head_extra: str = "") -> str:
    fam = PORTALS[portal]["family"]
    return FAMILY_SHELLS[fam](portal, ctx, title, main, crumbs, head_extra)


def _nav(portal: str, ul_cls: str = "menu") -> str:
    return f'<ul class="{ul_cls}">' + "".join(f"<li>{a(h, t)}</li>" for h, t in nav_items(portal)) + "</ul>"


def _crumbs(crumbs: list[tuple[str, str]], sep: str) -> str:
    return f" {sep} ".join(a(h, t) if h else f"<span>{e(t)}</span>" for h, t in crumbs)


def shell_thanhhoa(portal, ctx, title, main, crumbs, head_extra):
    most = "\n".join(
        f'      <li><span class="stt">{i}.</span> {a(x["path"], x["title"])}</li>' for i, x in enumerate(ctx["most_read"], 1)
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} | Cổng thông tin điện tử huyện Thọ Xuân</title>
<style>{STYLE}</style>{head_extra}
</head>
<body class="egov-thanhhoa">
<div id="wrapper">
  <header id="header">
    <div class="banner"><a href="/" class="logo">{e(PORTALS[portal]["site_name"])}</a><div class="slogan">Tỉnh Thanh Hóa</div></div>
    <nav id="main-menu">{_nav(portal)}</nav>
    <form class="search-box" action="/tim-kiem" method="get"><input type="text" name="q" placeholder="Tìm kiếm..."></form>
  </header>
  <div class="breadcrumb">{_crumbs(crumbs, "»")}</div>
  <div id="container" class="container">
    <div id="content" class="col-main">
{main}
    </div>
    <aside id="sidebar" class="col-right">
      <div class="box box-most-read"><h3 class="box-title">Đọc nhiều nhất</h3>
      <ul class="most-read">
{most}
      </ul></div>
      <div class="box box-counter"><h3 class="box-title">Truy cập</h3>
      <dl class="counter"><dt>Hôm nay:</dt><dd>5507</dd><dt>Hôm qua:</dt><dd>4252</dd><dt>Tuần này:</dt><dd>15472</dd><dt>Tháng này:</dt><dd>9759</dd><dt>Tất cả:</dt><dd>2490333</dd></dl></div>
    </aside>
  </div>
  <footer id="footer">
    <p>Cổng thông tin điện tử huyện Thọ Xuân. Cơ quan chủ quản: UBND huyện Thọ Xuân, tỉnh Thanh Hóa.</p>
    <p>Địa chỉ: Khu 4, thị trấn Thọ Xuân, huyện Thọ Xuân, tỉnh Thanh Hóa. Điện thoại: 0237.3833.201</p>
  </footer>
</div>
</body>
</html>
"""


def shell_sonla(portal, ctx, title, main, crumbs, head_extra):
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(title)} - Cổng thông tin điện tử tỉnh Sơn La</title>
<style>{STYLE}</style>{head_extra}
</head>
<body class="portal-sonla">
<header class="header">
  <div class="top-bar"><span class="today">Cổng thông tin điện tử tỉnh Sơn La</span> <a href="#">English</a></div>
  <div class="logo"><a href="/">{e(PORTALS[portal]["site_name"])}</a></div>
  <nav class="main-menu">{_nav(portal)}</nav>
</header>
<div class="path">{_crumbs(crumbs, "/")}</div>
<div class="main container">
  <div class="col-left">
{main}
  </div>
  <aside class="col-right">
    <div class="box box-video"><h3>Video tuyên truyền nông thôn mới</h3><div class="video"><video controls preload="none" src="/media/video-ntm.mp4"></video></div></div>
    <div class="box box-lookup"><h3>THÔNG TIN TRA CỨU</h3><ul><li><a href="#">Tra cứu văn bản</a></li><li><a href="#">Danh bạ điện thoại</a></li><li><a href="#">Lịch tiếp công dân</a></li></ul></div>
    <div class="adv"><img src="/media/quang-cao.png" alt="image advertisement"></div>
    <div class="box box-stats"><h3>Thống kê truy cập</h3>
      <ul><li>Đang online: 1</li><li>Hôm nay: 1</li><li>Trong tuần: 1</li><li>Tất cả: 1</li></ul>
    </div>
  </aside>
</div>
<footer class="footer">
  <p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Sơn La. Địa chỉ: Tổ 2, phường Chiềng Lề, thành phố Sơn La.</p>
  <p>Ghi rõ nguồn "sonla.gov.vn" khi phát hành lại thông tin từ Cổng thông tin điện tử tỉnh Sơn La.</p>
</footer>
</body>
</html>
"""


def shell_dongthap(portal, ctx, title, main, crumbs, head_extra):
    latest = "\n".join(f"      <li>{a(x['path'], x['title'])}</li>" for x in ctx["latest"])
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} - Báo Đồng Tháp</title>
<style>{STYLE}</style>{head_extra}
</head>
<body class="dongthap-news">
<header class="site-header">
  <div class="logo"><a href="/">{e(PORTALS[portal]["site_name"])}</a></div>
  <nav class="main-nav">{_nav(portal)}</nav>
</header>
<div class="breadcrumb container">{_crumbs(crumbs, "»")}</div>
<div class="container page-body">
  <div class="col-main">
{main}
  </div>
  <aside class="col-side">
    <div class="box-latest"><h3>Tin mới nhất</h3>
    <ul>
{latest}
    </ul></div>
  </aside>
</div>
<footer class="site-footer">
  <p>Báo Đồng Tháp điện tử. Cơ quan chủ quản: Tỉnh ủy Đồng Tháp.</p>
  <p>Địa chỉ: số 12 đường 30/4, phường 1, TP. Cao Lãnh, tỉnh Đồng Tháp. Điện thoại: (0277) 3851.354</p>
</footer>
</body>
</html>
"""


def shell_sharepoint(portal, ctx, title, main, crumbs, head_extra):
    side = "".join(f"<li>{a(h, t, 'ms-core-listMenu-item')}</li>" for h, t in nav_items(portal)[:3])
    top = "".join(
        f'<li class="static">{a(h, t, "static menu-item ms-core-listMenu-item")}</li>' for h, t in nav_items(portal)
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html dir="ltr" lang="vi-VN">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=10" />
<meta http-equiv="Content-type" content="text/html; charset=utf-8" />
<meta name="GENERATOR" content="Microsoft SharePoint" />
<title>
	{e(title)}
</title>{head_extra}
</head>
<body>
<div id="ms-designer-ribbon">
  <div id="s4-ribbonrow" class="ms-dialogHidden">
    <div id="globalNavBox"><div id="ribbonBox"><a href="javascript:;" class="ms-skip" id="skipRibbon">Skip Ribbon Commands</a></div></div>
  </div>
</div>
<div id="s4-workspace" class="ms-core-overlay">
<div id="s4-bodyContainer">
  <div id="s4-titlerow" class="ms-dialogHidden s4-titlerowhidetitle">
    <div id="titleAreaBox" class="ms-noList ms-table ms-core-tableNoSpace">
      <a href="#mainContent" class="ms-skip" id="skipToMain">Skip to main content</a>
      <div id="siteIcon" class="ms-tableCell ms-verticalAlignTop"><a href="/">{e(PORTALS[portal]["site_name"])}</a></div>
      <h2 id="pageTitle" class="ms-core-pageTitle"><span id="DeltaPlaceHolderPageTitleInTitleArea">{e(title)}</span></h2>
      <div id="DeltaTopNavigation" class="ms-displayInline ms-core-navigation"><ul class="root ms-core-listMenu-root static">{top}</ul></div>
    </div>
  </div>
  <div id="contentRow">
    <div id="sideNavBox" class="ms-dialogHidden ms-forceWrap ms-noList"><div class="ms-core-navigation"><ul class="root ms-core-listMenu-root static">{side}</ul></div></div>
    <div id="contentBox" aria-live="polite" aria-relevant="all">
      <div id="DeltaPlaceHolderMain">
        <a id="mainContent" name="mainContent" tabindex="-1"></a>
        <div class="ms-breadcrumb-box">{_crumbs(crumbs, "›")}</div>
{main}
      </div>
    </div>
  </div>
  <div id="footer" class="ms-dialogHidden">
    <p>Bản quyền thuộc Ủy ban nhân dân huyện Thanh Liêm, tỉnh Hà Nam. Địa chỉ: thị trấn Tân Thanh, huyện Thanh Liêm.</p>
  </div>
</div>
</div>
</body>
</html>
"""


def shell_apbac(portal, ctx, title, main, crumbs, head_extra):
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} | Báo Ấp Bắc</title>
<style>{STYLE}</style>{head_extra}
</head>
<body class="apbac">
<header class="header">
  <div class="logo"><a href="/">{e(PORTALS[portal]["site_name"])}</a></div>
  <nav class="menu">{_nav(portal)}</nav>
  <button class="btn-search" type="button">🔍</button>
</header>
<main class="container">
{main}
  <div class="back-home"><a href="/"><img src="/img/home.svg" alt="Home Icon"> VỀ TRANG CHỦ</a></div>
</main>
<footer class="footer">
  <p>Báo Ấp Bắc điện tử. Cơ quan chủ quản: Tỉnh ủy Đồng Tháp.</p>
  <p>Địa chỉ: số 7 Hùng Vương, phường Mỹ Tho, tỉnh Đồng Tháp.</p>
</footer>
</body>
</html>
"""


FAMILY_SHELLS = {
    "thanhhoa_egov": shell_thanhhoa,
    "sonla_portal": shell_sonla,
    "dongthap_news": shell_dongthap,
    "hanam_sharepoint": shell_sharepoint,
    "apbac_news": shell_apbac,
}


# ----------------------------------------------------------------------------- page bodies
def article_main(portal: str, art: dict, ctx: dict) -> str:
    others = [x for x in ctx["arts"] if x is not art and not x.get("disallowed")][:6]
    date_txt = e(date_line(portal, art))
    body = body_html(art, "        ")
    family = PORTALS[portal]["family"]
    if family == "thanhhoa_egov":
        other = "\n".join(f"        <li>{a(x['path'], x['title'])}</li>" for x in [art] + others)
        return f"""      <article class="news-detail">
        <h1 class="title-detail">{e(art["title"])}</h1>
        <div class="date-detail">{date_txt}</div>
        <div class="content-detail">
{body}
        </div>
      </article>
      <div class="other-news"><h3>Các tin khác</h3>
      <ul>
{other}
      </ul></div>"""
    if family == "sonla_portal":
        other = "\n".join(f"        <li>{a(x['path'], x['title'])}</li>" for x in others)
        return f"""    <div class="news-detail">
      <h1 class="news-title">{e(art["title"])}</h1>
      <div class="news-date">{date_txt}</div>
      <div class="news-content" id="content-detail">
{body}
      </div>
    </div>
    <div class="comment-box"><h3>Ý kiến bạn đọc</h3>
      <form class="comment-form" action="#" method="post">
        <table>
          <tr><td>Họ tên <img src="/media/req.gif" alt="no image"></td><td><input type="text" name="hoten"></td></tr>
          <tr><td><img src="/media/req.gif" alt="no image"></td><td><input type="text" name="email"></td></tr>
          <tr><td>Tiêu đề <img src="/media/req.gif" alt="no image"></td><td><input type="text" name="tieude"></td></tr>
          <tr><td>Nội dung <img src="/media/req.gif" alt="no image"></td><td><textarea name="noidung"></textarea></td></tr>
          <tr><td>Mã kiểm tra <img src="/media/captcha.gif" alt="no image"></td><td><input type="text" name="captcha"></td></tr>
        </table>
        <button type="submit">Gửi ý kiến</button>
      </form>
    </div>
    <div class="other-news"><h3>Các tin khác</h3>
      <ul>
{other}
      </ul></div>"""
    if family == "dongthap_news":
        related = [x for x in others if x.get("category") == art.get("category")][:4] or others[:4]
        rel = "\n".join(f"        <li>{a(x['path'], x['title'])}</li>" for x in related)
        return f"""    <div class="article-cat">{a(ctx["cat_url"].get(art.get("category"), "#"), art.get("category", ""))}</div>
    <article class="article-detail">
      <h1 class="article-title">{e(art["title"])}</h1>
      <div class="article-meta"><span class="date">{date_txt}</span></div>
      <div class="article-content">
{body}
      </div>
    </article>
    <div class="related-news"><h3>Tin liên quan</h3>
      <ul>
{rel}
      </ul></div>"""
    if family == "hanam_sharepoint":
        return f"""        <div class="breadcrumb-news"><span class="breadcrumb-current">Tin tức - Sự kiện</span> \u00a0</div>
        <div class="article article-body">
          <h1 class="article-title">{e(art["title"])}</h1>
          <div class="article-date ms-descriptiontext">{date_txt}</div>
          <div id="ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl01_label">
{body}
          </div>
        </div>
        <div class="other-news ms-webpart-zone"><h3 class="ms-webpart-titleText">Tin khác</h3><ul>
{chr(10).join(f"          <li>{a(x['path'], x['title'])}</li>" for x in others)}
        </ul></div>"""
    if family == "apbac_news":
        related = [x for x in others if x.get("category") == art.get("category")][:4]
        rel = "\n".join(f"      <li>{a(x['path'], x['title'])}</li>" for x in related)
        return f"""  <div class="cat-line">Chuyên mục: {a(ctx["cat_url"].get(art.get("category"), "#"), art.get("category", ""))}</div>
  <article class="detail">
    <h1 class="detail-title">{e(art["title"])}</h1>
    <div class="detail-time"><span class="time-ago">{date_txt}</span></div>
    <div class="detail-content">
{body}
    </div>
  </article>
  <section class="related"><h3>TIN LIÊN QUAN</h3>
    <ul>
{rel}
    </ul>
  </section>"""
    raise AssertionError(family)


def listing_main(portal: str, title: str, items: list[dict], page: int, npages: int) -> str:
    p = PORTALS[portal]
    lst = p["listing"]

    def url(n: int) -> str:
        return lst["url"] if n == 1 else lst["page"].format(page=n)

    rows = []
    for x in items:
        when = e(date_line(portal, x)) if (x.get("published") or x.get("published_text")) else ""
        rows.append(
            f'      <li class="news-item"><h3 class="news-item-title">{a(x["path"], x["title"])}</h3>'
            f'<span class="news-item-date">{when}</span><p class="sapo">{e(excerpt(x))}</p></li>'
        )
    pager = []
    if page > 1:
        pager.append(a(url(page - 1), "‹ Trang trước", "prev"))
    for n in range(1, npages + 1):
        pager.append(f'<span class="current">{n}</span>' if n == page else a(url(n), str(n), "page"))
    if page < npages:
        pager.append(a(url(page + 1), "Trang sau ›", "next"))
    rows_s = "\n".join(rows)
    return f"""    <div class="category-list">
      <h1 class="category-title">{e(title)}</h1>
      <ul class="news-list">
{rows_s}
      </ul>
      <div class="pagination">{" ".join(pager)}</div>
    </div>"""


def home_main(portal: str, ctx: dict) -> str:
    rows = "\n".join(f"      <li>{a(x['path'], x['title'])} <p class=\"sapo\">{e(excerpt(x))}</p></li>" for x in ctx["latest"])
    return f"""    <div class="home">
      <h1 class="home-title">{e(PORTALS[portal]["site_name"])}</h1>
      <h2>Tin mới</h2>
      <ul class="news-list">
{rows}
      </ul>
      <p>{a(PORTALS[portal]["listing"]["url"], "Xem tất cả: " + PORTALS[portal]["listing"]["title"])}</p>
    </div>"""


def about_main(portal: str) -> str:
    loc = PORTALS[portal]["locality"]
    kind = {"huyen": "huyện", "tinh": "tỉnh"}[loc["type"]]
    return f"""    <div class="about">
      <h1>Giới thiệu</h1>
      <p>{e(PORTALS[portal]["name"].replace(" (mẫu)", ""))} là kênh thông tin chính thức của chính quyền {kind} {e(loc["name"])} trên môi trường mạng.</p>
      <p>Bản này là bản mẫu dùng để kiểm thử trình thu thập dữ liệu: toàn bộ nội dung do nhóm dự án biên soạn.</p>
    </div>"""


# ----------------------------------------------------------------------------- feeds, sitemaps, robots
def rss(portal: str, arts: list[dict]) -> str:
    p = PORTALS[portal]
    items = []
    for x in arts:
        when = parse_when(x.get("published") or x.get("lastmod"))
        items.append(
            "    <item>\n"
            f"      <title>{e(x['title'])}</title>\n"
            f"      <link>{{{{BASE}}}}{x['path']}</link>\n"
            f'      <guid isPermaLink="true">{{{{BASE}}}}{x["path"]}</guid>\n'
            f"      <description>{e(excerpt(x))}</description>\n"
            f"      <pubDate>{format_datetime(when)}</pubDate>\n"
            "    </item>"
        )
    built = format_datetime(parse_when(SNAPSHOT))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
        f"    <title>{e(p['feed']['title'])}</title>\n    <link>{{{{BASE}}}}/</link>\n"
        f"    <description>{e(p['name'])}</description>\n    <language>vi</language>\n"
        f"    <lastBuildDate>{built}</lastBuildDate>\n" + "\n".join(items) + "\n  </channel>\n</rss>\n"
    )


def sitemap(arts: list[dict]) -> str:
    rows = []
    for x in arts:
        when = parse_when(x.get("lastmod") or x.get("published"))
        lastmod = when.isoformat() if (x.get("lastmod") or len(x.get("published") or "") > 10) else when.date().isoformat()
        rows.append(f"  <url>\n    <loc>{{{{BASE}}}}{x['path']}</loc>\n    <lastmod>{lastmod}</lastmod>\n  </url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def robots(portal: str) -> str:
    p = PORTALS[portal]
    r = p["robots"]
    lines = [f"# robots.txt - {p['name']}"]
    if r.get("blocked_bot"):
        lines += [f"User-agent: {r['blocked_bot']}", "Disallow: /", ""]
    lines += ["User-agent: *"] + [f"Disallow: {d}" for d in r["disallow"]] + [f"Crawl-delay: {r['crawl_delay']}"]
    if p["sitemap"]:
        lines += ["", f"Sitemap: {{{{BASE}}}}{p['sitemap']}"]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- build
def build() -> dict:
    if SITE.exists():
        shutil.rmtree(SITE)
    pages: list[dict] = []

    def emit(portal: str, path: str, kind: str, text: str, **meta) -> None:
        fname = file_for(path)
        target = SITE / portal / fname
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        entry = {
            "portal_id": portal,
            "path": path,
            "file": f"{portal}/{fname}",
            "kind": kind,
            "title": meta.pop("title"),
            "published": meta.pop("published", None),
            "last_modified": meta.pop("last_modified", SNAPSHOT),
            "synthetic": meta.pop("synthetic", True),
            "seed": meta.pop("seed", None),
            "about_dossiers": meta.pop("about_dossiers", False),
        }
        entry.update({k: v for k, v in meta.items() if v is not None})
        pages.append(entry)

    for portal, p in PORTALS.items():
        arts = [dict(x) for x in ARTICLES if x["portal"] == portal]
        arts.sort(key=sort_key, reverse=True)
        public = [x for x in arts if not x.get("disallowed")]
        cat_url = {p["listing"]["title"]: p["listing"]["url"]}
        # Sidebars list the newest articles only, so every later listing page still brings new links
        # (a crawler may stop at the first listing page without any).
        ctx = {"arts": arts, "latest": public[:5], "most_read": public[:5], "cat_url": cat_url}
        head_common = ""

        for x in arts:
            head = head_common
            if p["family"] == "dongthap_news" and x.get("published"):
                head += f'\n<meta property="article:published_time" content="{x["published"]}">'
            crumbs = [("/", "Trang chủ"), (cat_url.get(x.get("category"), p["listing"]["url"]), x.get("category") or p["listing"]["title"])]
            html = shell(portal, ctx, x["title"], article_main(portal, x, ctx), crumbs, head)
            when = parse_when(x.get("published") or x.get("lastmod"))
            emit(
                portal,
                x["path"],
                "article",
                html,
                title=x["title"],
                published=x.get("published"),
                last_modified=when.isoformat(),
                seed=x.get("seed"),
                about_dossiers=bool(x.get("about_dossiers")),
                note=x.get("note"),
                published_text=x.get("published_text") if not x.get("published") else None,
                date_line=date_line(portal, x),
                category=x.get("category"),
                disallowed_by_robots=True if x.get("disallowed") else None,
                subject=x.get("subject"),
            )

        listed = [x for x in arts if x.get("listed", True)]
        npages = (len(listed) + PER_PAGE - 1) // PER_PAGE
        for n in range(1, npages + 1):
            url = p["listing"]["url"] if n == 1 else p["listing"]["page"].format(page=n)
            title = p["listing"]["title"] + ("" if n == 1 else f" - Trang {n}")
            items = listed[(n - 1) * PER_PAGE : n * PER_PAGE]
            html = shell(portal, ctx, title, listing_main(portal, title, items, n, npages), [("/", "Trang chủ"), ("", p["listing"]["title"])])
            emit(portal, url, "listing", html, title=title, page=n, pages=npages, links=[x["path"] for x in items])

        emit(portal, "/", "other", shell(portal, ctx, "Trang chủ", home_main(portal, ctx), [("/", "Trang chủ")]), title="Trang chủ")
        emit(portal, p["about"], "other", shell(portal, ctx, "Giới thiệu", about_main(portal), [("/", "Trang chủ"), ("", "Giới thiệu")]), title="Giới thiệu")
        if p["feed"]:
            emit(portal, p["feed"]["url"], "feed", rss(portal, public), title=p["feed"]["title"])
        if p["sitemap"]:
            # thoxuan's sitemap also lists its robots-disallowed page (a crawler must still skip it).
            in_map = arts if portal == "thoxuan" else public
            emit(portal, p["sitemap"], "sitemap", sitemap(in_map), title="sitemap.xml")
        emit(portal, "/robots.txt", "robots", robots(portal), title="robots.txt")

    manifest = {
        "version": 1,
        "description": (
            "Sample portals: a snapshot of pages in the style of five real Vietnamese portal families, "
            "served on loopback by cchc.samples.server. Every text is synthetic (synthetic=true). The five "
            "pages with a 'seed' are modelled on the real article it names: they state its figures (metric, "
            "tier, locality, period), its structures and its arithmetic breaks in the project's own words. "
            "{{BASE}} in served text is replaced by http://<host>:<port>. Generated by build_site.py."
        ),
        "deliberate_errors": [
            {
                "path": x["path"],
                "portal_id": x["portal"],
                "note": x["note"],
            }
            for x in ARTICLES
            if x.get("note")
        ],
        "portals": {
            pid: {
                "host": p["host"],
                "family": p["family"],
                "name": p["name"],
                "locality": p["locality"],
                "discovery": {
                    "sitemap": p["sitemap"],
                    "feeds": [p["feed"]["url"]] if p["feed"] else [],
                    "listings": [{"url": p["listing"]["url"], "next_page": p["listing"]["page"]}],
                },
                "robots": {"disallow": p["robots"]["disallow"], "crawl_delay": float(p["robots"]["crawl_delay"])},
                "charset_in_header": p["charset_in_header"],
                **(
                    {"charset_note": "HTML pages are served as 'text/html' without charset; the charset is declared only in <meta http-equiv=\"Content-type\" content=\"text/html; charset=utf-8\">"}
                    if not p["charset_in_header"]
                    else {}
                ),
            }
            for pid, p in PORTALS.items()
        },
        "pages": pages,
    }
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.parse_args(argv)
    m = build()
    size = sum(f.stat().st_size for f in SITE.rglob("*") if f.is_file())
    print(f"{len(m['pages'])} pages, {size} bytes in {SITE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
