"""Facts of the 2018 Qingyang annual report and the office's 2018 spreadsheets, as data.

Numbers here are the report's (counts by category and topic, cumulative total,
deliveries) and the office's October 2018 key-project table; the seed only
spreads them over days and months.
"""

from __future__ import annotations

import datetime as dt
import random

HOTLINE = "0595-85601021"

COMMUNITIES = (("qingyang-xiyuan", "西园社区"), ("qingyang-gaoxia", "高霞社区"))

# The demo's unit profiles (code → (name, profile)): the words its reports, letters and screen print.
# The signatures are the names the product printed before units had profiles, so the 2018 report stays
# as it was; migration 0013 gives a database the demo was loaded into the same profile.
UNIT_PROFILES: dict[str, tuple[str, dict[str, str]]] = {
    "jinjiang": (
        "晋江市",
        {
            "full_name": "晋江市人民政府",
            "archive_name": "市档案馆",
            "library_name": "市图书馆",
            "hotline_name": "市长专线",
            "signature": "晋江市",
        },
    ),
    "qingyang": (
        "青阳街道",
        {
            "full_name": "晋江市人民政府青阳街道办事处",
            "archive_name": "市档案馆",
            "library_name": "市图书馆",
            "hotline_name": "市长专线",
            "signature": "青阳街道",
        },
    ),
}

# Items published each month of 2018 = items delivered to each archive that month.
MONTHLY_2018 = (14, 12, 13, 15, 13, 12, 14, 13, 12, 14, 13, 13)
DELIVERY_DATES_2018 = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2018-02-02",
        "2018-03-02",
        "2018-04-03",
        "2018-05-03",
        "2018-06-04",
        "2018-07-06",
        "2018-08-02",
        "2018-09-04",
        "2018-10-09",
        "2018-11-02",
        "2018-12-04",
        "2019-01-03",
    )
)

# What the 2018 report states as none (data_access.rules.entered.ENTRY_KINDS): 无政策解读工作情况;
# 未发生…行政复议及行政诉讼; 附表 接受行政申诉、举报数 0.
ZERO_REPORTS_2018 = ("interpretations", "appeals", "complaints")

# Earlier years' item counts, adding up with 2018's 158 to the report's cumulative 954.
EARLIER_YEARS = (
    (2008, 30),
    (2009, 40),
    (2010, 50),
    (2011, 60),
    (2012, 70),
    (2013, 80),
    (2014, 90),
    (2015, 110),
    (2016, 125),
    (2017, 141),
)

CATEGORY_ORDER = (
    "机构职能类",
    "政策、规范性文件类",
    "规划计划类",
    "重大建设项目",
    "为民办实事类",
    "民政扶贫救灾社会保障就业类",
    "国土资源城乡建设环保能源类",
    "科教文体卫生类",
    "安全生产、应急管理类",
)
EARLIER_WEIGHTS = (35, 3, 6, 13, 5, 24, 22, 20, 30)

_EARLIER_PHRASES = {
    "机构职能类": ("工作动态", "领导班子分工调整情况", "内设机构职责公告"),
    "政策、规范性文件类": ("规范性文件清理结果", "政策文件汇编"),
    "规划计划类": ("工作计划", "工作总结", "财政预算公开"),
    "重大建设项目": ("重点项目进展情况", "重大项目完成情况表"),
    "为民办实事类": ("为民办实事项目进展", "便民服务事项公告"),
    "民政扶贫救灾社会保障就业类": ("最低生活保障费发放情况", "危房翻建已批名单", "就业援助信息"),
    "国土资源城乡建设环保能源类": ("城乡建设管理情况", "环境整治工作进展", "征迁安置公告"),
    "科教文体卫生类": ("公共卫生服务信息", "文体活动通知", "教育招生信息"),
    "安全生产、应急管理类": ("安全生产检查情况", "防汛防台工作通知", "消防安全工作方案"),
}


def earlier_title(rng: random.Random, year: int, month: int, category: str) -> str:
    """A plausible title for an item of an earlier year."""
    return f"青阳街道{year}年{month}月{rng.choice(_EARLIER_PHRASES[category])}"


_QUARTERS = (("2017年第四季度", 1), ("2018年第一季度", 4), ("2018年第二季度", 7), ("2018年第三季度", 10))
_FINANCE_TABLES = ("预算内外资金收入执行情况公布表", "“三公”经费及会议费开支情况统计表", "机动车辆费用公布表")

_ORG_OTHER = (
    "青阳街道办事处关于调整街道领导班子成员工作分工的通知",
    "青阳街道办事处关于调整政务公开工作领导小组成员的通知",
    "青阳街道办事处机构职能概况",
    "青阳街道党政办职能职责",
    "青阳街道便民服务中心职能及办事指南",
    "青阳街道办事处关于设立政府信息公开AB岗的通知",
    "青阳街道办事处关于印发《青阳街道2018年政务公开工作实施方案》的通知",
    "青阳街道办事处关于印发《青阳街道政府信息公开保密审查制度》的通知",
    "青阳街道政务公开目录及索引编码表",
    "青阳街道政府信息公开工作基本目录",
    "青阳街道办事处领导信息",
    "青阳街道内设机构设置情况",
    "青阳街道社区设置情况",
    "青阳街道办事处关于成立安全生产委员会的通知",
    "青阳街道办事处关于调整综治委成员的通知",
    "青阳街道2017年政府信息公开工作年度报告",
    "青阳街道办事处关于印发《青阳街道扶持现代服务业发展的若干意见（试行）》的通知",
    "青阳街道办事处关于开展2018年征兵宣传工作的通知",
    "青阳街道“最多跑一趟”事项清单",
    "青阳街道办事处关于公布政务服务事项目录的通知",
    "青阳街道办事处关于加强值班值守工作的通知",
    "青阳街道计生服务大厅职能及办事指南",
    "青阳街道办事处关于调整街道机关作息时间的通知",
)
_POLICY = ("青阳街道“三公”经费管理办法", "青阳街道机关公务接待管理规定", "青阳街道财务管理制度")
_PLANS = (
    "青阳街道2018年部门预算",
    "青阳街道2017年部门决算",
    "青阳街道2018年财政预算执行计划",
    "青阳街道2018年政府采购计划",
    "青阳街道2018年上半年财政预算执行情况",
    "青阳街道2019年部门预算编制工作方案",
)
_PROJECTS_EXTRA = ("青阳街道2018年重点项目汇总表", "和平路拓改工程安置房项目建设进展")
_PRACTICAL = (
    "青阳街道2018年为民办实事项目清单",
    "青阳街道2018年为民办实事项目上半年进展",
    "青阳街道2018年为民办实事项目三季度进展",
    "青阳街道老年人助餐点建设进展",
    "青阳街道社区便民服务站建设情况",
)
_CIVIL = (
    "青阳街道办事处关于印发《青阳街道民政领域入户跟踪随访制度》的通知",
    "青阳街道2018年第一季度危房翻建已批名单",
    "青阳街道2018年第二季度危房翻建已批名单",
    "青阳街道2018年第三季度危房翻建已批名单",
    "青阳街道2018年城乡居民医保参保缴费情况",
    "青阳街道2018年临时救助发放情况",
    "青阳街道2018年高龄老人补贴发放名单",
    "青阳街道2018年春节困难群众慰问情况",
    "青阳街道2018年就业援助月活动通知",
    "青阳街道2018年残疾人两项补贴发放情况",
    "青阳街道2018年特困人员供养情况",
    "青阳街道2018年重点优抚对象补助发放情况",
)
_LAND_SUPERVISION = (
    "青阳街道办事处关于印发《青阳街道第二次全国污染源普查工作方案》的通知",
    "青阳街道2018年大气污染防治工作方案",
    "青阳街道2018年河长制工作情况",
    "青阳街道2018年第二季度环境保护检查情况",
    "青阳街道2018年第三季度环境保护检查情况",
    "青阳街道违法建设查处情况通报",
    "青阳街道建筑工地扬尘治理检查情况",
    "青阳街道餐饮油烟整治检查情况",
)
_LAND_OTHER = (
    "青阳街道办事处关于印发《青阳街道“无违建”示范点创建提升工作方案》的通知",
    "青阳街道2018年第一季度村级建设工程委托招投标申请受理汇总表",
    "青阳街道2018年第二季度村级建设工程委托招投标申请受理汇总表",
    "青阳街道2018年第三季度村级建设工程委托招投标申请受理汇总表",
    "青阳街道和平路片区征迁安置公告",
    "青阳街道梅岭片区旧村改造征迁公告",
    "青阳街道2018年城市管理工作要点",
    "青阳街道2018年人居环境整治方案",
    "青阳街道垃圾分类工作实施方案",
    "青阳街道2018年节能减排工作方案",
    "青阳街道2018年水土保持工作方案",
    "青阳街道2018年绿化提升工作方案",
    "青阳街道2018年农村公路养护情况",
    "青阳街道2018年供排水设施建设情况",
)
_HEALTH_SERVICE = (
    "青阳街道办事处关于开展公民无偿献血活动的通知",
    "青阳街道办事处关于印发《青阳街道2018年初中招生工作意见》的通知",
    "青阳街道2018年小学招生工作方案",
    "青阳街道2018年家庭医生签约服务情况",
    "青阳街道2018年免费健康体检通知",
    "青阳街道2018年计划生育奖励扶助名单",
    "青阳街道2018年全民健身活动安排",
    "青阳街道2018年社区文化节活动方案",
    "青阳街道2018年预防接种服务安排",
    "青阳街道2018年学生资助发放情况",
    "青阳街道2018年农家书屋开放安排",
)
# The report lists this one among its 监督检查 examples (公共卫生).
_HEALTH_SUPERVISION = (
    "青阳街道办事处关于印发《青阳街道建设省级慢性非传染性疾病综合防控示范区实施方案》的通知",
)
_HEALTH_OTHER = (
    "青阳街道2018年爱国卫生运动工作方案",
    "青阳街道2018年科普宣传周活动",
    "青阳街道2018年文明城市创建工作方案",
    "青阳街道2018年健康促进工作要点",
    "青阳街道2018年文化遗产日活动",
    "青阳街道2018年教育工作要点",
    "青阳街道2018年体育场地设施建设情况",
    "青阳街道2018年卫生计生工作总结",
)
_SAFETY = (
    "青阳街道办事处关于印发《2018年今冬明春消防安全工作方案》的通知",
    "青阳街道办事处关于进一步开展农村食品安全治理工作的通知",
    "青阳街道办事处关于印发《青阳街道打击非法生产销售纸尿裤等纸质产品加强质量监管专项行动方案》的通知",
    "青阳街道召开2018年第四季度防范重特大生产安全事故暨安委会全体成员会议",
    "青阳街道2018年安全生产工作要点",
    "青阳街道2018年安全生产月活动方案",
    "青阳街道2018年春节前安全生产大检查情况",
    "青阳街道2018年第一季度安全生产检查情况",
    "青阳街道2018年第二季度安全生产检查情况",
    "青阳街道2018年第三季度安全生产检查情况",
    "青阳街道2018年危险化学品专项整治方案",
    "青阳街道2018年道路交通安全整治方案",
    "青阳街道2018年燃气安全检查情况",
    "青阳街道2018年建筑施工安全检查情况",
    "青阳街道2018年人员密集场所消防检查情况",
    "青阳街道2018年特种设备安全检查情况",
    "青阳街道2018年食品药品安全检查情况",
    "青阳街道2018年产品质量抽查情况",
    "青阳街道2018年“三合一”场所整治情况",
    "青阳街道2018年地质灾害防治方案",
    "青阳街道2018年突发事件应急演练情况",
    "青阳街道2018年应急物资储备情况",
    "青阳街道2018年防汛应急演练通知",
    "青阳街道2018年校园周边安全检查情况",
    "青阳街道2018年出租房消防安全整治情况",
    "青阳街道2018年电动自行车消防安全整治方案",
    "青阳街道2018年安全生产责任书签订情况",
    "青阳街道2018年企业安全生产标准化建设情况",
    "青阳街道2018年安全隐患排查治理情况",
)

# An emergency plan rather than a check: the one 安全生产、应急管理类 item outside 监督检查.
_SAFETY_OTHER = ("青阳街道2018年防汛防台风应急预案",)

# Titles that name a period or an event are published when it makes sense: a quarter's or a
# half-year's report after it ends, a campaign's plan before it, the annual report by 31 March.
# (Finance tables, monthly project tables and monthly 低保 lists get theirs in items_2018.)
MONTH_OF_2018 = {
    "青阳街道2018年就业援助月活动通知": 1,
    "青阳街道2018年为民办实事项目清单": 2,
    "青阳街道2018年春节前安全生产大检查情况": 2,
    "青阳街道2018年春节困难群众慰问情况": 2,
    "青阳街道2017年政府信息公开工作年度报告": 3,
    "青阳街道2018年部门预算": 3,
    "青阳街道2018年第一季度危房翻建已批名单": 4,
    "青阳街道2018年第一季度村级建设工程委托招投标申请受理汇总表": 4,
    "青阳街道2018年第一季度安全生产检查情况": 4,
    "青阳街道2018年安全生产月活动方案": 5,
    "青阳街道2018年科普宣传周活动": 5,
    "青阳街道2018年文化遗产日活动": 6,
    "青阳街道办事处关于印发《青阳街道2018年初中招生工作意见》的通知": 6,
    "青阳街道2018年小学招生工作方案": 6,
    "青阳街道2018年为民办实事项目上半年进展": 7,
    "青阳街道2018年上半年财政预算执行情况": 7,
    "青阳街道2018年第二季度危房翻建已批名单": 7,
    "青阳街道2018年第二季度村级建设工程委托招投标申请受理汇总表": 7,
    "青阳街道2018年第二季度环境保护检查情况": 7,
    "青阳街道2018年第二季度安全生产检查情况": 7,
    "青阳街道2018年为民办实事项目三季度进展": 10,
    "青阳街道2018年第三季度危房翻建已批名单": 10,
    "青阳街道2018年第三季度村级建设工程委托招投标申请受理汇总表": 10,
    "青阳街道2018年第三季度环境保护检查情况": 10,
    "青阳街道2018年第三季度安全生产检查情况": 10,
    "青阳街道2019年部门预算编制工作方案": 10,
    "青阳街道召开2018年第四季度防范重特大生产安全事故暨安委会全体成员会议": 11,
    "青阳街道办事处关于印发《2018年今冬明春消防安全工作方案》的通知": 11,
    "青阳街道2018年卫生计生工作总结": 12,
}
# The 安委会 meeting was held on 8 November (the report's 青阳在线 article): reported after it.
FIRST_DAY_2018 = {"青阳街道召开2018年第四季度防范重特大生产安全事故暨安委会全体成员会议": 9}

Item = tuple[str, str | None, str, int | None]  # category, topic, title, fixed month


def _items(
    category: str, topic: str | None, titles: tuple[str, ...] | list[str], month: int | None = None
) -> list[Item]:
    return [(category, topic, t, month or MONTH_OF_2018.get(t)) for t in titles]


def items_2018(rng: random.Random) -> list[Item]:
    """The report's 158 items as (category, topic, title, fixed month or None)."""
    items: list[Item] = []
    for quarter, month in _QUARTERS:
        items += _items(
            "机构职能类", "财政资金", [f"青阳街道{quarter}{table}" for table in _FINANCE_TABLES], month
        )
    items += _items("机构职能类", None, _ORG_OTHER)
    items += _items("政策、规范性文件类", "财政资金", _POLICY)
    items += _items("规划计划类", "财政资金", _PLANS)
    items += [
        ("重大建设项目", "重大建设项目", f"青阳街道2018年{m}月份重大项目完成情况表", m + 1)
        for m in range(1, 12)
    ]
    items += [
        ("重大建设项目", "重大建设项目", _PROJECTS_EXTRA[0], 2),
        ("重大建设项目", "重大建设项目", _PROJECTS_EXTRA[1], 11),
    ]
    items += _items("为民办实事类", "公共服务", _PRACTICAL)
    items += [
        ("民政扶贫救灾社会保障就业类", "公共服务", f"青阳街道2018年{m}月份最低生活保障费", m)
        for m in range(1, 13)
    ]
    items += _items("民政扶贫救灾社会保障就业类", "公共服务", _CIVIL)
    items += _items("国土资源城乡建设环保能源类", "监督检查", _LAND_SUPERVISION)
    items += _items("国土资源城乡建设环保能源类", None, _LAND_OTHER)
    items += _items("科教文体卫生类", "公共服务", _HEALTH_SERVICE)
    items += _items("科教文体卫生类", "监督检查", _HEALTH_SUPERVISION)
    items += _items("科教文体卫生类", None, _HEALTH_OTHER)
    items += _items("安全生产、应急管理类", "监督检查", _SAFETY)
    items += _items("安全生产、应急管理类", None, _SAFETY_OTHER)
    if unknown := set(MONTH_OF_2018) - {title for _c, _t, title, _m in items}:
        raise ValueError(f"MONTH_OF_2018 names titles that are not items: {sorted(unknown)}")
    return items


def place_by_month(items: list[Item], months: list[int]) -> list[tuple[int, tuple[str, str | None, str]]]:
    """Give each item a month: fixed ones keep theirs, the rest fill the remaining slots."""
    free = {m: months.count(m) for m in set(months)}
    placed = []
    for category, topic, title, month in items:
        if month is not None:
            free[month] -= 1
            placed.append((month, (category, topic, title)))
    slots = [m for m in sorted(free) for _ in range(free[m])]
    loose = [(c, t, title) for c, t, title, month in items if month is None]
    if any(n < 0 for n in free.values()) or len(slots) != len(loose):
        raise ValueError("the 2018 items do not fit the monthly counts")
    placed += list(zip(slots, loose, strict=True))
    return placed


# The office's October 2018 table: name, 总投资, 本月完成投资, 1-10月累计, 年度计划, 主要实施情况.
PROJECTS = (
    ("和平路拓改工程安置房项目", 20000, 478, 3285, 4003, "完成征迁80%"),
    ("青阳组团梅岭片区旧村改造", 62000, 2198, 25709, 30152, "主体已验收，正处于内外墙装修阶段"),
    ("世纪大道沿线景观提升工程", 12000, 275, 3181, 3550, "正在进行施工图审查"),
    ("青阳街道社区卫生服务中心改扩建", 20000, 420, 4585, 9768, "正在进行施工图审查"),
    ("阳光路排水管网改造", 62000, 612, 6736, 14465, "完成征迁80%"),
    ("青阳中心小学扩建工程", 8000, 118, 1137, 2225, "管网铺设完成60%"),
    ("双沟村污水截流工程", 35000, 563, 7593, 16486, "已完成招投标，进场施工"),
    ("青阳街道文体活动中心", 62000, 1925, 24691, 29681, "土建施工中"),
    ("高霞社区公园建设", 5000, 229, 1823, 2057, "正在进行施工图审查"),
    ("洋埭片区道路改造", 12000, 120, 1144, 2245, "已完成招投标，进场施工"),
    ("竹树下片区棚户区改造", 12000, 136, 1839, 2003, "已完成招投标，进场施工"),
    ("青华片区安置房二期", 3000, 103, 759, 968, "完成主体结构封顶"),
    ("灵源山路拓宽工程", 113800, 4112, 37764, 36132, "完成主体结构封顶"),
    ("崇德路立面整治", 20000, 213, 2710, 3620, "已完成招投标，进场施工"),
    ("池店溪流域综合治理", 12000, 109, 1161, 3304, "完成主体结构封顶"),
    ("青阳老街历史风貌保护", 12000, 176, 2991, 3289, "正在进行施工图审查"),
    ("街道便民服务中心装修改造", 20000, 791, 7544, 9036, "已完成招投标，进场施工"),
    ("智慧社区网格化平台", 113800, 4424, 38069, 44215, "正在进行施工图审查"),
    ("泉安路人行天桥", 3000, 82, 925, 1013, "完成征迁80%"),
    ("学府路停车场建设", 20000, 473, 6188, 6415, "管网铺设完成60%"),
    ("西园社区养老服务站", 20000, 220, 3038, 4138, "土建施工中"),
    ("青阳街道垃圾转运站改造", 113800, 3380, 30980, 31071, "已完成初步设计"),
    ("霞浦片区供水管网改造", 8000, 357, 3396, 3826, "已竣工验收"),
    ("万达广场周边交通组织优化", 62000, 1698, 13717, 16640, "管网铺设完成60%"),
    ("青阳街道消防站建设", 3000, 33, 235, 724, "主体已验收，正处于内外墙装修阶段"),
)

_SEASON = (0.5, 0.4, 0.9, 1.0, 1.1, 1.1, 1.0, 1.0, 1.1)  # Spring Festival slows Jan–Feb


def monthly_investments(rng: random.Random, m10: int, ytd10: int, plan: int) -> list[int]:
    """Twelve whole-万元 monthly amounts whose October and 1-10 total match the table."""
    before = ytd10 - m10
    weights = [s * rng.uniform(0.7, 1.3) for s in _SEASON]
    raw = [before * w / sum(weights) for w in weights]
    amounts = [int(x) for x in raw]
    # Largest remainder keeps the sum exact.
    for i in sorted(range(9), key=lambda i: raw[i] - amounts[i], reverse=True)[: before - sum(amounts)]:
        amounts[i] += 1
    m11 = round(m10 * rng.uniform(0.8, 1.2))
    on_track = ytd10 / plan >= 10 / 12 - 0.10
    final = plan * rng.uniform(0.98, 1.06) if on_track else ytd10 + m10 * rng.uniform(1.5, 2.5)
    m12 = max(0, round(final - ytd10 - m11))
    return amounts + [m10, m11, m12]


_NOTES = ("前期工作推进中", "按计划推进", "施工图设计中", "土建施工中", "主体施工中", "附属工程施工中")


def progress_note(rng: random.Random, month: int, share: float) -> str:
    """A plausible 主要实施情况 for a month other than October."""
    if share >= 0.999:
        return "已完成年度计划"
    return _NOTES[min(len(_NOTES) - 1, month // 2)] if rng.random() < 0.8 else "按计划推进"


REQUESTS = (
    dict(
        request_no="YSQ-2018-001",
        received_date=dt.date(2018, 7, 16),
        channel="网络",
        applicant_type="自然人",
        applicant_name="陈某",
        applicant_contact="（网上申请）",
        summary="申请公开青阳街道某地块1998年征地补偿协议",
        reply_date=dt.date(2018, 7, 26),
        outcome="无法提供-本机关不掌握相关政府信息",
    ),
)

HOTLINE_DUTIES = (
    (dt.date(2018, 5, 16), "吴靖宇", "重点项目、安置房建设回迁"),
    (dt.date(2018, 10, 17), "吴靖宇", "教育、医疗"),
)

# unit code, name, location, kind
BOARDS = (
    ("qingyang", "机关大院党（政）务公开栏", "机关大院门口墙面", "gate"),
    ("qingyang", "办公楼LED屏", "办公楼一楼大厅", "led"),
    ("qingyang-xiyuan", "西园社区居务公开栏", "西园社区居委会", "community"),
    ("qingyang-gaoxia", "高霞社区居务公开栏", "高霞社区居委会", "community"),
)

BOARD_UPDATES_2018 = tuple(
    (name, dt.date.fromisoformat(day), kind, note)
    for name, day, kind, note in (
        ("机关大院党（政）务公开栏", "2018-01-15", "年度换新", "全部版面换新"),
        ("机关大院党（政）务公开栏", "2018-04-10", "季度更新", "一季度财政收支"),
        ("机关大院党（政）务公开栏", "2018-07-09", "季度更新", "二季度财政收支"),
        ("机关大院党（政）务公开栏", "2018-08-21", "修缮", "台风损毁面板修复"),
        ("机关大院党（政）务公开栏", "2018-10-11", "季度更新", "三季度财政收支"),
        ("办公楼LED屏", "2018-11-08", "即时更新", "安委会会议通知"),
        ("西园社区居务公开栏", "2018-01-20", "年度换新", None),
        ("西园社区居务公开栏", "2018-04-18", "季度更新", None),
        ("高霞社区居务公开栏", "2018-02-02", "年度换新", None),
    )
)
