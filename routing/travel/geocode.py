"""Where an address is: a place someone knows, or nothing. Never a guess.

Two geocoders behind one small interface, next to the travel providers: ``KnownPlaces``
matches the text against places handed in (landmarks, merchants, the customer's own saved
addresses), and ``SearchGeocoder`` asks a Nominatim- or Pelias-style search endpoint. A
district's name alone places nothing: its centre is kilometres from any door.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz

# A typo'd name still matches ("oriental perl tower"); a shorter one must be exact, or
# "IFC" would match "IFS" and "Mall" half the city.
FUZZY_MIN_CHARS = 8
FUZZY_SCORE = 88.0
PINYIN_MIN_CHARS = 8  # a name run together is long enough to be looked for unspaced


class GeocoderError(RuntimeError):
    """The search endpoint failed; the text is neither placed nor refused."""


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    kind: str  # landmark | merchant | saved | search | pin
    aliases: tuple[str, ...] = ()


class Geocoder(Protocol):
    def locate(self, text: str) -> Place | None:
        """The one place ``text`` names, or None when it names none (or several)."""
        ...


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s'’`.,，。!！?？:：;；()（）\-]+", " ", text).strip()


def _spoken_forms(name: str) -> tuple[str, ...]:
    """How people also write a place's name: a Chinese name's first four characters
    ("上海中心" for 上海中心大厦) and its pinyin without spaces ("shanghaibowuguan"); an
    English name's acronym ("IFC" of "IFC Mall")."""
    if _cjk(name):
        from pypinyin import lazy_pinyin

        forms = ["".join(lazy_pinyin(name)).casefold()]
        if len(name) > 4:
            forms.append(name[:4])
        return tuple(forms)
    return tuple(w.casefold() for w in name.split() if len(w) >= 3 and w.isupper())


@dataclass(frozen=True)
class KnownPlaces:
    places: tuple[Place, ...]

    def _names(self) -> Iterable[tuple[str, Place]]:
        for place in self.places:
            names = (place.name, *place.aliases)
            if place.kind == "landmark":
                names += tuple(f for n in names for f in _spoken_forms(n))
            for name in names:
                folded = _fold(name)
                if folded:
                    yield folded, place

    def locate(self, text: str) -> Place | None:
        wanted = _fold(text)[:400]
        if not wanted:
            return None
        # Pinyin comes with or without spaces ("shanghai bowuguan"): long names are also
        # looked for in the text run together.
        squashed = wanted.replace(" ", "")
        exact = [
            (len(n), p)
            for n, p in self._names()
            if _words_in(n, wanted) or (len(n) >= PINYIN_MIN_CHARS and n in squashed)
        ]
        if exact:
            longest = max(size for size, _ in exact)
            found = {p for size, p in exact if size == longest}
            return found.pop() if len(found) == 1 else None
        fuzzy = [
            (fuzz.partial_ratio(n, wanted), p)
            for n, p in self._names()
            if len(n) >= FUZZY_MIN_CHARS and not _cjk(n)
        ]
        best = max((score for score, _ in fuzzy), default=0.0)
        if best < FUZZY_SCORE:
            return None
        found = {p for score, p in fuzzy if score == best}
        return found.pop() if len(found) == 1 else None


def _words_in(name: str, text: str) -> bool:
    """``name`` in ``text``, at word boundaries for Latin names ("ifc" is not in "ifcs")."""
    if _cjk(name):
        return name in text
    return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text) is not None


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@dataclass(frozen=True)
class SearchGeocoder:
    """GET ``{base_url}/search?q=...&format=jsonv2`` (Nominatim) or, for a URL ending in
    ``/v1``, ``{base_url}/search?text=...`` (Pelias); the first hit is the place."""

    base_url: str
    timeout_s: float = 5.0
    user_agent: str = "longcat-logistics"

    @property
    def pelias(self) -> bool:
        return self.base_url.rstrip("/").endswith("/v1")

    def url(self, text: str) -> str:
        base = self.base_url.rstrip("/")
        if self.pelias:
            return f"{base}/search?" + urllib.parse.urlencode({"text": text, "size": 1})
        query = {"q": text, "format": "jsonv2", "limit": 1}
        return f"{base}/search?" + urllib.parse.urlencode(query)

    def locate(self, text: str) -> Place | None:
        request = urllib.request.Request(self.url(text), headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                body = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise GeocoderError(f"geocoder at {self.base_url}: {exc}") from exc
        return _pelias(body) if self.pelias else _nominatim(body)


def _nominatim(body: object) -> Place | None:
    if not isinstance(body, list) or not body:
        return None
    hit = body[0]
    return Place(str(hit.get("display_name", "")), float(hit["lat"]), float(hit["lon"]), "search")


def _pelias(body: object) -> Place | None:
    features = body.get("features") if isinstance(body, dict) else None
    if not features:
        return None
    lon, lat = features[0]["geometry"]["coordinates"][:2]
    label = features[0].get("properties", {}).get("label", "")
    return Place(str(label), float(lat), float(lon), "search")


@dataclass(frozen=True)
class FirstOf:
    """The first geocoder that places the text."""

    geocoders: Sequence[Geocoder]

    def locate(self, text: str) -> Place | None:
        for geocoder in self.geocoders:
            place = geocoder.locate(text)
            if place is not None:
                return place
        return None
