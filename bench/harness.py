"""Shared pieces of the benchmarks: result blocks, percentiles, realistic questions, a bounded
REST load generator (asyncio + aiohttp, loopback only), process memory, and the bare bot.

The servers themselves are started by ops/local_stack.py (BotStack), never duplicated here.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Sequence

from ops.local_stack import BIN
from ops.settings import MODEL, ROOT

BARE_BOT = ROOT / "bench" / "bare_bot"

# What the user asks about a service (first turn) and the elliptical follow-ups that rely on the
# service kept in the conversation (as citizens do: 需要带什么 / 在哪办 after naming the service).
ASPECTS = ("需要什么材料", "在哪办", "怎么办", "要带什么", "在哪里办理", "流程是什么",
           "多久能办好", "什么时候去办", "网上能办吗", "谁可以办")
FOLLOW_UPS = ("需要带什么", "在哪办", "怎么办", "要多久", "哪天可以去", "网上能办吗",
              "需要什么材料", "在哪个窗口", "我是新宾县的呢", "谁能办")
CLOSINGS = ("谢谢", "好的，谢谢", "明白了")


# ─── results ──────────────────────────────────────────────────────────────────────────────

def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Report:
    name: str
    figures: Dict[str, object] = field(default_factory=dict)   # label -> value (ordered)
    targets: List[dict] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.figures.setdefault("load average (1/5/15 min) at start", load_average())
        self._start = cpu_snapshot()

    def finish(self) -> None:
        """Record how much CPU other processes used while this benchmark ran (contention)."""
        if self._start is None:
            return
        busy0, own0, wall0 = self._start
        busy1, own1, wall1 = cpu_snapshot()
        self._start = None
        if wall1 - wall0 < 2:  # too short for /proc/stat's 10 ms ticks
            return
        others = max(0.0, (busy1 - busy0) - (own1 - own0)) / max(1e-9, wall1 - wall0)
        self.figures["other processes' CPU (cores avg)"] = round(others, 2)

    def add(self, label: str, value: object) -> None:
        self.figures[label] = value

    def target(self, label: str, value: float, limit: float, higher_is_better: bool = False,
               unit: str = "") -> bool:
        ok = (value >= limit) if higher_is_better else (value <= limit)
        if isinstance(value, float) and math.isnan(value):
            ok = False
        self.targets.append({"target": label, "value": value, "limit": limit,
                             "op": ">=" if higher_is_better else "<=", "unit": unit,
                             "status": "PASS" if ok else "MISS"})
        return ok

    def as_dict(self) -> dict:
        return {"benchmark": self.name, "figures": self.figures, "targets": self.targets,
                "notes": self.notes, "load_average_at_end": load_average()}

    def text(self) -> str:
        lines = [f"== {self.name} =="]
        for label, value in self.figures.items():
            lines.append(f"  {label:34s} {fmt(value)}")
        for t in self.targets:
            lines.append(f"  [{t['status']}] {t['target']}: {fmt(t['value'])}{t['unit']} "
                         f"(target {t['op']} {fmt(t['limit'])}{t['unit']})")
        for note in self.notes:
            lines.append(f"  note: {note}")
        return "\n".join(lines)


def fmt(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def cpu_snapshot() -> tuple:
    """(machine busy CPU s, CPU s of this process and its children, wall s)."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / ticks  # minus idle and iowait
    except (OSError, ValueError, IndexError):
        busy = 0.0
    t = os.times()
    own = t.user + t.system + t.children_user + t.children_system
    own += sum(cpu_seconds(kid) for kid in _children(os.getpid()))  # still running
    return busy, own, time.monotonic()


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def cli(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def emit(report: Report, as_json: bool) -> None:
    report.finish()
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.text())
    sys.stdout.flush()


def log(message: str) -> None:
    """Progress goes to stderr so that --json output stays parseable."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ─── questions ────────────────────────────────────────────────────────────────────────────

def conversation_scripts(seed: int = 7) -> Iterator[List[str]]:
    """Endless realistic conversations: a service named with an aspect, then follow-ups.
    Deterministic for a given seed."""
    from guide_kb.loader import load_guide

    items = load_guide().items
    rng = random.Random(seed)
    while True:
        item = rng.choice(items)
        name = item.name if rng.random() < 0.6 or not item.aliases else rng.choice(item.aliases[:2])
        turns = [f"{name}{rng.choice(ASPECTS)}"]
        turns += rng.sample(FOLLOW_UPS, rng.randint(1, 3))
        if rng.random() < 0.3:
            turns.append(rng.choice(CLOSINGS))
        yield turns


def turn_stream(turns_per_sender: int, seed: int) -> List[str]:
    """One sender's turns: whole conversations chained to exactly `turns_per_sender` turns."""
    scripts = conversation_scripts(seed)
    turns: List[str] = []
    while len(turns) < turns_per_sender:
        turns += next(scripts)
    return turns[:turns_per_sender]


# ─── load ─────────────────────────────────────────────────────────────────────────────────

@dataclass
class LoadResult:
    latencies_ms: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    sent: Dict[str, int] = field(default_factory=dict)      # sender -> turns sent
    answered: Dict[str, int] = field(default_factory=dict)  # sender -> 200 with a text reply
    wall_s: float = 0.0
    timed_out: bool = False

    @property
    def turns(self) -> int:
        return sum(self.sent.values())

    def summary(self, report: Report, prefix: str = "") -> None:
        lat = self.latencies_ms
        report.add(f"{prefix}turns", self.turns)
        report.add(f"{prefix}errors (non-200/empty)", len(self.errors))
        report.add(f"{prefix}p50 ms", percentile(lat, 50))
        report.add(f"{prefix}p95 ms", percentile(lat, 95))
        report.add(f"{prefix}p99 ms", percentile(lat, 99))
        report.add(f"{prefix}mean ms", sum(lat) / len(lat) if lat else math.nan)
        report.add(f"{prefix}throughput turns/s", self.turns / self.wall_s if self.wall_s else 0.0)
        report.add(f"{prefix}wall s", self.wall_s)


def reply_text(body: object) -> str:
    if not isinstance(body, list):
        return ""
    return "\n".join((m.get("text") or "") + "".join(b.get("title", "") for b in
                                                       m.get("buttons") or [])
                     for m in body if isinstance(m, dict))


async def _drive(url: str, senders: List[str], turns_of: Callable[[int], List[str]],
                 concurrency: int, max_seconds: float, result: LoadResult,
                 request_timeout: float, think_seconds: float = 0.0) -> None:
    import aiohttp

    deadline = time.perf_counter() + max_seconds
    pacing = random.Random(7)
    queue: asyncio.Queue = asyncio.Queue()
    for index, sender in enumerate(senders):
        queue.put_nowait((index, sender))
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=request_timeout)

    async def conversation(session, index: int, sender: str) -> None:
        if think_seconds:  # people do not all start typing at the same instant
            await asyncio.sleep(pacing.uniform(0, think_seconds))
        for text in turns_of(index):
            if time.perf_counter() >= deadline:
                result.timed_out = True
                return
            result.sent[sender] = result.sent.get(sender, 0) + 1
            started = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": text}) as resp:
                    raw = await resp.read()
                    status = resp.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                result.errors.append(f"{sender}: {type(error).__name__}")
                continue
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            try:
                body = json.loads(raw.decode() or "null")
            except ValueError:
                body = None
            if status != 200 or not reply_text(body).strip():
                result.errors.append(f"{sender}: HTTP {status} {raw[:80]!r}")
            else:
                result.answered[sender] = result.answered.get(sender, 0) + 1
            if think_seconds:  # a person reads the answer and types the next question
                await asyncio.sleep(pacing.uniform(0.5, 1.5) * think_seconds)

    async def worker(session) -> None:
        while time.perf_counter() < deadline:
            try:
                index, sender = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await conversation(session, index, sender)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))


def run_load(url: str, senders: List[str], turns_of: Callable[[int], List[str]],
             concurrency: int, max_seconds: float, request_timeout: float = 60,
             think_seconds: float = 0.0) -> LoadResult:
    """`concurrency` conversations at once, each sending its next turn when the previous reply
    arrives, after a think time of 0.5-1.5 × think_seconds (0: closed loop, the server saturated).
    Bounded by the senders × turns given and by max_seconds."""
    assert url.startswith("http://127.0.0.1:"), url  # loopback only
    result = LoadResult()
    started = time.perf_counter()
    asyncio.run(_drive(url, senders, turns_of, concurrency, max_seconds, result,
                       request_timeout, think_seconds))
    result.wall_s = time.perf_counter() - started
    return result


def senders(prefix: str, count: int) -> List[str]:
    tag = uuid.uuid4().hex[:6]
    return [f"{prefix}-{tag}-{i:04d}" for i in range(count)]


def warm_up(url: str, messages: int, concurrency: int = 2, seed: int = 99) -> LoadResult:
    """`messages` turns in conversations of 5, for caches, JIT paths and SQLite pages."""
    count = max(1, math.ceil(messages / 5))
    return run_load(url, senders("warmup", count), lambda i: turn_stream(5, seed + i),
                    concurrency, max_seconds=180)


# ─── memory ───────────────────────────────────────────────────────────────────────────────

def _children(pid: int) -> List[int]:
    kids: List[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            kids += [int(k) for k in text]
    except OSError:
        pass
    return kids


def _process_tree(pid: int) -> Iterator[int]:
    """The process and all its descendants (each once)."""
    todo, seen = [pid], set()
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            yield current
            todo += _children(current)


def rss_bytes(pid: int) -> int:
    """VmRSS of a process and all its descendants, from /proc/PID/status."""
    total = 0
    for current in _process_tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants, from /proc/PID/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for current in _process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total


def terminate_children(grace: float = 20) -> None:
    """Safety net after a failed start: end the processes this script spawned (its own direct
    children, by pid), e.g. a server BotStack lost track of when its start timed out."""
    import signal

    kids = _children(os.getpid())
    for pid in kids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + grace
    for pid in kids:
        while time.time() < deadline and Path(f"/proc/{pid}").exists():
            try:
                if os.waitpid(pid, os.WNOHANG) != (0, 0):
                    break
            except ChildProcessError:
                break
            time.sleep(0.1)
        else:
            if Path(f"/proc/{pid}").exists():
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass


# ─── training ─────────────────────────────────────────────────────────────────────────────

def rasa_train(out: Path, config: Path, domain: Path, data: Path, name: str,
               force: bool = False, timeout: float = 900) -> float:
    """`rasa train` into `out` with its own empty cache; returns wall seconds."""
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false",
               TF_CPP_MIN_LOG_LEVEL="3", RASA_CACHE_DIRECTORY=str(out / "cache"))
    command = [str(BIN / "rasa"), "train", "--data", str(data), "--domain", str(domain),
               "--config", str(config), "--out", str(out), "--fixed-model-name", name]
    if force:
        command.append("--force")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout)
    seconds = time.perf_counter() - started
    model = out / f"{name}.tar.gz"
    if done.returncode != 0 or not model.exists():
        raise RuntimeError(f"rasa train failed ({done.returncode}):\n"
                           f"{done.stdout.decode(errors='replace')[-3000:]}")
    return seconds


def train_bare_bot(out: Path) -> Path:
    rasa_train(out, BARE_BOT / "config.yml", BARE_BOT / "domain.yml", BARE_BOT / "data", "bare")
    return out / "bare.tar.gz"


def require_model() -> Path:
    if not MODEL.exists():
        raise SystemExit(f"no trained model at {MODEL}: run `make train`")
    return MODEL
