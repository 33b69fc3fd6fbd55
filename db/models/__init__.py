"""The store's tables as typed SQLAlchemy models."""

from db.models.base import Base
from db.models.city import (
    COURIER_STATUSES,
    LANGUAGES,
    VEHICLE_TYPES,
    Courier,
    Customer,
    Merchant,
    Place,
    Zone,
)
from db.models.demand import (
    DemandObservation,
    Forecast,
    ForecastRun,
    ForecastSeries,
    StaffingPlan,
    StaffingPlanRow,
)
from db.models.orders import Order, OrderEvent
from db.models.plans import Assignment, PlanProposal, RoutePlan
from db.models.service import AuditEntry, Compensation, Conversation, Message, Ticket
from db.models.simulation import SIMULATION_STATUSES, Simulation

__all__ = [
    "COURIER_STATUSES",
    "LANGUAGES",
    "SIMULATION_STATUSES",
    "VEHICLE_TYPES",
    "Assignment",
    "AuditEntry",
    "Base",
    "Compensation",
    "Conversation",
    "Courier",
    "Customer",
    "DemandObservation",
    "Forecast",
    "ForecastRun",
    "ForecastSeries",
    "Merchant",
    "Message",
    "Order",
    "OrderEvent",
    "Place",
    "PlanProposal",
    "RoutePlan",
    "Simulation",
    "StaffingPlan",
    "StaffingPlanRow",
    "Ticket",
    "Zone",
]
