"""Operating the bot: settings from the environment, start-up checks, the operators' report."""
