"""The values a cell may hold: each vocabulary's canonical values with the synonyms people write
for them, and `lookup`, which maps a cell to its canonical value after `normalise.fold`.

Used by the converters of uploaded rows, the record forms and the templates' 填表说明.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from data_access.rules.vocab import TOPICS
from data_access.write.importing.normalise import fold

CHANNEL_SYNONYMS = {
    "政府门户网站": ("门户网站", "政府网站", "网站", "街道网站"),
    "政府公报": ("公报",),
    "公开栏": ("公示栏", "宣传栏", "政务公开栏"),
    "两微一端": ("微信", "微博", "政务新媒体", "新媒体", "政务微信", "政务微博"),
    "其他": (),
}


REQUEST_CHANNEL_SYNONYMS = {
    "网络": ("网络申请", "网上申请", "在线申请", "网申", "电子邮件", "邮件", "网上"),
    "当面": ("当面申请", "现场申请", "当面提交", "现场"),
    "信函": ("信函申请", "邮寄", "来信", "书面"),
    "传真": ("传真申请",),
}


APPLICANT_SYNONYMS = {
    "自然人": ("公民", "个人", "自然人申请"),
    "商业企业": ("企业", "公司"),
    "科研机构": (),
    "社会公益组织": ("公益组织",),
    "法律服务机构": ("律师事务所", "律所"),
    "其他": ("其他组织",),
}


ATTRIBUTE_SYNONYMS = {
    "proactive": ("主动公开",),
    "on_request": ("依申请公开",),
    "withheld": ("不公开", "不予公开"),
}


BOARD_KIND_SYNONYMS = {
    "年度换新": ("年度更新", "全面换新", "年度更换", "换新"),
    "季度更新": ("季度", "季度换版"),
    "即时更新": ("即时", "临时更新", "随时更新"),
    "修缮": ("维修", "修复", "维护"),
}


APPEAL_KIND_SYNONYMS = {
    "reconsideration": ("行政复议", "复议"),
    "litigation": ("行政诉讼", "诉讼"),
    "complaint": ("申诉举报", "申诉", "举报"),
}


LITIGATION_PATH_SYNONYMS = {
    "direct": ("未经复议直接起诉", "直接起诉"),
    "after_reconsideration": ("复议后起诉",),
}


def lookup(value: object, table: dict[str, tuple[str, ...]]) -> str | None:
    """The canonical value for a cell from a synonym table, or None."""
    try:
        index = _folded(tuple(table.items()))
    except TypeError:  # synonyms in a list: fold them on every call
        index = _folded.__wrapped__(tuple((c, tuple(s)) for c, s in table.items()))
    return index.get(fold(value))


@lru_cache(maxsize=64)
def _folded(items: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    """Folded name or synonym → canonical value (the first canonical value naming it wins)."""
    index: dict[str, str] = {}
    for canonical, synonyms in items:
        for name in (canonical, *synonyms):
            index.setdefault(fold(name), canonical)
    return index


CENT = Decimal("0.01")


TOPIC_NAMES = tuple(name for _code, name in TOPICS)


APPEAL_RESULTS = ("维持", "纠正", "其他结果", "尚未审结")


# Import kinds appeals / complaints (issue 16 item 5).
APPEAL_ONLY_KIND_SYNONYMS = {
    "reconsideration": ("行政复议", "复议"),
    "litigation": ("行政诉讼", "诉讼", "行政起诉", "起诉"),
}
# A complaint's source (rules.vocab.COMPLAINT_SOURCES). The hotline goes by many names; the
# unit's own (its profile's hotline name and number) are added per upload (cells.Context).
COMPLAINT_SOURCE_SYNONYMS = {
    "热线": ("市长热线", "12345", "12345热线", "政务热线", "政务服务热线", "便民热线", "热线电话", "电话"),
    "信访": ("来访", "信访件", "上访", "信访部门转办"),
    "网络": ("网上", "网站", "网络留言", "网上留言", "领导信箱", "电子邮件", "邮件", "互联网"),
    "来信": ("信件", "信函", "书信", "邮寄"),
    "其他": ("其它",),
}
