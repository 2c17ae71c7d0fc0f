"""Custom Rasa input channels of the bot (credentials.yml names them by class path)."""
