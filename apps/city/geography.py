"""Shanghai as the seeded city: real district centres, road names and a local time zone."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from db.domain.rules import CITY_TIMEZONE

CITY_NAME = "Shanghai"
COUNTRY_CODE = "CN"
LOCAL_TZ = ZoneInfo(CITY_TIMEZONE)
CURRENCY = "CNY"


@dataclass(frozen=True)
class ZoneSpec:
    code: str
    name: str
    lat: float
    lon: float
    radius_km: float
    kind: str  # cbd | residential | university | mixed
    name_zh: str = ""


# Centres of real neighbourhoods; the kinds shape each zone's daily pattern.
ZONES: tuple[ZoneSpec, ...] = (
    ZoneSpec("LJZ", "Lujiazui", 31.2397, 121.4998, 2.2, "cbd", "陆家嘴"),
    ZoneSpec("RMG", "People's Square", 31.2304, 121.4737, 2.0, "cbd", "人民广场"),
    ZoneSpec("GUB", "Gubei", 31.1970, 121.3980, 2.4, "residential", "古北"),
    ZoneSpec("WJC", "Wujiaochang", 31.3000, 121.5140, 2.5, "university", "五角场"),
    ZoneSpec("JAS", "Jing'an Temple", 31.2235, 121.4453, 1.8, "cbd", "静安寺"),
    ZoneSpec("XJH", "Xujiahui", 31.1950, 121.4365, 2.3, "mixed", "徐家汇"),
    ZoneSpec("ZSP", "Zhongshan Park", 31.2210, 121.4170, 2.2, "mixed", "中山公园"),
    ZoneSpec("HKS", "Hongkou Stadium", 31.2730, 121.4800, 2.4, "residential", "虹口足球场"),
    ZoneSpec("ZJG", "Zhangjiang", 31.2050, 121.5900, 3.0, "cbd", "张江"),
    ZoneSpec("XZH", "Xinzhuang", 31.1100, 121.3850, 3.0, "residential", "莘庄"),
    ZoneSpec("CFG", "Changfeng", 31.2260, 121.3940, 2.2, "mixed", "长风"),
    ZoneSpec("DNG", "Daning", 31.2800, 121.4550, 2.5, "residential", "大宁"),
)


@dataclass(frozen=True)
class LandmarkSpec:
    zone: str  # the zone's code
    name: str
    name_zh: str
    lat: float
    lon: float


# Places people name instead of an address, at their real positions.
LANDMARKS: tuple[LandmarkSpec, ...] = (
    LandmarkSpec("LJZ", "Oriental Pearl Tower", "东方明珠", 31.2397, 121.4998),
    LandmarkSpec("LJZ", "Shanghai Tower", "上海中心大厦", 31.2335, 121.5055),
    LandmarkSpec("LJZ", "IFC Mall", "国金中心", 31.2364, 121.5020),
    LandmarkSpec("RMG", "Shanghai Museum", "上海博物馆", 31.2286, 121.4756),
    LandmarkSpec("RMG", "Raffles City", "来福士广场", 31.2330, 121.4760),
    LandmarkSpec("GUB", "Gubei Golden Street", "古北黄金城道", 31.1960, 121.3990),
    LandmarkSpec("WJC", "Fudan University", "复旦大学", 31.2990, 121.5030),
    LandmarkSpec("WJC", "Hopson Plaza", "合生汇", 31.3040, 121.5120),
    LandmarkSpec("JAS", "Jing'an Kerry Centre", "静安嘉里中心", 31.2240, 121.4500),
    LandmarkSpec("XJH", "Grand Gateway 66", "港汇恒隆广场", 31.1950, 121.4370),
    LandmarkSpec("ZSP", "Cloud Nine Mall", "龙之梦购物中心", 31.2196, 121.4168),
    LandmarkSpec("HKS", "Lu Xun Park", "鲁迅公园", 31.2720, 121.4830),
    LandmarkSpec("ZJG", "Zhangjiang Hi-Tech Park", "张江高科", 31.2030, 121.5870),
    LandmarkSpec("XZH", "Xinzhuang Metro Station", "莘庄地铁站", 31.1110, 121.3850),
    LandmarkSpec("CFG", "Changfeng Park", "长风公园", 31.2250, 121.3980),
    LandmarkSpec("DNG", "Daning Music Plaza", "大宁音乐广场", 31.2790, 121.4560),
)

# Well-known places outside every zone, so an address there is refused for what it is
# rather than asked about: other cities, the airports, Shanghai's outer districts.
FAR_PLACES: tuple[tuple[str, str, float, float], ...] = (
    ("Pudong Airport", "浦东机场", 31.1443, 121.8083),
    ("Hongqiao Airport", "虹桥机场", 31.1979, 121.3363),
    ("Hongqiao Railway Station", "虹桥火车站", 31.1945, 121.3215),
    ("Shanghai Disneyland", "上海迪士尼", 31.1440, 121.6570),
    ("Songjiang", "松江", 31.0320, 121.2270),
    ("Jiading", "嘉定", 31.3830, 121.2500),
    ("Qingpu", "青浦", 31.1500, 121.1240),
    ("Fengxian", "奉贤", 30.9180, 121.4740),
    ("Jinshan", "金山", 30.7420, 121.3420),
    ("Chongming", "崇明", 31.6230, 121.3970),
    ("Hangzhou", "杭州", 30.2741, 120.1551),
    ("West Lake", "西湖", 30.2430, 120.1500),
    ("Suzhou", "苏州", 31.2990, 120.5853),
    ("Wuxi", "无锡", 31.4912, 120.3119),
    ("Nanjing", "南京", 32.0603, 118.7969),
    ("Ningbo", "宁波", 29.8683, 121.5440),
    ("Kunshan", "昆山", 31.3850, 120.9810),
    ("Beijing", "北京", 39.9042, 116.4074),
    ("Guangzhou", "广州", 23.1291, 113.2644),
    ("Shenzhen", "深圳", 22.5431, 114.0579),
)

ROADS = (
    "Nanjing Road",
    "Huaihai Road",
    "Century Avenue",
    "Yan'an Road",
    "Zhaojiabang Road",
    "Hongqiao Road",
    "Wuning Road",
    "Siping Road",
    "Handan Road",
    "Guoshun Road",
    "Zhangyang Road",
    "Yincheng Road",
    "Hongmei Road",
    "Xianxia Road",
    "Changshou Road",
    "Gonghexin Road",
    "Tianmu Road",
    "Caoxi Road",
    "Zhangjiang Road",
    "Humin Road",
)


def points_in_zone(
    zone: ZoneSpec, count: int, rng: np.random.Generator, spread: float = 1.0
) -> tuple[NDArray, NDArray]:
    """Random points inside a zone's disc, denser towards the centre when spread < 1."""
    radius_deg_lat = zone.radius_km / 111.32
    radius_deg_lon = zone.radius_km / (111.32 * np.cos(np.radians(zone.lat)))
    r = np.sqrt(rng.uniform(0, 1, count)) * spread
    theta = rng.uniform(0, 2 * np.pi, count)
    return zone.lat + r * radius_deg_lat * np.sin(theta), zone.lon + r * radius_deg_lon * np.cos(
        theta
    )


def street_address(rng: np.random.Generator, zone: ZoneSpec) -> str:
    road = ROADS[int(rng.integers(len(ROADS)))]
    return f"No. {int(rng.integers(1, 1200))} {road}, {zone.name}, {CITY_NAME}"
