"""Fixed vocabularies of the domain: the catalogue, topics, channels and reply categories.

Names are written exactly as DOMAIN.md and the statutory forms write them; the
seed, the importers and the reports all take them from here.
"""

from __future__ import annotations

# The catalogue (政务公开目录及索引编码表): level-one code, name, and its level-two /
# level-three entries. The index number of an item (e.g. QY-0601-2018-0147) carries
# its level-two code.
CATALOGUE: tuple[tuple[str, str, tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]], ...] = (
    (
        "01",
        "机构职能类",
        (
            ("0101", "机构设置", (("010101", "领导信息"), ("010102", "内设机构"))),
            ("0102", "工作职能", (("010201", "职能职责"), ("010202", "工作动态"))),
        ),
    ),
    (
        "02",
        "政策、规范性文件类",
        (
            ("0201", "规范性文件", (("020101", "本级规范性文件"),)),
            ("0202", "其他政策文件", (("020201", "工作文件"),)),
        ),
    ),
    (
        "03",
        "规划计划类",
        (
            ("0301", "发展规划", (("030101", "年度工作计划"),)),
            ("0302", "工作总结", (("030201", "年度工作总结"),)),
        ),
    ),
    (
        "04",
        "重大建设项目",
        (
            ("0401", "项目批准", (("040101", "项目审批结果"),)),
            ("0402", "项目实施", (("040201", "项目进展情况"),)),
        ),
    ),
    ("05", "为民办实事类", (("0501", "为民办实事项目", (("050101", "项目进展"),)),)),
    (
        "06",
        "民政扶贫救灾社会保障就业类",
        (
            ("0601", "社会救助", (("060101", "最低生活保障"), ("060102", "危房翻建"))),
            ("0602", "扶贫救灾", (("060201", "扶贫救灾"),)),
            ("0603", "社会保障就业", (("060301", "社会保险"), ("060302", "就业服务"))),
        ),
    ),
    (
        "07",
        "国土资源城乡建设环保能源类",
        (
            ("0701", "城乡建设", (("070101", "城乡建设管理"),)),
            ("0702", "环境保护", (("070201", "环境保护"),)),
        ),
    ),
    (
        "08",
        "科教文体卫生类",
        (
            ("0801", "教育", (("080101", "教育招生"),)),
            ("0802", "卫生计生", (("080201", "公共卫生"),)),
            ("0803", "文化体育", (("080301", "文化体育"),)),
        ),
    ),
    (
        "09",
        "安全生产、应急管理类",
        (
            ("0901", "安全生产", (("090101", "安全生产监管"),)),
            ("0902", "应急管理", (("090201", "应急预案与处置"),)),
        ),
    ),
)

CATEGORY_NAMES: tuple[str, ...] = tuple(name for _code, name, _children in CATALOGUE)

# 重点领域 topics, in the order the annual report lists them.
TOPICS: tuple[tuple[str, str], ...] = (
    ("finance", "财政资金"),
    ("projects", "重大建设项目"),
    ("public_service", "公共服务"),
    ("supervision", "监督检查"),
    ("other", "其他"),
)

# The old (2008) report counts requests by three channels; 信函 and 传真 share a row.
OLD_REQUEST_CHANNELS: tuple[str, ...] = ("当面", "网络", "信函、传真")


def old_request_channel(channel: str) -> str:
    """The old report's channel row for a request channel."""
    return "信函、传真" if channel in ("信函", "传真") else channel


# The 2021 report's outcome rows (三、本年度办理结果). The stored outcome is
# '<group>' or '<group>-<item>'.
OUTCOMES_2021: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("予以公开", ()),
    ("部分公开", ()),
    (
        "不予公开",
        (
            "属于国家秘密",
            "其他法律行政法规禁止公开",
            "危及“三安全一稳定”",
            "保护第三方合法权益",
            "属于三类内部事务信息",
            "属于四类过程性信息",
            "属于行政执法案卷",
            "属于行政查询事项",
        ),
    ),
    ("无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")),
    (
        "不予处理",
        (
            "信访举报投诉类申请",
            "重复申请",
            "要求提供公开出版物",
            "无正当理由大量反复申请",
            "要求行政机关确认或重新出具已获取信息",
        ),
    ),
    (
        "其他处理",
        (
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "其他",
        ),
    ),
)

OLD_REPLIES: tuple[str, ...] = ("同意公开", "同意部分公开", "不予公开", "其他")


def old_reply(outcome: str | None) -> str | None:
    """The old (until 2018) reply type of a 2021-category outcome; None while unanswered."""
    if not outcome:
        return None
    group = outcome.split("-", 1)[0]
    return {"予以公开": "同意公开", "部分公开": "同意部分公开", "不予公开": "不予公开"}.get(group, "其他")


def is_valid_outcome(outcome: str) -> bool:
    """True when the outcome is a 2021 group without items or a '<group>-<item>' pair."""
    group, _, item = outcome.partition("-")
    for name, items in OUTCOMES_2021:
        if name == group:
            return (not items and not item) or (bool(items) and item in items)
    return False


# What a delivery's recipient is called when the unit's profile names no archive or library of its
# own (org_unit.archive_name / library_name, inherited from the units above it): no office's words.
RECIPIENT_NAMES: dict[str, str] = {"archive": "档案馆", "library": "图书馆"}


def recipient_of(text: str) -> str | None:
    """'archive' or 'library' for any name of an archive or a library (档案馆, 区档案馆, 县图书馆 …),
    or the key itself; None when the text names neither."""
    key = "".join(text.split()).lower()
    if key in RECIPIENT_NAMES:
        return key
    if "档案" in key:
        return "archive"
    if "图书" in key:
        return "library"
    return None


# The unit levels every installation starts with (code, label), in order from the top; they are
# rows of the unit_level table (migration 0013 inserts them), and admins may add an office's own.
# Any level may sit under any other.
UNIT_LEVELS: tuple[tuple[str, str], ...] = (
    ("province", "省"),
    ("city", "市"),
    ("district", "区（县）"),
    ("subdistrict", "街道（乡镇）"),
    ("community", "社区（村）"),
    ("department", "部门"),
)

# The values the schema's CHECK constraints allow (data_access.store.models reads them here).
ATTRIBUTES = ("proactive", "on_request", "withheld")
WITHHELD_REASONS = ("工作秘密", "商业秘密", "个人隐私", "其他")
PUBLICATION_CHANNELS = ("政府门户网站", "政府公报", "公开栏", "两微一端", "其他")
# The registers an office keeps its publications in (an admin may add its own); existing data and
# an upload that names none are 政府网站.
PUBLICATION_REGISTERS = ("政府网站", "政务新媒体", "政府公报", "公开栏", "其他")
DEFAULT_REGISTER = "政府网站"
REQUEST_CHANNELS = ("当面", "网络", "信函", "传真")
APPLICANT_TYPES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
PAUSE_KINDS = ("correction", "third_party")
APPEAL_KINDS = ("reconsideration", "litigation", "complaint")
LITIGATION_PATHS = ("direct", "after_reconsideration")
APPEAL_RESULTS = ("维持", "纠正", "其他结果", "尚未审结")
# Where a complaint (申诉举报) came from; 热线 is the hotline whatever the office calls it.
COMPLAINT_SOURCES = ("热线", "信访", "网络", "来信", "其他")
BOARD_KINDS = ("gate", "community", "led", "other")
BOARD_UPDATE_KINDS = ("年度换新", "季度更新", "即时更新", "修缮")
RECIPIENTS = ("archive", "library")
ROLES = ("leader", "staff", "admin")
RECORD_KINDS = (
    "publications",
    "projects",
    "requests",
    "boards",
    "deliveries",
    "interpretations",
    "hotline",
    "seed",
    "documents",
    "annual-figures",  # table 二 of the 2021 report (import and yearly form)
    "appeals",
    "complaints",
)
BATCH_STATUSES = ("active", "superseded", "undone")
