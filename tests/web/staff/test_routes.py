"""Access to /staff: every route needs a session (401 for the API, the login page for pages),
every POST its CSRF token, resolving and publishing the editor role; logins are rate-limited."""
from __future__ import annotations

import json
import re

import pytest

from tests.web.conftest import http
from tests.web.staff.conftest import Client
from web.staff import routes

PAGES = ["/staff", "/staff/inbox", "/staff/inbox?show=all", "/staff/dashboard",
         "/staff/dashboard.csv", "/staff/gaps", "/staff/audit", "/staff/publish"]
APIS = ["/staff/api/inbox", "/staff/api/dashboard", "/staff/api/publish"]
POSTS = ["/staff/logout", "/staff/inbox/resolve", "/staff/publish", "/staff/api/inbox"]


def _registered_staff_paths(app) -> set:
    return {"/" + route.path.lstrip("/") for route in app.router.routes
            if route.path.lstrip("/").startswith("staff")}


def test_every_staff_route_is_checked_here(staff_server):
    server = staff_server()
    covered = {p.split("?")[0] for p in PAGES + APIS + POSTS} | {"/staff/login"}
    assert _registered_staff_paths(server.app) <= covered


def test_without_a_session_every_route_is_refused(staff_server):
    server = staff_server()
    for path in PAGES:
        client = Client(server.url)  # follows the redirect: lands on the login form
        status, url, body = client.get(path)
        assert url.startswith(server.url + "/staff/login?next="), path
        assert 'name="password"' in body
    for path in APIS:
        status, _, body = http("GET", server.url + path)
        assert status == 401, path
        assert json.loads(body) == {"error": "需要登录"}
    for path in POSTS:
        status, _, _ = http("POST", server.url + path, b"csrf=x",
                            {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 401, path


def test_a_forged_or_expired_cookie_is_no_session(staff_server):
    server = staff_server()
    client = Client(server.url)
    client.login("vi")
    cookie = next(c for c in client.jar if c.name == "staff_session")
    status, _, _ = http("GET", server.url + "/staff/api/inbox",
                        headers={"Cookie": f"staff_session={cookie.value}x"})
    assert status == 401
    value, _, mac = cookie.value.rpartition(".")
    status, _, _ = http("GET", server.url + "/staff/api/inbox",
                        headers={"Cookie": f"staff_session=other{value}.{mac}"})
    assert status == 401
    status, _, _ = http("GET", server.url + "/staff/api/inbox",
                        headers={"Cookie": f"staff_session={cookie.value}"})
    assert status == 200


def test_login_sets_a_hardened_cookie_and_logout_ends_the_session(staff_server):
    server = staff_server()
    client = Client(server.url)
    status, url, _ = client.login("ed")
    assert status == 200 and url == server.url + "/staff/inbox"
    cookie = next(c for c in client.jar if c.name == "staff_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite") == "Strict"
    assert cookie.path == "/staff" and not cookie.secure  # plain HTTP here; Secure behind HTTPS
    session = f"staff_session={cookie.value}"
    assert http("GET", server.url + "/staff/api/inbox", headers={"Cookie": session})[0] == 200
    status, url, _ = client.post("/staff/logout", {})
    assert url.startswith(server.url + "/staff/login")
    assert client.get("/staff/api/inbox")[0] == 401
    # the old cookie opens nothing any more, although its signature is right
    assert http("GET", server.url + "/staff/api/inbox", headers={"Cookie": session})[0] == 401
    assert client.get("/staff/audit")[1].startswith(server.url + "/staff/login")


def test_the_cookie_is_secure_behind_https(staff_server):
    server = staff_server()
    client = Client(server.url)
    client.get("/staff/login")
    _, headers, _ = http("GET", server.url + "/staff/login",
                         headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in headers.get("Set-Cookie", "")


def test_wrong_passwords_are_refused_and_logged(staff_server):
    server = staff_server()
    client = Client(server.url)
    status, _, body = client.login("ed", "wrong password!!")
    assert status == 401 and "用户名或密码不正确" in body
    status, _, body = client.login("nobody", "wrong password!!")
    assert status == 401
    client.login("ed")
    _, _, audit = client.get("/staff/audit")
    assert audit.count("login failed") == 2 and "nobody" in audit


def test_csrf_is_required_on_every_form(staff_server):
    server = staff_server()
    client = Client(server.url)
    client.get("/staff/login")
    status, _, _ = client.post("/staff/login", {"username": "ed",
                                                "password": "correct horse battery"},
                               csrf=False)
    assert status == 403
    status, _, _ = client.request("POST", "/staff/login", {
        "username": "ed", "password": "correct horse battery", "csrf": "forged"})
    assert status == 403
    client.login("ed")
    good = client.csrf
    for path, form in (("/staff/logout", {}), ("/staff/inbox/resolve", {"entry": "turn:1",
                                                                         "kind": "right"}),
                       ("/staff/publish", {"step": "start"})):
        assert client.request("POST", path, form)[0] == 403, path
        assert client.request("POST", path, {**form, "csrf": good + "x"})[0] == 403, path
    # another session's token is not this one's
    other = Client(server.url)
    other.login("vi")
    assert client.request("POST", "/staff/logout", {"csrf": other.csrf})[0] == 403
    assert client.get("/staff/api/inbox")[0] == 200  # still logged in


def test_login_attempts_are_rate_limited(staff_server):
    server = staff_server()
    client = Client(server.url)
    for _ in range(routes.LOGIN_PER_NAME):
        assert client.login("ed", "wrong password!!")[0] == 401
    status, _, body = client.login("ed")  # even the right password, for now
    assert status == 429 and "过于频繁" in body
    assert client.get("/staff/api/inbox")[0] == 401
    # another name from the same address still may, up to the address's own limit
    assert client.login("vi")[0] == 200


def test_a_viewer_reads_but_cannot_resolve_or_publish(staff_server):
    client = Client(staff_server().url)
    client.login("vi")
    assert client.get("/staff/inbox")[0] == 200
    assert client.post("/staff/inbox/resolve", {"entry": "turn:1", "kind": "right"})[0] == 403
    assert client.post("/staff/publish", {"step": "start"})[0] == 403


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/agent"])
def test_login_never_redirects_off_the_staff_pages(staff_server, target):
    client = Client(staff_server().url)
    client.get("/staff/login?next=" + target)
    status, url, _ = client.post("/staff/login?next=" + target,
                                 {"username": "ed", "password": "correct horse battery"})
    assert status == 200 and url.endswith("/staff/inbox")
    assert re.search(r"/staff/inbox$", url)
