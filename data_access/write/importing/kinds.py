"""What each record kind's spreadsheet holds: columns, their synonyms and the value vocabularies.

Headers are compared after `normalise.fold` (full-width → half-width, no spaces) with
any bracketed unit such as （万元） removed; a column matches its label, a synonym,
or a regular expression. Templates and their 填表说明 sheet are built from these specs; the
values a cell may hold (vocabularies and their synonyms) are in `synonyms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from data_access.write.importing.normalise import fold

KINDS = ("publications", "projects", "requests", "boards", "deliveries", "documents", "appeals", "complaints")


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet."""

    field: str
    label: str
    required: bool = True
    synonyms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    help: str = ""
    example: object = None

    def matches(self, header: str) -> bool:
        """True when a folded header names this column."""
        if header in {fold(self.label), *(fold(s) for s in self.synonyms)}:
            return True
        return any(re.fullmatch(p, header) for p in self.patterns)


@dataclass(frozen=True)
class KindSpec:
    """A record kind: its Chinese name, columns, key and how its period is chosen."""

    kind: str
    title: str
    columns: tuple[Column, ...]
    key_label: str
    period: str  # "month": 'YYYY-MM' required; "year": 'YYYY' or '' from the rows' own dates

    def column(self, field: str) -> Column:
        """The column spec of a field."""
        return next(c for c in self.columns if c.field == field)


_UNIT_SUFFIX = re.compile(r"\((万元|元|个|份|件|%|万|是/否|yyyy-mm-dd|选填|必填)\)$")


def header_key(text: object) -> str:
    """A header cell as compared with the specs: folded, bracketed units and * removed."""
    return _header_key(fold(text))


@lru_cache(maxsize=4096)
def _header_key(folded: str) -> str:
    key = _UNIT_SUFFIX.sub("", folded)
    return key.replace("*", "").replace("：", "").replace(":", "")


PUBLICATIONS = KindSpec(
    "publications",
    "主动公开信息目录",
    (
        Column(
            "index_no",
            "索引号",
            synonyms=("索引编号", "索引码"),
            help="唯一，如 QY-0601-2018-0147",
            example="QY-0601-2018-0147",
        ),
        Column(
            "title",
            "信息名称",
            synonyms=("名称", "标题", "文件名称", "信息标题"),
            example="2018年11月份最低生活保障费发放情况",
        ),
        Column(
            "category",
            "所属类别",
            synonyms=("类别", "信息类别", "目录类别", "公开类别"),
            help="目录一级类别名称，如 民政扶贫救灾社会保障就业类",
            example="民政扶贫救灾社会保障就业类",
        ),
        Column(
            "doc_no", "文号", False, ("发文字号", "文件编号"), help="公文填写文号，其余留空", example=None
        ),
        Column(
            "formed_date", "形成日期", synonyms=("成文日期", "生成日期", "制作日期"), example="2018-12-03"
        ),
        Column(
            "published_date",
            "公开日期",
            False,
            ("发布日期", "公开时间", "发布时间"),
            help="主动公开的必填",
            example="2018-12-05",
        ),
        Column(
            "channel",
            "公开方式",
            False,
            ("公开渠道", "发布渠道", "公开途径"),
            help="政府门户网站 / 政府公报 / 公开栏 / 两微一端 / 其他；留空为政府门户网站",
            example="政府门户网站",
        ),
        Column("full_text", "全文电子化", False, ("是否全文电子化",), help="是 / 否；留空为是", example="是"),
        Column(
            "attribute",
            "公开属性",
            False,
            ("公开形式",),
            help="主动公开 / 依申请公开 / 不公开；留空时填了不公开理由的为不公开，否则为主动公开",
            example="主动公开",
        ),
        Column(
            "withheld_reason",
            "不公开理由",
            False,
            ("不公开原因", "不予公开理由"),
            help="不公开时必填：工作秘密 / 商业秘密 / 个人隐私 / 其他",
            example=None,
        ),
        Column(
            "topic",
            "重点领域",
            False,
            ("专题", "领域"),
            help="财政资金 / 重大建设项目 / 公共服务 / 监督检查 / 其他，可留空",
            example="公共服务",
        ),
        Column(
            "secrecy_reviewed",
            "保密审查",
            False,
            ("是否保密审查", "已保密审查"),
            help="是 / 否",
            example="是",
        ),
        Column("secrecy_reviewer", "审查人", False, ("保密审查人",), example="党政办"),
        Column("secrecy_review_date", "审查日期", False, ("保密审查日期",), example="2018-12-04"),
    ),
    "索引号",
    "month",
)

PROJECTS = KindSpec(
    "projects",
    "重大项目完成情况表",
    (
        Column("seq", "序号", False, ("编号",), example=1),
        Column("name", "项目名称", synonyms=("项目", "名称"), example="和平路拓改工程安置房项目"),
        Column("total_investment", "总投资", False, ("计划总投资", "项目总投资"), help="万元", example=20000),
        Column(
            "month_named",
            "本年某月完成投资",
            False,
            patterns=(r"\d{4}年\d{1,2}月份?完成投资",),
            help="若有，应与本月完成投资一致",
        ),
        Column(
            "month_invested", "本月完成投资", synonyms=("当月完成投资", "本月投资"), help="万元", example=478
        ),
        Column(
            "ytd_invested",
            "1-N月累计完成投资",
            synonyms=("累计完成投资", "本年累计完成投资"),
            patterns=(r"1[-~至到—–]\d{1,2}月(份)?累计完成投资",),
            help="万元；应等于上月累计加本月",
            example=3285,
        ),
        Column(
            "annual_plan",
            "年度计划完成投资",
            synonyms=("年度计划投资", "年度计划", "本年计划投资"),
            patterns=(r"\d{4}年(度)?计划(完成)?投资",),
            help="万元",
            example=4003,
        ),
        Column(
            "progress",
            "完成进度",
            False,
            ("完成比例", "完成率"),
            help="可填 82.1% ；仅用于核对",
            example="82.1%",
        ),
        Column(
            "plan_ytd",
            "1-N月计划完成投资",
            False,
            patterns=(r"1[-~至到—–]\d{1,2}月(份)?计划完成投资",),
            help="万元，选填",
        ),
        Column(
            "notes",
            "主要实施情况",
            False,
            ("形象进度", "进展情况", "备注", "主要进展"),
            example="完成征迁80%",
        ),
    ),
    "项目名称",
    "month",
)

REQUESTS = KindSpec(
    "requests",
    "依申请公开登记",
    (
        Column(
            "request_no",
            "编号",
            synonyms=("申请编号", "登记编号", "登记号", "受理编号"),
            help="单位内唯一",
            example="YSQ-2019-001",
        ),
        Column(
            "received_date",
            "收到日期",
            synonyms=("受理日期", "申请日期", "收件日期", "接收日期"),
            example="2019-06-03",
        ),
        Column(
            "channel",
            "申请方式",
            synonyms=("申请渠道", "申请途径", "受理方式"),
            help="当面 / 网络 / 信函 / 传真",
            example="网络",
        ),
        Column(
            "applicant_type",
            "申请人类型",
            synonyms=("申请主体", "申请人类别"),
            help="自然人 / 商业企业 / 科研机构 / 社会公益组织 / 法律服务机构 / 其他",
            example="自然人",
        ),
        Column("applicant_name", "申请人", False, ("申请人姓名", "申请人名称"), example="陈某"),
        Column("applicant_contact", "联系方式", False, ("联系电话", "申请人联系方式"), example=None),
        Column(
            "summary",
            "申请内容摘要",
            synonyms=("申请内容", "内容摘要", "申请事项", "摘要"),
            example="申请公开和平路拓改工程安置房分配方案",
        ),
        Column(
            "extension_days",
            "延长工作日数",
            False,
            ("延期天数", "延长答复期限", "延期工作日", "延期工作日数", "延长天数"),
            help="经批准延长答复期限的工作日数，未延期填 0；最多 20 个工作日（2019-05-15 前收到的最多 15 个）。"
            "填了延期批准日期而未填天数的，按法定上限计",
            example=0,
        ),
        Column(
            "extension_approved_on",
            "延期批准日期",
            False,
            ("延期日期", "批准延期日期", "延长期限批准日期"),
            help="经政府信息公开工作机构负责人批准延长答复期限之日；晚于原答复期限批准的，延期不计，按原期限判断是否按时",
        ),
        Column(
            "correction_sent",
            "补正告知日期",
            False,
            ("通知补正日期", "补正通知日期", "告知补正日期", "要求补正日期"),
            help="告知申请人补正之日；多次补正按先后用“；”分隔",
        ),
        Column(
            "correction_received",
            "补正完成日期",
            False,
            ("收到补正日期", "补正后申请收到日期", "补正收到日期"),
            help="收到补正后申请之日，与补正告知日期一一对应；最后一次尚未补正的留空。期限自最后一次补正完成之日重新计算",
        ),
        Column(
            "third_party_from",
            "征求第三方意见开始日期",
            False,
            ("征求第三方意见日期", "征求意见开始日期"),
            help="书面征求第三方意见之日；其间不计入答复期限",
        ),
        Column(
            "third_party_to",
            "征求第三方意见结束日期",
            False,
            ("第三方答复日期", "征求意见结束日期"),
            help="第三方答复或征求意见结束之日；尚未结束的留空",
        ),
        Column(
            "reply_date",
            "答复日期",
            False,
            ("办结日期", "答复时间"),
            help="尚未答复的留空",
            example="2019-06-20",
        ),
        Column(
            "outcome",
            "答复类型",
            False,
            ("办理结果", "答复结果", "处理结果"),
            help="按2021年报表口径，如 予以公开、不予公开-保护第三方合法权益；"
            "一件申请含几部分、各部分答复不同的，按部分依次填写，用“；”分隔，如 予以公开；无法提供-本机关不掌握相关政府信息",
            example="予以公开",
        ),
        Column(
            "main_outcome",
            "主要答复类型",
            False,
            ("主要办理结果", "主要答复结果"),
            help="答复类型有几项时，年报按哪一项统计（须是其中一项）；留空按第一项",
        ),
        Column(
            "appeal_kind",
            "复议诉讼类型",
            False,
            ("救济类型", "行政复议或诉讼", "复议诉讼"),
            help="行政复议 / 行政诉讼 / 申诉举报，没有的留空",
        ),
        Column("appeal_date", "复议诉讼日期", False, ("提起日期", "复议诉讼提起日期")),
        Column(
            "appeal_result",
            "复议诉讼结果",
            False,
            ("审结结果", "复议结果"),
            help="维持 / 纠正 / 其他结果 / 尚未审结",
        ),
        Column("appeal_path", "诉讼途径", False, (), help="行政诉讼时：未经复议直接起诉 / 复议后起诉"),
    ),
    "编号",
    "year",
)

BOARDS = KindSpec(
    "boards",
    "公开栏更新记录",
    (
        Column(
            "board", "公开栏名称", synonyms=("公开栏", "名称", "栏目名称"), example="机关大院党（政）务公开栏"
        ),
        Column("location", "位置", False, ("地点", "设置位置", "所在位置"), example="机关大院门口墙面"),
        Column("update_date", "更新日期", synonyms=("日期", "更新时间"), example="2018-04-10"),
        Column(
            "kind",
            "更新类型",
            synonyms=("类型", "更新方式"),
            help="年度换新 / 季度更新 / 即时更新 / 修缮",
            example="季度更新",
        ),
        Column("note", "说明", False, ("备注", "更新内容", "内容"), example="一季度财政收支"),
    ),
    "公开栏名称、更新日期、更新类型",
    "year",
)

DELIVERIES = KindSpec(
    "deliveries",
    "送交两馆记录",
    (
        Column(
            "period_ym",
            "所属月份",
            synonyms=("月份", "资料月份", "送交月份"),
            help="如 2018年1月",
            example="2018年1月",
        ),
        Column(
            "recipient",
            "接收单位",
            synonyms=("送交单位", "接收方", "送交对象"),
            help="档案馆或图书馆，写本单位送交的名称即可，如 区档案馆",
            example="档案馆",
        ),
        Column("delivered_date", "送交日期", False, ("送达日期", "报送日期"), example="2018-02-02"),
        Column("item_count", "份数", synonyms=("数量", "件数", "送交份数"), example=14),
    ),
    "所属月份、接收单位",
    "year",
)

# 公文: the documents a unit made in a year, each with its disclosure attribute (公文类信息主动公开率).
DOCUMENTS = KindSpec(
    "documents",
    "公文制发及公开属性登记",
    (
        Column(
            "doc_no",
            "文号",
            synonyms=("发文字号", "文件编号", "发文文号"),
            help="本年内唯一，如 某政〔2021〕5号",
            example="某政〔2021〕5号",
        ),
        Column(
            "title",
            "标题",
            synonyms=("公文标题", "文件标题", "文件名称", "名称"),
            example="关于做好2021年度防汛工作的通知",
        ),
        Column(
            "formed_date", "成文日期", synonyms=("发文日期", "印发日期", "形成日期"), example="2021-03-05"
        ),
        Column(
            "attribute",
            "公开属性",
            synonyms=("公开形式", "公开方式"),
            help="主动公开 / 依申请公开 / 不予公开",
            example="主动公开",
        ),
        Column(
            "withheld_reason",
            "不公开理由",
            False,
            ("不公开原因", "不予公开理由"),
            help="不予公开的必填：工作秘密 / 商业秘密 / 个人隐私 / 其他",
            example=None,
        ),
        Column(
            "index_no",
            "索引号",
            False,
            ("索引编号", "信息索引号"),
            help="已在主动公开信息目录中公开的，填写其索引号，可留空",
            example=None,
        ),
    ),
    "文号",
    "year",
)

# Appeals and complaints in bulk (yearly sheets, stored as appeal rows; issue 16 item 5).
APPEALS = KindSpec(
    "appeals",
    "行政复议、行政诉讼登记",
    (
        Column(
            "kind",
            "类型",
            synonyms=("复议诉讼类型", "案件类型", "复议或诉讼"),
            help="行政复议 / 行政诉讼",
            example="行政复议",
        ),
        Column(
            "filed_date",
            "收到（提起）日期",
            synonyms=("收到日期", "提起日期", "收到(提起)日期", "立案日期", "受理日期"),
            example="2025-03-12",
        ),
        Column(
            "request_no",
            "涉及的申请编号",
            False,
            ("申请编号", "涉及申请编号", "关联申请编号"),
            help="所涉依申请公开的编号（须已登记），没有的留空",
        ),
        Column(
            "litigation_path",
            "诉讼途径",
            False,
            ("起诉途径", "是否经复议"),
            help="行政诉讼必填：未经复议直接起诉 / 复议后起诉；行政复议留空",
        ),
        Column(
            "result",
            "结果",
            synonyms=("审结结果", "复议诉讼结果", "办理结果"),
            help="维持 / 纠正 / 其他结果 / 尚未审结",
            example="维持",
        ),
        Column(
            "closed_date",
            "审结日期",
            False,
            ("结案日期", "办结日期"),
            help="尚未审结的留空",
            example="2025-05-08",
        ),
        Column("summary", "案由", False, ("事由", "摘要", "备注"), example="不服政府信息公开答复"),
    ),
    "类型、收到（提起）日期",
    "year",
)

COMPLAINTS = KindSpec(
    "complaints",
    "申诉举报登记",
    (
        Column(
            "filed_date",
            "收到日期",
            synonyms=("受理日期", "接收日期", "日期", "收件日期"),
            example="2025-02-17",
        ),
        Column(
            "source",
            "来源",
            synonyms=("来源渠道", "渠道", "反映渠道", "信息来源"),
            help="热线（市长热线、12345 或本单位的热线名称均可）/ 信访 / 网络 / 来信 / 其他",
            example="12345",
        ),
        Column(
            "summary",
            "事项",
            synonyms=("反映事项", "内容", "诉求内容", "主要内容", "申诉举报事项"),
            example="反映信息公开栏内容未及时更新",
        ),
        Column(
            "handling",
            "处理结果",
            False,
            ("办理结果", "处理情况", "办理情况", "答复情况"),
            example="已更新并电话回复",
        ),
    ),
    "收到日期、来源、事项",
    "year",
)

SPECS: dict[str, KindSpec] = {
    s.kind: s for s in (PUBLICATIONS, PROJECTS, REQUESTS, BOARDS, DELIVERIES, DOCUMENTS, APPEALS, COMPLAINTS)
}

# --- annual-figures: table 二 of the 2021 report, one row per item, per unit and year -----------
ANNUAL_FIGURES = KindSpec(
    "annual-figures",
    "年度报告表二（主动公开政府信息情况）",
    (
        Column(
            "item",
            "信息内容",
            synonyms=("事项", "项目", "类别", "内容"),
            help="规章 / 行政规范性文件 / 行政许可 / 行政处罚 / 行政强制 / 行政事业性收费；每项一行，未录入的事项不写",
            example="行政规范性文件",
        ),
        Column(
            "issued",
            "本年制发件数",
            False,
            ("本年制发", "制发件数"),
            help="规章、行政规范性文件填写",
            example=3,
        ),
        Column(
            "abolished",
            "本年废止件数",
            False,
            ("本年废止", "废止件数"),
            help="规章、行政规范性文件填写",
            example=1,
        ),
        Column(
            "in_force",
            "现行有效件数",
            False,
            ("现行有效", "有效件数"),
            help="规章、行政规范性文件填写",
            example=12,
        ),
        Column(
            "decisions",
            "本年处理决定数量",
            False,
            ("处理决定数量", "本年处理决定数", "处理决定数"),
            help="行政许可、行政处罚、行政强制填写",
        ),
        Column(
            "fees", "本年收费金额", False, ("收费金额",), help="行政事业性收费填写，单位万元，最多两位小数"
        ),
        Column(
            "not_applicable",
            "不适用",
            False,
            ("是否不适用",),
            help="本单位没有该类事项的填“是”，数字各格留空（也可在数字格中直接写“不适用”）",
        ),
    ),
    "信息内容",
    "year",
)
KINDS = (*KINDS, "annual-figures")
SPECS["annual-figures"] = ANNUAL_FIGURES
