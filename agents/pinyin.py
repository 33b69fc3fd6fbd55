"""Whether Latin text is Chinese written in pinyin ("wo yao ren gong ke fu", "dingdan dao
nale"): customers without a Chinese keyboard write that way and read Chinese best."""

from __future__ import annotations

import re
from functools import cache

_SYLLABLE_LIST = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
    cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
    chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den
    deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang
    fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang
    gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
    ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken
    keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian
    liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei
    men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
    niang niao nie nin ning niu nong nou nu nuan nuo nv nve o ou pa pai pan pang pao pei pen
    peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu
    quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang
    sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan
    shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian
    tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian
    xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong
    you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei
    zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan
    zui zun zuo
"""
_SYLLABLES = frozenset(_SYLLABLE_LIST.split())
# English words that also spell pinyin: a message of only these is English.
_ENGLISH_LIST = """
    a an he me she man men can you hang long ban fan die tie lie pie bin pin tan pan sun run
    gun bun shun wan ran ping hen huge change women time same game name came make take bake
    lake nine line mine dine pine shine one sue tune dune hang gang bang sang tang yang
"""
_ENGLISH = frozenset(_ENGLISH_LIST.split())
_WORD = re.compile(r"[a-zü]+\d?|\S", re.I)
_MAX_SYLLABLES = 4  # "rengong", "zenmeyang": a word typed without spaces


@cache
def _spells(word: str, budget: int = _MAX_SYLLABLES) -> bool:
    if not word:
        return True
    if budget == 0:
        return False
    return any(
        word[:n] in _SYLLABLES and _spells(word[n:], budget - 1)
        for n in range(min(6, len(word)), 0, -1)
    )


def is_pinyin(text: str) -> bool:
    """Two or more words, every one of them pinyin (tone digits allowed), not all of them
    English words that happen to spell pinyin too."""
    words = [w.rstrip("12345").replace("ü", "v") for w in _WORD.findall(text.casefold())]
    words = [w for w in words if w.isalpha()]
    if len(words) < 2 or len(text) > 400:
        return False
    if not all(_spells(w) for w in words):
        return False
    return sum(w not in _ENGLISH for w in words) * 2 > len(words)


# Customer-service words as pinyin, spelled without spaces, and their characters; the longest
# match wins, so "quxiaodingdan" reads 取消订单.
_WORDS = {
    "quxiao": "取消", "dingdan": "订单", "waimai": "外卖", "peichang": "赔偿",
    "buchang": "补偿", "tuikuan": "退款", "chidao": "迟到", "tailan": "太慢", "taiman": "太慢",
    "henman": "很慢", "dizhi": "地址", "gaidizhi": "改地址", "gaidao": "改到", "gaicheng": "改成",
    "songdao": "送到", "rengong": "人工", "kefu": "客服", "zhenren": "真人", "zainali": "在哪里",
    "zainar": "在哪儿", "daonale": "到哪了", "daonali": "到哪里", "shenmeshihou": "什么时候",
    "jidian": "几点", "haiyaoduojiu": "还要多久", "duojiu": "多久", "zenmehaimeidao": "怎么还没到",
    "haimeidao": "还没到", "meidao": "没到", "songcuo": "送错", "shaole": "少了", "loule": "漏了",
    "buyao": "不要", "buyong": "不用", "suanle": "算了", "haode": "好的", "keyi": "可以",
    "queren": "确认", "xiexie": "谢谢", "nihao": "你好", "qishou": "骑手", "wode": "我的",
    "bangwo": "帮我", "woyao": "我要", "yao": "要", "le": "了", "ma": "吗", "ne": "呢",
    "shouxufei": "手续费", "duoshao": "多少", "duoshaoqian": "多少钱", "feiyong": "费用",
    "wan": "晚", "man": "慢", "dao": "到", "gai": "改", "song": "送", "de": "的", "wo": "我",
    "bang": "帮", "qing": "请", "ba": "吧", "kuai": "快", "dian": "点", "jiu": "就",
}  # fmt: skip
_LONGEST = max(len(w) for w in _WORDS)


def to_hanzi(text: str) -> str:
    """The Chinese characters for the customer-service words of a pinyin message (tone
    digits dropped); syllables it does not know stay as they are."""
    squashed = re.sub(r"[\s\d]+", "", text.casefold())
    out, i = [], 0
    while i < len(squashed):
        for n in range(min(_LONGEST, len(squashed) - i), 0, -1):
            piece = squashed[i : i + n]
            if piece in _WORDS:
                out.append(_WORDS[piece])
                i += n
                break
        else:
            out.append(squashed[i])
            i += 1
    return "".join(out)
