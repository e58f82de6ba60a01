"""The rules of fact extraction as data: cue phrases and what they signal, tier openers,
agency names, non-fact signals, and the decision tables that map the cues around a number to
a metric. Everything is matched against folded text (NFC, new tone placement, lower case).

Sources: docs/phrasings.md (sections 1, 2, 5, 6, 7) and the labelling rules of docs/facts.md;
each table says which.
"""
from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Cue phrases: (kind, regex alternatives). Overlapping matches are resolved longest first,
# so "đang giải quyết" (in progress) hides the "giải quyết" (resolved) inside it, and
# "trước hạn và đúng hạn" (early or on time) the two cues inside it.
# ---------------------------------------------------------------------------------------
_EARLY = r"(?:trước|sớm)(?:\s+thời)?(?:\s+(?:hạn|hẹn))?"
_ON_TIME = r"đúng(?:\s+thời)?(?:\s+(?:hạn|hẹn))?"
_JOIN = r"\s*(?:,|và|hoặc|/)\s*(?:giải quyết\s+|trả(?:\s+kết quả)?\s+)?"
_HAN = r"(?:\s+thời)?\s+(?:hạn|hẹn)"
_RESOLVED_BY = r"(?:giải quyết\s+|trả(?:\s+kết quả)?\s+)?"  # "giải quyết trước hạn, đúng hạn" is one cue, longer than "giải quyết trước hạn"
_LEVEL = r"(?:(?:mức|cấp) độ|mức(?=\s*[1-4]))"  # online service levels before 2022 (rule 7)

CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # one number, two metrics (S10): "tiếp nhận và giải quyết X"
    ("intake_resolved", (r"(?:đã\s+)?tiếp nhận(?:\s*,\s*|\s+và\s+|\s+)(?:giải quyết|xử lý|trả kết quả)(?:\s+giải quyết)?(?!\s+(?:đúng|trước|sớm))",
                         # "tiếp nhận và giải quyết đúng hẹn 31.872": intake, then its timeliness cue
                         r"(?:đã\s+)?tiếp nhận(?:\s*,|\s+và)(?=\s*(?:giải quyết|trả kết quả)\s+(?:đúng|trước|sớm))")),
    ("total", (r"tổng số(?:\s+hồ sơ)?", r"tổng cộng", r"lũy kế")),
    ("intake", (r"(?:và\s+)?chuyển (?:đến|tới|cho)\s+[^\d,;.]{0,60}?(?:giải quyết|xử lý)",  # forwarded to be resolved
                r"(?:đã\s+|được\s+)?tiếp nhận", r"(?:được\s+)?nộp", r"phát sinh", r"yêu cầu giải quyết",
                r"phải giải quyết", r"cần (?:giải quyết|xử lý)", r"đã và đang (?:giải quyết|xử lý)")),
    ("new", (r"mới tiếp nhận", r"(?:tiếp\s+)?nhận mới", r"(?:tổng\s+)?(?:số\s+)?hồ sơ mới", r"số mới")),
    ("carried", (r"(?:số\s+|hồ sơ\s+)?(?:còn\s+)?(?:tồn\s+)?(?:từ\s+)?(?:kỳ|kỷ) trước(?:\s+chuyển\s+(?:sang|qua))?",
                 r"từ trước chuyển (?:sang|qua)", r"chuyển (?:sang|qua)(?!\s+bưu)")),
    ("online", (r"trực tuyến", r"qua mạng", r"(?:qua|trên)\s+môi trường mạng", r"môi trường mạng", r"dvctt",
                r"dịch vụ công trực tuyến", r"(?:qua|trên) cổng dịch vụ công(?:\s+(?:quốc gia|của tỉnh))?")),
    ("level34", (_LEVEL + r"\s*3\s*(?:,|và|-|/)\s*(?:" + _LEVEL + r"\s*)?4", _LEVEL + r"\s*4\s*(?:,|và|-|/)\s*(?:" + _LEVEL + r"\s*)?3")),
    ("level4", (_LEVEL + r"\s*4",)),
    ("level3", (_LEVEL + r"\s*3",)),
    ("level12", (_LEVEL + r"\s*1\s*(?:,|và|-|/)\s*(?:" + _LEVEL + r"\s*)?2", _LEVEL + r"\s*[12]")),
    ("offline", (r"trực tiếp(?:\s*(?:,|và|hoặc)\s*(?:qua\s+)?(?:dịch vụ\s+)?bưu (?:chính|điện)(?:\s+công ích)?)?",
                 r"(?:qua\s+)?(?:dịch vụ\s+)?bưu chính(?:\s+công ích)?", r"qua (?:đường\s+)?bưu điện")),
    ("resolved", (r"(?:đã\s+)?giải quyết(?:\s+xong|\s+được)?", r"(?:đã\s+)?xử lý(?:\s+xong)?",
                  r"trả(?=\s+(?:kết quả\s+)?(?:quá|trễ|chậm)\s+(?:hạn|hẹn))",  # "trả quá hạn": resolved late
                  r"chuyển trả(?:\s+kết quả)?",
                  r"(?:đã\s+)?trả kết quả", r"đã có kết quả", r"hoàn thành giải quyết")),
    ("in_progress", (r"đang ở trạng thái", r"đang (?:được\s+)?(?:tiếp tục\s+)?(?:giải quyết|xử lý|thụ lý|thẩm định)(?:\s+trong\s+(?:thời\s+)?hạn)?",
                     r"đang (?:trong|còn trong) (?:thời gian|thời hạn|hạn)(?:\s+(?:xử lý|giải quyết))?",
                     r"còn trong (?:thời )?hạn(?:\s+(?:giải quyết|xử lý))?",
                     r"chưa đến hạn(?:\s+(?:giải quyết|xử lý|trả kết quả))?", r"chưa (?:giải quyết|xử lý)")),
    ("within", (r"trong (?:thời )?hạn(?:\s+(?:giải quyết|xử lý))?",)),  # "trong hạn giải quyết": not yet due
    # dossiers due in the period ("Có 3.962 hồ sơ đến hạn giải quyết"): a rate's base, no v1 metric
    ("due", (r"đến hạn(?:\s+(?:giải quyết|xử lý|trả kết quả))?",)),
    # one number for two categories (rule 3): not a fact
    ("mixed", (r"trả lại(?:\s+hồ sơ)?\s*(?:và|,|hoặc)\s*(?:người nộp\s+)?(?:đề nghị\s+)?rút(?:\s+hồ sơ)?",
               r"rút(?:\s+hồ sơ)?\s*(?:và|,|hoặc)\s*(?:bị\s+)?trả lại(?:\s+hồ sơ)?",
               r"(?:chậm|trễ)\s+(?:hạn|hẹn)\s*(?:và|,)\s*(?:hồ sơ\s+)?(?:quá|trễ)\s+(?:hạn|hẹn)", r"chậm\s*(?:,|và)\s*quá\s+(?:hạn|hẹn)")),
    ("suspended", (r"tạm dừng", r"tạm ngừng", r"dừng xử lý", r"yêu cầu bổ sung")),
    # a stock still open at a date ("hiện còn X hồ sơ xử lý quá hạn"): with "quá hạn" it is
    # overdue and open, part of in progress (rule 5)
    ("remaining", (r"hiện\s+còn(?!\s+lại)", r"còn tồn", r"tồn")),
    ("returned", (r"(?:không đủ điều kiện\s+)?trả về", r"trả lại(?:\s+hồ sơ)?", r"không đủ điều kiện", r"từ chối")),
    ("withdrawn", (r"rút(?:\s+hồ sơ)?(?!\s+(?:ngắn|kinh nghiệm|gọn))",)),
    ("digitized", (r"số hóa(?:\s+hồ sơ)?(?:\s*,?\s*kết quả(?:\s+giải quyết)?(?:\s+thủ tục hành chính|\s+tthc)?)?",)),
    ("early_or_on_time", (_RESOLVED_BY + _EARLY + _JOIN + r"đúng" + _HAN, _RESOLVED_BY + _ON_TIME + _JOIN + r"(?:trước|sớm)" + _HAN)),
    ("early", (r"(?:giải quyết\s+|trả(?:\s+kết quả)?\s+)?(?:trước|sớm)(?:\s+thời)?\s+(?:hạn|hẹn)",)),
    ("on_time", (r"(?:giải quyết\s+|trả(?:\s+kết quả)?\s+)?đúng(?:\s+thời)?\s+(?:hạn|hẹn)",)),
    ("overdue", (r"(?:bị\s+)?(?:quá|trễ|chậm)(?:\s+thời)?\s+(?:hạn|hẹn)", r"chậm muộn", r"chậm trễ",
                 r"(?<=số hồ sơ )chậm")),
    ("full", (r"toàn trình",)),
    ("partial", (r"một phần",)),
    ("info", (r"cung cấp thông tin(?:\s+trực tuyến)?",)),
    ("planned", (r"đề ra", r"được giao", r"theo kế hoạch", r"kế hoạch đề ra")),
    ("completed", (r"hoàn thành", r"đã thực hiện", r"thực hiện xong")),
    # No v1 metric: payment, late acceptance, back-catalogue digitisation, backlog, subsets
    # of procedures (phrasings section 1 and 7).
    ("payment", (r"thanh toán(?:\s+trực tuyến)?",)),
    ("late_accept", (r"chậm được tiếp nhận",)),
    ("backlog", (r"tồn đọng", r"lịch sử", r"còn hiệu lực")),
    ("procedure_subset", (r"thực hiện trong ngày", r"cắt giảm", r"liên thông", r"ủy quyền", r"không phụ thuộc", r"rút ngắn", r"đơn giản hóa",
                          r"bãi bỏ", r"sửa đổi", r"công bố", r"ban hành", r"rà soát", r"thay thế", r"tích hợp", r"phê duyệt",
                          r"phân cấp(?!\s+cho\s+(?:ubnd\s+|ủy ban nhân dân\s+)?cấp)")),  # "phân cấp cho UBND cấp xã": a tier's
    ("reform", (r"cải cách hành chính", r"cchc")),
)

# Kinds that state what happened to dossiers (a verb), as opposed to modifiers of a verb
# (channel, timeliness). Right of a number, only modifiers count when a verb stands left.
CHANNEL_KINDS = frozenset({"online", "offline", "level34", "level4", "level3", "level12"})
VERB_KINDS = frozenset({"intake_resolved", "total", "intake", "resolved", "in_progress", "digitized",
                        "suspended", "returned", "withdrawn", "completed", "planned"})

# ---------------------------------------------------------------------------------------
# Names of agencies and mechanisms: cue words inside them say nothing about a number
# ("Bộ phận tiếp nhận và trả kết quả" is an office, not "received and resolved").
# ---------------------------------------------------------------------------------------
AGENCIES: tuple[str, ...] = (
    r"bộ phận (?:tiếp nhận(?:\s*,\s*|\s+và\s+|\s+)(?:trả kết quả|giải quyết)|một cửa|tn&tkq|tn và tkq)(?:\s+(?:hiện đại|liên thông))?"
    r"(?:\s+giải quyết)?(?:\s+(?:thủ tục hành chính|tthc))?",
    r"trung tâm (?:phục vụ\s+)?hành chính công", r"trung tâm giải quyết thủ tục hành chính",
    r"trung tâm (?:tiếp nhận và trả kết quả|một cửa)", r"văn phòng đăng ký đất đai",
    r"(?:cơ chế\s+)?một cửa(?:,\s*một cửa)?(?:\s+liên thông)?", r"dịch vụ bưu chính công ích(?= trong)",
    r"hệ thống thông tin giải quyết (?:thủ tục hành chính|tthc)", r"(?<!qua )(?<!trên )cổng dịch vụ công(?:\s+quốc gia)?(?=\s*(?:,|\.|;|$))",
    r"quy trình nội bộ(?:,\s*quy trình điện tử)?", r"tổ công nghệ số",
)
# Competence splits (S15): they partition a tier, they do not name one.
COMPETENCE = r"(?:thuộc\s+)?(?:phạm vi\s+)?thẩm quyền(?:\s+giải quyết)?(?:\s+của)?(?:\s+(?:ubnd|ủy ban nhân dân|sở|chi nhánh|cấp))?(?:\s+(?:tỉnh|huyện|xã|thành phố|quận|phường))?"

# ---------------------------------------------------------------------------------------
# Tier openers: who handled the dossiers (docs/facts.md "Tiers", labelling rules 13, 16, 17,
# 19; phrasings section 5, S6). Each row: (tier, the rule it implements, phrases). Overlaps
# resolve longest first; several tiers between two numbers ("cấp huyện, cấp xã") mean "all".
# Three kinds are decided by ``facts.py`` with the locality a figure is about: ``committee``, a
# district's People's Committee with no tier named, is "all" (rule 16) unless the article
# reports the communes' own figures beside it (then the article splits the district by tier
# and the committee's figures are the district tier's); ``centre``, a centre with no tier
# word, is its locality's own tier; ``whole`` ("toàn tỉnh") is "all" unless one tier is named
# with it. Tiers named together make "all" only where they make up the locality (docs/arithmetic.md
# "Tiers": a district's district + commune; a province's province + district + commune,
# or province + commune from 1 July 2025); "cấp huyện, cấp xã" in a province is no tier.
# ``*_authority`` kinds split a centre's dossiers by who decides them (rule 17): they are
# their tier, and where an article gives such a split, the centre's own total is `all`.
# ---------------------------------------------------------------------------------------
_ONE_STOP = (r"bộ phận (?:tiếp nhận(?: hồ sơ)?(?: và|,) trả kết quả|\"?một cửa\"?|tn&tkq|tn và tkq)(?:\s+(?:hiện đại|liên thông))?"
             r"(?:\s*\([^()\d]{1,12}\))?"  # "Bộ phận Tiếp nhận và Trả kết quả (TN&TKQ) của UBND huyện"
             r"(?:\s+giải quyết\s+(?:thủ tục hành chính|tthc))?(?:\s+của)?(?:\s+(?:ubnd|ủy ban nhân dân))?")
_COMPETENCE_OF = r"(?:thuộc\s+)?(?:phạm vi\s+)?thẩm quyền(?:\s+giải quyết)?(?:\s+của)?\s+"
_COMMITTEE = r"(?:ubnd|ủy ban nhân dân)\s+"

TIERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("all", "facts.md 'Tiers': a whole province or district across its levels", (
        r"cả (?:3|ba|2|hai) cấp", r"(?:thuộc\s+)?(?:2|hai) cấp huyện và xã", r"(?:cả\s+)?(?:hai|2) cấp chính quyền")),
    ("commune+district", "facts.md 'Tiers': the district and commune levels named together ('cấp huyện, xã')", (
        r"cấp huyện\s*(?:,|và)\s*xã",)),
    ("whole", "facts.md 'Tiers': the whole unit, unless one tier is named with it ('Với cấp xã, toàn tỉnh ...')", (
        r"toàn (?:tỉnh|huyện|thành phố|thị xã|quận)", r"trên địa bàn (?:toàn\s+)?(?:tỉnh|huyện|thành phố|thị xã|quận)")),
    ("commune+district", "rule 13: a district one-stop shop's figures that include the communes' (all for a district)", (
        r"(?:bao gồm|kể cả|cộng)(?:\s+tất cả)? (?:cả\s+)?(?:số liệu|hồ sơ) (?:của\s+)?(?:ubnd\s+)?(?:cấp xã|các xã|xã)",)),
    ("province", "facts.md 'Tiers': the provincial centre, the departments", (
        r"cấp tỉnh", r"(?:các\s+)?sở,\s*ban,\s*ngành(?:\s+tỉnh)?", r"(?:các\s+)?sở,\s*ngành", r"do các sở",
        r"trung tâm (?:phục vụ\s+)?hành chính công (?:của\s+)?tỉnh",
        r"trung tâm giải quyết thủ tục hành chính (?:của\s+)?tỉnh")),
    ("centre", "rules 13, 16, 19: a public-administration centre with no tier word is its locality's own", (
        r"trung tâm (?:phục vụ\s+)?hành chính công(?:\s+(?:và|,)\s+xúc tiến đầu tư)?(?:\s+(?:của\s+)?(?:thành phố|tp\.?|xã|phường|đặc khu))?",
        # "Bộ phận một cửa tiếp nhận ...": the one-stop shop of the unit the article is about
        _ONE_STOP + r"(?!\s+(?:huyện|quận|thị xã|thành phố|tp|xã|phường|thị trấn|tỉnh|cấp|các))",)),
    ("province_authority", "rule 17: dossiers under a provincial agency or its local branch", (
        _COMPETENCE_OF + r"(?:cấp tỉnh|các sở|sở,\s*ngành|" + _COMMITTEE + r"tỉnh|chi nhánh)",
        r"chi nhánh văn phòng đăng ký đất đai")),
    ("district", "rules 13 and 16: the district tier named, or its one-stop shop", (
        r"cấp (?:huyện|quận|thị xã)", _COMMITTEE + r"cấp\s+(?:huyện|quận|thị xã)",
        _ONE_STOP + r"\s+(?:huyện|quận|thị xã|thành phố|tp\.?|tx\.?)",
        r"trung tâm (?:phục vụ\s+)?hành chính công (?:của\s+)?(?:huyện|quận|thị xã)",
        r"(?:các\s+)?(?:cơ quan|phòng)(?:\s*,\s*(?:đơn vị|ban(?:\s+ngành)?)|\s+chuyên môn)*\s+(?:của|thuộc)(?:\s+(?:ubnd|ủy ban nhân dân))?\s+huyện",
        r"\d+ (?:huyện|quận)\s*,\s*(?:thị xã\s*,\s*)?thành phố")),
    ("district_authority", "rule 17: dossiers under the district's own authority", (
        _COMPETENCE_OF + r"(?:" + _COMMITTEE + r")?(?:cấp\s+)?(?:huyện|quận|thị xã|thành phố|tp\.?)",)),
    ("committee", "rule 16: the district's People's Committee, no tier named", (
        _COMMITTEE + r"(?:huyện|quận|thị xã|thành phố|tp\.?)",)),
    ("commune", "facts.md 'Tiers': the communes of a district or province", (
        r"cấp (?:xã|phường)", _COMMITTEE + r"(?:các |cấp |\d+ )?(?:xã|phường)(?:\s*,\s*(?:phường|xã|thị trấn))*",
        r"(?:khối\s+)?(?:ubnd\s+)?các (?:xã|phường)(?:\s*,\s*(?:phường|xã|thị trấn))*",
        _ONE_STOP + r"\s+(?:các |cấp )?xã", r"\d+ xã\s*,\s*(?:phường\s*,\s*)?thị trấn", r"\d+ (?:xã\s*,\s*phường|phường\s*,\s*xã)")),
    ("commune_authority", "rule 17: dossiers under the communes' own authority", (
        _COMPETENCE_OF + r"(?:" + _COMMITTEE + r")?(?:cấp\s+|các\s+)?(?:xã|phường)",)),
)

# "Trung tâm", "Bộ phận một cửa" without a tier word: the centre the article named before (S7).
AGENCY_REFERENCE = (r"(?:trung tâm|bộ phận (?:một cửa|tiếp nhận và trả kết quả))"
                    r"(?!\s+(?:phục vụ|hành chính|giải quyết|văn hóa|y tế|chính trị|công nghệ|tiếp nhận|một cửa|"
                    r"huyện|xã|tỉnh|thành phố|quận|phường|thị xã|của|cấp))")
# Words that report results for a period, and words that announce plans for one.
REPORTING = r"(?:kết quả|sơ kết|tổng kết|báo cáo|đánh giá|tình hình)(?![^\W\d_])[^,.;:]{0,80}$"
PLANNING = r"(?:nhiệm vụ|phương hướng|kế hoạch|triển khai|mục tiêu|chỉ tiêu|dự kiến)\s+(?:\S+\s+){0,2}$"

# An office that handles dossiers ("Khai trương Trung tâm Hành chính công huyện" names the subject).
OFFICE = r"(?:trung tâm|bộ phận)"
# Fixed pairs whose comma joins, not separates ("hồ sơ của các tổ chức, cá nhân yêu cầu giải quyết").
FIXED_PHRASES = r"tổ chức\s*,\s*cá nhân|cá nhân\s*,\s*tổ chức|người dân\s*,\s*doanh nghiệp|doanh nghiệp\s*,\s*người dân"
# A paragraph that opens with these continues the one before: the body has begun.
CONTINUATION = r"(?:cụ thể|trong đó|theo đó|kết quả|qua đó|như vậy)\s*[,:]"
# What may stand before a tier opener that opens its sentence (S6, S7).
SENTENCE_OPENING = r"(?:(?:trong đó|trong số (?:đó|này)|cụ thể|riêng|còn|đối với|tại|ở|với)\s*[,:]?\s*)*"
# After a count: it counts one field's dossiers or procedures, a split (S15, rule 18).
FIELD_SPLIT = (r"(?<!các )(?<!những )lĩnh vực\s+[^\W\d_]|(?<![^\W\d_])(?:về|liên quan đến)\s+(?:lĩnh vực\s+)?(?:đất đai|hộ tịch|tư pháp|xây dựng|kinh doanh|"
               r"đăng ký kinh doanh|đầu tư|lao động|giáo dục|y tế|giao thông|tài nguyên|môi trường|nông nghiệp|thuế)")
# Between a number and a period named after it: the period is a target's or a comparison's.
NOT_GOVERNING = r"mục tiêu|kế hoạch|chỉ tiêu|phấn đấu|so với|cùng kỳ|nhiệm vụ"
# A sentence about a set of fields, agencies or units splits one whole by them (S12, S15): "Các
# lĩnh vực ... nhiều như: Tư pháp: trên 29 nghìn hồ sơ", "Các cơ quan có số lượng HS tiếp nhận
# nhiều ... là: Công an tỉnh 3,1 ngàn HS", "Những địa phương có tỷ lệ ... đạt 100% là ...".
# A rate of a counted set of units ("Có 12 cơ quan, đơn vị trả kết quả ... đạt 100%"): theirs, no tier's.
UNITS_COUNTED = r"(?<![\d.,/])\d+\s+(?:cơ quan|đơn vị|địa phương|sở)(?![^\W\d_])"  # "91 xã, phường, thị trấn" names a tier
# "có 57 xã, phường có phát sinh dưới 120 hồ sơ": a property of a counted set of units, no fact.
UNITS_WITH = r"(?<![\d.,/])\d+\s+(?:xã|phường|huyện|đơn vị|địa phương|cơ quan)(?:\s*,\s*[^\W\d_]+(?:\s[^\W\d_]+)?)*\s+có(?![^\W\d_])"
SUBUNIT_LIST = (r"(?<![^\W\d_])(?:các|những|từng) lĩnh vực"
                r"|(?<![^\W\d_])(?:các|những) (?:cơ quan|đơn vị|địa phương|sở)(?:\s*,\s*[^\W\d_]+)*\s+(?:có|như|gồm)(?![^\W\d_])")
# Before a count in its sentence: one field's figures ("Trong đó, lĩnh vực Đất đai tiếp nhận 615 hồ
# sơ"), unless the field only describes ("chủ yếu thuộc lĩnh vực hộ tịch").
FIELD_BEFORE = r"(?<![^\W\d_])(?<!thuộc )(?<!ở )lĩnh vực\s+[^\W\d_]"

# A centre's opening day, and a count since then ("Sau gần một năm đi vào hoạt động, đến hết tháng ...").
_OPENS = r"(?:đi vào hoạt động|hoạt động|khai trương|thành lập)\s+(?:chính thức\s+)?"
OPENED = _OPENS + r"(?:từ|kể từ|vào|ngày)(?:\s+ngày)?"
OPENED_IN_MONTH = _OPENS + r"(?:từ|kể từ|vào)\s+tháng"
# The two-level local government (provinces and communes) that began on 1 July 2025.
TWO_LEVELS = r"chính quyền (?:địa phương\s+)?(?:2|hai) cấp"
COMMUNE_CENTRE = r"(?:trung tâm|điểm) phục vụ hành chính công (?:của\s+)?(?:các\s+)?(?:xã|phường|đặc khu|cấp xã)"
SINCE_OPENING = r"(?:đi vào|bắt đầu|chính thức)\s+hoạt động|khai trương|thành lập"
# A sentence about what will be done names a period that frames nothing reported.
FUTURE = r"(?<![^\W\d_])(?:sẽ|thời gian tới|sắp tới|phấn đấu|dự kiến)(?![^\W\d_])"

# A tier word that names who speaks, not who handled the dossiers; or whose official speaks
# ("bà ..., Giám đốc Trung tâm Phục vụ hành chính công tỉnh, cho biết ...").
OFFICIAL_BEFORE = r"(?:giám đốc|chủ tịch|trưởng|lãnh đạo|đại diện|cán bộ|công chức|viên chức|nhân viên)\s+$"
# "Theo Báo cáo số 27/BC-UBND của Trung tâm Phục vụ hành chính công tỉnh, ...": who reports
# is no tier of the figures (what a report covers, "báo cáo ... thuộc thẩm quyền của ...", is).
SOURCE_BEFORE = (r"(?<![^\W\d_])theo(?:\s+(?:báo cáo|thống kê|số liệu|thông tin)(?:\s+số\s+\S+)?(?:\s+của)?)?\s+$"
                 r"|(?<![^\W\d_])theo\s+(?:báo cáo|thống kê|số liệu|thông tin)(?:\s+số\s+\S+)?\s+của\s+(?:[^\s,;:.]+\s+){1,5}$")
SPEAKER = r"(?<![^\W_])(?:cho biết|thông tin|báo cáo cho biết|khẳng định|nhấn mạnh|phát biểu)(?![^\W_])"

# ---------------------------------------------------------------------------------------
# Numbers that are never facts (phrasings section 7), masked before numbers are read.
# ---------------------------------------------------------------------------------------
NON_FACT_SPANS: tuple[str, ...] = (
    r"(?:công văn|kế hoạch|quyết định|nghị định|thông tư|chỉ thị|nghị quyết|báo cáo|văn bản|tờ trình|đề án|luật|"
    r"thông báo|hướng dẫn|chương trình|dự án|thông báo kết luận)(?:\s+số)?\s*:?\s*\d[\w/.\-]*",
    r"(?<![^\W\d_])(?<!tổng )số\s+\d+[\w.\-]*(?=\s*(?:/|ngày|[^\W\d_]*[a-zđ]/))", r"\d+/[a-zđ]{1,6}-[\w\-]+",
    r"\d+/\d{4}/[\w\-]+", r"(?:iso|tcvn|qcvn)\s*\d[\d:.\-]*", r"(?:kỳ họp|lần|khóa|thứ)\s+(?:thứ\s+)?\d+",
    r"(?:khu vực|khu phố|tổ dân phố|ấp|thôn|đội|số nhà)\s+\d+",
    r"\d{1,2}/\d{1,2}\s*(?:tiêu chí|giờ)", r"24/7", r"\(gmt\s*[+-]\s*\d+\)",
    r"tỷ lệ\s+1/\d+", r"covid[\s-]*\d+", r"(?:giai đoạn|niên khóa)\s+\d{4}\s*-\s*\d{4}",
    r"(?<![\d.,])[1-4]\s+cấp(?![^\W\d_]|\s+(?:tỉnh|huyện|xã|độ))",  # "dịch vụ công trực tuyến 3 cấp": levels of government
)

# Nouns right after a number (the thing counted). Dossiers, procedures and services, tasks,
# fields are facts; the rest (phrasings section 7) never are.
NOUNS: tuple[tuple[str, str], ...] = (
    ("dossier", r"(?:bộ\s+)?hồ sơ|hs\b|trường hợp|bộ\b"),
    ("procedure", r"thủ tục|tthc\b"),
    ("service", r"dịch vụ|dvctt\b|dvc\b"),
    ("task", r"nhiệm vụ"),
    ("field", r"lĩnh vực"),
)
NOUN_SKIP = r"(?:(?:các|những|số|trong tổng số|tổng số)\s+)*"
# Words that may follow a number that counts dossiers without naming them: verbs, function
# words, and the first words of cues ("Hồ sơ mới tiếp nhận 1.215, kỳ trước ...", "trên 12.300
# đạt 81,5%", "274 trực tuyến"). Any other word after a number names what it counts, and
# that is no dossier: "9 xã", "127 ý tưởng", "28 hội nghị", "4 lớp".
FOLLOWERS: tuple[str, ...] = (
    "đạt", "là", "chiếm", "được", "đã", "đang", "và", "trong", "tại", "với", "của", "cho", "còn", "thì", "gồm",
    "so", "trên", "đều", "ở", "từ", "bằng", "tỷ lệ", "tổng", "hoặc", "hay", "nhưng", "sau", "trước", "đúng",
    "quá", "trễ", "chậm", "sớm", "giải quyết", "tiếp nhận", "trực tuyến", "trực tiếp", "qua", "nộp", "mới", "kỳ",
    "tồn", "chưa", "không", "tạm", "bị", "số", "trả", "xử lý", "cấp", "đối với", "theo", "tương ứng", "thuộc",
    "chỉ", "riêng", "nên", "vì", "do", "khi", "lũy kế", "tăng", "giảm",
)

# In the words around a number: it is not a fact when these come with it.
BLOCKERS: tuple[str, ...] = (
    r"so với(?!\s+quy định)", r"so cùng kỳ", r"cùng kỳ", r"mục tiêu", r"chỉ tiêu", r"phấn đấu", r"tối thiểu", r"ít nhất",
    r"dự kiến", r"theo yêu cầu", r"cần đạt", r"phải đạt", r"hài lòng", r"chỉ số", r"xếp hạng", r"xếp thứ",
    r"đứng thứ", r"thứ hạng", r"cả nước", r"toàn quốc", r"đơn thư", r"phản ánh", r"kiến nghị", r"khiếu nại",
    r"tố cáo", r"xin lỗi", r"nhằm", r"(?:thẩm quyền|thuộc)(?:\s+của)?\s+công an", r"bình quân", r"trung bình mỗi", r"mỗi ngày", r"mỗi tháng", r"tỷ đồng", r"triệu đồng",
)
# A decimal count after these words is a rate whose "%" the writer left out ("đạt 91,6;").
RATE_WITHOUT_SIGN = r"(?:đạt|tỷ lệ|là)\s*(?:gần|hơn|trên|khoảng)?\s*$"

# Right before a number: a change, a rank, an ordinal.
BLOCK_BEFORE = (r"(?:tăng|giảm|cao hơn|thấp hơn|nhiều hơn|ít hơn|gấp|bằng|thứ|hạng|top|(?<!nâng tổng số )(?<!nâng tổng )lên|xuống)"
                r"\s*(?:thêm\s+)?(?:gần\s+|hơn\s+|trên\s+|dưới\s+|khoảng\s+)?$")

# Where one part ends and the next begins inside a sentence.
SEPARATORS = (r"[,;()+•*\[\]]", r"(?<=\s)-(?=\s)", r"(?<!\d)/|/(?!\d)", r"(?<![^\W\d_])(?:và|còn lại)(?![^\W\d_])",
              r"(?<![^\W\d_])(?:trong đó|trong số (?:này|đó|hồ sơ trên|hồ sơ đã tiếp nhận)|bao gồm|gồm có|gồm|cụ thể)(?![^\W\d_])",
              r":(?=\s*[+\-*•])")
# What opens a breakdown of the count before it (S1, S2), besides "(".
BREAKDOWN_OPENERS = r"(?:trong đó|trong số (?:này|đó|hồ sơ trên|hồ sơ đã tiếp nhận)|bao gồm|gồm có|gồm|(?<=, )có)"
# "đang giải quyết gồm 6.354 hồ sơ": "gồm" before a clause's first number links a label to it.
COPULA = r"(?:bao gồm|gồm có|gồm)"
# A topic phrase carries a channel or digitisation to the next numbers (S7).
TOPIC = r"^(?:về|đối với|riêng)\s+"
TOPIC_KINDS = frozenset({"online", "offline", "digitized", "level34", "level4", "level3", "level12"})

# Paragraph leads that switch the locality (S13): "Tại xã X,", "Đối với xã X,", "Xã X ...".
LOCALITY_LEAD = (r"^(?:(?:tại|đối với|ở|riêng|còn|với|về|trên địa bàn|sau sáp nhập,?|bên cạnh đó,?)\s+)?"
                 r"(?:(?:ubnd|ủy ban nhân dân|trung tâm phục vụ hành chính công|đảng ủy|chính quyền)\s+)?$")

# ---------------------------------------------------------------------------------------
# Decision tables: (all of these kinds, none of these kinds) -> metrics. The first row that
# fits wins. Context pseudo-kinds: ctx_resolved / ctx_in_progress / ctx_intake (the whole
# a breakdown part belongs to), zero (a count stated as "không có").
# ---------------------------------------------------------------------------------------
Row = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

DOSSIER_COUNTS: tuple[Row, ...] = (
    (("mixed",), (), ()),
    (("due",), (), ()),
    (("late_accept",), (), ()),
    (("backlog",), (), ()),
    (("payment",), (), ()),
    (("digitized",), (), ("dossiers_digitized",)),
    (("returned", "withdrawn"), (), ()),  # rule 3: one number for two categories
    (("suspended",), (), ("dossiers_suspended",)),
    (("returned",), (), ("dossiers_returned",)),
    (("withdrawn",), (), ("dossiers_withdrawn",)),
    (("in_progress",), (), ("dossiers_in_progress",)),
    (("within", "ctx_in_progress"), ("resolved",), ("dossiers_in_progress",)),
    (("overdue", "ctx_in_progress"), ("resolved",), ("dossiers_in_progress",)),  # rule 5
    (("carried",), (), ("dossiers_carried_over",)),
    (("early_or_on_time",), (), ("dossiers_resolved_early_or_on_time",)),
    (("early",), (), ("dossiers_resolved_early",)),
    (("intake_resolved", "early_or_on_time"), (), ("dossiers_received", "dossiers_resolved_early_or_on_time")),  # S10
    (("intake_resolved", "on_time"), (), ("dossiers_received", "dossiers_resolved_on_time")),
    (("on_time",), (), ("dossiers_resolved_on_time",)),  # rule 2 decides later
    (("within", "resolved"), (), ("dossiers_resolved_early_or_on_time",)),
    (("within", "ctx_resolved"), (), ("dossiers_resolved_early_or_on_time",)),
    (("overdue", "remaining"), (), ("dossiers_in_progress",)),
    (("overdue", "resolved"), (), ("dossiers_resolved_overdue",)),
    (("overdue", "ctx_resolved"), (), ("dossiers_resolved_overdue",)),
    (("overdue", "zero"), (), ("dossiers_resolved_overdue",)),  # rule 11
    (("overdue",), (), ()),  # rule 14: not said to be resolved
    (("online", "full"), (), ()),  # end to end: a stricter subset of online intake
    (("online",), ("resolved",), ("dossiers_received_online",)),
    (("online", "intake"), (), ("dossiers_received_online",)),
    (("online", "intake_resolved"), (), ("dossiers_received_online",)),
    (("level34",), ("resolved",), ("dossiers_received_online",)),
    (("level34", "intake_resolved"), (), ("dossiers_received_online",)),
    (("level4", "intake"), (), ("dossiers_received_online",)),  # rule 7: "nộp mức độ 4" is online intake
    (("level3", "intake"), (), ("dossiers_received_online",)),
    (("offline",), ("resolved",), ("dossiers_received_offline",)),
    (("offline", "intake"), (), ("dossiers_received_offline",)),
    (("offline", "intake_resolved"), (), ("dossiers_received_offline",)),
    (("new",), (), ("dossiers_received_new",)),
    (("offline", "resolved"), (), ()),  # "trả kết quả ... qua đường bưu điện": delivery, not intake
    (("online", "resolved"), (), ()),
    (("intake_resolved",), (), ("dossiers_received", "dossiers_resolved")),  # S10
    (("intake",), ("resolved",), ("dossiers_received",)),
    (("total",), ("resolved",), ("dossiers_received",)),
    (("resolved",), (), ("dossiers_resolved",)),
)

RATES: tuple[Row, ...] = (
    (("mixed",), (), ()),
    (("online", "early_or_on_time"), (), ()),  # rule 18: "hồ sơ trực tuyến được giải quyết đúng hạn đạt 99,5%"
    (("online", "on_time"), (), ()),
    (("online", "overdue"), (), ()),
    (("payment",), (), ()),
    (("late_accept",), (), ()),
    (("digitized",), (), ("rate_digitized",)),
    (("online", "full"), (), ()),  # rule 12: end-to-end share
    (("overdue",), ("in_progress",), ("rate_resolved_overdue",)),
    (("early_or_on_time",), (), ("rate_resolved_early_or_on_time",)),
    (("on_time",), (), ("rate_resolved_early_or_on_time",)),  # rule 12
    (("within", "resolved"), (), ("rate_resolved_early_or_on_time",)),
    # a rate of dossiers "trong hạn" is resolved within the deadline; a count is still open (in progress)
    (("within",), ("in_progress",), ("rate_resolved_early_or_on_time",)),
    (("early",), (), ()),  # early-only share: no v1 metric
    (("online",), (), ("rate_received_online",)),
    (("level34",), (), ("rate_received_online",)),
    (("offline", "resolved"), (), ()),  # "chuyển trả qua đường bưu điện": results delivered, no intake
    (("offline",), (), ("rate_received_offline",)),
    (("completed", "task"), (), ("rate_reform_tasks_completed",)),
)

SERVICES: tuple[Row, ...] = (
    (("full",), (), ("online_services_full",)),
    (("partial",), (), ("online_services_partial",)),
    (("info",), (), ("online_services_info",)),
    (("level12",), (), ("online_services_info",)),  # rule 7, before 2022
    (("level4",), ("level3",), ("online_services_full",)),
    (("level3",), ("level4",), ("online_services_partial",)),
    (("level34",), (), ("online_services",)),
    (("online",), ("intake", "resolved", "procedure_subset"), ("online_services",)),
)
# A procedure count ("383 thủ tục hành chính") is procedures_total unless words around it
# make it a subset or use "thủ tục" for dossiers.
PROCEDURE_BLOCKERS = frozenset({"procedure_subset", "resolved", "in_progress", "overdue", "on_time", "early",
                                "early_or_on_time", "digitized", "online", "returned"})

# Verbs of the dossier flow: with one of them, "N thủ tục (hành chính)" counts dossiers.
DOSSIER_FLOW_VERBS = frozenset({"intake", "intake_resolved", "resolved"})

# Rule 6: tasks of one area of the reform ("22/22 nhiệm vụ tuyên truyền") are not the plan's.
TASK_AREA = r"nhiệm vụ\s+(?:tuyên truyền|kiểm soát|chuyển đổi số|cải cách thủ tục|ứng dụng|thông tin|công khai)"
TASKS: tuple[Row, ...] = (
    (("completed",), (), ("reform_tasks_completed",)),
    (("planned",), (), ("reform_tasks_planned",)),
)

# The whole of "x/y" after a count of this metric (S5), a fact where nothing else states it.
WHOLE_OF_RATIO = {"reform_tasks_completed": "reform_tasks_planned", "dossiers_resolved": "dossiers_received",
                  # "(1.078/2.020 thủ tục) được cung cấp dịch vụ công trực tuyến": of the procedures in force
                  "online_services": "procedures_total", "online_services_full": "procedures_total",
                  "online_services_partial": "procedures_total",
                  # "giải quyết đúng hạn 4.897/4.905 hồ sơ": of the dossiers resolved
                  "dossiers_resolved_early_or_on_time": "dossiers_resolved"}

# The rate a count's attached rate measures (S3: "X hồ sơ trực tuyến, đạt Y%").
RATE_OF_COUNT = {
    "dossiers_received_online": "rate_received_online",
    "dossiers_received_offline": "rate_received_offline",
    "dossiers_resolved_early_or_on_time": "rate_resolved_early_or_on_time",
    "dossiers_resolved_overdue": "rate_resolved_overdue",
    "dossiers_digitized": "rate_digitized",
    "reform_tasks_completed": "rate_reform_tasks_completed",
}

# The count of a rate that names it right after ("đạt 99,1%, tương ứng với 8.204 hồ sơ").
COUNT_OF_RATE = {rate: count for count, rate in RATE_OF_COUNT.items()}
RATE_THEN_COUNT = r"\s*,?\s*(?:(?:tương ứng|tương đương)(?:\s+với)?|ứng với|với)\s*"

STAGE = {  # the stage of the dossier flow a count belongs to (a part shares its whole's stage)
    "dossiers_received": "intake", "dossiers_received_new": "intake", "dossiers_carried_over": "intake",
    "dossiers_received_online": "intake", "dossiers_received_offline": "intake",
    "dossiers_resolved": "resolved", "dossiers_resolved_early": "resolved", "dossiers_resolved_on_time": "resolved",
    "dossiers_resolved_early_or_on_time": "resolved", "dossiers_resolved_overdue": "resolved",
    "dossiers_in_progress": "in_progress",
    "online_services": "services", "online_services_full": "services", "online_services_partial": "services",
    "online_services_info": "services", "procedures_total": "services",
}
