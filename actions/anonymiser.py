"""Removes what could identify a child from free text before it is stored or sent on.

A report keeps what happened, the relation ("chú hàng xóm", "thầy giáo") and the province; it
loses names, phone numbers, e-mails, ID and account numbers, house addresses, schools and
classes, places below the province, social accounts and links.

Children write with tone marks or without, in teencode, in capitals or none. Every pattern
therefore runs on a folded copy of the text (lowercase, no diacritics, one character per
character of the text) and looks back at the original only for capitals and tone marks.
underthesea's NER adds names the patterns miss; it is loaded lazily, once, and the anonymiser
still works without it. Where a rule is unsure it removes: a leaked name costs more than a
lost word.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from nlu.text import clean, fold, has_diacritics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identifier:
    kind: str
    start: int
    end: int
    text: str


PLACEHOLDERS = {
    "name": "[TÊN]",
    "phone": "[SĐT]",
    "email": "[EMAIL]",
    "id_number": "[SỐ GIẤY TỜ]",
    "address": "[ĐỊA CHỈ]",
    "school": "[TRƯỜNG]",
    "place": "[NƠI CHỐN]",
    "handle": "[TÀI KHOẢN]",
    "link": "[LIÊN KẾT]",
}

# When spans overlap they are merged and the merged span takes the first kind in this order.
_PRIORITY = ["email", "link", "handle", "phone", "id_number", "school", "address", "place", "name",
             "place?"]
# "place?" is a capitalised name found only in the list of communes ("Võ Thị Sáu" is a ward and a
# person): a name rule that also fires wins; alone it is reported as a place.

# ---------------------------------------------------------------------------------------------
# Word lists (folded). Provinces stay in a report; everything below them goes.

# The 63 provinces and centrally governed cities (before the 2025 merger; the 34 of today are
# all among them).
PROVINCES = (
    "An Giang", "Bà Rịa Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang",
    "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
# Other names people use for a province.
_PROVINCE_ALIASES = ("Huế", "Sài Gòn", "Vũng Tàu", "Bà Rịa", "Đắc Lắc", "Daklak", "Đắc Nông",
                     "Bắc Cạn", "TPHCM", "HCM", "HN", "SG", "BRVT")

# Family names; the short ones are ordinary words too, so they only count in capitals.
_FAMILY = set(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong lam mai "
    "cao trinh doan luong luu ta la chu thai quach kieu ha tong trieu lo mac vuong phung khuc "
    "nong lai chau giang thach quan tang au dao to tieu lac hua bach diep ong khong nghiem "
    "thieu van lu kim sam".split()
)
# Family names that are no everyday word: trusted in lowercase ("nguyen thi mai", "tran minh khoi").
_FAMILY_LOWER = set(
    "nguyen tran le pham hoang huynh phan vu vo bui ngo duong dinh truong trinh doan luong luu "
    "quach kieu trieu vuong phung nghiem".split()
)

# Words that introduce a person ("chú Tuấn", "bạn Hùng", "thằng Đức").
_PERSON_CONTEXT = set(
    "ban bn anh a chi cj chu co thay ong ba em e di cau mo bac duong thim thang con nhoc nhok "
    "be chau cu me bo ma nho ten la".split()
)

# Words that end a name, street, school or place typed in lowercase.
_STOP = set(
    """o la va voi vs thi ma nen vi de cho cua em e anh chi toi tui t minh mk mik no ho ban bn
    nha hay bi duoc dc khong ko k kh co da dang se roi r a nhe oi lam qua hoc lop truong tuoi
    nam tai den di ve sang tu khi luc gio ngay hom nay do kia ay gi j sao the nao moi cung cx
    cg nhung nhu tren duoi trong ngoai sau truoc sdt so dt zalo fb bo me ong chu thay cau bac
    duong thang con nguoi ai chua xin goi nhan tin dien thoai biet muon can phai rat lai mot
    hai ba bon gan canh doi cuoi dau sat ben xom thon xa phuong quan huyen pho hem ngo kiet tp
    tinh thanh bang tao may mi chau hoi hoac ca cac mat danh doa soi vao ra len xuong day ha
    hu u ah ak ui nhen""".split()
)
# Street, school and place names are made of syllables that are stop words elsewhere.
_NAME_RUN_STOP = _STOP - {"dang"}  # "đường Trần Đăng Ninh"
# Function words only: school names are made of words that are stop words elsewhere ("Chu Văn An").
_HARD_STOP = set(
    """o la va voi vs thi ma nen vi de cho cua em e toi tui t minh mk mik no nha hay bi duoc dc
    khong ko k kh da dang se roi r nhe oi lam qua hoc lop tuoi tai khi luc nay do kia ay gi j
    sao the nao ma cx cung nhung nhu tren trong sdt dt zalo fb a ah ak u ha day nay""".split()
)
# Numbers and pronouns that are also given names: allowed inside a name once it has begun.
_NAME_ALSO_WORD = set("anh minh nam hai ba tu sau bay tam linh hoa mai ha thu an chau ngoc".split())

# Capitalised words that are not names: platforms, brands, acronyms children use.
_NOT_NAME = set(
    """facebook fb face zalo tiktok instagram insta ig youtube google gmail messenger telegram
    discord viber twitter snapchat roblox minecraft pubg momo shopee lazada iphone samsung
    oppo vietcombank techcombank bidv agribank vietinbank vpbank tpbank sacombank mb acb tet
    noel thcs thpt th tp ubnd sdt dt cccd cmnd mssv stk ok hs gv gvcn bgh tv mc idol kpop bts covid app game
    web online chat wifi otp pin""".split()
)

# Words that open a sentence as often as they name someone.
_TIME_WORDS = set("mai nam hai ba bon tu sau bay tam chin mot muoi hom chieu toi sang".split())
# Games and apps whose names look like a person or a place.
_NOT_NAME_PHRASES = {"lien quan", "lien quan mobile", "free fire", "lien minh", "play together",
                     "among us", "genshin impact", "toc chien", "dot kich", "ba lo", "vo lam"}
# Kinship words and pronouns: they introduce a name but are not one.
_KIN = set("bo me ba ma cha ong anh chi em chu co thay di cau mo bac duong thim ban con chau be".split())
# ... except birth-order nicknames ("chú Ba", "dì Tư", "cô Út").
_BIRTH_ORDER = set("hai ba tu nam sau bay tam chin ut".split())
# Ordinary words that open a sentence: "Em", "Hôm qua", "Mẹ em".
_OPENING_WORDS = _STOP | _KIN | _TIME_WORDS | set(
    "xin chao vay nhung neu toi tu khi thang tuan nam hom co ca moi nhieu ngay sau luc".split())

_PLATFORM_WORDS = (
    r"facebook|face|fb|zalo|tiktok|tik tok|instagram|insta|ig|telegram|tele|discord|twitter|"
    r"snapchat|snap|messenger|mess|youtube|threads|nickname|nick(?:\s+(?:name|game|fb|zalo|tiktok|ig))?|"
    r"acc(?:ount)?(?:\s+(?:fb|facebook|zalo|game|tiktok|ig|insta))?|id\s+game|ingame|ten\s+fb|ten\s+zalo"
)
_SOCIAL_DOMAINS = ("facebook.com", "fb.com", "fb.me", "tiktok.com", "instagram.com", "twitter.com", "x.com")
_BARE_DOMAINS_KEPT = {
    "facebook.com", "m.facebook.com", "fb.com", "zalo.me", "zalo.vn", "tiktok.com", "youtube.com",
    "google.com", "gmail.com", "instagram.com", "messenger.com", "telegram.org", "discord.com",
}
_TLDS = (
    r"com|net|org|vn|me|ly|gl|io|co|info|xyz|tv|link|site|online|app|top|club|biz|edu|gov|cc|to|"
    r"gg|ai|us|uk|ru|cn|jp|kr|asia|shop|store|live|blog|page|fun|ws|su"
)
_AMBIGUOUS_TLDS = {"co", "to", "me", "ai", "la"}

_DIGIT_WORDS = r"khong|mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|linh"

_PHONE_CONTEXT = re.compile(
    r"\b(?:sdt|so dt|so dien thoai|dien thoai|dt|so may|may ban|goi|call|phone|tel|hotline|zalo|"
    r"lien he|lh|nhan tin|nt|sms|viber)\b"
)
_ID_CONTEXT = re.compile(
    r"\b(?:cccd|cmnd|cmt|can cuoc|chung minh|ho chieu|passport|ma hoc sinh|ma hs|mhs|mshs|ma so|"
    r"mssv|msv|ma sinh vien|ma dinh danh|so dinh danh|so the|the hoc sinh|sbd|so bao danh|stk|"
    r"tai khoan|so tk|tk|ngan hang|atm|vietcombank|vcb|techcombank|tcb|mb|mbbank|bidv|agribank|"
    r"vietinbank|acb|vpbank|tpbank|sacombank|momo|zalopay|vib|shb|hdbank|ocb)\b"
)

# ---------------------------------------------------------------------------------------------
# The folded view


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


class _View:
    """The text, its folded copy, and the map between their positions."""

    def __init__(self, text: str):
        self.text = text
        chars: list[str] = []
        to_orig: list[int] = []
        to_fold: list[int] = []
        for i, ch in enumerate(text):
            to_fold.append(len(chars))
            folded = ch.lower() if ch < "\x80" else _fold_char(ch)
            for f in folded:
                chars.append(f)
                to_orig.append(i)
        to_fold.append(len(chars))
        to_orig.append(len(text))
        self.folded = "".join(chars)
        self._to_orig = to_orig
        self._to_fold = to_fold
        self.words = [_Word(self, m.start(), m.end()) for m in re.finditer(r"\w+", self.folded)]
        self.any_upper = any(ch.isupper() for ch in text)

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Folded [start, end) to the original text, trailing combining marks included."""
        a = self._to_orig[start]
        b = self._to_orig[end - 1] + 1 if end > start else a
        while b < len(self.text) and unicodedata.combining(self.text[b]):
            b += 1
        return a, b

    def fold_pos(self, orig: int) -> int:
        return self._to_fold[orig]

    def original(self, start: int, end: int) -> str:
        a, b = self.orig_span(start, end)
        return self.text[a:b]

    def word_index_at_or_after(self, pos: int) -> int:
        """Index of the first word starting at or after folded position pos."""
        lo, hi = 0, len(self.words)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.words[mid].start < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def gap(self, a: int, b: int) -> str:
        return self.folded[a:b]


class _Word:
    __slots__ = ("start", "end", "f", "o")

    def __init__(self, view: _View, start: int, end: int):
        self.start, self.end = start, end
        self.f = view.folded[start:end]
        self.o = view.original(start, end)

    @property
    def capitalised(self) -> bool:
        return self.o[:1].isupper()

    @property
    def alpha(self) -> bool:
        return self.f.isalpha() and self.f.isascii()


@dataclass
class _Span:
    kind: str
    start: int  # folded positions
    end: int


# ---------------------------------------------------------------------------------------------
# Provinces


def _syllable_pattern(name: str) -> str:
    parts = fold(name).replace("-", " ").split()
    return r"[\s.\-]*".join(re.escape(p) for p in parts)


_PROVINCE_RE = re.compile(
    r"(?<![\w])(?:(?:tinh|thanh pho|tp)\s*\.?\s*)?(?P<name>"
    + "|".join(sorted((_syllable_pattern(p) for p in PROVINCES + _PROVINCE_ALIASES), key=len, reverse=True))
    + r")(?![\w])"
)

# ---------------------------------------------------------------------------------------------
# Gazetteer of districts and communes, from the address data underthesea ships.


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(every name without its unit, e.g. 'vinh quang'; those of two words or more)."""
    try:
        from importlib import resources

        path = resources.files("underthesea") / "address" / "data" / "mapping.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    except Exception:  # the anonymiser works without it, only less well on lowercase text
        log.warning("anonymiser: underthesea address data not available")
        return frozenset(), frozenset()
    names, bare = set(), set()
    units = ("thanh pho ", "thi xa ", "thi tran ", "xa ", "phuong ", "quan ", "huyen ", "dac khu ")
    provinces = {fold(p) for p in PROVINCES + _PROVINCE_ALIASES}
    for record in data.get("ward_mapping", []):
        for key in ("old_district", "old_ward", "new_ward"):
            name = " ".join(fold(record.get(key) or "").split())
            for unit in units:
                if name.startswith(unit):
                    rest = name[len(unit):]
                    if rest and not rest[0].isdigit() and rest not in provinces:
                        names.add(rest)
                        if len(rest.split()) >= 2:
                            bare.add(rest)
                    break
    return frozenset(names), frozenset(bare)


# ---------------------------------------------------------------------------------------------
# Helpers that read a value after a keyword


def _next_words(view: _View, pos: int, allow: str = r"\s*[:.\-]?\s*") -> int:
    """Index of the word that follows pos when only `allow` lies between, else -1."""
    i = view.word_index_at_or_after(pos)
    if i < len(view.words) and re.fullmatch(allow, view.gap(pos, view.words[i].start)):
        return i
    return -1


def _joined(view: _View, i: int, j: int) -> bool:
    """Words i and j (= i + 1) are separated by plain spaces only."""
    return view.gap(view.words[i].end, view.words[j].start).strip(" ") == ""


def _caps_run(view: _View, i: int, provinces: set[int], max_words: int = 4,
              allow_digits: bool = False) -> int:
    """End index (exclusive) of the run of capitalised words starting at word i."""
    j = i
    while j < len(view.words) and j - i < max_words:
        w = view.words[j]
        if not w.capitalised or w.start in provinces or (j > i and not _joined(view, j - 1, j)):
            break
        if not (w.alpha or (allow_digits and w.f.isalnum())):
            break
        if w.f in _NOT_NAME and (j == i or not _is_all_caps_run(view, i, j)):
            break
        j += 1
    return j


def _is_all_caps_run(view: _View, i: int, j: int) -> bool:
    return all(w.o.isupper() for w in view.words[i:j])


def _lower_run(view: _View, i: int, provinces: set[int], max_words: int = 4,
               stop: set[str] = _STOP, keep: set[str] = frozenset()) -> int:
    """End index of a run of plain words (no stop words, numbers or punctuation between)."""
    j = i
    while j < len(view.words) and j - i < max_words:
        w = view.words[j]
        if w.start in provinces or not w.alpha or (j > i and not _joined(view, j - 1, j)):
            break
        if w.f in stop and w.f not in keep:
            break
        j += 1
    return j


def _span_of(view: _View, i: int, j: int) -> tuple[int, int]:
    return view.words[i].start, view.words[j - 1].end


def _accent(view: _View, start: int, end: int, expected: str) -> str:
    """'exact' when the original is spelled as expected, 'bare' without marks, else 'other'."""
    original = unicodedata.normalize("NFC", view.original(start, end)).lower()
    if original == expected:
        return "exact"
    if not has_diacritics(original):
        return "bare"
    return "other"


# ---------------------------------------------------------------------------------------------
# Detectors. Each yields _Span in folded positions.

_EMAIL_RE = re.compile(
    r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}"
)
# "abc @ gmail . com", "abc(at)gmail.com": only with a mail provider or a usual ending
_SPACED_EMAIL_RE = re.compile(
    r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]*\s?(?:@|\(at\)|\[at\])\s?"
    r"(?:(?:gmail|yahoo|outlook|hotmail|icloud|live|ymail|mail)\s?\.\s?[a-z]{2,3}(?:\s?\.\s?vn)?"
    r"|[a-z0-9\-]+(?:\s?\.\s?[a-z0-9\-]+)*\s?\.\s?(?:com|vn|net|org|edu)\b)"
)


def _emails(view: _View, ctx: "_Context") -> Iterator[_Span]:
    for regex in (_EMAIL_RE, _SPACED_EMAIL_RE):
        for m in regex.finditer(view.folded):
            yield _Span("email", m.start(), m.end())


_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'\[\]]+")
_DOMAIN_RE = re.compile(
    r"(?<![\w@.])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:" + _TLDS + r")(?![\w\-])(?:/[^\s<>\"'\[\]]*)?"
)
_TRAILING_PUNCT = ".,;:!?)\"'”’…"


def _links(view: _View, ctx: "_Context") -> Iterator[_Span]:
    seen: list[tuple[int, int]] = []
    for regex in (_URL_RE, _DOMAIN_RE):
        for m in regex.finditer(view.folded):
            start, end = m.start(), m.end()
            while end > start and view.folded[end - 1] in _TRAILING_PUNCT:
                end -= 1
            if any(a <= start < b for a, b in seen):
                continue
            body = view.folded[start:end]
            host = re.sub(r"^(?:https?://)?(?:www\.)?", "", body).split("/", 1)[0].split("?", 1)[0]
            has_path = "/" in re.sub(r"^https?://", "", body) or "?" in body
            explicit = regex is _URL_RE
            if not explicit:
                original = view.original(start, end)
                tld = host.rsplit(".", 1)[-1]
                if not has_path:
                    if host in _BARE_DOMAINS_KEPT or tld in _AMBIGUOUS_TLDS:
                        continue
                    # "sợ.Có" typed without a space is not a domain
                    if has_diacritics(original) or original.rsplit(".", 1)[-1][:1].isupper():
                        continue
            elif not has_path and host in _BARE_DOMAINS_KEPT:
                continue
            kind = "handle" if has_path and host.endswith(_SOCIAL_DOMAINS) else "link"
            seen.append((start, end))
            yield _Span(kind, start, end)


_AT_HANDLE_RE = re.compile(r"(?<![\w.@])@[a-z0-9_][a-z0-9_.]*")
_PLATFORM_RE = re.compile(
    r"\b(?:" + _PLATFORM_WORDS + r")\b"
    r"(?:\s+(?:cua|of)\s+(?:no|em|e|anh|chi|ban|bn|thang|con|nguoi|ho|minh|toi|tui|chau|be)"
    r"(?:\s+(?:ay|do|kia|ta|nay|ya))?)?"
    r"(?P<sep>\s*:\s*|\s*-\s*|\s+la\s+|\s+ten(?:\s+la)?\s+|\s+nick\s+|\s+id\s+|\s+)"
)
_HANDLE_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9_.#\-]*[a-z0-9]|[a-z0-9]")


def _handles(view: _View, ctx: "_Context") -> Iterator[_Span]:
    for m in _AT_HANDLE_RE.finditer(view.folded):
        end = m.end()
        while end > m.start() + 1 and view.folded[end - 1] == ".":
            end -= 1
        if end - m.start() > 2:
            yield _Span("handle", m.start(), end)
    for m in _PLATFORM_RE.finditer(view.folded):
        pos = m.end()
        rest = view.folded[pos:pos + 40]
        if not rest or rest[0] in "@+0123456789" or rest.startswith(("http", "www")):
            continue  # handled by the @, phone and link detectors
        token = _HANDLE_TOKEN_RE.match(rest)
        if token:
            original = view.original(pos, pos + token.end())
            distinctive = any(c in token.group() for c in "0123456789_.#") or (
                any(c.isupper() for c in original[1:]) and any(c.islower() for c in original))
            if distinctive and "." not in token.group()[-1:]:
                yield _Span("handle", pos, pos + token.end())
                continue
        i = _next_words(view, pos, allow=r"")
        if i < 0:
            continue
        j = _caps_run(view, i, ctx.province_starts)
        if j > i:
            yield _Span("handle", *_span_of(view, i, j))
            continue
        strong = m.group("sep").strip() not in ("", "-")
        if strong:
            j = _lower_run(view, i, ctx.province_starts, max_words=4, keep=_NAME_ALSO_WORD)
            if j > i:
                yield _Span("handle", *_span_of(view, i, j))


# Digit runs: groups of digits with single separators; classified afterwards.
_NUMBER_RE = re.compile(
    r"(?:\(\s*\+?\s*84\s*\)\s*|\+\s*84[\s.\-]*)?"  # (+84), +84
    r"(?:\(\s*0\d{0,3}\s*\)\s*)?"  # (0), (024)
    r"\d(?:(?:[ .\-]|\s-\s|\s\.\s)?\d)*"
)
_DIGIT_WORDS_RE = re.compile(
    r"\b(?:" + _DIGIT_WORDS + r")(?:[\s,.\-]+(?:" + _DIGIT_WORDS + r")){7,}\b"
)
_MOBILE = re.compile(r"0(?:[35789]\d{8}|1\d{9})")
_LANDLINE = re.compile(r"02\d{9}")
_CURRENCY_AFTER = re.compile(r"\s*(?:d|dong|vnd|k|nghin|ngan|trieu|tr|usd|\$)\b")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*-\s*(?:19|20)\d\d")


def _context_kind(view: _View, start: int) -> str | None:
    """'phone' or 'id_number' from the nearest keyword in the 40 characters before start."""
    window_start = max(0, start - 40)
    window = view.folded[window_start:start]
    # the clause only: stop at a sentence end
    cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "), window.rfind("\n"))
    if cut >= 0:
        window = window[cut + 1:]
    best, best_pos = None, -1
    for kind, regex in (("phone", _PHONE_CONTEXT), ("id_number", _ID_CONTEXT)):
        for m in regex.finditer(window):
            if m.start() >= best_pos:
                best, best_pos = kind, m.start()
    return best


def _numbers(view: _View, ctx: "_Context") -> Iterator[_Span]:
    folded = view.folded
    for m in _NUMBER_RE.finditer(folded):
        start, end = m.start(), m.end()
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        n = len(digits)
        if n < 6:
            continue
        before = folded[start - 1] if start else " "
        after = folded[end] if end < len(folded) else " "
        glued = before.isalnum() or before == "_" or after.isalnum() or after == "_"
        if before in "/@" or after in "/@" or (glued and n < 9):
            continue  # part of a code, a date or a link; "sdt0912345678" still counts
        context = _context_kind(view, start)
        national = digits
        if digits.startswith("84") and ("+" in raw or "(" in raw or n in (11, 12)):
            national = "0" + digits[2:].lstrip("0")
        looks_phone = bool(_MOBILE.fullmatch(national) or _LANDLINE.fullmatch(national))
        if context == "id_number":
            kind = "id_number"
        elif looks_phone:
            kind = "phone"
        elif context == "phone" and 8 <= n <= 12:
            kind = "phone"
        elif n >= 8:
            if _YEAR_RANGE.fullmatch(raw.strip()) or _is_money(raw) or _CURRENCY_AFTER.match(folded, end):
                continue
            kind = "phone" if 9 <= n <= 11 and digits[0] == "0" else "id_number"
        else:
            continue  # six or seven digits without a keyword: an amount, a code, a date
        yield _Span(kind, start, end)
    for m in _DIGIT_WORDS_RE.finditer(folded):
        kind = "id_number" if _context_kind(view, m.start()) == "id_number" else "phone"
        yield _Span(kind, m.start(), m.end())


def _is_money(raw: str) -> bool:
    """'10.000.000' or '1,500,000': thousands separators, no leading zero."""
    return bool(re.fullmatch(r"[1-9]\d{0,2}(?:[.,]\d{3})+", raw.strip()))


_ID_KEYWORD_RE = re.compile(
    r"\b(?:ma hoc sinh|ma hs|mhs|mshs|mssv|msv|ma sinh vien|ma so(?: hoc sinh| sinh vien)?|"
    r"so bao danh|sbd|cccd|cmnd|cmt|ho chieu|passport|ma dinh danh|so dinh danh|stk|"
    r"so tai khoan|so tk|so the(?: hoc sinh)?|the hoc sinh)"
    r"(?:\s+(?:cua|of)\s+\w+(?:\s+(?:ay|toi|em|do))?)?\s*(?::|la|so|-)?\s*"
)
_ID_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9\-/.]*[a-z0-9]")


def _id_codes(view: _View, ctx: "_Context") -> Iterator[_Span]:
    for m in _ID_KEYWORD_RE.finditer(view.folded):
        token = _ID_TOKEN_RE.match(view.folded, m.end())
        if token and sum(c.isdigit() for c in token.group()) >= 3:
            yield _Span("id_number", token.start(), token.end())


# Addresses -----------------------------------------------------------------------------------

_HOUSE_NUMBER = r"[a-z]?\d+[a-z]?(?:\s*/\s*\d+[a-z]?)*"
_ADDRESS_UNITS = {  # folded keyword -> how it is spelled with its marks
    "so nha": "số nhà", "nha so": "nhà số", "so": "số", "nha": "nhà", "can ho": "căn hộ",
    "can": "căn", "toa nha": "tòa nhà", "toa": "tòa", "lo": "lô", "ngo": "ngõ", "ngach": "ngách",
    "hem": "hẻm", "kiet": "kiệt", "duong": "đường", "pho": "phố", "to dan pho": "tổ dân phố",
    "to": "tổ", "khu pho": "khu phố", "khom": "khóm", "thon": "thôn", "xom": "xóm", "ap": "ấp",
    "ktt": "ktt", "tdp": "tdp", "kp": "kp",
}
_ADDRESS_NAMED = {  # units followed by a street or building name
    "ngo": "ngõ", "ngach": "ngách", "hem": "hẻm", "kiet": "kiệt", "duong": "đường", "pho": "phố",
    "chung cu": "chung cư", "khu do thi": "khu đô thị", "kdt": "kdt", "toa nha": "tòa nhà",
}
_ADDRESS_NAMED_FIRST = {k.split()[0] for k in _ADDRESS_NAMED}
_ADDRESS_UNIT_RE = re.compile(
    r"\b(?P<kw>" + "|".join(sorted(map(re.escape, _ADDRESS_UNITS), key=len, reverse=True)) + r")"
    r"\s*[:.]?\s*(?P<num>" + _HOUSE_NUMBER + r")\b"
)
_ADDRESS_NAMED_RE = re.compile(
    r"\b(?P<kw>" + "|".join(sorted(map(re.escape, _ADDRESS_NAMED), key=len, reverse=True)) + r")\s+"
)
_HOUSE_IS_RE = re.compile(  # "số nhà em là 27", "địa chỉ nhà nó: 14B"
    r"\b(?:so nha|dia chi(?: nha)?)(?:\s+(?:cua\s+)?(?:em|e|minh|mk|no|toi|tui|chau|con|ho|ong ay|ba ay))?"
    r"(?:\s+la|\s*:)?\s*(?P<num>" + _HOUSE_NUMBER + r")\b"
)
_BARE_HOUSE_RE = re.compile(r"(?<![\w/.,])(?P<num>\d+[a-z]?(?:/\d+[a-z]?)*)\s+(?=\w)")
_MEASURE_WORDS = set(
    """tang nguoi dua lan ngay tuoi t phut gio thang nam dong d k tr trieu nghin ngan cai con
    chiec buoi tiet diem lop ban be anh chi em tuan h km m met cm kg ly tu can phong dem luot
    dong hoc sinh hs tin anh nhan cuoc minh""".split()
)
# Units that are ordinary words too: they need something address-like after the number.
_WEAK_UNITS = {"so", "nha", "can", "to", "lo", "toa", "ap", "xom", "thon", "khom"}


def _ends_unit(view: _View, pos: int, after: int) -> bool:
    """After a number: the end, punctuation, another unit, or a capitalised name."""
    rest = view.folded[pos:pos + 2]
    if re.match(r"[.,]\d", rest):
        return False  # "2.000.000 đồng"
    if not rest.strip() or rest.strip()[0] in ",.;:)(-":
        return True
    if after < 0:
        return False
    w = view.words[after]
    return (w.capitalised or w.f in _ADDRESS_UNITS or w.f in _ADDRESS_NAMED_FIRST
            or w.f in _PLACE_UNITS_FIRST or w.f in ("tp", "tinh", "thanh")
            or (not view.any_upper and w.f in _FAMILY_LOWER))  # "so 36 tran hung dao"


_HOUSE_BEFORE_RE = re.compile(r"(?:^|\b(?:o|tai|nha|dia chi|den|toi|sang|ve)|[:,(])\s*$")
_ADDRESS_CONTEXT_RE = re.compile(r"\b(?:dia chi|dc|o|tai|nha o|song o|nha)\s*[:.]?\s*$")


def _addresses(view: _View, ctx: "_Context") -> Iterator[_Span]:
    folded = view.folded
    units: list[tuple[int, int]] = []
    for m in _ADDRESS_UNIT_RE.finditer(folded):
        kw = m.group("kw")
        if _accent(view, m.start("kw"), m.end("kw"), _ADDRESS_UNITS[kw]) == "other":
            continue
        if sum(c.isdigit() for c in m.group("num")) > 5:
            continue  # a phone or an ID number, not a house
        if kw in ("xom",) and folded[max(0, m.start() - 5):m.start()].endswith("hang "):
            continue
        after = _next_words(view, m.end(), allow=r"\s+")
        if (kw in _WEAK_UNITS and after >= 0 and view.words[after].f in _MEASURE_WORDS
                and not view.words[after].capitalised):
            continue  # "nhà 2 tầng", "số 3 người"
        if kw in _WEAK_UNITS and not _ends_unit(view, m.end(), after):
            continue  # "ở nhà 1 mình", "số 3 thì": a count, not a house
        street_after = after >= 0 and (
            view.words[after].f in _ADDRESS_NAMED_FIRST or view.words[after].capitalised)
        if kw == "so" and not street_after and not _HOUSE_BEFORE_RE.search(
                folded[max(0, m.start() - 10):m.start()]):
            continue  # "mã số 12345", "lần số 3": not a house number
        units.append((m.start(), m.end()))
    for m in _ADDRESS_NAMED_RE.finditer(folded):
        kw = m.group("kw")
        if _accent(view, m.start("kw"), m.end("kw"), _ADDRESS_NAMED[kw]) == "other":
            continue
        i = _next_words(view, m.end(), allow=r"")
        if i < 0:
            continue
        j = _caps_run(view, i, ctx.province_starts, max_words=5, allow_digits=True)
        in_chain = any(b <= m.start() <= b + 2 for _, b in units)
        if j == i and (in_chain or not view.any_upper):
            j = _lower_run(view, i, ctx.province_starts, max_words=4, stop=_NAME_RUN_STOP,
                           keep=_NAME_ALSO_WORD)
        if j > i:
            units.append((m.start(), view.words[j - 1].end))
    # a number unit followed by a street name: "ngõ 34 Lạch Tray", "ngo 34 lach tray"
    for a, b in list(units):
        i = _next_words(view, b, allow=r"\s+")
        if i < 0 or view.words[i].f in _ADDRESS_UNITS or view.words[i].f in _PLACE_UNITS_FIRST:
            continue
        j = _caps_run(view, i, ctx.province_starts, max_words=5)
        if j == i and not view.any_upper:
            j = _lower_run(view, i, ctx.province_starts, max_words=4, stop=_NAME_RUN_STOP,
                           keep=_NAME_ALSO_WORD)
        if j > i:
            units.append((b, view.words[j - 1].end))
    # a bare house number and street after "ở", "địa chỉ": "45 Lê Lai", "25/3 Nguyễn Trãi"
    for m in _BARE_HOUSE_RE.finditer(folded):
        if not _ADDRESS_CONTEXT_RE.search(folded[max(0, m.start() - 15):m.start()]):
            continue
        i = _next_words(view, m.end(), allow=r"")
        if i < 0:
            continue
        j = _caps_run(view, i, ctx.province_starts, max_words=5)
        if j == i and not view.any_upper and view.words[i].f not in _MEASURE_WORDS:
            j = _lower_run(view, i, ctx.province_starts, max_words=4, stop=_NAME_RUN_STOP,
                           keep=_NAME_ALSO_WORD)
        if j - i >= 2 or (j > i and "/" in m.group("num")):
            units.append((m.start(), view.words[j - 1].end))
    for m in _HOUSE_IS_RE.finditer(folded):
        units.append((m.start("num"), m.end("num")))
    for a, b in units:
        yield _Span("address", a, b)


# Places --------------------------------------------------------------------------------------

_PLACE_UNITS = {  # folded keyword -> (spelling with marks, strong)
    "thi tran": ("thị trấn", True), "thi xa": ("thị xã", True), "xa": ("xã", True),
    "phuong": ("phường", True), "quan": ("quận", True), "huyen": ("huyện", True),
    "thon": ("thôn", True), "xom": ("xóm", True), "ap": ("ấp", False), "ban": ("bản", False),
    "lang": ("làng", False), "buon": ("buôn", False), "soc": ("sóc", False), "khom": ("khóm", False),
    "khu pho": ("khu phố", False), "khu tap the": ("khu tập thể", False), "ktt": ("ktt", False),
    "khu do thi": ("khu đô thị", False), "kdt": ("kdt", False), "khu dan cu": ("khu dân cư", False),
    "kdc": ("kdc", False), "tp": ("tp", False), "thanh pho": ("thành phố", False),
    "dac khu": ("đặc khu", False), "to dan pho": ("tổ dân phố", False),
}
_PLACE_UNITS_FIRST = {k.split()[0] for k in _PLACE_UNITS}
_PLACE_RE = re.compile(
    r"\b(?P<kw>" + "|".join(sorted(map(re.escape, _PLACE_UNITS), key=len, reverse=True)) + r")\b"
    r"\s*[.:]?\s*"
)
_PLACE_ABBREV_RE = re.compile(r"\b(?P<kw>[pqf])\s*(?:\.\s*)?(?P<num>\d{1,2})\b|\b(?P<kw2>[pq])\s*\.\s*")
_PLACE_NOT_AFTER = {
    "xa": {"hoi", "giao", "nha", "lam", "qua", "xoi", "lanh", "la", "cach", "xa"},
    "xom": {"tro"}, "lang": {"xom", "que", "nghe"}, "quan": {"tam", "he", "ao", "trong", "sat", "ly"},
}
# a lowercase name after "xã" counts only where a location is being given: "ở xã an hưng",
# "thôn 3 xã an hưng", not "trạm y tế xã bảo em"
_LOCATED_RE = re.compile(r"(?:\b(?:o|tai|thuoc|ve|que|song|nha)|\d|,)\s*$")
_AFTER_O_RE = re.compile(r"\b(?:o|tai|song o|que o|que|ve)\s+$")


def _places(view: _View, ctx: "_Context") -> Iterator[_Span]:
    folded = view.folded
    names, bare = _gazetteer()
    for m in _PLACE_RE.finditer(folded):
        kw = m.group("kw")
        spelled, strong = _PLACE_UNITS[kw]
        accent = _accent(view, m.start("kw"), m.end("kw"), spelled)
        if accent == "other":
            continue
        if kw == "xom" and folded[max(0, m.start() - 5):m.start()].endswith("hang "):
            continue
        i = _next_words(view, m.end(), allow=r"\s*[.:]?\s*")
        if i < 0:
            continue
        first = view.words[i]
        if first.f in _PLACE_NOT_AFTER.get(kw, ()):
            continue
        if first.start in ctx.province_starts:
            continue
        end = None
        if first.f.isdigit():
            end = first.end
        else:
            j = _caps_run(view, i, ctx.province_starts, max_words=4)
            if j > i:
                end = view.words[j - 1].end
            else:
                # the gazetteer knows "vinh quang", "go vap"; after "xa", "quan" typed without
                # marks ("far", "shop") only a name of two words or more is trusted
                smallest = 2 if accent == "bare" and kw in ("xa", "quan", "ban", "lang") else 1
                for size in range(4, smallest - 1, -1):
                    k = min(i + size, len(view.words))
                    if size == 1 and (first.f in _STOP or first.f in _KIN):
                        continue  # "cùng xóm với em": a commune called Vồi is no reason
                    if k - i == size and " ".join(w.f for w in view.words[i:k]) in names:
                        end = view.words[k - 1].end
                        break
                lowercase_ok = accent == "exact" or (
                    accent == "bare" and not view.any_upper and kw not in ("xa", "quan"))
                if (end is None and strong and lowercase_ok and kw not in ("tp", "thanh pho")
                        and _LOCATED_RE.search(folded[max(0, m.start() - 12):m.start()])):
                    j = _lower_run(view, i, ctx.province_starts, max_words=3, stop=_NAME_RUN_STOP,
                                   keep=_NAME_ALSO_WORD)
                    if j > i:
                        end = view.words[j - 1].end
        if end is not None:
            yield _Span("place", m.start(), end)
    for m in _PLACE_ABBREV_RE.finditer(folded):
        if m.group("num"):
            original = view.original(m.start("kw"), m.end("kw"))
            if original.isupper() or "." in m.group():
                yield _Span("place", m.start(), m.end())
            continue
        i = _next_words(view, m.end(), allow=r"")
        if i >= 0 and view.original(m.start("kw2"), m.end("kw2")).isupper():
            j = _caps_run(view, i, ctx.province_starts, max_words=4)
            if j > i:
                yield _Span("place", m.start(), view.words[j - 1].end)
    # capitalised names of districts and communes standing alone, and capitalised names after "ở"
    i = 0
    while i < len(view.words):
        w = view.words[i]
        if not w.capitalised or w.start in ctx.province_starts:
            i += 1
            continue
        j = _caps_run(view, i, ctx.province_starts, max_words=4)
        if j == i:
            i += 1
            continue
        name = " ".join(x.f for x in view.words[i:j])
        found = None
        for k in range(j, i + 1, -1):  # longest prefix of two words or more
            if " ".join(x.f for x in view.words[i:k]) in bare:
                found = k
                break
        if name in _NOT_NAME_PHRASES:
            found = None
        elif (found is None and name not in _NOT_NAME
              and _AFTER_O_RE.search(folded[max(0, w.start - 8):w.start])):
            found = j
        if found is not None:
            yield _Span("place?", w.start, view.words[found - 1].end)
            i = found
        else:
            i = j


# Schools -------------------------------------------------------------------------------------

_SCHOOL_TYPES = [
    "trung hoc co so", "trung hoc pho thong", "tieu hoc", "trung hoc", "mam non", "mau giao",
    "nha tre", "thcs", "thpt", "ptcs", "ptth", "pt dtnt", "ptdtnt", "ptdtbt", "dan toc noi tru",
    "quoc te", "lien cap", "dai hoc", "dh", "cao dang", "cd", "trung cap", "hoc vien", "chuyen",
    "cap 1", "cap 2", "cap 3", "cap i", "cap ii", "cap iii", "ban tru", "pho thong", "th", "pt",
    "tu thuc", "dan lap", "cong lap", "nang khieu",
]
_TYPES = "|".join(sorted(map(re.escape, _SCHOOL_TYPES), key=len, reverse=True))
_SCHOOL_RE = re.compile(
    r"\btruong\s+(?:(?:" + _TYPES + r")\b(?:\s*(?:&|-|va|,|\+|/)?\s*(?:" + _TYPES + r")\b)*\s*)?"
)
_LONE_TYPES = ["thcs", "thpt", "ptdtnt", "pt dtnt", "tieu hoc", "mam non", "mau giao", "ptcs",
               "trung hoc co so", "trung hoc pho thong", "dh", "dai hoc", "cao dang", "cap 1",
               "cap 2", "cap 3", "th"]
_LOWER_OK_TYPES = {"thcs", "thpt", "ptdtnt", "pt dtnt", "tieu hoc", "mam non", "mau giao", "ptcs",
                   "trung hoc co so", "trung hoc pho thong", "cap 1", "cap 2", "cap 3"}
_LONE_SCHOOL_RE = re.compile(
    r"\b(?P<type>" + "|".join(sorted(map(re.escape, _LONE_TYPES), key=len, reverse=True)) + r")"
    r"(?:\s*(?:&|-|va|,|\+|/)?\s*(?:" + _TYPES + r")\b)*\s+"
)
_CLASS_RE = re.compile(  # "lớp 7A3", "lop 6a1", "lớp 6/3", "10A1": the class, not the word lớp
    r"(?<=\blop )\s*(?:(?:1[0-2]|[1-9])[a-z]\d{0,2}|(?:1[0-2]|[1-9])\s*/\s*\d{1,2})\b"
    r"|(?<![/.\-])\b(?:1[0-2]|[1-9])[a-g]\d{0,2}\b"  # alone: not "1h30", "1m70", "2k10"
)
_NOT_CLASS = {"2d", "3d", "3g", "4g", "5g"}
_SCHOOL_NOT_NAME = {"hoc", "lop", "cu", "moi", "minh", "em", "ban", "hop", "he", "ca", "nay", "do",
                    "kia", "con", "toi", "no", "nao", "gi"}
_SCHOOL_STOP = (_HARD_STOP - {"dang"}) | _SCHOOL_NOT_NAME  # "trường Đặng Trần Côn"
_TRUONG_COMPOUNDS = {"hieu", "lop", "to", "doi", "thon", "xa", "khoa", "bo", "ban", "phong",
                     "nhom", "ca", "truong"}


def _schools(view: _View, ctx: "_Context") -> Iterator[_Span]:
    folded = view.folded
    for m in _SCHOOL_RE.finditer(folded):
        accent = _accent(view, m.start(), m.start() + 6, "trường")
        if accent == "other":
            continue
        prev = folded[max(0, m.start() - 6):m.start()].split()
        if accent == "bare" and prev and prev[-1] in _TRUONG_COMPOUNDS:
            continue
        typed = m.group().strip() != "truong"
        i = _next_words(view, m.end(), allow=r"")
        if i < 0:
            continue
        j = _caps_run(view, i, ctx.province_starts, max_words=5, allow_digits=True)
        # in lowercase: after a school type, or a person's name ("truong nguyen du")
        if j == i and (typed or (not view.any_upper and view.words[i].f in _FAMILY_LOWER)):
            j = _lower_run(view, i, ctx.province_starts, max_words=4, stop=_SCHOOL_STOP,
                           keep=_NAME_ALSO_WORD)
        if j > i and view.words[i].f not in _SCHOOL_NOT_NAME | {"truong"}:
            yield _Span("school", m.start(), view.words[j - 1].end)
    for m in _LONE_SCHOOL_RE.finditer(folded):
        kind = m.group("type")
        original = view.original(m.start("type"), m.end("type"))
        if kind in ("th", "dh") and not original.isupper():
            continue
        i = _next_words(view, m.end(), allow=r"")
        if i < 0:
            continue
        j = _caps_run(view, i, ctx.province_starts, max_words=5, allow_digits=True)
        if j == i and kind in _LOWER_OK_TYPES:
            j = _lower_run(view, i, ctx.province_starts, max_words=4, stop=_SCHOOL_STOP,
                           keep=_NAME_ALSO_WORD)
        if j > i:
            yield _Span("school", m.start(), view.words[j - 1].end)
    for m in _CLASS_RE.finditer(folded):
        code = m.group().strip()
        after_lop = folded[max(0, m.start() - 4):m.start()].endswith("lop ")
        plain = code[-1].isdigit() or view.original(m.start(), m.end())[-1:].isupper()
        if not after_lop and (code in _NOT_CLASS or not plain):
            continue  # alone, "8C" counts only in capitals, "7a3" with its number
        yield _Span("school", m.start(), m.end())


# Names ---------------------------------------------------------------------------------------

_NAME_INTRO_RE = re.compile(  # "tên em là", "ten la", "em tên", "xưng là"
    r"\b(?:ten(?:\s+(?:cua\s+)?(?:em|e|minh|mk|mik|toi|tui|t|chau|con|no|ban|bn|anh|chi|ay|thang|"
    r"nguoi|be|ho|that|that su|day du|tht))*(?:\s+(?:la|:))?|xung\s+la|ten\s+goi\s+la|biet\s+danh\s+la|"
    r"goi\s+la)\s*:?\s+"
)
# lowercase given names trusted after a relation word when the writer uses no capitals at all
_GIVEN_LOWER = set(
    "tuan khoa thao trang linh ngoc vinh duc huy kien yen vy trinh quynh huyen thuy nhi uyen "
    "cuong thinh phuong hoang".split()
)
# Syllables of given and middle names, for a name typed in lowercase after a family name.
_NAME_SYLLABLES = set(
    """an anh bach bang bao bich binh cam chau chi cong cuong dai dan diem diep dinh doan dong duc
    dung duong duy gia giang hai han hang hanh hao hau hien hieu hoa hoai hoan hoang hong hue hung
    huong huu huy huyen kha khai khang khanh khoa khoi khue kien kim lam lan lap lien linh loan loc
    loi long luan luong ly mai manh minh my nam nga ngan nghia ngoc nguyet nhan nhat nhi nhu nhung
    phat phong phu phuc phuong quan quang quoc quy quyen quynh sang son suong tai tam tan thai tham
    thang thanh thao thi thien thinh thoa thu thuan thuy thuong tien tin toan tram trang tri trieu
    trinh trong truc trung tu tuan tue tung tuong tuyen tuyet uyen van viet vinh vu vuong vy xuan
    yen""".split()
)
# Family names that are ordinary words too, as spelled with their marks; trusted in lowercase
# only after a person word ("anh đỗ quang vinh").
_FAMILY_SHORT = {"do": "đỗ", "ho": "hồ", "ha": "hà", "mai": "mai", "cao": "cao", "ta": "tạ",
                 "dang": "đặng", "le": "lê", "ly": "lý", "lam": "lâm", "dao": "đào", "lai": "lại",
                 "thai": "thái", "tong": "tống", "kim": "kim", "giang": "giang", "chau": "châu"}
# Name syllables that are everyday words ("nhắn tin", "công an", "tiền"): not enough after those.
_COMMON_SYLLABLES = set(
    """an tu tin nhan cong dong tai lam quan hai nam sang phu tam thu thuong trong dai tan toan
    tri loi ly my hang han tien binh dung hoa lan hue hong long son hung kim khai hieu nghia nhat
    quy tuong viet manh minh thi van gia tram hoan""".split()
)
# "em là Vy", "mk là Linh": the writer giving their own name
_SELF = set("em e toi tui minh mk mik chau con tao to t".split())
# the person words that may precede one: not "em", "con", "bé" (too often another word)
_LOWER_NAME_CONTEXT = set("ban bn anh a chi cj chu co thay thang nhoc ong di cau bac".split())
# the same words as written with their marks ("cô Giáo" is a teacher, "cô Hằng" a name)
_KIN_FOLLOWERS_MARKED = set(
    "giáo hàng họ ruột kế trai gái thân cùng ấy đó kia ta nuôi rể dâu bảo chủ lớp hiệu nội ngoại".split()
)
_KIN_FOLLOWERS = {fold(w) for w in _KIN_FOLLOWERS_MARKED}


def _names(view: _View, ctx: "_Context") -> Iterator[_Span]:
    words = view.words
    folded = view.folded
    province_starts = ctx.province_starts
    # 1. "tên em là ...": a name even in lowercase
    for m in _NAME_INTRO_RE.finditer(folded):
        i = _next_words(view, m.end(), allow=r"")
        if i < 0 or words[i].f in _HARD_STOP - _NAME_ALSO_WORD:
            continue
        j = _caps_run(view, i, set(), max_words=5)
        if j == i:
            j = _lower_run(view, i, set(), max_words=4, stop=_HARD_STOP, keep=_NAME_ALSO_WORD)
        if j > i:
            yield _Span("name", words[i].start, words[j - 1].end)
    # 2. a person word followed by a capitalised name: "chú Tuấn", "bạn Mai Anh", "là Quân"
    for idx in range(len(words) - 1):
        w = words[idx]
        if w.f not in _PERSON_CONTEXT:
            continue
        i = idx + 1
        if not _joined(view, idx, i):
            continue
        nxt = words[i]
        acronym = len(nxt.o) in (2, 3) and nxt.o.isupper()
        follower = unicodedata.normalize("NFC", nxt.o).lower() in _KIN_FOLLOWERS_MARKED
        if (nxt.capitalised and nxt.alpha and nxt.f not in _NOT_NAME and not acronym and not follower
                and (nxt.f not in _KIN or nxt.f in _BIRTH_ORDER)):
            j = _caps_run(view, i, set(), max_words=4)
            if j > i:
                yield _Span("name", nxt.start, words[j - 1].end)
        elif not view.any_upper and nxt.f in _GIVEN_LOWER and (
                w.f in _LOWER_NAME_CONTEXT or (w.f == "la" and idx > 0 and words[idx - 1].f in _SELF)):
            after = words[i + 1].f if i + 1 < len(words) else ""
            if nxt.f not in _KIN_FOLLOWERS and after not in ("ay", "do", "kia"):
                yield _Span("name", nxt.start, nxt.end)
    # 3. a family name opening a run of capitalised words: "Bùi Tiến Dũng", "TRAN MINH KHOI"
    i = 0
    while i < len(words):
        w = words[i]
        if w.capitalised and w.f in _FAMILY and w.start not in province_starts:
            j = _caps_run(view, i, province_starts, max_words=5)
            if j - i >= 2:
                yield _Span("name", w.start, words[j - 1].end)
                i = j
                continue
        # lowercase "tran minh khoi", "anh do quang vinh": a family name and given names
        if w.f in _FAMILY_LOWER:
            syllables = _NAME_SYLLABLES
        elif (w.f in _FAMILY_SHORT and i > 0 and words[i - 1].f in _PERSON_CONTEXT
              and _joined(view, i - 1, i)
              and _accent(view, w.start, w.end, _FAMILY_SHORT[w.f]) in ("exact", "bare")):
            syllables = _NAME_SYLLABLES - _COMMON_SYLLABLES  # "ông lạ nhắn tin" is no Mr La
        else:
            syllables = None
        if syllables and not w.capitalised:
            j = i + 1
            while j < len(words) and j - i <= 3 and words[j].f in syllables and _joined(view, j - 1, j):
                j += 1
            if j - i >= 3:
                yield _Span("name", w.start, words[j - 1].end)
                i = j
                continue
        # lowercase "le van tam", "nguyen thi mai"
        if (w.f in _FAMILY_LOWER and i + 2 < len(words) and words[i + 1].f in ("van", "thi")
                and _joined(view, i, i + 1) and _joined(view, i + 1, i + 2)
                and words[i + 2].alpha and words[i + 2].f not in _STOP - _NAME_ALSO_WORD):
            j = _lower_run(view, i + 2, province_starts, max_words=2, keep=_NAME_ALSO_WORD)
            if j > i + 2:
                yield _Span("name", w.start, words[j - 1].end)
                i = j
                continue
        i += 1
    # 4. what underthesea's NER calls a person
    yield from _ner_names(view, ctx)


@lru_cache(maxsize=1)
def _ner_tagger() -> Callable[[str], list] | None:
    """underthesea's NER, imported and warmed once; None when it cannot be loaded."""
    try:
        from underthesea import ner

        ner("Em tên là An.")
        return ner
    except Exception:
        log.warning("anonymiser: underthesea NER not available, patterns only")
        return None


_NER_MAX_CHARS = 20_000  # its cost grows with the square of a sentence, so text goes in pieces
_NER_PIECE = 160


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) with pieces cut at sentence ends, else commas, else spaces."""
    start = 0
    limit = min(len(text), _NER_MAX_CHARS)
    while start < limit:
        end = min(start + _NER_PIECE, limit)
        if end < limit:
            window = text[start:end]
            cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "), window.rfind("\n"))
            if cut < _NER_PIECE // 3:
                cut = max(cut, window.rfind(", "))
            if cut < _NER_PIECE // 3:
                cut = max(cut, window.rfind(" "))
            if cut > 0:
                end = start + cut + 1
        yield start, text[start:end]
        start = end


def _worth_tagging(piece: str) -> bool:
    """A capitalised word that is not an ordinary word opening a sentence."""
    previous = "."
    for m in re.finditer(r"\S+", piece):
        word = m.group()
        if word[0].isupper():
            opening = previous[-1:] in ".!?:;\"'"
            if not opening or fold(word).strip(".,!?:;") not in _OPENING_WORDS:
                return True
        previous = word
    return False


def _ner_names(view: _View, ctx: "_Context") -> Iterator[_Span]:
    if not view.any_upper:
        return  # on text without capitals it finds nothing, slowly
    tagger = _ner_tagger()
    if tagger is None:
        return
    for offset, piece in _pieces(view.text):
        if not _worth_tagging(piece):
            continue
        try:
            tokens = tagger(unicodedata.normalize("NFC", piece))
        except Exception:
            continue
        cursor = view.fold_pos(offset)
        limit = view.fold_pos(min(offset + len(piece), len(view.text)))
        entity: list[tuple[int, int]] = []
        for token in tokens:
            word, tag = str(token[0]), str(token[-1])
            parts = fold(word).split()
            if not parts:
                continue
            pattern = r"\s*".join(re.escape(p) for p in parts)
            found = re.compile(pattern).search(view.folded, cursor, limit)
            if not found:
                continue
            cursor = found.end()
            if tag.endswith("PER"):
                if tag.startswith("B") and entity:
                    yield from _ner_entity(view, entity, ctx)
                    entity = []
                entity.append((found.start(), found.end()))
            elif entity:
                yield from _ner_entity(view, entity, ctx)
                entity = []
        if entity:
            yield from _ner_entity(view, entity, ctx)


def _ner_entity(view: _View, parts: list[tuple[int, int]], ctx: "_Context") -> Iterator[_Span]:
    start, end = parts[0][0], parts[-1][1]
    i = view.word_index_at_or_after(start)
    # drop a leading relation word the tagger swallowed ("Chú Tuấn" -> "Tuấn")
    while i < len(view.words) and view.words[i].start < end and (
            view.words[i].f in _KIN or view.words[i].f in _PERSON_CONTEXT):
        i += 1
    if i >= len(view.words) or view.words[i].start >= end:
        return
    words = [w for w in view.words[i:] if w.end <= end]
    if not words or not any(w.capitalised for w in words):
        return
    before = view.folded[max(0, words[0].start - 3):words[0].start].strip()
    if len(words) == 1 and words[0].f in _TIME_WORDS and (not before or before[-1] in ".!?\n"):
        return  # "Mai em phải đi học": tomorrow, not Mai
    if all(w.f in _NOT_NAME for w in words) or " ".join(w.f for w in words) in _NOT_NAME_PHRASES:
        return
    yield _Span("name", words[0].start, words[-1].end)


# ---------------------------------------------------------------------------------------------
# Putting it together


# "huyện Điện Biên", "trường THCS Hòa Bình", "đường Hà Nội", "bạn Hòa Bình": a district, a
# school, a street or a person that carries a province's name is not the province.
_UNIT_BEFORE_RE = re.compile(
    r"\b(?P<kw>huyen|quan|thi xa|xa|phuong|thi tran|thon|xom|ap|ban|duong|pho|ngo|hem|kiet|ngach|"
    r"truong|" + _TYPES + r")\s*$"
)
_UNIT_NEEDS_MARKS = {"quan": "quận", "xa": "xã", "ban": "bản", "ap": "ấp", "duong": "đường",
                     "pho": "phố", "ngo": "ngõ", "hem": "hẻm", "thon": "thôn", "xom": "xóm",
                     "kiet": "kiệt", "chuyen": "chuyên", "pt": "pt", "th": "th", "dh": "đh", "cd": "cđ"}


_PERSON_BEFORE_RE = re.compile(r"\b(?:ban|bn|anh|chi|chu|co|thay|ong|di|cau|mo|bac|thim|thang|chau|nhoc) $")


def _not_the_province(view: _View, m: re.Match) -> bool:
    if m.start("name") != m.start():
        return False  # "tỉnh Điện Biên", "thành phố Hải Phòng"
    if view.original(m.start(), m.start() + 1).isupper() and _PERSON_BEFORE_RE.search(
            view.folded, max(0, m.start() - 6), m.start()):
        return True
    unit = _UNIT_BEFORE_RE.search(view.folded, max(0, m.start() - 24), m.start())
    if not unit:
        return False
    expected = _UNIT_NEEDS_MARKS.get(unit.group("kw"))
    return expected is None or _accent(view, unit.start("kw"), unit.end("kw"), expected) == "exact"


class _Context:
    """What every detector needs to know about the whole text: where the provinces are."""

    def __init__(self, view: _View):
        found = [m for m in _PROVINCE_RE.finditer(view.folded) if not _not_the_province(view, m)]
        self.provinces = [(m.start(), m.end()) for m in found]
        # a run of words stops where a province begins, with or without "tỉnh", "thành phố"
        self.province_starts = {m.start() for m in found} | {m.start("name") for m in found}


_DETECTORS = [_emails, _links, _handles, _numbers, _id_codes, _schools, _addresses, _places, _names]
_PROTECTED_BY_PROVINCE = {"name", "place", "place?", "school"}
_MERGE_ACROSS_SPACE = {("address", "address"), ("address", "place"), ("place", "address"),
                       ("school", "school"), ("place", "place"), ("address", "place?"),
                       ("place", "place?"), ("place?", "place")}


def find_identifiers(text: str) -> list[Identifier]:
    """Every identifier in text, sorted and non-overlapping, with offsets into text."""
    if not isinstance(text, str) or not text:
        return []
    view = _View(text)
    ctx = _Context(view)
    spans: list[_Span] = []
    for detector in _DETECTORS:
        try:
            spans.extend(detector(view, ctx))
        except Exception as error:  # one broken rule must not stop the others
            log.error("anonymiser: %s failed (%s)", detector.__name__, type(error).__name__)
    spans = [s for s in (_outside_provinces(s, ctx) for s in spans) if s is not None]
    merged = _merge(view, spans)
    result = []
    for span in merged:
        a, b = view.orig_span(span.start, span.end)
        if b > a:
            result.append(Identifier(span.kind.rstrip("?"), a, b, text[a:b]))
    return result


def _outside_provinces(span: _Span, ctx: _Context) -> _Span | None:
    """A name, place or school never swallows a province that merely follows or precedes it."""
    if span.kind not in _PROTECTED_BY_PROVINCE:
        return span
    for a, b in ctx.provinces:
        if a <= span.start and span.end <= b:
            return None
        if span.start < a < span.end and b >= span.end:
            span = _Span(span.kind, span.start, a)
        elif span.start < b < span.end and a <= span.start:
            span = _Span(span.kind, b, span.end)
    return span if span.end > span.start else None


def _merge(view: _View, spans: list[_Span]) -> list[_Span]:
    """Overlapping spans become one, of the kind that ranks first; close neighbours join."""
    rank = {kind: n for n, kind in enumerate(_PRIORITY)}
    spans = [_trim(view, s) for s in spans]
    spans = sorted((s for s in spans if s.end > s.start), key=lambda s: (s.start, -s.end))
    out: list[_Span] = []
    for span in spans:
        if out:
            last = out[-1]
            gap = view.folded[last.end:span.start]
            if span.start < last.end or (
                    gap.strip() == "" and (last.kind, span.kind) in _MERGE_ACROSS_SPACE):
                kinds = {last.kind, span.kind}
                kind = min(kinds, key=rank.get)
                if "address" in kinds and kinds <= {"address", "place", "place?"}:
                    kind = "address"  # "thôn 3 xã An Hưng" is one address
                out[-1] = _Span(kind, last.start, max(last.end, span.end))
                continue
        out.append(span)
    return out


def _trim(view: _View, span: _Span) -> _Span:
    start, end = span.start, span.end
    while start < end and view.folded[start].isspace():
        start += 1
    while end > start and (view.folded[end - 1].isspace() or view.folded[end - 1] in ",;:"):
        end -= 1
    return _Span(span.kind, start, end)


def anonymise(text: str) -> str:
    """The cleaned text (nlu.text.clean) with every identifier replaced by its placeholder."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = clean(text)
    parts, last = [], 0
    for ident in find_identifiers(text):
        parts.append(text[last:ident.start])
        parts.append(PLACEHOLDERS[ident.kind])
        last = ident.end
    parts.append(text[last:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Evaluation on a labelled set


def _present(needle: str, haystack_folded: str) -> bool:
    """needle still in the text, compared folded and ignoring whitespace, as whole words."""
    chars = [c for c in fold(needle) if not c.isspace()]
    if not chars:
        return False
    pattern = r"\s*".join(re.escape(c) for c in chars)
    if chars[0].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if chars[-1].isalnum():
        pattern += r"(?![a-z0-9])"
    return re.search(pattern, haystack_folded) is not None


def leak_report(cases: Iterable[dict]) -> dict[str, dict]:
    """Per kind {"total", "leaked", "cases"}, and "over_redacted" in the same shape.

    An identifier leaks when its text, folded and with whitespace ignored, is still present
    (as whole words, so the name "An" is not found inside "an toàn") in anonymise(text).
    Under "over_redacted", total counts keep-words and leaked those that did not survive.
    """
    report: dict[str, dict] = {kind: {"total": 0, "leaked": 0, "cases": []} for kind in PLACEHOLDERS}
    over = {"total": 0, "leaked": 0, "cases": []}
    for case in cases:
        output = fold(anonymise(case.get("text", "")))
        for ident in case.get("identifiers", []):
            entry = report.setdefault(ident["kind"], {"total": 0, "leaked": 0, "cases": []})
            entry["total"] += 1
            if _present(ident["text"], output):
                entry["leaked"] += 1
                if case["id"] not in entry["cases"]:
                    entry["cases"].append(case["id"])
        for word in case.get("keep", []):
            over["total"] += 1
            if not _present(word, output):
                over["leaked"] += 1
                if case["id"] not in over["cases"]:
                    over["cases"].append(case["id"])
    report["over_redacted"] = over
    return report
