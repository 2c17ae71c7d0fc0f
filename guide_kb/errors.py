"""Typed errors of the knowledge base."""


class GuideError(Exception):
    """Base class: anything wrong with knowledge/guide.yml."""


class GuideFileError(GuideError):
    """The file is missing or is not YAML."""


class GuideSchemaError(GuideError):
    """The file is YAML but an entry breaks the schema; the message names entry and field."""
