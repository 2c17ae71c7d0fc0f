"""Custom Rasa NLU graph components of this bot."""
