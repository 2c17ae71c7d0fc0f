"""Publishing: retrain with the staff's wordings, score the new model, swap it into the running
Rasa — one job at a time, in a background thread, its progress readable at any moment.

1. train: the project's training data copied into var/publish/<name>/ with the lookup tables and
   the jieba dictionary generated from the guide as it is now (with knowledge/staff_wordings.yml);
   `rasa train` writes models/<name>.tar.gz (the repo's own files are not touched);
2. evaluate: the new model, and the live one unless its score is known, each in a temporary Rasa
   server (in-memory tracker store, the running action server) scored by the project's scorer
   tests/eval/run_eval.py on the publishing set (PUBLISH_EVAL_SET, default tests/eval/dev.yml);
3. confirm: a new model scoring lower than the live one waits for an editor's confirm;
4. publish: Rasa's HTTP API `PUT /model` with the token (RASA_AUTH_TOKEN) loads it in the running
   server; conversations live in the tracker store and go on.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import yaml

from guide_kb.loader import load_guide
from guide_kb.rasa_data import LOOKUP_PATH, lookup_yaml
from guide_kb.tokenize import userdict_text
from ops.local_stack import free_port
from ops.settings import MODEL, ROOT

SCORE_LINE = re.compile(r"eval: (\d+)/(\d+) cases passed")
START_TIMEOUT = 240
TRAIN_TIMEOUT = 1800


class PublishError(Exception):
    """A step failed; the message says which and why (shown to the editor)."""


@dataclass(frozen=True)
class PublishConfig:
    bot_url: str                  # the running Rasa
    token: Optional[str]          # its HTTP API token; None: publishing is off
    action_url: str               # the running action server's webhook
    models_dir: Path = ROOT / "models"
    work_dir: Path = ROOT / "var" / "publish"
    eval_set: Path = ROOT / "tests" / "eval" / "dev.yml"


class Publisher:
    def __init__(self, config: PublishConfig, record: Callable[..., None],
                 known_score: Callable[[str], Optional[Dict[str, Any]]]) -> None:
        """`record(name, score, cases, published_by)` keeps a model's score; `known_score(name)`
        reads it back; both are the staff store's."""
        self.config = config
        self._record = record
        self._known_score = known_score
        self._lock = threading.Lock()
        self._decision = threading.Event()
        self._confirmed = False
        self._state: Dict[str, Any] = {"stage": "idle", "running": False, "log": [],
                                       "message": "尚未开始"}

    # ---- what the pages read ----
    def state(self) -> Dict[str, Any]:
        with self._lock:
            return json.loads(json.dumps(self._state))

    def _set(self, message: Optional[str] = None, **changes: Any) -> None:
        with self._lock:
            self._state.update(changes)
            if message:
                self._state["message"] = message
                self._state["log"].append(f"{time.strftime('%H:%M:%S')} {message}")

    # ---- what an editor does ----
    def start(self, user: str) -> bool:
        """False when a job is already running."""
        with self._lock:
            if self._state["running"]:
                return False
            self._state = {"stage": "training", "running": True, "log": [], "message": "",
                           "started_by": user}
        self._decision.clear()
        threading.Thread(target=self._run, args=(user,), daemon=True,
                         name="publish").start()
        return True

    def decide(self, confirmed: bool) -> bool:
        """The editor's answer to a lower score; False when nothing waits for one."""
        if self.state()["stage"] != "confirm":
            return False
        self._confirmed = confirmed
        self._decision.set()
        return True

    # ---- the job ----
    def _run(self, user: str) -> None:
        try:
            if not self.config.token:
                raise PublishError("Rasa 的 HTTP API 未开启：请设置 RASA_AUTH_TOKEN 后重启（make run）")
            live = self._live_model()  # the API answers with this token before hours of work
            name = time.strftime("bot-%Y%m%d-%H%M%S")
            self._set("正在准备训练数据（含收件箱中确认的说法）…", stage="training")
            model = self._train(name)
            self._set("训练完成，正在评估新模型…", stage="evaluating", new_model=model.name)
            new_score = self._evaluate(model)
            self._set(f"新模型得分：{_percent(new_score)}", new_score=new_score)
            live_score = self._live_score(live)
            self._set(f"线上模型 {live.name} 得分：{_percent(live_score)}", live_score=live_score)
            if new_score["passed"] / new_score["cases"] < live_score["passed"] / live_score["cases"]:
                self._set("新模型得分低于线上模型：请确认是否仍要发布", stage="confirm")
                self._decision.wait()
                if not self._confirmed:
                    self._set("已放弃发布，线上模型不变", stage="discarded", running=False)
                    return
            self._set("正在替换线上模型…", stage="publishing")
            self._swap(model)
            self._record(model.name, new_score["passed"] / new_score["cases"],
                         new_score["cases"], user)
            self._set(f"已发布 {model.name}", stage="done", running=False, published=model.name)
        except PublishError as error:
            self._set(f"失败：{error}", stage="failed", running=False)
        except Exception as error:  # noqa: BLE001 — the editor sees it; the web app stays up
            self._set(f"失败：{type(error).__name__}: {error}", stage="failed", running=False)

    def _train(self, name: str) -> Path:
        work = self.config.work_dir / name
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(ROOT / "data", work / "data")
        guide = load_guide()
        (work / LOOKUP_PATH.relative_to(ROOT)).write_text(lookup_yaml(guide),
                                                         encoding="utf-8")
        (work / "jieba").mkdir(parents=True)
        (work / "jieba" / "userdict.txt").write_text(userdict_text(guide), encoding="utf-8")
        config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
        for component in config["pipeline"]:
            if component["name"] == "JiebaTokenizer":
                component["dictionary_path"] = str(work / "jieba")
        (work / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                         encoding="utf-8")
        self._set("正在训练新模型（约 1–3 分钟）…")
        self.config.models_dir.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [str(Path(sys.executable).parent / "rasa"), "train", "--config",
             str(work / "config.yml"), "--domain", str(ROOT / "domain.yml"), "--data",
             str(work / "data"), "--out", str(self.config.models_dir),
             "--fixed-model-name", name],
            cwd=ROOT, capture_output=True, text=True, timeout=TRAIN_TIMEOUT)
        model = self.config.models_dir / f"{name}.tar.gz"
        if done.returncode != 0 or not model.exists():
            tail = (done.stderr or done.stdout or "").strip().splitlines()[-3:]
            raise PublishError("训练失败：" + " / ".join(tail))
        return model

    def _evaluate(self, model: Path) -> Dict[str, int]:
        """The model's score on the publishing set, served by a temporary Rasa server."""
        work = self.config.work_dir
        work.mkdir(parents=True, exist_ok=True)
        port = free_port()
        endpoints = work / f"endpoints-{port}.yml"
        endpoints.write_text(yaml.safe_dump({"action_endpoint": {
            "url": self.config.action_url, "enable_selective_domain": True}}),
            encoding="utf-8")
        log = (work / f"rasa-{port}.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "ops.rasa_server", "run", "--model", str(model), "--port",
             str(port), "--endpoints", str(endpoints), "--credentials",
             str(ROOT / "credentials.yml")], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_up(f"http://127.0.0.1:{port}/webhooks/rest/", server)
            done = subprocess.run(
                [sys.executable, str(ROOT / "tests" / "eval" / "run_eval.py"),
                 str(self.config.eval_set), "--url",
                 f"http://127.0.0.1:{port}/webhooks/rest/webhook"],
                cwd=ROOT, capture_output=True, text=True, timeout=900)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
        found = SCORE_LINE.search(done.stdout or "")
        if done.returncode != 0 or not found:
            raise PublishError("评估失败：" + (done.stderr or done.stdout or "").strip()[-300:])
        return {"passed": int(found.group(1)), "cases": int(found.group(2))}

    def _api(self, method: str, path: str, body: Optional[dict] = None) -> Any:
        query = urllib.parse.urlencode({"token": self.config.token})
        request = urllib.request.Request(
            f"{self.config.bot_url}{path}?{query}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise PublishError(f"Rasa {method} {path}：HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            raise PublishError(f"无法连接 Rasa（{self.config.bot_url}）：{error}") from None
        return json.loads(raw.decode() or "null") if raw else None

    def _live_model(self) -> Path:
        """The live model's file: Rasa's /status names it (without its folder: the models
        folder of `make train`, or the one published models are trained into)."""
        status = self._api("GET", "/status") or {}
        named = Path(status.get("model_file") or "")
        for path in (named, self.config.models_dir / named.name, MODEL.parent / named.name):
            if named.name and path.is_absolute() and path.is_file():
                return path
        raise PublishError(f"找不到线上模型文件 {named.name or '（Rasa 未报告）'}")

    def _live_score(self, live: Path) -> Dict[str, int]:
        known = self._known_score(live.name)
        if known and known.get("published_at"):  # a model published here: scored then
            return {"passed": round(known["score"] * known["cases"]), "cases": known["cases"]}
        self._set(f"正在评估线上模型 {live.name}…")
        return self._evaluate(live)

    def _swap(self, model: Path) -> None:
        self._api("PUT", "/model", {"model_file": str(model.resolve())})
        status = self._api("GET", "/status") or {}
        if Path(status.get("model_file") or "").name != model.name:
            raise PublishError("Rasa 未加载新模型")


def _percent(score: Dict[str, int]) -> str:
    return f"{score['passed']}/{score['cases']}（{100 * score['passed'] / score['cases']:.1f}%）"


def _wait_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.time() + START_TIMEOUT
    while time.time() < deadline:
        if process.poll() is not None:
            raise PublishError("评估用的 Rasa 未能启动")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise PublishError("评估用的 Rasa 启动超时")
