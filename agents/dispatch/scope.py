"""What a dispatcher's message is about, read exactly: zones (by English or Chinese name,
code or number), the whole city, orders, couriers (by id or name), and a window of local
time ("tonight", "6pm-9pm", "at 19:00", "tomorrow lunch", "明天晚上").

Everything here is code, never the model: scope decides which orders a plan may move
and which numbers an answer adds up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from agents.language import fold

# Local hours [start, end) of the named parts of a day, longest names first when matched.
PARTS: dict[str, tuple[int, int]] = {
    "breakfast": (7, 10), "morning": (7, 11), "lunch": (11, 14), "lunchtime": (11, 14),
    "noon": (11, 14), "midday": (11, 14), "afternoon": (14, 17), "dinner": (17, 21),
    "dinnertime": (17, 21), "evening": (17, 21), "tonight": (17, 21), "late night": (21, 24),
    "night": (21, 24), "overnight": (0, 7),
    "早餐": (7, 10), "早高峰": (7, 10), "早上": (7, 11), "上午": (7, 11), "早晨": (7, 11),
    "午餐": (11, 14), "午饭": (11, 14), "中午": (11, 14), "午高峰": (11, 14), "午市": (11, 14),
    "下午": (14, 17), "下午茶": (14, 17), "晚餐": (17, 21), "晚饭": (17, 21), "晚上": (17, 21),
    "傍晚": (17, 21), "晚高峰": (17, 21), "今晚": (17, 21), "明晚": (17, 21), "晚市": (17, 21),
    "夜宵": (21, 24), "深夜": (21, 24),
}  # fmt: skip
_PARTS = sorted(PARTS, key=len, reverse=True)
_PM_WORDS = ("pm", "tonight", "evening", "afternoon", "night", "dinner", "下午", "晚上", "今晚",
             "明晚", "傍晚", "夜")  # fmt: skip
_CITY = re.compile(
    r"\b(?:city|citywide|city-wide|all (?:the )?zones|every zone|each zone|whole city|overall|"
    r"all areas|everywhere|across the board)\b|"
    r"全市|全城|整个城市|所有区|各区|全部区|每个区|所有片区",
    re.I,
)
_ZONE_NUMBER = re.compile(
    r"\bzones?\s*#?\s*(\d{1,2})\b|\bz\s?(\d{1,2})\b|\barea\s*#?(\d{1,2})\b|"
    r"(\d{1,2})\s*号?\s*(?:区|片区)|区\s*(\d{1,2})|第\s*([一二三四五六七八九\d])\s*区",
    re.I,
)
_ORDER = re.compile(
    r"(?:order|ord|订单|单号|单)\s*(?:no\.?|number|id)?\s*[#:：]?\s*(\d{3,10})|#\s*(\d{4,10})|"
    r"(\d{4,10})\s*号?单|(?<![\d:.])(\d{4,10})(?![\d:.]|\s*(?:yuan|元|块|min|分钟))",
    re.I,
)
_COURIER = re.compile(
    r"(?:courier|rider|driver|dasher|runner|骑手|小哥|配送员)\s*(?:no\.?|number|id)?\s*#?\s*(\d{1,5})(?!\d)|"
    r"(\d{1,5})\s*号\s*(?:骑手|小哥)",
    re.I,
)
_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})/(\d{1,2})\b")
_WEEKDAYS = (
    ("monday", "mon", "周一", "星期一", "礼拜一"),
    ("tuesday", "tue", "周二", "星期二", "礼拜二"),
    ("wednesday", "wed", "周三", "星期三", "礼拜三"),
    ("thursday", "thu", "周四", "星期四", "礼拜四"),
    ("friday", "fri", "周五", "星期五", "礼拜五"),
    ("saturday", "sat", "周六", "星期六", "礼拜六"),
    ("sunday", "sun", "周日", "星期日", "星期天", "礼拜天", "周天"),
)  # fmt: skip
_TOMORROW = re.compile(
    r"\b(?:tomorrow|tmrw|tmr|tmw|tomo|2moro|2morrow)\b|明天|明日|明晚|明早", re.I
)
# A comparison names another day without being the day asked about.
_LAST_WEEK = re.compile(
    r"\blast\s+(?:week|mon|tue|wed|thu|fri|sat|sun)\w*|\bsame (?:day|time|hours?) last week|"
    r"\ba week (?:ago|before|earlier)\b|\bweek over week\b|\bwow\b|上周\w?|上个?星期\w?|上礼拜\w?|"
    r"上个礼拜\w?",
    re.I,
)
_VS_TODAY = re.compile(
    r"\b(?:vs\.?|versus|compared? (?:to|with)|against|than|relative to|over)\s+(?:today|now)\b|"
    r"\btoday vs\b|(?:和|跟|与|同|比|对比)今天|今天(?:相比|比)",
    re.I,
)
_AFTER_TOMORROW = re.compile(r"\bday after tomorrow\b|后天", re.I)
_TODAY = re.compile(
    r"\b(?:today|tonight|tonite|this (?:morning|afternoon|evening)|so far|now|rn|currently)\b|"
    r"今天|今日|今晚|今早|现在|目前|当前|此刻",
    re.I,
)
_NOW = re.compile(
    r"\b(?:now|right now|rn|currently|at the moment|atm|as we speak|this minute)\b|"
    r"现在|目前|当前|此刻|这会儿?",
    re.I,
)
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}  # fmt: skip
_CLOCK = (
    r"(?P<{n}pre>上午|早上|中午|下午|晚上|傍晚|今晚|明晚|凌晨)?\s*"
    r"(?P<{n}h>\d{{1,2}}|十[一二]?|[一二两三四五六七八九十])"
    r"(?::(?P<{n}m>\d{{2}}))?\s*(?P<{n}ap>am|pm|a\.m\.|p\.m\.|点钟?|点半?|時|h\b)?"
)
_RANGE = re.compile(
    r"(?:from|between|从)?\s*"
    + _CLOCK.format(n="a")
    + r"\s*(?:to|-|–|—|~|～|until|till|til|and|到|至|-\s*to)\s*"
    + _CLOCK.format(n="b"),
    re.I,
)
_SINGLE = re.compile(r"(?:\bat\b|\baround\b|\bby\b|@|在)?\s*" + _CLOCK.format(n="s"), re.I)


@dataclass(frozen=True)
class ZoneName:
    id: int
    name: str
    name_zh: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class CourierName:
    id: int
    name: str
    zone_id: int


@dataclass(frozen=True)
class Scope:
    zones: tuple[int, ...] = ()  # zones named, in the order named
    unknown_zones: tuple[int, ...] = ()  # "zone 42" where there is no zone 42
    city: bool = False  # the whole city was named
    day: date | None = None
    hours: tuple[int, int] | None = None  # local [start, end)
    now: bool = False  # "right now"
    compare: str | None = None  # "today" or "last_week": the window to set beside it
    order_ids: tuple[int, ...] = ()
    courier_ids: tuple[int, ...] = ()
    ambiguous_couriers: tuple[tuple[str, tuple[int, ...]], ...] = ()  # a name, its couriers


def _int(word: str | None) -> int | None:
    if word is None:
        return None
    if word.isdigit():
        return int(word)
    return _CN_DIGITS.get(word)


def _variants(zone: ZoneName) -> list[str]:
    name = fold(zone.name).replace("'", "")
    squashed = name.replace(" ", "")
    return [squashed]


_SCRIPT_EDGE = re.compile(r"(?<=[\u4e00-\u9fff])(?=[a-z0-9])|(?<=[a-z0-9])(?=[\u4e00-\u9fff])")


def _fold_words(text: str) -> list[str]:
    text = _SCRIPT_EDGE.sub(" ", fold(text).replace("'", ""))
    text = re.sub(r"\bsq\b|\bsqr\b", "square", text)
    text = re.sub(r"\bppls?\s+(?=sq|square)", "peoples ", text)
    return text.split()


def unknown_zones(text: str, zones: Sequence[ZoneName]) -> tuple[int, ...]:
    known = {z.id for z in zones}
    numbers = [_int(next(g for g in m.groups() if g)) for m in _ZONE_NUMBER.finditer(text)]
    return tuple(n for n in numbers if n is not None and n not in known)


def zones_named(text: str, zones: Sequence[ZoneName]) -> tuple[int, ...]:
    """Zones named in ``text``, by number, code, English name (typos allowed) or Chinese
    name, in the order they appear."""
    found: list[tuple[int, int]] = []
    known = {z.id for z in zones}
    for match in _ZONE_NUMBER.finditer(text):
        number = _int(next(g for g in match.groups() if g))
        if number in known:
            found.append((match.start(), number))
    lowered = text.casefold()
    for zone in zones:
        for name in (zone.name_zh, *_zh_short(zone.name_zh)):
            if name and name in text:
                found.append((text.index(name), zone.id))
        if zone.code and re.search(rf"\b{re.escape(zone.code.casefold())}\b", lowered):
            found.append((lowered.index(zone.code.casefold()), zone.id))
    words = _fold_words(text)
    for zone in zones:
        variants = _variants(zone)
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                gram = "".join(words[i : i + n])
                if len(gram) < 5:
                    continue
                if any(_near(gram, v) for v in variants):
                    found.append((10_000 + i, zone.id))
    ordered = [zone_id for _, zone_id in sorted(found)]
    return tuple(dict.fromkeys(ordered))


def _near(said: str, name: str) -> bool:
    """A name as written, or with a typo ("lujiazi", "gubie"): one edit (a transposition
    counts as one) for short names, a close ratio for long ones."""
    if said == name:
        return True
    if len(name) >= 5 and OSA.distance(said, name) <= 1:
        return True
    return len(name) >= 6 and fuzz.ratio(said, name) >= 86


def _zh_short(name_zh: str | None) -> tuple[str, ...]:
    # "人广" for 人民广场: a four-character place is often written with two of them.
    return (name_zh[0] + name_zh[2],) if name_zh and len(name_zh) == 4 else ()


def couriers_named(
    text: str, couriers: Sequence[CourierName]
) -> tuple[tuple[int, ...], tuple[tuple[str, tuple[int, ...]], ...]]:
    """Couriers named by id ("rider 12", "12号骑手") or by name; a name several couriers
    share comes back as ambiguous with their ids."""
    ids = [int(next(g for g in m.groups() if g)) for m in _COURIER.finditer(text)]
    ambiguous = []
    said = " " + " ".join(_fold_words(text)) + " "
    by_name: dict[str, list[int]] = {}
    for c in couriers:
        by_name.setdefault(fold(c.name), []).append(c.id)
    for name, owners in by_name.items():
        if f" {name} " in said or (len(name) >= 6 and _fuzzy_in(name, said)):
            if len(owners) == 1:
                ids.append(owners[0])
            else:
                ambiguous.append((name.title(), tuple(owners)))
    return tuple(dict.fromkeys(ids)), tuple(ambiguous)


def _fuzzy_in(name: str, said: str) -> bool:
    words = said.split()
    n = len(name.split())
    grams = (" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return any(fuzz.ratio(name, g) >= 90 for g in grams)


def order_ids(text: str) -> tuple[int, ...]:
    found = [int(next(g for g in m.groups() if g)) for m in _ORDER.finditer(text)]
    return tuple(dict.fromkeys(found))


def _day(text: str, today: date) -> date | None:
    lowered = text.casefold()
    explicit = _DATE.search(text)
    if explicit:
        y, m, d, m2, d2 = explicit.groups()
        try:
            if y:
                return date(int(y), int(m), int(d))
            return date(today.year, int(m2), int(d2))
        except ValueError:
            return None
    if _AFTER_TOMORROW.search(text):
        return today + timedelta(days=2)
    if _TOMORROW.search(text):
        return today + timedelta(days=1)
    for index, names in enumerate(_WEEKDAYS):
        for name in names:
            hit = re.search(rf"\b{name}\b", lowered) if name.isascii() else name in text
            if hit:
                ahead = (index - today.weekday()) % 7
                last = re.search(rf"\blast\s+{name}\b|上{name[-2:]}|上个{name[-2:]}", lowered)
                if last:
                    return today - timedelta(days=(today.weekday() - index) % 7 or 7)
                return today + timedelta(days=ahead)
    if _TODAY.search(text):
        return today
    return None


def _hour(pre: str | None, word: str, minute: str | None, ap: str | None, pm_hint: bool) -> int:
    hour = _int(word)
    assert hour is not None
    ap = (ap or "").casefold().replace(".", "")
    pre = pre or ""
    if ap == "am" or pre in ("上午", "早上", "凌晨"):
        return 0 if hour == 12 else hour
    if (ap == "pm" or pre in ("下午", "晚上", "傍晚", "今晚", "明晚")) and hour < 12:
        return hour + 12
    if pre == "中午" and hour < 5:
        return hour + 12
    if pm_hint and hour < 12 and not minute:
        return hour + 12
    return hour


def _is_clock(ap: str | None, minute: str | None) -> bool:
    return bool(ap or minute)


def _afternoon(start: int, end: int, marked: bool) -> tuple[int, int]:
    # Bare hours before the city's first meal ("between 5 and 8") are the evening's.
    if not marked and start < 7 and end <= 12:
        return start + 12, end + 12
    return start, end


def hours_said(text: str) -> tuple[int, int] | None:
    """The local hours [start, end) a message names, if any."""
    text = re.sub(r"\bmidnight\b|午夜|零点|半夜|凌晨12点", "24:00", text, flags=re.I)
    text = re.sub(r"(?:以后|之后)(?=\s*(?:到|至))", "", text)  # "九点以后到半夜"
    lowered = text.casefold()
    pm_hint = any(w in lowered for w in _PM_WORDS)
    for match in _RANGE.finditer(text):
        g = match.groupdict()
        marked = bool(g["aap"] or g["bap"] or g["apre"] or g["bpre"] or pm_hint)
        if not (
            _is_clock(g["aap"], g["am"])
            or _is_clock(g["bap"], g["bm"])
            or (g["apre"] or g["bpre"])
            or re.match(r"\s*(?:from|between|从)", match.group(0), re.I)
        ):
            continue
        end_pm = (g["bap"] or "").casefold().startswith("p") or g["bpre"] in (
            "下午", "晚上", "傍晚", "今晚", "明晚",
        )  # fmt: skip
        start_pre = g["apre"] or (g["bpre"] if not g["aap"] else None)
        start = _hour(start_pre, g["ah"], g["am"], g["aap"] or (g["bap"] if end_pm else None),
                      pm_hint)  # fmt: skip
        end = _hour(g["bpre"], g["bh"], g["bm"], g["bap"], pm_hint)
        if end <= start and end + 12 <= 24 and end + 12 > start:
            end += 12  # "from 11 to 2"
        if end == 0:
            end = 24
        if g["bm"] and g["bm"] != "00":
            end += 1  # "until 20:30" covers the hour it ends in
        start, end = _afternoon(start, end, marked)
        if 0 <= start < end <= 24:
            return start, end
    for match in _SINGLE.finditer(text):
        g = match.groupdict()
        said_at = bool(re.match(r"\s*(?:at|around|by|@|在)(?:\b|\s|\d)", match.group(0), re.I))
        if not (_is_clock(g["sap"], g["sm"]) or said_at):
            continue
        if g["sap"] and g["sap"].casefold() == "h" and not g["sm"]:
            continue
        if not g["sh"].isdigit() and not (g["sap"] or g["spre"]):
            continue
        start = _hour(g["spre"], g["sh"], g["sm"], g["sap"], pm_hint)
        start, _ = _afternoon(start, start + 1, bool(g["sap"] or g["spre"] or pm_hint))
        if 0 <= start < 24:
            return start, start + 1
    for name in _PARTS:
        if re.search(rf"\b{name}\b", lowered) if name.isascii() else name in text:
            if name == "night" and "tonight" in lowered:
                continue
            return PARTS[name]
    return None


_GREETING = re.compile(
    r"\bgood (?:morning|afternoon|evening|night)\b|早上好|下午好|晚上好|晚安", re.I
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "noon": 12,
}  # fmt: skip
_WORDS = "|".join(_NUMBER_WORDS)
# A number word is a clock time before am/pm, or before "to seven pm" in a range.
_WORD_CLOCK = re.compile(
    rf"\b({_WORDS})(?=\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock)\b|"
    rf"\s*(?:to|-|–|until|till|and)\s*(?:\d{{1,2}}|{_WORDS})\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock))",
    re.I,
)
_NEXT_HOURS = re.compile(
    r"\bnext\s+(\d{1,2}|an?|one|two|three|four|five|six)\s+hours?\b|"
    r"\b(?:in\s+the\s+)?next\s+hour\b|"
    r"(?:接下来|未来|之后)\s*(\d{1,2}|[一二两三四五六])\s*个?\s*小时",
    re.I,
)
_REST_OF_DAY = re.compile(
    r"\brest of (?:the )?day\b|\bremainder of (?:the )?day\b|\btill (?:the )?end of (?:the )?"
    r"day\b|\buntil close\b|今天剩下|今天剩余|剩下的时间|到今天结束",
    re.I,
)
_AFTER = re.compile(
    r"\b(?:after|from|since)\s+(\d{1,2})\s*(am|pm)?(?!\s*(?:to|-|–|until|till|and))\b|"
    r"(上午|下午|晚上|今晚|明晚)?(\d{1,2}|十[一二]?|[一二两三四五六七八九十])\s*点\s*(?:以后|之后)"
    r"(?!\s*到)",
    re.I,
)


def _spoken(text: str) -> str:
    """Clock times written in words ("seven pm") as numbers; greetings ("good afternoon")
    are no window."""
    text = _GREETING.sub(" ", text)
    return _WORD_CLOCK.sub(lambda m: str(_NUMBER_WORDS[m.group(1).casefold()]), text)


def _relative(text: str, now: datetime, tz: ZoneInfo) -> tuple[int, int] | None:
    """Windows counted from now: "the next two hours", "the rest of the day", "after 9pm"."""
    hour = now.astimezone(tz).hour
    match = _NEXT_HOURS.search(text)
    if match:
        said = match.group(1) or match.group(2) or "1"
        count = _int(said) or {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4,
                               "five": 5, "six": 6}.get(said.casefold(), 1)  # fmt: skip
        return hour + 1, min(24, hour + 1 + count)
    if _REST_OF_DAY.search(text):
        return min(23, hour + 1), 24
    match = _AFTER.search(text)
    if match:
        if match.group(2) is not None or match.group(1):
            start = _hour(None, match.group(1) or "0", None, match.group(2), False)
            if match.group(1):
                start, _ = _afternoon(start, start + 1, bool(match.group(2)))
                return (start, 24) if start < 24 else None
        if match.group(4):
            start = _hour(match.group(3), match.group(4), None, None, bool(match.group(3)))
            return (start, 24) if start < 24 else None
    return None


def read_scope(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    zones: Sequence[ZoneName],
    couriers: Sequence[CourierName] = (),
) -> Scope:
    today = now.astimezone(tz).date()
    text = _spoken(text)
    courier_ids, ambiguous = couriers_named(text, couriers)
    compare = (
        "last_week" if _LAST_WEEK.search(text) else "today" if _VS_TODAY.search(text) else None
    )
    plain = _VS_TODAY.sub(" ", _LAST_WEEK.sub(" ", text))
    hours = _relative(plain, now, tz) or hours_said(plain)
    until_midnight = re.search(
        r"\b(?:until|till|to|through)\s+midnight\b|到午夜|到零点", text, re.I
    )
    if hours is None and until_midnight:
        hours = (min(23, now.astimezone(tz).hour + 1), 24)
    return Scope(
        zones=zones_named(text, zones),
        unknown_zones=unknown_zones(text, zones),
        city=bool(_CITY.search(text)),
        day=_day(plain, today),
        hours=hours,
        now=bool(_NOW.search(text)),
        compare=compare,
        order_ids=order_ids(_COURIER.sub(" ", text)),
        courier_ids=courier_ids,
        ambiguous_couriers=ambiguous,
    )
