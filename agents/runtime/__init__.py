"""The agent runtime: one session for every agent, two ways to decide a turn.

The session (who the user is, the conversation, the pending write and its yes/no gate)
is the same whichever strategy decides: ``rules`` (code decides, the embedded model may
help) or ``tools`` (a capable model calls the tools). Both run as a LangGraph state graph
whose state a checkpointer keeps in the shared store, so any process can take the next
turn.
"""

from agents.runtime.context import SessionContext
from agents.runtime.profile import Decision, Profile
from agents.runtime.session import AgentSession, ConversationBusyError, Turn
from agents.runtime.state import Pending, new_pending
from agents.runtime.strategy import Strategy, ToolMode, resolve_strategy

__all__ = [
    "AgentSession",
    "ConversationBusyError",
    "Decision",
    "Pending",
    "Profile",
    "SessionContext",
    "Strategy",
    "ToolMode",
    "Turn",
    "new_pending",
    "resolve_strategy",
]
