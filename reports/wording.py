"""Chinese wording of the year-end figures, and the drafted summary paragraphs (docs/domain.md §1, §4).

The style follows the reference article (`seed/000_…txt`): each strand is one paragraph
("实施结对共建“三大延伸”：一是……；二是……；三是……。"), figures are rounded down and written
"650多名", "8000多万元", "490多亿元", "1.7万多件", small counts exactly ("112个单位"), rates exactly
("99.98%"). The paragraphs are a draft of the official Chinese publication, so they are plain
Chinese text on purpose, not gettext.

The paragraphs are data: `SUMMARIES` holds, per section, the sentences and in them one
`Figure(code, template, measure)` per catalogue code. A figure that is zero or None is left out
with its own words; a `Group` (words shared by several figures, such as "走访" before an
enumeration) is left out when none of its figures has a value; a sentence without any figure is
dropped. Adding a catalogue code means adding one `Figure` line to its section.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reports.catalogue import ACTIVITIES, CHANNELS, EXTENSIONS, SECTIONS

# Below this a figure is written exactly ("112个单位", "105个机关党委", "68个", "15.5"): the article
# writes its small counts exactly and rounds from a few hundred up. (Its "190多个" and "275个" go
# the other way; the rule keeps one threshold rather than guessing which figures it trusted.)
EXACT_BELOW = 200
PERCENT_UNIT = "%"
DASH = "—"
WAN, YI = 10**4, 10**8
CUT_OFF_WORD = "截至"  # the article's "截止" is the deadline word; "截至" + a date is the standard form
PROVINCE = "全省省直机关"


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _plain(number: Decimal) -> str:
    """The number as written in prose: no separators, no trailing zeros ("16", "16.5")."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _percent(number: Decimal) -> str:
    return f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}{PERCENT_UNIT}"


def _in_words(floor: int, more: bool) -> str:
    """A rounded-down whole number in 万/亿 where that is how the article writes it, with 多."""
    if floor < WAN or (floor < YI and floor % 1000):
        body, big = str(floor), ""  # "650", "8000", "12700"
    elif floor < YI or floor % 10**7:
        body, big = _plain(Decimal(floor) / WAN), "万"  # "1.7万", "4万", "150万", "12300万"
    else:
        body, big = _plain(Decimal(floor) / YI), "亿"  # "490亿", "1.5亿"
    many = "多" if more else ""
    if big and not body.endswith("0"):
        return f"{body}{big}{many}"  # "4万多", "1.7万多", "73万多"
    return f"{body}{many}{big}"  # "650多", "12700多", "8000多万", "490多亿"


def approx_cn(value, unit: str = "") -> str:
    """A figure as the article writes it in prose, followed by `unit` (a measure word, "元" or "%").

    Rules:
    - None → "—"; zero → "0" (then the unit: "0元").
    - unit "%": exactly, with two decimals (half up): Decimal("99.98") → "99.98%", 54.7 → "54.70%".
    - Below `EXACT_BELOW` (200): exactly ("16", "112", "16.5"). Negative numbers too.
    - From 200 up, rounded DOWN (never more than the data) to two significant digits, or three
      when the first digit is 1 (so 1xxxx keeps the article's precision: "12700多", "1260多",
      "18.9万"); "多" follows when something was cut, so a round figure has none ("650",
      "8000万元"): 653 → "650多", 12,713 → "12700多", 38,240 → "3.8万多".
    - Written in 万 from 10,000 when the rounded figure is whole thousands ("1.7万多", "4万多",
      "8000多万元"), otherwise in digits: the article writes "12700多条" but "1.7万多件". From 1亿
      in 亿 when the rounded figure is whole 千万 ("490多亿元"), otherwise in 万 ("12300多万").
    - "多" stands right after a number ending in 0 ("650多", "8000多万元", "490多亿元") and after
      万/亿 otherwise ("4万多", "1.7万多", "73万多元"), as in the article.
    Money uses the same rules (Decimal yuan; cents count as "多" above 200).
    Where the article is less regular than these rules, they give "3100多" for its "3140多",
    "3.8万多" for "38240多", "150多万元" for "150万多元", "270多" for "275", "1220多" for "1224".
    """
    if value is None:
        return DASH
    number = _decimal(value)
    if unit == PERCENT_UNIT:
        return _percent(number)
    if number < EXACT_BELOW:
        return f"{_plain(number)}{unit}"
    whole = int(number)
    digits = str(whole)
    step = 10 ** (len(digits) - (3 if digits[0] == "1" else 2))
    floor = whole // step * step
    return f"{_in_words(floor, number > floor)}{unit}"


# --- the summary paragraphs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One code's words: `template` with "{}" where `approx_cn(value, measure)` goes."""

    code: str
    template: str
    measure: str = ""


@dataclass(frozen=True)
class Group:
    """Words shared by figures: written (parts joined by `sep`) only when one of its figures has a value.

    `whole=True`: written only when all of its figures have one.
    """

    parts: tuple
    sep: str = ""
    whole: bool = False


@dataclass(frozen=True)
class First:
    """The first option that can be written (e.g. "由1224项减少到320项", else each figure alone)."""

    options: tuple


@dataclass(frozen=True)
class Sentence:
    lead: str  # the part's name, as the article opens it ("拓展……向困难乡村延伸")
    parts: tuple  # each part's words start with "，"


@dataclass(frozen=True)
class Section:
    verb: str
    name: str
    sentences: tuple[Sentence, ...]


# Short names: the table below reads as the sentences it writes.
F = Figure


def G(*parts, sep="", whole=False) -> Group:
    return Group(parts, sep, whole)


def listing(lead: str, *figures: Figure) -> Group:
    """`lead`, then the figures that have a value joined by "、" ("，走访企业…家、社区…个")."""
    return G(lead, G(*figures, sep="、"))


def of_which(whole: Figure, part: Figure, alone: str) -> First:
    """ "…，其中…" when both have a value; either one alone otherwise (the part in its own words)."""
    return First((G(whole, part, whole=True), whole, Figure(part.code, alone, part.measure)))


FIVE_CITIES = "亳州、宿州、阜阳、六安、安庆五市"

SUMMARIES: dict[str, Section] = {
    EXTENSIONS: Section(
        "实施",
        "结对共建“三大延伸”",
        (
            Sentence(
                "拓展厅局级领导干部帮扶联系点向困难乡村延伸",
                (
                    G(
                        "，",
                        F("cp.agencies", "{}单位的", "个"),
                        F("cp.officials", "{}", "名"),
                        f"厅局级领导干部在{FIVE_CITIES}建立帮扶联系点",
                        F("cp.points", "{}", "个"),
                    ),
                    F("cp.needy_paired", "，定点结对{}困难群众", "名"),
                    F("cp.needy_consoled", "，慰问困难群众{}", "名"),
                    F("cp.problems_solved", "，为基层和群众解决困难和问题{}", "件"),
                ),
            ),
            Sentence(
                "拓展城乡党组织结对共建向困难乡村延伸",
                (
                    of_which(
                        F("pair.agency_committees", "，{}机关党委开展结对共建", "个"),
                        F("pair.one_plus_two", "，其中{}按“1+2”模式同时结对城市社区和困难乡村党组织", "个"),
                        "，{}机关党委按“1+2”模式同时结对城市社区和困难乡村党组织",
                    ),
                    listing(
                        "，共结对",
                        F("pair.village_orgs", "{}困难乡村党组织", "个"),
                        F("pair.community_orgs", "{}城市社区党组织", "个"),
                    ),
                    F("pair.activities", "，开展共建活动{}", "场次"),
                    F("pair.five_ones_done", "，{}结对全年完成“五个一”活动", "对"),
                    F("pair.projects_planned", "，为共建单位制定发展项目{}", "个"),
                    F("pair.projects_supported", "，提供项目支持{}", "个"),
                    F("pair.industries", "，帮扶特色产业{}", "项"),
                    F("pair.funds", "，提供帮扶资金{}", "元"),
                ),
            ),
            Sentence(
                "拓展机关党员干部走访基层行动向困难乡村延伸",
                (
                    F("visit.person_times", "，处级以上党员干部下基层{}", "人次"),
                    listing(
                        "，走访",
                        F("visit.enterprises", "企业{}", "家"),
                        F("visit.communities", "社区{}", "个"),
                        F("visit.villager_groups", "村民组{}", "个"),
                        F("visit.households", "群众{}", "户"),
                    ),
                    F("visit.forums", "，召开各类座谈会{}", "个"),
                    F("visit.opinions", "，收集意见建议{}", "条"),
                    F("visit.businesses_helped", "，帮扶基层工商户{}", "户"),
                    F("visit.business_problems", "，为工商户解决问题{}", "件"),
                    F("visit.financing", "，为企业融资{}", "元"),
                    F("visit.migrant_cases", "，为农民工维权{}", "件"),
                    F("visit.difficulties", "，帮助群众排忧解难{}", "件"),
                    of_which(
                        F("visit.minimum_due", "，承担年度住村走访任务的党员干部{}", "名"),
                        F("visit.minimum_met", "，其中{}已达到要求", "名"),
                        "，{}党员干部达到年度住村走访要求",
                    ),
                ),
            ),
        ),
    ),
    CHANNELS: Section(
        "开通",
        "效能建设“三大渠道”",
        (
            Sentence(
                "畅通“民情民意”渠道",
                (
                    F(
                        "channel.full_inventory",
                        "，{}单位建齐“一把手”信箱、投诉信箱、意见征求信箱、信息公开平台、网上办事大厅和服务热线",
                        "个",
                    ),
                    F("channel.opinions", "，征求民情民意{}", "条"),
                    listing(
                        "，办理",
                        F("channel.leader_instructions", "省领导批示{}", "件"),
                        F("channel.npc_motions", "省人大代表议案{}", "件"),
                        F("channel.cppcc_proposals", "省政协委员提案{}", "件"),
                        F("channel.requests", "基层和群众诉求{}", "件"),
                    ),
                ),
            ),
            Sentence(
                "疏通“四零服务”渠道",
                (
                    F("zero.window_units", "，{}服务“窗口”单位开展“四零”服务竞赛", "个"),
                    listing(
                        "，设置",
                        F("zero.model_windows", "党员示范窗口{}", "个"),
                        F("zero.model_posts", "党员示范岗{}", "个"),
                    ),
                    G(
                        "，",
                        F("zero.service_trades", "{}服务行业的", "个"),
                        F("zero.pledged_members", "{}", "名"),
                        "党员作出“四零”服务公开承诺",
                    ),
                    F("zero.satisfaction", "，群众对窗口办事满意率达{}", PERCENT_UNIT),
                ),
            ),
            Sentence(
                "贯通“行政审批”渠道",
                (
                    First(
                        (
                            G(
                                "，行政审批事项由",
                                F("approval.items_before", "{}", "项"),
                                "减少到",
                                F("approval.items_after", "{}", "项"),
                                whole=True,
                            ),
                            F("approval.items_before", "，清理前有行政审批事项{}", "项"),
                            F("approval.items_after", "，保留行政审批事项{}", "项"),
                        )
                    ),
                    F("approval.items_cut_rate", "，压缩率{}", PERCENT_UNIT),
                    F("approval.time_cut_rate", "，保留事项办理时限平均压缩{}", PERCENT_UNIT),
                    of_which(
                        F("approval.fees_cancelled", "，清理取消行政事业性收费{}", "项"),
                        F("approval.fees_cancelled_enterprise", "，其中涉企项目{}", "项"),
                        "，清理取消涉企行政事业性收费{}",
                    ),
                    F("approval.burden_reduced", "，减轻企业和群众负担{}", "元"),
                    G(
                        "，",
                        F("approval.convenience_depts", "{}部门的", "个"),
                        F("approval.convenience_items", "{}", "项"),
                        "便民服务项目实行首席代表制",
                    ),
                    listing(
                        "，办理",
                        F("approval.licences", "行政许可事项{}", "件"),
                        F("approval.non_licences", "非行政许可事项{}", "件"),
                    ),
                ),
            ),
        ),
    ),
    ACTIVITIES: Section(
        "组织",
        "为民服务“三大活动”",
        (
            Sentence(
                "组织机关干部开展“四走进”活动",
                (
                    G(
                        "，",
                        F("four_into.officials", "{}", "名"),
                        "机关干部到困难乡村开展为民服务",
                        F("four_into.events", "{}", "次"),
                    ),
                    F("four_into.sites", "，走访企业、农村、学校{}", "家"),
                    G(
                        "，给",
                        F("four_into.families", "{}", "户"),
                        "困难家庭送去慰问金",
                        F("four_into.family_aid", "{}", "元"),
                    ),
                    G(
                        "，为",
                        F("four_into.students", "{}", "名"),
                        "特困大学生发放助学金",
                        F("four_into.student_aid", "{}", "元"),
                    ),
                ),
            ),
            Sentence(
                "组织机关党员开展志愿服务活动",
                (
                    of_which(
                        F("volunteer.teams", "，成立{}党员志愿服务队", "个"),
                        F("volunteer.professional_teams", "，其中{}医疗卫生、农林科技、法律咨询等专业志愿服务队", "支"),
                        "，成立{}医疗卫生、农林科技、法律咨询等专业志愿服务队",
                    ),
                    F("volunteer.person_times", "，开展志愿服务{}", "人次"),
                    F("volunteer.hours", "，服务时长达{}", "小时"),
                ),
            ),
            Sentence(
                "组织省直单位开展“五进”活动",
                (
                    F("five_into.books", "，为基层赠送书籍{}", "册"),
                    F("five_into.book_boxes", "，设立流动书箱{}", "个"),
                    G(
                        "，",
                        F("five_into.culture_units", "{}单位", "家"),
                        "组织“文化科技三下乡”活动",
                        F("five_into.culture_events", "{}", "场次"),
                    ),
                    G("，", F("five_into.medical_units", "{}医疗卫生单位", "家"), "开展“送医送药下乡义诊”活动"),
                    F("five_into.consultations", "，义务为农民诊疗{}", "人次"),
                    G("，", F("five_into.legal_units", "{}司法单位", "家"), "开展“送法进乡村”活动"),
                    F("five_into.legal_points", "，设立法律援助联系点{}", "个"),
                    F("five_into.legal_windows", "，建成法律援助便民服务窗口{}", "个"),
                    G(
                        "，",
                        F("five_into.planning_units", "{}对口帮扶单位", "个"),
                        "为",
                        F("five_into.villages_planned", "{}", "个"),
                        "中心村进行规划",
                    ),
                    F("five_into.projects_secured", "，争取区域发展扶持政策和重大基础设施项目{}", "个"),
                ),
            ),
        ),
    ),
}

ORDINALS = ("一", "二", "三", "四", "五", "六")


def has_value(value) -> bool:
    """A figure worth a sentence: neither None nor zero."""
    return value is not None and value != 0


def _write(part, figures: dict) -> str | None:
    """The words of a part, or None when it has no figure with a value (plain text: itself)."""
    if isinstance(part, str):
        return part
    if isinstance(part, Figure):
        value = figures.get(part.code)
        return part.template.format(approx_cn(value, part.measure)) if has_value(value) else None
    if isinstance(part, First):
        return next((words for words in (_write(o, figures) for o in part.options) if words is not None), None)
    written = [_write(p, figures) for p in part.parts]
    shown = [w for p, w in zip(part.parts, written) if not isinstance(p, str) and w is not None]
    figures_in = [p for p in part.parts if not isinstance(p, str)]
    if not shown or (part.whole and len(shown) < len(figures_in)):
        return None
    return part.sep.join(w for w in written if w is not None)


def figure_codes(part) -> list[str]:
    """Every code a part of `SUMMARIES` writes (a code under `First` is listed once per option)."""
    if isinstance(part, str):
        return []
    if isinstance(part, Figure):
        return [part.code]
    children = part.options if isinstance(part, First) else part.parts
    return [code for child in children for code in figure_codes(child)]


def cut_off_cn(as_of: datetime.date) -> str:
    return f"{CUT_OFF_WORD}{as_of.year}年{as_of.month}月{as_of.day}日，"


def section_summaries(figures: dict, *, as_of: datetime.date, scope_name: str | None = None) -> dict[str, str]:
    """One drafted Chinese paragraph per section of `reports.indicators.SECTIONS`, in its order.

    `figures` is `reports.selectors.year_end_figures()`'s {code: value}. The first paragraph opens
    with the cut-off ("截至2014年7月31日，"); each names the scope (`scope_name`, e.g. an agency's
    name, or "全省省直机关"). Sentences are numbered "一是……；二是……" when there are several. A
    section without any figure says so: "……暂无统计数据。"
    """
    scope = scope_name or PROVINCE
    paragraphs = {}
    for index, key in enumerate(SECTIONS):
        section = SUMMARIES[key]
        opening = (cut_off_cn(as_of) if index == 0 else "") + scope
        sentences = []
        for sentence in section.sentences:
            words = _write(Group(sentence.parts), figures)
            if words is not None:
                sentences.append((sentence.lead, words))
        if not sentences:
            paragraphs[key] = f"{opening}{section.name}暂无统计数据。"
            continue
        numbered = len(sentences) > 1
        body = "；".join(
            f"{ORDINALS[n] + '是' if numbered else ''}{lead}{words}" for n, (lead, words) in enumerate(sentences)
        )
        paragraphs[key] = f"{opening}{section.verb}{section.name}：{body}。"
    return paragraphs
