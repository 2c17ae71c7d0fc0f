"""Rasa NLU component: normalise text before the tokenizer sees it.

Placed first in config.yml's pipeline, so traditional characters, full-width forms and misspelled
service names (社报卡) reach JiebaTokenizer and the featurizers in the form the training data uses.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from guide_kb.normalize import normalize


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class TextNormalizer(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "TextNormalizer":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._normalize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._normalize(messages)
        return messages

    @staticmethod
    def _normalize(messages: List[Message]) -> None:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, normalize(text))
