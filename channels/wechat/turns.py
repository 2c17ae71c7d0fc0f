"""Recording a fixed reply as a turn of the user's conversation in Rasa's tracker store.

A fixed text of menu.yml (the welcome, a keyword's text) is answered by the channel, not by the
bot, so Rasa would never see it and the operators' report would not count it. It is written the
way Rasa writes a turn, through the agent's own processor and under the conversation's lock: the
user's message with the reply's intent (confidence 1, as a payload gets) and the channel's name,
the reply as the bot's utterance, then action_listen. log_message also starts a new session when
the last one expired, as for a chat message.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FixedTurn:
    said: str  # the user's text, or /<intent> for a menu click or 关注
    intent: str  # an intent of domain.yml
    key: str  # the reply's key in menu.yml, kept in the events' metadata


async def record_turn(agent: Any, sender_id: str, turn: FixedTurn, reply: str,
                      input_channel: str) -> None:
    """Append the turn to the tracker of `sender_id`; `agent` is Rasa's Agent."""
    if agent is None or not agent.is_ready():
        logger.warning("wechat: no model is loaded, a fixed reply was not recorded")
        return
    intent = {"name": turn.intent, "confidence": 1.0}
    parse_data = {"text": turn.said, "intent": intent, "intent_ranking": [intent],
                  "entities": []}
    metadata = {"fixed_reply": turn.key}
    message = UserMessage(turn.said, CollectingOutputChannel(), sender_id, parse_data,
                          input_channel=input_channel, metadata=metadata)
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.processor.log_message(message, should_save_tracker=False)
        tracker.update(BotUttered(reply, metadata=metadata))
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await agent.processor.save_tracker(tracker)
