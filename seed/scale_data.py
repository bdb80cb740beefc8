"""Distributions and names for the city-scale generator (seed/scale.py).

Shares follow the 2018 Qingyang report (categories 35/3/6/13/5/24/22/20/30 of 158;
topics 财政资金 21, 重大建设项目 13, 公共服务 40, 监督检查 38); the rest are plausible
office habits: most items go to the government website, a few are withheld, about one
in ten is published later than 20 working days after it was formed.
"""

from __future__ import annotations

import numpy as np

from data_access.rules.vocab import CATEGORY_NAMES, OUTCOMES_2021

# Level-one categories in catalogue order, with the 2018 counts as weights.
CATEGORY_WEIGHTS = np.array((35, 3, 6, 13, 5, 24, 22, 20, 30), dtype=float)
CATEGORY_P = CATEGORY_WEIGHTS / CATEGORY_WEIGHTS.sum()
PROJECT_CATEGORY = CATEGORY_NAMES.index("重大建设项目")
POLICY_CATEGORY = CATEGORY_NAMES.index("政策、规范性文件类")

# Topics of the items outside 重大建设项目 (those always carry the 重大建设项目 topic):
# shares of the whole ÷ the share outside, so the overall shares match 2018.
_OUTSIDE = 1 - 13 / 158
TOPIC_CODES = ("finance", "public_service", "supervision", "other", None)
TOPIC_P = np.array([21 / 158 / _OUTSIDE, 40 / 158 / _OUTSIDE, 38 / 158 / _OUTSIDE, 0.02, 0.0])
TOPIC_P[-1] = 1 - TOPIC_P[:-1].sum()

CHANNELS = ("政府门户网站", "两微一端", "公开栏", "政府公报")
CHANNEL_P = (0.90, 0.05, 0.04, 0.01)
ATTRIBUTES = ("proactive", "withheld", "on_request")
ATTRIBUTE_P = (0.97, 0.02, 0.01)
WITHHELD_REASONS = ("工作秘密", "商业秘密", "个人隐私", "其他")
LATE_SHARE = 0.10  # published more than 20 working days after being formed
FULL_TEXT_P = 0.98
OFFICIAL_DOCUMENT_P = 0.25

# Relative volume per month: the Spring Festival dip and the year-end rush.
SEASON = np.array((0.95, 0.6, 1.0, 1.0, 1.0, 1.05, 0.95, 0.9, 1.0, 0.9, 1.05, 1.4))
SEASON_P = SEASON / SEASON.sum()

PHRASES = {
    "机构职能类": ("工作动态", "领导班子分工调整情况", "内设机构职责公告", "便民服务事项公告"),
    "政策、规范性文件类": ("规范性文件", "政策文件汇编", "实施意见"),
    "规划计划类": ("工作计划", "工作总结", "财政预算执行情况"),
    "重大建设项目": ("重点项目进展情况", "重大项目完成情况表", "项目审批结果"),
    "为民办实事类": ("为民办实事项目进展", "民生项目公示"),
    "民政扶贫救灾社会保障就业类": ("最低生活保障费发放情况", "危房翻建已批名单", "就业援助信息"),
    "国土资源城乡建设环保能源类": ("城乡建设管理情况", "环境整治工作进展", "征迁安置公告"),
    "科教文体卫生类": ("公共卫生服务信息", "文体活动通知", "教育招生信息"),
    "安全生产、应急管理类": ("安全生产检查情况", "防汛防台工作通知", "消防安全工作方案"),
}

SUBDISTRICT_NAMES = (
    "青阳", "梅岭", "西园", "罗山", "灵源", "新塘", "安海", "磁灶", "陈埭", "池店",
    "内坑", "紫帽", "东石", "永和", "英林", "金井", "深沪", "龙湖", "西滨",
)  # fmt: skip
COMMUNITY_SUFFIXES = ("东", "西", "南")


def subdistrict_name(i: int) -> str:
    """The name of the i-th sub-district (0-based): real town names first, numbered after."""
    if i < len(SUBDISTRICT_NAMES):
        return f"{SUBDISTRICT_NAMES[i]}街道"
    return f"第{i + 1}街道"


# Requests: channel, applicant and outcome shares (every 2021 outcome occurs).
REQUEST_CHANNELS = ("网络", "当面", "信函", "传真")
REQUEST_CHANNEL_P = (0.60, 0.22, 0.15, 0.03)
APPLICANT_TYPES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANT_P = (0.78, 0.10, 0.02, 0.03, 0.05, 0.02)
_GROUP_P = {"予以公开": 0.42, "部分公开": 0.14, "不予公开": 0.10, "无法提供": 0.20, "不予处理": 0.08}
OUTCOMES: tuple[str, ...] = tuple(
    group if not items else f"{group}-{item}" for group, items in OUTCOMES_2021 for item in (items or ("",))
)
OUTCOME_P = np.array(
    [
        _GROUP_P.get(group, 1 - sum(_GROUP_P.values())) / max(len(items), 1)
        for group, items in OUTCOMES_2021
        for _item in (items or ("",))
    ]
)
OUTCOME_P /= OUTCOME_P.sum()
REQUEST_SUMMARIES = (
    "申请公开征迁安置补偿标准", "申请公开某道路拓改工程审批文件", "申请公开本社区低保户名单",
    "申请公开街道年度财政预算", "申请公开某地块规划许可信息", "申请公开危房翻建审批结果",
)  # fmt: skip
APPEAL_KINDS = ("reconsideration", "complaint", "litigation")
APPEAL_KIND_P = (0.60, 0.25, 0.15)
APPEAL_RESULTS = ("维持", "纠正", "其他结果", "尚未审结")
APPEAL_RESULT_P = (0.62, 0.15, 0.10, 0.13)

PROJECT_WORDS = (
    "道路拓改工程", "安置房项目", "污水管网改造", "农贸市场提升", "学校扩建工程", "公园景观提升",
    "老旧小区改造", "体育中心建设", "卫生服务中心", "停车场建设", "河道整治工程", "产业园配套",
)  # fmt: skip


def progress_note(rate: float) -> str:
    """The 主要实施情况 wording for a completion rate."""
    if rate >= 1:
        return "已完成年度计划"
    if rate >= 0.6:
        return "主体施工中"
    if rate >= 0.3:
        return "基础施工中"
    return "前期工作推进中"
