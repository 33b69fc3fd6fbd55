"""The OSRM provider, against a small local server that answers like OSRM's table service."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from routing.travel.osrm import UNREACHABLE_S, OsrmTableProvider
from routing.travel.providers import Location, TravelError, TravelProvider, VehicleType

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class FakeOsrm(BaseHTTPRequestHandler):
    """Answers /table/v1/{profile}/{coords} with |i - j| * 100 s, null for index 9, errors
    for the profile 'broken'; it records each request path."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        FakeOsrm.seen.append(self.path)
        parts = url.path.split("/")
        profile, coords = parts[3], parts[4].split(";")
        query = parse_qs(url.query)
        sources = [int(i) for i in query["sources"][0].split(";")]
        targets = [int(i) for i in query["destinations"][0].split(";")]
        if profile == "broken":
            body = {"code": "InvalidQuery", "message": "Query string malformed"}
        else:
            durations = [[None if 9 in (i, j) else abs(i - j) * 100.0 for j in targets]
                         for i in sources]  # fmt: skip
            body = {"code": "Ok", "durations": durations, "sources": [{}] * len(coords)}
        data = json.dumps(body).encode()
        self.send_response(200 if profile != "broken" else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass  # keep the test output clean


@pytest.fixture
def osrm_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def points(count: int) -> list[Location]:
    return [Location(31.2 + i / 100, 121.4 + i / 100) for i in range(count)]


def test_table_is_read_into_whole_seconds(osrm_url: str) -> None:
    """Durations come back as an origins x destinations matrix of integers."""
    provider = OsrmTableProvider(osrm_url)
    assert isinstance(provider, TravelProvider)
    matrix = provider.seconds(points(2), points(3), VehicleType.CAR, NOW)
    # Origins are indices 0-1 of the request, destinations 2-4.
    assert matrix.tolist() == [[200, 300, 400], [100, 200, 300]]


def test_request_uses_the_profile_of_the_vehicle_and_lon_lat_order(osrm_url: str) -> None:
    """Bicycles ask the cycling profile; coordinates are written longitude first."""
    FakeOsrm.seen.clear()
    OsrmTableProvider(osrm_url).seconds(points(1), points(1), VehicleType.BICYCLE, NOW)
    assert FakeOsrm.seen[0].startswith("/table/v1/cycling/121.400000,31.200000;")


def test_unroutable_pairs_become_a_day(osrm_url: str) -> None:
    """OSRM's null (no route) is read as a very long trip rather than failing."""
    matrix = OsrmTableProvider(osrm_url).seconds(points(9), points(1), VehicleType.CAR, NOW)
    assert matrix[0, 0] == UNREACHABLE_S


def test_server_errors_raise_travel_error(osrm_url: str) -> None:
    """An error answer is a TravelError naming the server."""
    provider = OsrmTableProvider(osrm_url, profiles={v: "broken" for v in VehicleType})
    with pytest.raises(TravelError, match=r"HTTP 400: .*Query string malformed"):
        provider.seconds(points(2), points(2), VehicleType.CAR, NOW)


def test_unreachable_server_raises_travel_error() -> None:
    """Nothing listening on the port is a TravelError, not a hang or a bare exception."""
    provider = OsrmTableProvider("http://127.0.0.1:9", timeout_s=2.0)
    with pytest.raises(TravelError, match="OSRM table"):
        provider.seconds(points(2), points(2), VehicleType.CAR, NOW)
