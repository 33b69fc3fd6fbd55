"""Travel times from an OSRM server's `table` service."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from routing.travel.providers import Location, TravelError, VehicleType

DEFAULT_PROFILES: Mapping[VehicleType, str] = {
    VehicleType.BICYCLE: "cycling",
    VehicleType.EBIKE: "cycling",
    VehicleType.SCOOTER: "driving",
    VehicleType.CAR: "driving",
}
# OSRM answers null where no route exists; such a pair is treated as a day away.
UNREACHABLE_S = 86_400


@dataclass(frozen=True)
class OsrmTableProvider:
    """Calls GET {base_url}/table/v1/{profile}/{lon,lat;...}?sources=..&destinations=..

    OSRM has no notion of the hour, so `at` is accepted and ignored; traffic-aware times
    need a server built with traffic data.
    """

    base_url: str
    profiles: Mapping[VehicleType, str] = field(default_factory=lambda: DEFAULT_PROFILES)
    timeout_s: float = 10.0

    def url(
        self, origins: Sequence[Location], destinations: Sequence[Location], profile: str
    ) -> str:
        points = [*origins, *destinations]
        coords = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
        sources = ";".join(str(i) for i in range(len(origins)))
        targets = ";".join(str(len(origins) + i) for i in range(len(destinations)))
        base = self.base_url.rstrip("/")
        return (
            f"{base}/table/v1/{profile}/{coords}"
            f"?sources={sources}&destinations={targets}&annotations=duration"
        )

    def seconds(
        self,
        origins: Sequence[Location],
        destinations: Sequence[Location],
        vehicle: VehicleType,
        at: datetime,
    ) -> NDArray[np.int64]:
        if not origins or not destinations:
            return np.zeros((len(origins), len(destinations)), dtype=np.int64)
        url = self.url(origins, destinations, self.profiles[VehicleType(vehicle)])
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            # OSRM explains a refused query in the body of the error answer.
            detail = exc.read().decode(errors="replace")[:200]
            raise TravelError(f"OSRM table at {self.base_url}: HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
            raise TravelError(f"OSRM table at {self.base_url}: {exc}") from exc
        if body.get("code") != "Ok":
            raise TravelError(
                f"OSRM table at {self.base_url}: code {body.get('code')!r}: {body.get('message')}"
            )
        durations = body.get("durations")
        shape = (len(origins), len(destinations))
        if not isinstance(durations, list) or len(durations) != shape[0]:
            raise TravelError(f"OSRM table at {self.base_url}: durations is not a {shape} matrix")
        table = np.array(
            [[UNREACHABLE_S if d is None else d for d in row] for row in durations], dtype=float
        )
        if table.shape != shape:
            raise TravelError(f"OSRM table at {self.base_url}: durations has shape {table.shape}")
        return np.rint(table).astype(np.int64)
