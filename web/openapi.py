"""Hand-written OpenAPI 3 description of /api, served at /api/openapi.json."""
from __future__ import annotations

from typing import Any, Dict

from web.feedback import NOTE_LIMIT, REASONS

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: Dict[str, Any], description: str) -> Dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def spec(max_query: int) -> Dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "抚顺人社快办助手 Web API",
            "version": "1.0.0",
            "description": "查询《抚顺市人社服务快办行动打包办服务指南（试行）》的服务包和事项，"
                           "以及保存在线咨询答复的评价。所有内容均来自 knowledge/guide.yml。",
        },
        "paths": {
            "/api/search": {"get": {
                "summary": "按问题或关键词搜索事项",
                "parameters": [
                    {"name": "q", "in": "query", "required": True,
                     "schema": {"type": "string", "minLength": 1, "maxLength": max_query},
                     "example": "社保卡挂失"},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 10, "default": 5}},
                ],
                "responses": {
                    "200": _json({"type": "object", "properties": {
                        "query": {"type": "string"},
                        "day": {"type": "string", "format": "date"},
                        "results": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/ItemDetail"}}}},
                        "匹配的事项，按相关度排序（可能为空）"),
                    "400": _json(_ERROR, "q 缺失、为空或超过长度限制"),
                }}},
            "/api/packages": {"get": {
                "summary": "十个服务包及其事项",
                "responses": {"200": _json({"type": "object", "properties": {
                    "document": {"$ref": "#/components/schemas/Document"},
                    "day": {"type": "string", "format": "date"},
                    "packages": {"type": "array",
                                 "items": {"$ref": "#/components/schemas/Package"}}}},
                    "服务包列表")}}},
            "/api/items/{id}": {"get": {
                "summary": "一个事项的完整信息",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string"}, "example": "card_loss_report"}],
                "responses": {"200": _json({"$ref": "#/components/schemas/ItemDetail"}, "事项"),
                              "404": _json(_ERROR, "没有这个事项")}}},
            "/api/feedback": {"post": {
                "summary": "对助手的一条答复点赞或点踩",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Feedback"}}}},
                "responses": {
                    "201": _json({"type": "object", "properties": {
                        "ok": {"type": "boolean"}, "id": {"type": "integer"}}}, "已保存"),
                    "400": _json(_ERROR, "请求体不是合法 JSON 或字段类型错误"),
                }}},
            "/api/feedback/{id}/reason": {"post": {
                "summary": "点踩之后说明原因（可选）",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"type": "object", "required": ["sender", "reason"],
                               "properties": {
                                   "sender": {"type": "string", "maxLength": 128},
                                   "reason": {"enum": list(REASONS)},
                                   "note": {"type": "string", "maxLength": NOTE_LIMIT}}}}}},
                "responses": {
                    "200": _json({"type": "object", "properties": {
                        "ok": {"type": "boolean"}}}, "已保存"),
                    "400": _json(_ERROR, "请求体不是合法 JSON 或字段错误"),
                    "404": _json(_ERROR, "没有这位用户的这条点踩"),
                }}},
            "/api/openapi.json": {"get": {
                "summary": "本说明", "responses": {"200": {"description": "OpenAPI 3 文档"}}}},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"],
                      "properties": {"error": {"type": "string"}}},
            "Document": {"type": "object", "properties": {k: {"type": "string"} for k in (
                "title", "number", "date", "issuer", "hotline", "online_hall", "version",
                "effective_date")}},
            "PackageRef": {"type": "object", "properties": {
                "id": {"type": "string"}, "number": {"type": "integer"},
                "ordinal": {"type": "string"}, "name": {"type": "string"},
                "source": {"type": "string"}}},
            "Place": {"type": "object", "properties": {
                "name": {"type": "string"}, "text": {"type": "string"},
                "address": {"type": "string", "nullable": True},
                "floor": {"type": "string", "nullable": True},
                "windows": {"type": "array", "items": {"type": "integer"}},
                "applies_to": {"type": "string", "nullable": True},
                "counties": {"type": "array", "items": {"type": "string"}}}},
            "Package": {"allOf": [{"$ref": "#/components/schemas/PackageRef"}, {
                "type": "object", "properties": {
                    "description": {"type": "string"}, "audience": {"type": "string"},
                    "places": {"type": "array", "items": {"$ref": "#/components/schemas/Place"}},
                    "hours": {"type": "object", "nullable": True},
                    "items": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "name": {"type": "string"}}}}}}]},
            "ItemDetail": {"type": "object", "properties": {
                "id": {"type": "string"}, "name": {"type": "string"},
                "package": {"$ref": "#/components/schemas/PackageRef"},
                "audience": {"type": "string"},
                "places": {"type": "array", "items": {"$ref": "#/components/schemas/Place"}},
                "place_lines": {"type": "array", "items": {"type": "string"}},
                "windows": {"type": "array", "items": {"type": "integer"}},
                "hours": {"type": "object", "nullable": True, "description":
                          "办理时间（如 59号窗口 每月1-15号）及今天是否可办", "properties": {
                              "text": {"type": "string"},
                              "days_of_month": {"type": "array", "items": {"type": "integer"}},
                              "open_today": {"type": "boolean"},
                              "next_open": {"type": "string", "format": "date"},
                              "last_day": {"type": "string", "format": "date"},
                              "today": {"type": "string"}}},
                "hours_lines": {"type": "array", "items": {"type": "string"}},
                "materials": {"type": "array", "items": {"type": "object", "properties": {
                    "label": {"type": "string"}, "name": {"type": "string"}}}},
                "no_materials": {"type": "boolean"},
                "materials_note": {"type": "string", "nullable": True},
                "steps": {"type": "array", "items": {"type": "string"}},
                "see_also": {"type": "string", "nullable": True},
                "note": {"type": "string", "nullable": True},
                "online": {"type": "object", "nullable": True},
                "phone": {"type": "object", "nullable": True},
                "duration": {"type": "string", "nullable": True},
                "source": {"type": "string"},
                "answer": {"type": "string", "description": "可直接朗读或短信发送的纯文本答复"},
                "day": {"type": "string", "format": "date"}}},
            "Feedback": {"type": "object", "required": ["sender", "question", "answer", "rating"],
                         "properties": {
                             "sender": {"type": "string", "maxLength": 128},
                             "question": {"type": "string", "maxLength": 2000},
                             "answer": {"type": "string", "maxLength": 8000},
                             "rating": {"type": "string", "enum": ["up", "down"]}}},
        }},
    }
