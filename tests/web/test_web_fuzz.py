"""Property-based fuzzing of the web app's /api/* and static paths (Hypothesis): no 5xx for any
query, path or body, and the search still answers afterwards."""
import json
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import get_json, http

FUZZ = settings(max_examples=80, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.lists(st.one_of(st.characters(blacklist_categories=()),
                          st.sampled_from(["²", "\x00", "\ud800", "\u202e", "😀", "社保卡", "%",
                                           "..", "/"])), max_size=30).map("".join)


def _quoted(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@FUZZ
@given(path=st.sampled_from(["/api/search?q=", "/api/search?q=a&limit=", "/api/items/",
                             "/static/", "/api/packages?x=", "/agent?q="]), text=TEXT)
def test_any_query_or_path_is_never_a_5xx(api_server, path, text):
    status, _, _ = http("GET", f"{api_server.url}{path}{_quoted(text)}")
    assert status < 500, (path, text)


@FUZZ
@given(payload=st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                            lambda c: st.lists(c, max_size=3) | st.dictionaries(TEXT, c,
                                                                                max_size=5),
                            max_leaves=10))
def test_any_feedback_body_is_never_a_5xx(api_server, payload):
    body = json.dumps(payload, ensure_ascii=True).encode()
    status, _, _ = http("POST", f"{api_server.url}/api/feedback", body,
                        {"Content-Type": "application/json",
                         "Origin": "https://www.example.gov.cn"})
    assert status < 500, payload


def test_the_search_still_answers_after_the_fuzzing(api_server):
    status, _, body = get_json(f"{api_server.url}/api/search?q={quote('社保卡挂失')}")
    assert status == 200 and body["results"]
