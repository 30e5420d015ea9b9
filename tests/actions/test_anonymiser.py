"""The anonymiser: what a report must lose, what it must keep, and that it never breaks."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from actions import anonymiser
from actions.anonymiser import PLACEHOLDERS, anonymise, find_identifiers, leak_report
from nlu.text import fold, strip_tone_marks

CASES_FILE = Path(__file__).parents[1] / "data" / "anonymiser_cases.jsonl"


def kinds(text: str) -> list[str]:
    return [ident.kind for ident in find_identifiers(text)]


def still_there(secret: str, out: str) -> bool:
    """The comparison leak_report makes: folded, whitespace ignored, whole words."""
    return anonymiser._present(secret, fold(out))


def assert_gone(text: str, secret: str, placeholder: str) -> str:
    out = anonymise(text)
    assert not still_there(secret, out), out
    assert placeholder in out, out
    return out


# --- phones ------------------------------------------------------------------------------------

@pytest.mark.parametrize("phone", [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "0912 - 345 - 678",
    "+84 912 345 678", "+84912345678", "84912345678", "(+84)912345678", "+84 (0) 912 345 678",
    "+84-912-345-678", "091.234.5678", "0912 34 56 78", "09 12 34 56 78", "0 9 1 2 3 4 5 6 7 8",
    "0225 3845 123", "024 3825 7777", "(024) 3825 7777", "0236.3821.456", "0168 123 4567",
    "không chín một hai ba bốn năm sáu bảy tám", "khong chin mot hai ba bon nam sau bay tam",
])
def test_phone_numbers_in_every_format(phone):
    text = f"sdt của nó là {phone} , nó nhắn em suốt"
    assert_gone(text, phone, "[SĐT]")
    assert "phone" in kinds(text)


def test_phone_glued_to_a_word_and_at_sentence_end():
    assert anonymise("sdt0912345678 nha") == "sdt[SĐT] nha"
    assert anonymise("Gọi cho mẹ: 0977 12 34 56.") == "Gọi cho mẹ: [SĐT]."


def test_emergency_numbers_amounts_ages_and_dates_stay():
    for text in ["Em gọi 111 rồi, cũng gọi 113 và 115", "nó đòi 2.000.000 đồng",
                 "số tiền 15000000 đồng", "em 13 tuổi, học lớp 8", "năm học 2023-2024",
                 "em 2k10, cao 1m70, tối về lúc 9h30"]:
        assert anonymise(text) == text


# --- e-mails, ID numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("email", [
    "hunglongbien99@gmail.com", "ngoc.anh.2011@yahoo.com.vn", "BichNgoc2010@Gmail.com",
    "thay.minh@thcs-lequydon.edu.vn", "linh.nguyen+abc@gmail.com", "dangkhoa_hp @ gmail.com",
])
def test_emails(email):
    assert_gone(f"mail của nó: {email} nhắn cho em", email, "[EMAIL]")


@pytest.mark.parametrize("text, secret", [
    ("CCCD của mẹ em là 031185001234", "031185001234"),
    ("căn cước công dân số 001203012345", "001203012345"),
    ("Số CMND: 031456789 của bố cháu", "031456789"),
    ("mã học sinh của em là 123456 ạ", "123456"),
    ("MSSV 20215678, em học năm nhất", "20215678"),
    ("Mã HS: HS2023-0456", "HS2023-0456"),
    ("stk 0451000123456 vietcombank", "0451000123456"),
    ("Số tài khoản: 1903 5678 9012 34 Techcombank", "1903 5678 9012 34"),
    ("nó đòi em đọc số CCCD 0 3 1 2 0 9 0 0 1 2 3 4", "0 3 1 2 0 9 0 0 1 2 3 4"),
])
def test_id_and_account_numbers(text, secret):
    assert_gone(text, secret, "[SỐ GIẤY TỜ]")


# --- addresses, places, provinces ----------------------------------------------------------------

@pytest.mark.parametrize("text, secrets", [
    ("Nhà em ở số 12 ngõ 34 Lạch Tray, Hải Phòng", ["12", "34", "Lạch Tray"]),
    ("nhà 5 hẻm 10 đường Trần Phú", ["nhà 5", "hẻm 10", "Trần Phú"]),
    ("nha e o so 12 ngo 34 lach tray", ["so 12", "ngo 34", "lach tray"]),
    ("Kiệt 45 Hùng Vương, Huế", ["Kiệt 45", "Hùng Vương"]),
    ("địa chỉ: 25/3 Nguyễn Trãi", ["25/3", "Nguyễn Trãi"]),
    ("nó ở ngõ 123 cuối phố", ["ngõ 123"]),
    ("số nhà em là 27", ["27"]),
    ("tổ 5 phường Quán Toan", ["tổ 5", "Quán Toan"]),
])
def test_house_addresses(text, secrets):
    out = anonymise(text)
    assert "[ĐỊA CHỈ]" in out, out
    for secret in secrets:
        assert not still_there(secret, out), (secret, out)


@pytest.mark.parametrize("text, secrets, province", [
    ("Nhà cháu ở thôn 3 xã An Hưng, huyện An Dương, Hải Phòng", ["thôn 3", "An Hưng", "An Dương"], "Hải Phòng"),
    ("gia đình cháu ở phường Đằng Giang, quận Ngô Quyền, Hải Phòng", ["Đằng Giang", "Ngô Quyền"], "Hải Phòng"),
    ("em ở quận 3 TP HCM", ["quận 3"], "TP HCM"),
    ("nha em o xa vinh quang huyen tien lang, hai phong", ["vinh quang", "tien lang"], "hai phong"),
    ("em sống ở bản Phiêng Luông, huyện Mộc Châu, Sơn La", ["Phiêng Luông", "Mộc Châu"], "Sơn La"),
    ("nha chau o P. Tan Dinh, Q.1, Sai Gon", ["Tan Dinh", "Q.1"], "Sai Gon"),
    ("tôi ở Biên Hòa, Đồng Nai", ["Biên Hòa"], "Đồng Nai"),
    ("Cháu ở xóm Chùa, Nghệ An", ["Chùa"], "Nghệ An"),
])
def test_places_below_the_province_go_and_the_province_stays(text, secrets, province):
    out = anonymise(text)
    assert "[NƠI CHỐN]" in out or "[ĐỊA CHỈ]" in out, out
    assert province in out, out
    for secret in secrets:
        assert not still_there(secret, out), (secret, out)


@pytest.mark.parametrize("province", [
    "Hải Phòng", "Hà Nội", "TP HCM", "TP.HCM", "thành phố Hồ Chí Minh", "Sài Gòn", "Đà Nẵng",
    "Thừa Thiên Huế", "Huế", "Bà Rịa - Vũng Tàu", "Đắk Lắk", "Hòa Bình", "Long An", "Cao Bằng",
    "tỉnh Thanh Hóa", "Quảng Ninh", "Cần Thơ", "ha noi", "hai phong", "Lâm Đồng",
])
def test_provinces_stay(province):
    text = f"em ở {province}, em 12 tuổi"
    assert anonymise(text) == text


def test_every_one_of_the_63_provinces_stays():
    assert len(set(anonymiser.PROVINCES)) == 63
    for province in anonymiser.PROVINCES:
        text = f"Em đang ở {province}."
        assert anonymise(text) == text, province


# --- schools -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, secrets", [
    ("em học trường THCS Lê Lợi", ["Lê Lợi"]),
    ("em học trường tiểu học Đằng Hải", ["Đằng Hải"]),
    ("con tôi học THPT Trần Phú, lớp 10A1", ["Trần Phú", "10A1"]),
    ("e hoc truong cap 2 hong bang", ["hong bang"]),
    ("lớp 7A3 trường THCS Lê Lợi", ["7A3", "Lê Lợi"]),
    ("Bạn cùng lớp 6/3 trường Nguyễn Du", ["6/3", "Nguyễn Du"]),
    ("em hoc thcs le quy don lop 9a2", ["le quy don", "9a2"]),
    ("trường mầm non Hoa Sen", ["Hoa Sen"]),
    ("anh khóa trên trường ĐH Hàng Hải", ["Hàng Hải"]),
    ("Cháu học trường THCS & THPT Nguyễn Tất Thành", ["Nguyễn Tất Thành"]),
])
def test_schools_and_classes(text, secrets):
    out = anonymise(text)
    assert "[TRƯỜNG]" in out, out
    for secret in secrets:
        assert not still_there(secret, out), (secret, out)


def test_a_school_name_stops_before_the_province():
    assert anonymise("Con học trường Chuyên Trần Phú Hải Phòng") == "Con học [TRƯỜNG] Hải Phòng"


def test_school_words_without_a_school_stay():
    for text in ["em bị bắt nạt ở trường, cô hiệu trưởng không tin em",
                 "Chú bảo vệ trường hay gọi em", "em học ở trường làng", "em học lớp 9, cấp 2",
                 "bạn lớp trưởng hay trêu em"]:
        assert anonymise(text) == text


# --- handles and links -------------------------------------------------------------------------

@pytest.mark.parametrize("text, secret", [
    ("nó tên fb là @minhanh_2010", "minhanh_2010"),
    ("facebook.com/tran.thu.ha.92 là nick của chị ấy", "tran.thu.ha.92"),
    ("fb: Hoàng Long Vũ, nó nhắn tin đòi ảnh", "Hoàng Long Vũ"),
    ("tiktok của nó là @bexinh.2k10", "bexinh.2k10"),
    ("ig: ngoc_trinh_hp", "ngoc_trinh_hp"),
    ("zalo tên Tú Còi, nó bảo em gửi ảnh", "Tú Còi"),
    ("nick game của nó là DarkLord99", "DarkLord99"),
    ("discord: shadow#1234 hay gửi ảnh", "shadow#1234"),
    ("tiktok thanhthao_0512 quay lén em", "thanhthao_0512"),
])
def test_social_handles(text, secret):
    assert_gone(text, secret, "[TÀI KHOẢN]")


def test_zalo_number_is_removed_as_a_phone():
    assert anonymise("zalo số 0912 345 678 nhé") == "zalo số [SĐT] nhé"


@pytest.mark.parametrize("link", [
    "https://bit.ly/3xYzAbc", "http://192.168.1.10:8080/chat", "www.nhacuaem.vn",
    "zalo.me/g/abcxyz123", "kiemtienonline.net/dangky", "youtube.com/watch?v=dQw4w9WgXcQ",
    "t.me/nhomkin", "drive.google.com/file/d/1AbCdEfGh/view",
])
def test_links(link):
    assert_gone(f"nó gửi {link}, bảo em bấm vào", link, "[LIÊN KẾT]")


def test_platform_names_and_bare_platform_domains_stay():
    for text in ["có người nhắn tin trên Facebook đòi ảnh", "em vào youtube.com xem",
                 "nó nhắn qua Zalo", "em sợ.Có ai giúp em không"]:
        assert anonymise(text) == text


# --- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, secret", [
    ("Em tên là Nguyễn Văn An, 12 tuổi", "Nguyễn Văn An"),
    ("ten em la nguyen thi mai, em 12 tuoi", "nguyen thi mai"),
    ("em ten la bao ngoc, em so lam", "bao ngoc"),
    ("ten e la Pham Gia Huy", "Pham Gia Huy"),
    ("minh ten thanh tung, minh bi danh", "thanh tung"),
    ("le van tam la ng da lam vay voi em", "le van tam"),
    ("TRAN MINH KHOI bắt nạt em", "TRAN MINH KHOI"),
    ("Ngày nào Bùi Tiến Dũng cũng chặn em", "Bùi Tiến Dũng"),
    ("chú Tuấn hàng xóm hay sang nhà em", "Tuấn"),
    ("bạn Hùng lớp em bị đánh", "Hùng"),
    ("chị Mai Anh lớp trên", "Mai Anh"),
    ("Thầy Phạm Minh Đức dạy toán", "Phạm Minh Đức"),
    ("cô Hằng dạy văn", "Hằng"),
    ("thang Duc lop ben canh", "Duc"),
    ("chu Ba ban ve so", "Ba"),
    ("Dì Tư hay đánh em", "Tư"),
    ("Tui là Quân, anh họ tui hay đánh tui", "Quân"),
    ("ny cũ của em là Đạt", "Đạt"),
    ("cháu tên Lò Văn Pó, ở Điện Biên", "Lò Văn Pó"),
    ("Số tài khoản của chủ tài khoản NGUYEN VAN BINH", "NGUYEN VAN BINH"),
    ("chu tuan hay sang nha em", "tuan"),
])
def test_names_with_and_without_tone_marks(text, secret):
    assert_gone(text, secret, "[TÊN]")


def test_a_name_typed_without_tone_marks_is_the_same_name():
    text = "Em tên là Trần Thị Bích Ngọc, chú Tuấn hàng xóm hay sang nhà em"
    for variant in (text, strip_tone_marks(text)):
        out = anonymise(variant)
        assert out.count("[TÊN]") == 2, out
        assert "hàng xóm" in out or "hang xom" in out


@pytest.mark.parametrize("text", [
    "chú hàng xóm hay sờ vào người em", "bố em say rượu về là đánh mẹ với em",
    "thầy giáo chủ nhiệm hay nhắn tin riêng cho em", "bạn cùng lớp chụp ảnh em",
    "Anh họ em hơn em 5 tuổi", "mẹ kế hay bỏ đói em", "dượng em hay say xỉn",
    "ông nội hay bắt em ngồi lên đùi", "cô Giáo chủ nhiệm", "Chị ơi, Mẹ em hay đánh em",
    "e bi ban trai doa tung anh nong", "co lan em bi no danh o sau truong",
    "em o nha 1 minh tu sang den toi", "Mai em phải đi học rồi, em sợ gặp nó",
    "Bác sĩ ở trạm y tế xã bảo em không sao", "mạng xã hội có người chửi em",
    "em hay chơi Liên Quân với Free Fire", "nó đứng ở đầu ngõ chờ em",
])
def test_relation_words_and_ordinary_sentences_stay(text):
    assert anonymise(text) == text


def test_the_report_keeps_relation_and_province_and_loses_the_rest():
    text = ("Tôi là Lê Thị Hồng, mẹ của cháu Vũ Minh Châu (lớp 9A1, THCS Trần Hưng Đạo, quận Lê Chân, "
            "Hải Phòng). Chú hàng xóm tên Tuấn hay sờ vào người cháu. Số điện thoại: 0901234567.")
    out = anonymise(text)
    for secret in ["Lê Thị Hồng", "Vũ Minh Châu", "9A1", "Trần Hưng Đạo", "Lê Chân", "Tuấn", "0901234567"]:
        assert not still_there(secret, out), (secret, out)
    for kept in ["mẹ của cháu", "Chú hàng xóm", "Hải Phòng"]:
        assert kept in out, out


# --- the shape of the answer ---------------------------------------------------------------------

def test_identifiers_are_sorted_non_overlapping_and_point_into_the_text():
    text = "Em tên Ngọc, nhà ở 45 Lê Lai, sdt 0388 777 666, fb: @ngoc.be, học lớp 7A3 trường THCS Lê Lợi"
    found = find_identifiers(text)
    assert [i.kind for i in found] == ["name", "address", "phone", "handle", "school"]
    for ident in found:
        assert text[ident.start:ident.end] == ident.text
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert set(PLACEHOLDERS) == {"name", "phone", "email", "id_number", "address", "school",
                                 "place", "handle", "link"}


# --- hostile input -----------------------------------------------------------------------------

HOSTILE = {
    "empty": "", "blank": " \t\n ", "emoji": "😭😭 chú Tuấn 😡 0912345678 🙏",
    "control": "em\x00 tên\x07 là\u200b Hùng\x1b 09\u200b12 345 678",
    "rtl": "\u202eem tên Hùng", "lone surrogate": "em \ud800 tên", "combining": "a" + "\u0301" * 500,
    "10k digits": "1" * 10_000, "10k digits and a letter": "1" * 9_999 + "a", "10k dots": "." * 10_000,
    "10k at": "@" * 10_000, "10k link": "http://" + "a" * 9_993, "10k domain": "a." * 4_998 + "com",
    "10k report": ("Em tên là Nguyễn Văn An, sdt 0912345678, nhà ở số 12 ngõ 34 Lạch Tray. " * 140)[:10_000],
    "10k class codes": "lớp 7A3 " * 1_250,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_never_raises(name):
    text = HOSTILE[name]
    out = anonymise(text)
    assert isinstance(out, str)
    for ident in find_identifiers(text):
        assert text[ident.start:ident.end] == ident.text


def test_not_a_string():
    assert anonymise(None) == ""
    assert find_identifiers(None) == []
    assert anonymise(42) == "42"
    assert anonymise(912345678) == "[SỐ GIẤY TỜ]"


def test_text_in_decomposed_unicode_is_anonymised_like_composed_text():
    text = "Em tên là Nguyễn Văn An, ở xã Tân Tiến, Bắc Giang, số 0912 345 678"
    nfd = unicodedata.normalize("NFD", text)
    assert anonymise(nfd) == anonymise(text) == "Em tên là [TÊN], ở [NƠI CHỐN], Bắc Giang, số [SĐT]"
    for ident in find_identifiers(nfd):  # offsets into the text as given
        assert nfd[ident.start:ident.end] == ident.text


def test_control_characters_do_not_hide_a_phone_number():
    assert "0912" not in anonymise("sdt 09\u200b12\u200b345\u200b678")


# --- the NER ------------------------------------------------------------------------------------

def test_importing_the_module_loads_no_model():
    code = "import sys, actions.anonymiser; print('underthesea' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).parents[2], check=True)
    assert result.stdout.strip() == "False"


def test_the_ner_is_loaded_once():
    for text in ["Hùng đánh em", "Em gặp Minh ở cổng", "Nguyễn Văn An"]:
        anonymise(text)
    assert anonymiser._ner_tagger.cache_info().misses == 1


def test_without_the_ner_the_patterns_still_work(monkeypatch):
    monkeypatch.setattr(anonymiser, "_ner_tagger", lambda: None)
    out = anonymise("chú Tuấn hàng xóm, sdt 0912345678, Em tên là Nguyễn Văn An")
    assert out == "chú [TÊN] hàng xóm, sdt [SĐT], Em tên là [TÊN]"


def test_a_failing_tagger_does_not_break_anonymisation(monkeypatch):
    def broken(text):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(anonymiser, "_ner_tagger", lambda: broken)
    assert anonymise("bạn Hùng, 0912345678") == "bạn [TÊN], [SĐT]"


# --- the labelled set ----------------------------------------------------------------------------

def load_cases() -> list[dict]:
    return [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_labelled_set_is_well_formed():
    cases = load_cases()
    assert len(cases) >= 120
    assert len({c["id"] for c in cases}) == len(cases)
    assert sum(1 for c in cases if not c["identifiers"]) >= 20
    for case in cases:
        for ident in case["identifiers"]:
            assert ident["kind"] in PLACEHOLDERS, case["id"]
            assert ident["text"] in case["text"], case["id"]
        for word in case["keep"]:
            assert word in case["text"], case["id"]
    for kind in PLACEHOLDERS:
        assert sum(i["kind"] == kind for c in cases for i in c["identifiers"]) >= 8, kind


def test_leak_report_counts_leaks_and_lost_words():
    report = leak_report([
        {"id": "x1", "text": "chú Tuấn, 0912345678", "identifiers": [
            {"kind": "name", "text": "Tuấn"}, {"kind": "phone", "text": "0912 345 678"}], "keep": ["chú"]},
        {"id": "x2", "text": "an toàn rồi", "identifiers": [{"kind": "name", "text": "toàn rồi"}],
         "keep": ["không có"]},
    ])
    assert report["name"] == {"total": 2, "leaked": 1, "cases": ["x2"]}
    assert report["phone"] == {"total": 1, "leaked": 0, "cases": []}
    assert report["over_redacted"] == {"total": 2, "leaked": 1, "cases": ["x2"]}


def test_the_labelled_set_leaks_nothing_that_matters():
    cases = load_cases()
    report = leak_report(cases)
    for kind in ("phone", "email", "id_number"):
        assert report[kind]["leaked"] == 0, (kind, report[kind])
    for kind in ("name", "place", "school", "address"):
        assert report[kind]["leaked"] <= 0.05 * report[kind]["total"], (kind, report[kind])
    with_keep = sum(1 for c in cases if c["keep"])
    assert len(report["over_redacted"]["cases"]) <= 0.05 * with_keep, report["over_redacted"]
