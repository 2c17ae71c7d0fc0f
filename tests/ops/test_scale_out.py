"""Scale-out: the action server and TWO Rasa servers sharing a PostgreSQL tracker store and a
Redis lock store (what deploy/docker-compose.yml runs); one conversation goes back and forth
between them turn by turn and keeps its context."""
import concurrent.futures
import random
import urllib.error
import urllib.request
import uuid

import pytest

from ops.settings import Settings
from tests.model import require_model
from tests.ops.services import fresh_database, require_redis
from tests.ops.stack import OpsStack, RasaSpec

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tracker_db():
    yield from fresh_database("rasa_scaleout")


@pytest.fixture(scope="module")
def scaled(tracker_db, tmp_path_factory):
    require_redis()
    model = require_model()
    settings = Settings(tracker_db_url=tracker_db,
                        lock_store_url=f"redis://127.0.0.1:6379/{random.randint(1, 15)}")
    # two action server workers, as in deploy/docker-compose.yml
    stack = OpsStack(tmp_path_factory.mktemp("scale-out"), settings,
                     extra_env={"ACTION_SERVER_SANIC_WORKERS": "2"})
    try:
        stack.start_actions()
        stack.start_many(model, [RasaSpec(), RasaSpec()])
        yield stack
    finally:
        stack.stop()


def sender() -> str:
    return f"scale-{uuid.uuid4().hex[:8]}"


def stored_user_texts(url: str, user: str):
    import psycopg2

    with psycopg2.connect(url, connect_timeout=5) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT data::json->>'text' FROM events WHERE sender_id = %s AND "
                           "type_name = 'user' ORDER BY id", (user,))
            return [row[0] for row in cursor.fetchall()]


def test_the_endpoints_use_postgresql_and_redis(scaled):
    text = scaled.endpoints.read_text()
    assert "dialect: postgresql" in text and "type: ops.lock_store.AtomicRedisLockStore" in text


def test_one_conversation_across_two_rasa_servers(scaled, tracker_db):
    a, b = scaled.rasa_ports
    user = sender()
    assert "社会保障卡补领、换领、换发" in scaled.ask(user, "社保卡补办", port=a)
    assert "身份证" in scaled.ask(user, "需要带什么", port=b)
    assert "转入地" in scaled.ask(user, "失业保险关系转出需要什么", port=a)
    assert "跨地区转移就业有关情况登记表" in scaled.ask(user, "那转入呢", port=b)
    assert stored_user_texts(tracker_db, user) == [
        "社保卡补办", "需要带什么", "失业保险关系转出需要什么", "那转入呢"]


def test_simultaneous_messages_of_one_sender_on_both_servers_are_both_kept(scaled, tracker_db):
    """The Redis lock store serialises one conversation across the servers: nothing is lost."""
    a, b = scaled.rasa_ports
    user = sender()
    scaled.ask(user, "社保卡补办", port=a)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda args: scaled.ask(user, *args),
                                [("需要带什么", a), ("在哪办", b)]))
    assert all(r and "系统繁忙" not in r for r in replies), replies
    texts = stored_user_texts(tracker_db, user)
    assert texts[0] == "社保卡补办" and sorted(texts[1:]) == sorted(["需要带什么", "在哪办"])


def test_the_report_reads_what_the_servers_stored(scaled, tracker_db, tmp_path):
    from ops.report import build_report

    user = sender()
    scaled.ask(user, "公积金怎么提取", port=scaled.rasa_ports[1])
    made = build_report(Settings(tracker_db_url=tracker_db), tmp_path / "no-feedback.db")
    assert "公积金怎么提取" in {row["question"] for row in made["fallback"]}
    services = {row["ref"]: row for row in made["services"]}
    assert services["item:card_replacement"]["name"] == "社会保障卡补领、换领、换发"
    assert made["feedback"]["up"] == made["feedback"]["down"] == 0


def test_postgresql_lost_while_running_then_back(scaled, tracker_db):
    """The tracker database goes away under running servers (connections cut, new ones refused).
    A turn that cannot be stored is not answered as if all were well: the user is told to ask
    again (no 500), the REST health endpoint turns red, and nothing of that time reaches
    PostgreSQL. When the database is back, the conversation continues from what PostgreSQL
    holds. Runs last: it cuts both servers' connections."""
    import psycopg2

    from tests.ops.services import postgres_admin

    admin, _ = postgres_admin()
    name = tracker_db.rsplit("/", 1)[1]
    a, b = scaled.rasa_ports
    user = sender()
    assert "社会保障卡补领、换领、换发" in scaled.ask(user, "社保卡补办", port=a)

    def set_reachable(allowed: bool) -> None:
        connection = psycopg2.connect(admin, connect_timeout=5)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
                if not allowed:
                    cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        finally:
            connection.close()

    set_reachable(False)
    try:
        for reply in (scaled.ask(user, "需要带什么", port=b),
                      scaled.ask(sender(), "社保卡补办", port=a)):
            assert "请稍后再问一次" in reply and "12333" in reply
        health = f"http://127.0.0.1:{b}/webhooks/rest/"
        with pytest.raises(urllib.error.HTTPError) as red:
            urllib.request.urlopen(health, timeout=10)
        assert red.value.code == 503 and b"storage" in red.value.read()
    finally:
        set_reachable(True)
    assert "身份证" in scaled.ask(user, "需要带什么", port=b)
    assert stored_user_texts(tracker_db, user) == ["社保卡补办", "需要带什么"]
