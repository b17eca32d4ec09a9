"""Noise is masked in place; measure sentences survive."""

import pytest

from extractors.noise import find_masks, find_placeholders, load_noise_rules, unmasked_pieces

RULES = load_noise_rules()


@pytest.mark.parametrize(
    "text, kind, noise",
    [
        ("首页\u00a0>\u00a0讲话致辞\u00a0>\u00a0讲话稿\n正文。", "breadcrumb", "首页\u00a0>\u00a0讲话致辞\u00a0>\u00a0讲话稿"),
        ("编辑: 识别码:88-1007706 讲话稿 发布时间: 2024-05-24 16:13:00 来源:网络\n正文。", "site_header", "编辑: 识别码:88-1007706 讲话稿 发布时间: 2024-05-24 16:13:00 来源:网络"),
        ("评价体系。\n此处内容需要权限查看\n会员免费查看(二)充分发挥", "paywall", "此处内容需要权限查看"),
        ("[bookmark: baidusnap1]全面提升政协自身建设的能力水平。", "bookmark", "[bookmark: baidusnap1]"),
        ("建立委员履职档案。本文由公文素材库整理汇总，更多请关注公众号。规范委员履职服务。", "watermark", "本文由公文素材库整理汇总，更多请关注公众号。"),
    ],
)
def test_noise_masks_kind_and_exact_span(text, kind, noise):
    masks = find_masks(text, RULES)
    assert (masks[0].kind, masks[0].text) == (kind, noise)
    assert all(text[m.start : m.end] == m.text for m in masks)


def test_noise_keeps_text_after_paywall_prompt():
    text = "此处内容需要权限查看\n会员免费查看(二)充分发挥人民政协专门协商机构作用。"
    kept = "".join(text[s:e] for s, e in unmasked_pieces(0, len(text), find_masks(text, RULES)))
    assert "(二)充分发挥人民政协专门协商机构作用。" in kept


def test_noise_does_not_mask_platform_measure():
    text = "*区政协依托微信公众号,打造集新闻宣传、委员履职、服务管理于一体的网络平台。"
    assert find_masks(text, RULES) == ()


@pytest.mark.parametrize("text, flagged", [("在202_年全市", "202_年"), ("是x创新发展", "x"), ("成立*个调研小组", "*"), ("XX县政协", "XX"), ("20XX年,县政协", "20XX年")])
def test_noise_flags_placeholders(text, flagged):
    assert flagged in [p.text for p in find_placeholders(text, RULES)]


def test_noise_licence_footer_is_masked_to_the_end():
    text = "为实现全年目标任务不懈奋斗！\n\n本作品是中华人民共和国的\n法律\n、\n法规\n，属于\n公有领域\n。\nPublic domain\n"
    masks = find_masks(text, RULES)
    assert [m.kind for m in masks] == ["licence_footer"]
    assert text[masks[0].start :] == masks[0].text and masks[0].text.startswith("本作品")
