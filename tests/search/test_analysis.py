"""Thai analysis: normalization, segmentation, word counts, codes, synonyms, sub-words."""

from cop.search import analysis
from cop.text import thai


def toks(text, mode="word"):
    return [t for t, *_ in analysis.analyze(thai.normalize(text), mode)]


def test_normalize_repairs_broken_thai_and_folds_digits():
    assert thai.normalize("สำันักงาน") == "สำนักงาน"
    assert thai.normalize("กระทรวงการต่างประัเทศ") == "กระทรวงการต่างประเทศ"
    assert thai.normalize("ผู้้รับ\u200bบริการ") == "ผู้รับบริการ"
    assert thai.normalize("เเผน ปี ๒๕๕๓") == "แผน ปี 2553"
    assert thai.fold_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert "\u202e" not in thai.normalize("a\u202eb\x00c")


def test_segment_and_word_count():
    words = thai.segment("ผู้รับบริการมีความพึงพอใจ SP5 ปี ๒๕๕๓")
    assert "ผู้รับบริการ" in words and "2553" in words
    assert thai.word_count("การจัดการความรู้ ของ หน่วยงาน, and KM!") == thai.word_count("การจัดการความรู้ของหน่วยงาน and KM")
    assert thai.word_count("  ,,, ... ") == 0
    assert thai.word_count("ผู้รับบริการ พอใจ") == 2


def test_codes_are_one_token_whatever_the_spelling():
    for spelled in ("SP 7", "sp7", "SP-7", "Sp7", "SP๗"):
        assert toks(f"แผน {spelled} ความเสี่ยง").count("sp7") == 1, spelled
    assert "cs1" in toks("CS 1 A จำแนกกลุ่ม") and "a" not in toks("CS 1 A จำแนกกลุ่ม")
    assert [t for t in toks("IT 2,3") if t.startswith("it")] == ["it2", "it3"]
    assert "sp99" not in toks("SP 99")  # unknown codes are plain text


def test_latin_lowercased_and_stemmed_and_synonym_groups():
    assert toks("Services") == ["servic"]
    assert "=opdc" in toks("สำนักงาน ก.พ.ร.") and "=opdc" in toks("OPDC") and "=opdc" in toks("กพร")
    assert "=opdc" not in toks("สำนักงาน ก.พ.")  # the Civil Service Commission is not OPDC
    assert "=km" in toks("KM") and "=km" in toks("การจัดการความรู้", "sub")
    assert "=aar" in toks("After Action Review") and "=aar" in toks("การทบทวนหลังการปฏิบัติงาน", "sub")
    assert "=org" in toks("องค์กร") and "=org" in toks("องค์การ")
    assert "=stakeholder" in toks("ผู้มีส่วนได้ส่วนเสีย", "sub") and "=stakeholder" in toks("ผู้มีส่วนได้เสีย", "sub")


def test_sub_words_cover_words_inside_compounds():
    sub = set(toks("ผู้รับบริการมีส่วนร่วมในการพัฒนาตัวชี้วัด", "sub"))
    for w in ("บริการ", "ผู้รับบริการ", "การมีส่วนร่วม", "ส่วนร่วม", "ตัวชี้วัด", "พัฒนา"):
        assert w in sub, w
    # not across a cluster: ชื่อ is not inside เชื่อถือ
    assert "ชื่อ" not in set(toks("น่าเชื่อถือ", "sub"))


def test_tokenizer_is_a_whoosh_tokenizer_and_pickles():
    import pickle

    tk = analysis.ThaiTokenizer("word")
    assert pickle.loads(pickle.dumps(tk)) == tk
    out = [(t.text, t.pos, t.startchar, t.endchar) for t in tk("ผู้รับบริการ SP 5", positions=True, chars=True)]
    assert out[0] == ("ผู้รับบริการ", 0, 0, 12)
    assert out[-1][0] == "sp5"


def test_normalize_is_idempotent_even_when_a_repair_exposes_another():
    for text in ("ํ๊า", "๚มํืึํ", "สำันักงาน ๒๕๕๓", "ผู้้รับ\u200bบริการ" * 5):
        once = thai.normalize(text)
        assert thai.normalize(once) == once
    assert thai.normalize("ํ๊า") == "ำ"


def test_sub_field_terms_skip_what_the_word_fields_already_hold():
    title, body = "ผู้รับบริการ", "ผู้รับบริการมีความพึงพอใจ การมีส่วนร่วม"
    terms = analysis.index_sub_terms(title + analysis.SUB_SEP + body)
    words = set(toks(title)) | set(toks(body))
    assert not terms & words
    assert {"บริการ", "พึงพอใจ", "ส่วนร่วม"} <= terms  # inside compounds only
    assert "ผู้รับบริการ" not in terms and "ผู้รับบริการ" in words
    # together, word tokens and sub terms cover every sub-word of the text
    assert set(toks(title + " " + body, "sub")) <= terms | words
    tk = analysis.ThaiTokenizer("sub")
    assert sorted(t.text for t in tk(title + analysis.SUB_SEP + body)) == sorted(terms)
