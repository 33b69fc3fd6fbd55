"""Geocoding never guesses: known places match by name (with typos in long names, in
English or Chinese), a district's name or an unknown street places nothing, two matching
places place nothing; a Nominatim- or Pelias-style endpoint is read over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from routing.travel.geocode import FirstOf, GeocoderError, KnownPlaces, Place, SearchGeocoder

TOWER = Place("Shanghai Tower", 31.2335, 121.5055, "landmark", ("上海中心大厦",))
PEARL = Place("Oriental Pearl Tower", 31.2397, 121.4998, "landmark", ("东方明珠",))
HOME = Place("No. 848 Hongqiao Road, People's Square", 31.23, 121.47, "saved", ("my home",))
IFC = Place("IFC Mall", 31.2364, 121.502, "landmark", ("国金中心",))
KNOWN = KnownPlaces((TOWER, PEARL, HOME, IFC))


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("deliver to Shanghai Tower please", TOWER),
        ("送到上海中心大厦", TOWER),
        ("near the oriental perl tower", PEARL),
        ("send it to my home", HOME),
        ("No. 848 Hongqiao Road, People's Square", HOME),
        ("hmm actually IFC is better", IFC),
        ("算了还是上海中心吧", TOWER),
        ("gai song dao guojin zhongxin", IFC),
        ("shanghaizhongxindasha", TOWER),
    ],
)
def test_known_places_by_name(text: str, place: Place) -> None:
    """A landmark by its name or alias, its acronym ("IFC"), the first four characters of
    its Chinese name ("上海中心") or its pinyin, spaced or run together."""
    assert KNOWN.locate(text) == place


@pytest.mark.parametrize(
    "text",
    ["Lujiazui", "No. 9 Fuzhou Road, People's Square", "the tower", "", "x" * 10_000, "IFCs"],
)
def test_no_guess_for_what_names_no_place(text: str) -> None:
    """A district, an unknown street or a vague word places nothing."""
    assert KNOWN.locate(text) is None


def test_two_places_at_once_place_nothing() -> None:
    """A text naming two places of the same length is ambiguous: nothing is chosen."""
    twins = KnownPlaces((Place("Mall A", 1, 1, "landmark"), Place("Mall B", 2, 2, "landmark")))
    assert twins.locate("Mall A or Mall B") is None


class _Search(BaseHTTPRequestHandler):
    body: ClassVar[object] = []
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        out = json.dumps(self.body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def search() -> Iterator[tuple[str, type[_Search]]]:
    handler = type("Handler", (_Search,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def test_nominatim_and_pelias_answers(search: tuple[str, type[_Search]]) -> None:
    """The first hit of either dialect is the place; no hit places nothing."""
    url, handler = search
    handler.body = [{"lat": "31.1", "lon": "121.2", "display_name": "Somewhere"}]
    assert SearchGeocoder(url).locate("Somewhere 1") == Place("Somewhere", 31.1, 121.2, "search")
    assert "q=Somewhere+1" in handler.seen[-1] and "format=jsonv2" in handler.seen[-1]
    handler.body = {
        "features": [{"geometry": {"coordinates": [121.3, 31.3]}, "properties": {"label": "P"}}]
    }
    assert SearchGeocoder(url + "/v1").locate("P") == Place("P", 31.3, 121.3, "search")
    assert handler.seen[-1].startswith("/v1/search?text=P")
    handler.body = []
    assert FirstOf((KNOWN, SearchGeocoder(url))).locate("nowhere at all") is None
    assert FirstOf((KNOWN, SearchGeocoder(url))).locate("Shanghai Tower") == TOWER


def test_an_unreachable_endpoint_is_an_error_naming_it() -> None:
    with pytest.raises(GeocoderError, match=r"127\.0\.0\.1:9"):
        SearchGeocoder("http://127.0.0.1:9", timeout_s=2).locate("anything")
