"""The turn graph, compiled once per profile, strategy and store.

    rules:  START -> decide -> (confirm) -> END
    tools:  START -> decide <-> tools -> (confirm) -> END

``decide`` is the strategy; ``confirm`` is the gate every write passes, whichever
strategy proposed it.
"""

from __future__ import annotations

from functools import lru_cache

from langchain_core.messages import AIMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.runtime.context import SessionContext
from agents.runtime.gate import CONFIRM, DECIDE, confirm_node
from agents.runtime.nodes import model_node, rules_node, tools_node
from agents.runtime.profile import Profile
from agents.runtime.state import AgentState
from agents.runtime.strategy import Strategy

TOOLS = "tools"


def _after_decide(state: AgentState) -> str:
    last = state["messages"][-1] if state.get("messages") else None
    if isinstance(last, AIMessage) and last.tool_calls:
        return TOOLS
    return CONFIRM if state.get("pending") else END


def _after_tools(state: AgentState) -> str:
    return CONFIRM if state.get("pending") else DECIDE


@lru_cache(maxsize=32)
def compiled_graph(
    profile: Profile, strategy: Strategy, checkpointer: BaseCheckpointSaver[str]
) -> CompiledStateGraph[AgentState, SessionContext, AgentState, AgentState]:
    builder = StateGraph(AgentState, context_schema=SessionContext)
    builder.add_node(CONFIRM, confirm_node(profile), destinations=(DECIDE, CONFIRM, END))
    if strategy is Strategy.rules:
        builder.add_node(DECIDE, rules_node(profile))
        builder.add_conditional_edges(DECIDE, _after_decide, [CONFIRM, END])
    else:
        builder.add_node(DECIDE, model_node(profile))
        builder.add_node(TOOLS, tools_node(profile))
        builder.add_conditional_edges(DECIDE, _after_decide, [TOOLS, CONFIRM, END])
        builder.add_conditional_edges(TOOLS, _after_tools, [CONFIRM, DECIDE])
    builder.add_edge(START, DECIDE)
    return builder.compile(checkpointer=checkpointer)
