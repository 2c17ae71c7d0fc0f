"""Custom Rasa input channels of the bot (credentials.yml names them by class path).

Rasa imports this package when it loads the channels, which makes it the place to install
channels.action_validation in the Rasa process.
"""
from channels import action_validation

action_validation.install()
