from publication.documents import OPENING, document_from_json, document_to_json, parts_of, public_document
from reports.document import Appendix, Chart, Column, Cover, Paragraph, ReportDocument, Section, Table

DOCUMENT = ReportDocument(
    title="测试局关于2025年度法治政府建设情况的报告",
    addressee="测试市人民政府：",
    opening=(Paragraph("2025年，测试局认真落实各项任务。"),),
    sections=(
        Section(
            "一、主要举措和成效",
            (Paragraph("全年办理行政复议案件71件。"), Chart("图1 案件数", "<svg></svg>")),
            (Section("（一）组织领导", (Paragraph("专题研究4次。"),)),),
        ),
        Section("二、存在的不足和原因", (Paragraph("培训仍需加强。"),)),
    ),
    issuer="测试局",
    date_text="2026年3月1日",
    appendices=(
        Appendix("附件1", "主要指标", (Table("表1", (Column("指标", "40%", is_text=True),), (("案件数",),), "注"),)),
    ),
    cover=Cover("封面标题", "测试局", "2026年3月"),
    document_number="测法〔2026〕1号",
)


def test_a_document_survives_its_json_unchanged():
    assert document_from_json(document_to_json(DOCUMENT)) == DOCUMENT


def test_the_parts_are_the_opening_and_each_first_level_section():
    parts = parts_of(DOCUMENT, {})
    assert [(p.number, p.key) for p in parts] == [(1, OPENING), (2, "主要举措和成效"), (3, "存在的不足和原因")]
    assert parts[1].original == "全年办理行政复议案件71件。\n（一）组织领导\n专题研究4次。"
    assert not any(p.is_redacted for p in parts)


def test_the_public_document_takes_the_reworded_parts_and_keeps_the_charts():
    public = public_document(DOCUMENT, {OPENING: "开头改写。", "主要举措和成效": "全年办理案件若干件。"})
    assert public.opening == (Paragraph("开头改写。"),)
    assert public.sections[0].blocks == (Paragraph("全年办理案件若干件。"), Chart("图1 案件数", "<svg></svg>"))
    assert public.sections[0].subsections == ()
    assert public.sections[1] == DOCUMENT.sections[1]
