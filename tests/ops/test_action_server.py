"""ops.action_server: rasa-sdk's app without the error reply that quoted the request body."""
import asyncio
import json

from ops.action_server import app, without_echo


class _Request:
    path = "/webhook"
    json = {"tracker": {"latest_message": {"text": "我的手机13912345678"}}}


def test_an_action_error_does_not_echo_the_request():
    response = asyncio.run(without_echo(_Request(), ValueError("我的手机13912345678")))
    assert response.status == 500
    assert json.loads(response.body) == {"error": "the action failed"}
    assert b"13912345678" not in response.body


def test_the_app_answers_errors_with_it():
    server = app()
    assert server.error_handler.lookup(ValueError("x"), None) is without_echo
