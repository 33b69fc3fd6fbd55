"""The geocoder a customer's address goes through: places the store knows, then a search
endpoint if one is configured. The customer's own saved address answers to "home"; other
customers' addresses are never among the places."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer, Merchant, Order, Place
from routing.travel.geocode import FirstOf, Geocoder, KnownPlaces
from routing.travel.geocode import Place as Spot

HOME_WORDS = (
    "home",
    "my home",
    "my place",
    "my house",
    "my flat",
    "my apartment",
    "my saved address",
    "我家",
    "家里",
    "回家",
    "住处",
    "家里地址",
    "常用地址",
)


def known_places(session: Session, customer_id: int) -> KnownPlaces:
    spots = [
        Spot(p.name, p.lat, p.lon, "landmark", (p.name_zh,) if p.name_zh else ())
        for p in session.scalars(select(Place).order_by(Place.id))
    ]
    spots += [
        Spot(m.name, m.lat, m.lon, "merchant")
        for m in session.scalars(select(Merchant).order_by(Merchant.id))
    ]
    customer = session.get(Customer, customer_id)
    if customer is not None:
        spots.append(Spot(customer.address, customer.lat, customer.lon, "saved", HOME_WORDS))
        seen = {customer.address}
        past = session.execute(
            select(Order.dropoff_address, Order.dropoff_lat, Order.dropoff_lon)
            .where(Order.customer_id == customer_id)
            .order_by(Order.placed_at.desc())
            .limit(50)
        )
        for address, lat, lon in past:
            if address not in seen:
                seen.add(address)
                spots.append(Spot(address, lat, lon, "saved"))
    return KnownPlaces(tuple(spots))


def geocoder_for(session: Session, customer_id: int, search: Geocoder | None) -> Geocoder:
    known = known_places(session, customer_id)
    return known if search is None else FirstOf((known, search))
