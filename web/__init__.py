"""Web front of the Fushun HRSS Q&A bot: citizen chat widget, 12333 agent console, JSON API."""
