"""Which language a message is in, and whether it says yes or no.

Yes and no are read the way people write them: "ok do it", "sure go ahead", "👍", "行吧",
"no wait, keep it", "算了". A yes must be only a yes (with at most the request repeated and
some filler): anything that also says no, or asks for something new, is not one, because a
yes runs a write.
"""

from __future__ import annotations

import re
import unicodedata

from agents.pinyin import is_pinyin

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_EMOJI = {
    "❓": " ? ",
    "❔": " ? ",
    "⏰": " when ",
    "⏳": " when ",
    "⌛": " when ",
    "🕐": " when ",
    "🍕": " food ",
    "🍔": " food ",
    "🍜": " food ",
    "🍱": " food ",
    "🥡": " food ",
    "👍": " yes ",
    "👌": " yes ",
    "✅": " yes ",
    "🆗": " yes ",
    "🙆": " yes ",
    "✔": " yes ",
    "👎": " no ",
    "❌": " no ",
    "🙅": " no ",
    "✋": " no ",
}
# Yes only as the whole message: "please cancel my order" is a request, "right, and..." too.
_ALONE = {"please", "right", "要", "对", "k", "y", "en", "xing", "cool", "可"}
_PUNCT = re.compile(r"[\s!！?？.。,，、~～…;；:：\"'“”‘’()（）\[\]【】*_\-]+")

YES_WORDS: tuple[str, ...] = (
    "y", "yes", "yeah", "yea", "ya", "yep", "yup", "yess", "yesss", "sure", "ok", "okay", "okey",
    "k", "kk", "fine", "alright", "all right", "right", "correct", "confirm", "confirmed", "agree",
    "agreed", "deal", "absolutely", "definitely", "of course", "please", "please do", "go ahead",
    "go for it", "do it", "proceed", "sounds good", "thats fine", "that's fine", "that works",
    "perfect", "great", "sure thing", "why not", "yes please", "i do", "i confirm", "approve",
    "no problem", "no worries", "yes i confirm", "yes sure", "yes ok", "do the thing", "bet",
    "lovely", "wonderful", "that would be lovely", "that would be great", "that would be nice",
    "that would be wonderful", "that would be perfect", "sounds great", "sounds fine", "go on",
    "alright then", "yass", "yasss", "yah", "ok lovely", "cool", "works for me", "fine by me",
    "hao", "hao de", "haode", "ke yi", "keyi", "dui", "shi de", "shide", "xing", "en", "enen",
    "hao ba", "haoba", "xing ba", "xingba", "ke yi a", "hao a", "mei wen ti", "meiwenti", "que ren",
    "随便", "随便吧", "给就行", "就这样吧", "那就这样", "whatever",
    "是", "是的", "是滴", "好", "好的", "好滴", "好吧", "好啊", "好呀", "确认", "确定", "可以",
    "可以的", "对", "对的", "行", "行吧", "行的", "嗯", "嗯嗯", "恩", "没问题", "同意", "要",
    "就这样", "中", "ok吧", "麻烦了", "辛苦了", "那就这样", "就按你说的", "按你说的",
    "那就按你说的来", "那就按你说的", "也行", "也可以", "成", "可", "嗯呐", "嗯哪", "阔以",
    "可以可以", "好嘞", "好哒", "安排", "冲", "ok的", "没毛病", "就这么办", "那就这样吧", "妥",
)  # fmt: skip
NO_WORDS: tuple[str, ...] = (
    "n", "no", "nope", "nah", "na", "no thanks", "no thank you", "not now", "never mind",
    "nevermind", "forget it", "leave it", "keep it", "don't", "dont", "do not", "stop", "wait",
    "hold on", "hang on", "cancel that", "no need", "not needed", "i changed my mind",
    "changed my mind", "no way", "negative",
    "不", "不要", "不用", "不用了", "不需要", "不了", "否", "算了", "算了吧", "别", "先不",
    "先不用", "等等", "等一下", "等会", "不行", "不可以", "取消吧不要了", "还是不要了",
    "bu yao", "buyao", "bu yong", "buyong", "suan le", "suanle", "bu xing",
)  # fmt: skip
# Words that may follow a yes without making it anything else: filler, and the request
# said again ("ok cancel it", "行吧 取消").
_FILLER = {
    "it", "that", "this", "then", "now", "thanks", "thank", "you", "thx", "ty", "pls", "plz",
    "please", "just", "do", "go", "ahead", "cancel", "change", "the", "order", "address", "my",
    "fine", "ok", "okay", "sure", "yes", "yeah", "so", "and", "lol", "haha", "accept", "fee",
    "with", "is", "a", "i", "pay", "compensation", "am", "handover", "hand", "over", "give",
    "me", "whatever", "can", "works", "take", "ill", "that's", "thats", "good", "one", "amount",
    "offer", "deal", "get", "colleague", "human", "dear", "much", "would", "be", "wonderful",
    "lovely", "great", "really", "very", "appreciate", "sir", "madam", "mate", "bro",
}  # fmt: skip
_ZH_FILLER = re.compile(
    r"(吧|啊|呀|吗|呢|哦|噢|啦|了|的|就|那|麻烦|你|您|谢谢|哈|嘛|取消|改|地址|确认|订单|给我|帮我|处理|赔偿|"
    r"转人工|提交|执行|按这个|这样|来|办|修改|改吧|吧|给|就行|行|好|赔|补偿|退)+"
)
_NEGATIVE = re.compile(
    r"\b(no|not|don ?t|dont|never|wait|stop|hold on|keep|nope|nah|cancel that)\b|"
    r"不|别|没|算了|等等|等一下|先不|还是",
)


_KEEP = re.compile(r"\b(keep it|don ?t cancel|do not cancel|dont cancel)\b|别取消|不取消|不要取消")


def fold(text: str) -> str:
    """Lower case, full-width folded, emoji read as words, punctuation as spaces."""
    text = unicodedata.normalize("NFKC", text[:2000]).casefold()
    for emoji, word in _EMOJI.items():
        text = text.replace(emoji, word)
    return _PUNCT.sub(" ", text).strip()


YES_WORDS = tuple(dict.fromkeys(fold(w) for w in YES_WORDS))
_CJK_YES = sorted((w for w in YES_WORDS if _CJK.search(w)), key=len, reverse=True)
NO_WORDS = tuple(dict.fromkeys(fold(w) for w in NO_WORDS))


def detect_language(text: str, current: str) -> str:
    """``zh`` for Chinese text, in characters or in pinyin, ``en`` for English; "ok",
    "yes", "no" or a number keep ``current``, since a Chinese customer types them too."""
    if _CJK.search(text) or is_pinyin(text):
        return "zh"
    if _LATIN_WORD.search(text) and not (is_yes(text) or is_plain_no(text)):
        return "en"
    return current


_INTERJECTION = re.compile(r"^(ugh|ah+|oh+|well|hmm+|um+|uh+|erm|ok so|so|actually|哎|唉|额|呃)\s+")
# A yes may also close what the customer says ("just the compensation is fine, yes"), but
# only a clear one, and not after a question ("is that ok").
_CLOSING_YES = ("yes", "yes please", "yeah", "yep", "yup", "ok", "okay", "sure", "confirm",
                "confirmed", "go ahead", "do it", "please do")  # fmt: skip
_QUESTION = {"is", "are", "can", "could", "will", "would", "do", "does", "did", "what", "how",
             "why", "when", "where", "which", "who", "should", "shall", "may", "if"}  # fmt: skip


def _head(text: str) -> str:
    folded = fold(text)
    return _INTERJECTION.sub("", folded, count=1)


def _starts_with(folded: str, words: tuple[str, ...]) -> str | None:
    """The longest of ``words`` the text starts with (as whole words), if any."""
    best = None
    for word in words:
        if (
            folded == word
            or folded.startswith(word + " ")
            or (_CJK.match(word) and folded.startswith(word))
        ):
            best = word if best is None or len(word) > len(best) else best
    return best


def is_yes(text: str) -> bool:
    # "that's it? fine whatever": a question set aside, then the answer.
    asked, mark, after = max(text.rpartition("?"), text.rpartition("？"), key=lambda p: len(p[0]))
    if mark and after.strip() and asked.strip():
        return _is_yes(after)
    return _is_yes(text)


def _is_yes(text: str) -> bool:
    folded = _head(text)
    if not folded or len(folded) > 80:
        return False
    head = _starts_with(folded, YES_WORDS)
    if head is None:
        return _closes_with_yes(text, folded)
    rest = folded[len(head) :].strip()
    if _NEGATIVE.search(rest) or (rest and head in _ALONE):
        return False
    if _CJK.search(rest):
        left = _ZH_FILLER.sub("", rest.replace(" ", ""))
        for word in _CJK_YES:  # "嗯嗯可以", "好的没问题": a yes said twice is a yes
            left = left.replace(word, "")
        return not left.strip()
    return all(word in _FILLER or word in YES_WORDS for word in rest.split())


def _closes_with_yes(text: str, folded: str) -> bool:
    if "?" in text or "？" in text or _CJK.search(folded) or _NEGATIVE.search(folded):
        return False
    words = folded.split()
    if not words or words[0] in _QUESTION:
        return False
    for closing in _CLOSING_YES:
        if folded.endswith(" " + closing):
            rest = folded[: -len(closing)].split()
            return all(word in _FILLER or word in YES_WORDS for word in rest)
    return False


def is_no(text: str) -> bool:
    folded = _head(text)
    if not folded or len(folded) > 80:
        return False
    if _starts_with(folded, NO_WORDS) is not None:
        return not is_yes(text)
    return bool(_KEEP.search(folded))


_PLAIN_NO_REST = {"wait", "keep", "it", "that", "thanks", "thank", "you", "please", "actually",
                  "changed", "mind", "my", "i", "no", "not", "now", "never", "sorry",
                  "cancel", "order", "the", "leave", "forget", "thx", "ok", "okay"}  # fmt: skip


def is_plain_no(text: str) -> bool:
    """A no and nothing more ("no", "nah keep it", "算了"); "no wait, Raffles City" says
    no to one thing and asks for another."""
    if not is_no(text):
        return False
    folded = _head(text)
    head = _starts_with(folded, NO_WORDS) or ""
    rest = folded[len(head) :].strip()
    if _CJK.search(rest):
        return len(rest.replace(" ", "")) <= 4
    return all(word in _PLAIN_NO_REST or word in NO_WORDS for word in rest.split())
