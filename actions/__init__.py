"""Custom actions of the bot, served by the rasa-sdk action server (`rasa run actions`)."""
