"""Chinese wording of year-end figures and the drafted summary paragraphs (reports/wording.py)."""

import datetime
import re
from decimal import Decimal

import pytest

from reports.indicators import BY_CODE, CATALOGUE, PERCENT, SECTIONS, empty_figures
from reports.wording import SUMMARIES, approx_cn, figure_codes, section_summaries

AS_OF = datetime.date(2014, 7, 31)
CUT_OFF = "截至2014年7月31日，"
ZERO = re.compile(r"(?<![\d.])0(?![\d.])")  # a figure written as "0"

# The article's reference figures (docs/domain.md §4): "N+" becomes a little over N, exact figures stay, "—" stays empty,
# "all" (every agency has every channel) becomes the ~128 agencies.
REFERENCE = {
    "cp.agencies": 112,
    "cp.officials": 653,
    "cp.points": 824,
    "cp.needy_paired": 726,
    "cp.needy_consoled": 7812,
    "cp.problems_solved": 6631,
    "pair.agency_committees": 105,
    "pair.village_orgs": 275,
    "pair.activities": 613,
    "pair.projects_planned": 322,
    "pair.projects_supported": 400,
    "pair.industries": 705,
    "pair.funds": Decimal("80123456.00"),
    "visit.person_times": 6412,
    "visit.enterprises": 714,
    "visit.communities": 403,
    "visit.villager_groups": 1105,
    "visit.households": 38247,
    "visit.forums": 694,
    "visit.opinions": 12713,
    "visit.businesses_helped": 40210,
    "visit.business_problems": 17020,
    "visit.financing": Decimal("49012345678.00"),
    "visit.migrant_cases": 25030,
    "visit.difficulties": 20040,
    "channel.opinions": 12216,
    "channel.leader_instructions": 3145,
    "channel.npc_motions": 793,
    "channel.cppcc_proposals": 912,
    "channel.requests": 7448,
    "channel.full_inventory": 128,
    "zero.window_units": 68,
    "zero.model_windows": 3012,
    "zero.model_posts": 20300,
    "zero.service_trades": 103,
    "zero.pledged_members": 40500,
    "zero.satisfaction": Decimal("99.98"),
    "approval.items_before": 1224,
    "approval.items_after": 320,
    "approval.time_cut_rate": Decimal("51.20"),
    "approval.fees_cancelled": 31,
    "approval.fees_cancelled_enterprise": 5,
    "approval.burden_reduced": Decimal("33045000.00"),
    "approval.convenience_depts": 39,
    "approval.convenience_items": 146,
    "approval.licences": 189000,
    "approval.non_licences": 80400,
    "four_into.officials": 10230,
    "four_into.events": 304,
    "four_into.sites": 1263,
    "four_into.families": 3108,
    "four_into.family_aid": Decimal("1500321.00"),
    "four_into.students": 240,
    "four_into.student_aid": Decimal("730250.00"),
    "volunteer.teams": 200,
    "volunteer.professional_teams": 15,
    "volunteer.person_times": 40120,
    "five_into.books": 20100,
    "five_into.book_boxes": 193,
    "five_into.culture_units": 42,
    "five_into.culture_events": 16,
    "five_into.medical_units": 12,
    "five_into.consultations": 5030,
    "five_into.legal_units": 6,
    "five_into.legal_points": 16904,
    "five_into.legal_windows": 100,
    "five_into.planning_units": 56,
    "five_into.villages_planned": 100,
    "five_into.projects_secured": 78,
}
SAMPLE = {  # a value for every code, for the codes the article leaves out too
    "pair.community_orgs": 98,
    "pair.one_plus_two": 87,
    "pair.five_ones_done": 76,
    "visit.minimum_met": 543,
    "visit.minimum_due": 612,
    "approval.items_cut_rate": Decimal("73.86"),
    "volunteer.hours": Decimal("2345.5"),
}


def reference_figures():
    figures = empty_figures()
    figures.update(REFERENCE)
    return figures


def only(code, value=None):
    figures = empty_figures()
    figures[code] = value if value is not None else {**REFERENCE, **SAMPLE}[code]
    return figures


def measure_of(code):
    return "%" if BY_CODE[code].kind == PERCENT else ""


@pytest.mark.parametrize(
    "value, unit, words",
    [
        (653, "", "650多"),
        (Decimal("80123456.00"), "元", "8000多万元"),
        (16, "", "16"),
        (112, "", "112"),
        (68, "个", "68个"),
        (199, "个", "199个"),  # below 200: exact
        (Decimal("150.5"), "小时", "150.5小时"),
        (200, "", "200"),
        (201, "", "200多"),
        (275, "个", "270多个"),
        (12713, "条", "12700多条"),  # leading 1 keeps three digits, in digits as the article ("12700多条")
        (17020, "件", "1.7万多件"),  # whole thousands go in 万 ("1.7万多件")
        (40500, "名", "4万多名"),
        (38247, "户", "3.8万多户"),
        (10050, "名", "1万多名"),
        (189000, "件", "18.9万件"),  # the article's "18.9万件"
        (Decimal("49012345678.00"), "元", "490多亿元"),
        (Decimal("730250.00"), "元", "73万多元"),
        (Decimal("1500321.00"), "元", "150多万元"),
        (Decimal("33045000.00"), "元", "3300多万元"),
        (123456789, "", "12300多万"),  # not whole 千万: stays in 万
        (150000000, "", "1.5亿"),
        (650, "", "650"),  # round figures are not "多"
        (80000000, "元", "8000万元"),
        (Decimal("80000000.00"), "元", "8000万元"),
        (Decimal("80000000.01"), "元", "8000多万元"),  # a cent is more
        (Decimal("200.5"), "小时", "200多小时"),
        (Decimal("16.50"), "元", "16.5元"),
        (0, "", "0"),
        (Decimal("0.00"), "元", "0元"),
        (None, "", "—"),
        (None, "元", "—"),
    ],
)
def test_approx_cn_rounds_like_the_article(value, unit, words):
    assert approx_cn(value, unit) == words


@pytest.mark.parametrize(
    "value, words",
    [
        (Decimal("99.98"), "99.98%"),
        (Decimal("54.7"), "54.70%"),
        (Decimal("51.205"), "51.21%"),
        (Decimal("100.00"), "100.00%"),
        (Decimal("0.00"), "0.00%"),
        (None, "—"),
    ],
)
def test_percentages_are_exact_with_two_decimals(value, words):
    assert approx_cn(value, "%") == words


def _read_back(words: str) -> tuple[Decimal, bool]:
    """The number a rounded wording states, and whether it says 多."""
    more = "多" in words
    number = words.replace("多", "")
    scale = 1
    for big, size in (("亿", 10**8), ("万", 10**4)):
        if number.endswith(big):
            number, scale = number[: -len(big)], size
    return Decimal(number) * scale, more


def test_approx_cn_never_claims_more_than_the_data_and_stays_within_five_percent():
    values = [
        *range(0, 3000),
        *range(9990, 10020),
        *range(99990, 100010),
        12713,
        19999,
        99999,
        999999,
        1999999,
        99999999,
        100000000,
        109999999,
        1999999999,
        10**12 + 1,
    ]
    for value in values:
        stated, more = _read_back(approx_cn(value))
        assert stated <= value, value
        assert more == (stated < value), value
        assert value - stated < Decimal("0.05") * value or value == 0, value


def test_summary_tables_cover_every_catalogue_code_in_its_own_section():
    assert list(SUMMARIES) == list(SECTIONS)
    sentence_of = {}
    for section, table in SUMMARIES.items():
        for sentence in table.sentences:
            for code in {code for part in sentence.parts for code in figure_codes(part)}:
                assert code not in sentence_of, code  # one sentence per code (options inside it may repeat it)
                sentence_of[code] = (section, sentence.lead)
    assert sorted(sentence_of) == sorted(i.code for i in CATALOGUE)
    assert all(sentence_of[i.code][0] == i.section for i in CATALOGUE)


def test_reference_figures_read_like_the_article():
    paragraphs = section_summaries(reference_figures(), as_of=AS_OF)
    assert list(paragraphs) == list(SECTIONS)
    extensions, channels, activities = paragraphs.values()
    assert extensions.startswith(CUT_OFF + "全省省直机关实施结对共建“三大延伸”：一是")
    for phrase in (
        "112个单位的650多名厅局级领导干部",
        "建立帮扶联系点820多个",
        "105个机关党委",
        "8000多万元",
        "下基层6400多人次",
        "走访企业710多家、社区400多个、村民组1100多个、群众3.8万多户",
        "收集意见建议12700多条",
        "为工商户解决问题1.7万多件",
        "为企业融资490多亿元",
        "；三是",
    ):
        assert phrase in extensions, phrase
    assert channels.startswith("全省省直机关开通效能建设“三大渠道”：一是畅通“民情民意”渠道，128个单位")
    for phrase in (
        "办理省领导批示3100多件、省人大代表议案790多件、省政协委员提案910多件、基层和群众诉求7400多件",
        "68个服务“窗口”单位",
        "103个服务行业的4万多名党员作出“四零”服务公开承诺",
        "满意率达99.98%",
        "行政审批事项由1220多项减少到320项",
        "平均压缩51.20%",
        "其中涉企项目5项",
        "3300多万元",
        "39个部门的146项便民服务项目",
        "办理行政许可事项18.9万件、非行政许可事项8万多件",
    ):
        assert phrase in channels, phrase
    assert activities.startswith("全省省直机关组织为民服务“三大活动”：一是组织机关干部开展“四走进”活动，")
    for phrase in (
        "10200多名机关干部到困难乡村开展为民服务300多次",
        "给3100多户困难家庭送去慰问金150多万元",
        "为240名特困大学生发放助学金73万多元",
        "成立200个党员志愿服务队",
        "其中15支",
        "4万多人次",
        "设立流动书箱193个",
        "42家单位组织“文化科技三下乡”活动16场次",
        "设立法律援助联系点16900多个",
        "56个对口帮扶单位为100个中心村进行规划",
    ):
        assert phrase in activities, phrase
    assert all(text.endswith("。") for text in paragraphs.values())
    assert CUT_OFF not in channels + activities  # the cut-off opens the first paragraph only


def test_empty_figures_of_the_reference_stay_out_of_the_prose():
    """The codes the article does not report ("—") are zero or None here: no words, no "0", no "—"."""
    text = "".join(section_summaries(reference_figures(), as_of=AS_OF).values())
    for phrase in ("城市社区党组织", "“1+2”", "“五个一”", "年度住村走访", "压缩率", "服务时长", "—"):
        assert phrase not in text, phrase
    assert not ZERO.search(text)


@pytest.mark.parametrize("figures", [{**REFERENCE, **SAMPLE}, REFERENCE], ids=["every code", "reference"])
def test_every_code_with_a_value_is_written_in_its_sections_paragraph(figures):
    all_figures = {**empty_figures(), **figures}
    paragraphs = section_summaries(all_figures, as_of=AS_OF)
    for indicator in CATALOGUE:
        value = all_figures[indicator.code]
        if value:
            assert approx_cn(value, measure_of(indicator.code)) in paragraphs[indicator.section], indicator.code


@pytest.mark.parametrize("code", [i.code for i in CATALOGUE])
def test_a_figure_alone_makes_one_clean_sentence(code):
    section = BY_CODE[code].section
    paragraphs = section_summaries(only(code), as_of=AS_OF)
    text = paragraphs[section]
    assert approx_cn(only(code)[code], measure_of(code)) in text
    assert "一是" not in text and "暂无统计数据" not in text  # one sentence: not numbered
    assert re.search(r"：[^，；。]+，[^，；。]", text), text  # "：<lead>，<figure words>"
    for bad in ("，，", "，；", "，。", "的，", "、，", "、。", "—", "，其中"):  # no "of which" without its whole
        assert bad not in text, (bad, text)
    for other, paragraph in paragraphs.items():
        if other != section:
            assert paragraph.endswith("暂无统计数据。")


def test_all_zero_figures_give_no_figure_sentences_and_no_digits():
    paragraphs = section_summaries(empty_figures(), as_of=AS_OF)
    assert paragraphs == {
        "extensions": CUT_OFF + "全省省直机关结对共建“三大延伸”暂无统计数据。",
        "channels": "全省省直机关效能建设“三大渠道”暂无统计数据。",
        "activities": "全省省直机关为民服务“三大活动”暂无统计数据。",
    }
    assert not re.search(r"\d", "".join(paragraphs.values()).replace(CUT_OFF, ""))


def test_zero_money_and_missing_rates_are_left_out_of_their_sentence():
    figures = reference_figures()
    figures.update({"pair.funds": Decimal("0.00"), "zero.satisfaction": None, "approval.time_cut_rate": None})
    paragraphs = section_summaries(figures, as_of=AS_OF)
    assert "帮扶资金" not in paragraphs["extensions"] and "帮扶特色产业700多项；三是" in paragraphs["extensions"]
    assert "满意率" not in paragraphs["channels"] and "时限" not in paragraphs["channels"]


def test_a_sentence_whose_figures_are_all_zero_is_dropped_and_the_rest_renumbered():
    figures = reference_figures()
    for code in (code for part in SUMMARIES["extensions"].sentences[1].parts for code in figure_codes(part)):
        figures[code] = empty_figures()[code]
    text = section_summaries(figures, as_of=AS_OF)["extensions"]
    assert "结对共建向困难乡村延伸" not in text
    assert "；二是拓展机关党员干部走访基层行动向困难乡村延伸，" in text and "三是" not in text


def test_approval_items_read_before_and_after_together_or_alone():
    after_only = section_summaries(only("approval.items_after"), as_of=AS_OF)["channels"]
    assert "，保留行政审批事项320项。" in after_only and "由" not in after_only
    before_only = section_summaries(only("approval.items_before"), as_of=AS_OF)["channels"]
    assert "，清理前有行政审批事项1220多项。" in before_only and "减少到" not in before_only


def test_shared_words_follow_whichever_figures_have_values():
    figures = empty_figures()
    figures.update({"visit.households": 38247, "four_into.family_aid": Decimal("1500321.00")})
    paragraphs = section_summaries(figures, as_of=AS_OF)
    assert "延伸，走访群众3.8万多户。" in paragraphs["extensions"]
    assert "活动，给困难家庭送去慰问金150多万元。" in paragraphs["activities"]


def test_scope_name_replaces_the_province_and_the_cut_off_follows_as_of():
    paragraphs = section_summaries(reference_figures(), as_of=datetime.date(2014, 12, 31), scope_name="省教育厅")
    assert paragraphs["extensions"].startswith("截至2014年12月31日，省教育厅实施结对共建“三大延伸”：")
    assert paragraphs["channels"].startswith("省教育厅开通效能建设“三大渠道”：")
    assert paragraphs["activities"].startswith("省教育厅组织为民服务“三大活动”：")
    assert "全省" not in "".join(paragraphs.values())
