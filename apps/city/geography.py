"""Shanghai as the seeded city: real district centres, road names and a local time zone."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

CITY_NAME = "Shanghai"
COUNTRY_CODE = "CN"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
CURRENCY = "CNY"


@dataclass(frozen=True)
class ZoneSpec:
    code: str
    name: str
    lat: float
    lon: float
    radius_km: float
    kind: str  # cbd | residential | university | mixed


# Centres of real neighbourhoods; the kinds shape each zone's daily pattern.
ZONES: tuple[ZoneSpec, ...] = (
    ZoneSpec("LJZ", "Lujiazui", 31.2397, 121.4998, 2.2, "cbd"),
    ZoneSpec("RMG", "People's Square", 31.2304, 121.4737, 2.0, "cbd"),
    ZoneSpec("GUB", "Gubei", 31.1970, 121.3980, 2.4, "residential"),
    ZoneSpec("WJC", "Wujiaochang", 31.3000, 121.5140, 2.5, "university"),
    ZoneSpec("JAS", "Jing'an Temple", 31.2235, 121.4453, 1.8, "cbd"),
    ZoneSpec("XJH", "Xujiahui", 31.1950, 121.4365, 2.3, "mixed"),
    ZoneSpec("ZSP", "Zhongshan Park", 31.2210, 121.4170, 2.2, "mixed"),
    ZoneSpec("HKS", "Hongkou Stadium", 31.2730, 121.4800, 2.4, "residential"),
    ZoneSpec("ZJG", "Zhangjiang", 31.2050, 121.5900, 3.0, "cbd"),
    ZoneSpec("XZH", "Xinzhuang", 31.1100, 121.3850, 3.0, "residential"),
    ZoneSpec("CFG", "Changfeng", 31.2260, 121.3940, 2.2, "mixed"),
    ZoneSpec("DNG", "Daning", 31.2800, 121.4550, 2.5, "residential"),
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
