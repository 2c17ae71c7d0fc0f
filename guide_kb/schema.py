"""JSON Schema of knowledge/guide.yml (the prose version is knowledge/SCHEMA.md)."""

_TEXT = {"type": "string", "minLength": 1}
_OPTIONAL_TEXT = {"type": ["string", "null"], "minLength": 1}
_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_WORDS = {"type": "array", "items": _TEXT}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

_HOURS = {
    "type": "object",
    "required": ["text", "days_of_month"],
    "additionalProperties": False,
    "properties": {
        "text": _TEXT,
        "days_of_month": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 31},
            "minItems": 2,
            "maxItems": 2,
        },
    },
}

_PLACE = {
    "type": "object",
    "required": ["name", "text"],
    "additionalProperties": False,
    "properties": {
        "name": _TEXT,
        "text": _TEXT,
        "address": _OPTIONAL_TEXT,
        "floor": _OPTIONAL_TEXT,
        "windows": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        "for": _OPTIONAL_TEXT,
        "counties": _WORDS,
    },
}

_STEP = {
    "oneOf": [
        _TEXT,
        {
            "type": "object",
            "required": ["label", "text"],
            "additionalProperties": False,
            "properties": {"label": _TEXT, "text": _TEXT},
        },
    ]
}

_MATERIAL = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": _TEXT,
        "form": {"enum": [None, "原件", "复印件", "原件及复印件"]},
        "condition": _OPTIONAL_TEXT,
        "obtain": _OPTIONAL_TEXT,
        "note": _OPTIONAL_TEXT,
        # the situation (vocabulary.yml) its condition describes: told, it narrows the list
        "situation": _ID,
    },
}

_ROUTE = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {"text": _TEXT, "url": _TEXT, "number": _TEXT},
}

# Situations (vocabulary.yml) this entry does not serve, each with the item the guide sends that
# situation to instead, or null when the guide covers it nowhere.
_EXCLUDES = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "null"}, _ID]},
}

_NOT_COVERED = {
    "type": "object",
    "required": ["term", "example"],
    "additionalProperties": False,
    "properties": {"term": _TEXT, "example": _TEXT, "beside_services": {"type": "boolean"}},
}

_ITEM = {
    "type": "object",
    "required": ["id", "name", "aliases", "materials", "steps"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "name": _TEXT,
        "aliases": _WORDS,
        "materials": {"type": "array", "items": _MATERIAL},
        "no_materials": {"type": "boolean"},
        "no_materials_note": _OPTIONAL_TEXT,
        "steps": {"type": "array", "items": _STEP, "minItems": 1},
        "places": {"type": "array", "items": _PLACE},
        "hours": {"oneOf": [{"type": "null"}, _HOURS]},
        "duration": _OPTIONAL_TEXT,
        "online": _ROUTE,
        "phone": _ROUTE,
        "see_also": _OPTIONAL_TEXT,
        # papers the service makes that the guide gives no way to replace when lost
        "issues": _WORDS,
        # the guide's heading for the item with its note in brackets, verbatim
        "note": _OPTIONAL_TEXT,
        "excludes": _EXCLUDES,
        # situations that must hold (in the question or the conversation's package)
        "requires": {"type": "array", "items": _ID},
        # situations this item is the guide's answer for (a new card for the benefit → 账户维护)
        "serves": {"type": "array", "items": _ID},
        # when the bureau last checked this entry against current policy (ISO date); without
        # it, the document's effective date
        "reviewed_on": _DATE,
    },
}

_PACKAGE = {
    "type": "object",
    "required": ["id", "number", "ordinal", "name", "description", "audience", "aliases",
                 "places", "items"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "number": {"type": "integer", "minimum": 1},
        "ordinal": _TEXT,
        "name": _TEXT,
        "description": _TEXT,
        "audience": _TEXT,
        "aliases": _WORDS,
        "places": {"type": "array", "items": _PLACE, "minItems": 1},
        "hours": {"oneOf": [{"type": "null"}, _HOURS]},
        "steps": {"type": "array", "items": _STEP},
        "items": {"type": "array", "items": _ITEM, "minItems": 1},
        "excludes": _EXCLUDES,
        # situations this package is the guide's answer for (退休后过世 → 第九包)
        "serves": {"type": "array", "items": _ID},
    },
}

GUIDE_SCHEMA = {
    "type": "object",
    "required": ["document", "packages"],
    "additionalProperties": False,
    "properties": {
        "document": {
            "type": "object",
            "required": ["title", "number", "date", "issuer", "hotline", "online_hall"],
            "additionalProperties": False,
            "properties": {
                "title": _TEXT,
                "number": _TEXT,
                "date": _DATE,
                "version": _TEXT,          # 试行
                "effective_date": _DATE,   # in force from
                "issuer": _TEXT,
                "hotline": _TEXT,
                "online_hall": _TEXT,
            },
        },
        "packages": {"type": "array", "items": _PACKAGE, "minItems": 1},
        # Services next to the guide's that it does not cover, each with a question that the
        # guide's vocabulary alone would answer with a nearby service (tests check both).
        "not_covered": {"type": "array", "items": _NOT_COVERED},
    },
}
