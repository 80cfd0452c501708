"""Start-up of `robot` as cron runs it: fresh processes side by side, each figure beside its floor.

    uv run python benchmarks/startup.py [--repeat 7] [--messages 1000]

Every figure is a fresh process, and the kinds take turns in one run (median of --repeat):
  (a) `python -c pass` of the same interpreter;
  (b) `robot --help`;
  (c) a bare IMAP process: imports imaplib, logs in to the Dovecot on loopback, SELECTs INBOX,
      runs `UID SEARCH UID n:*` and logs out;
  (d) an idle `robot poll` against the same Dovecot: N processed messages, nothing new, an
      empty outbox — answered by robot/idle_poll.py once the unrecorded first round's full poll
      has vouched for the config;
  (e) the same poll done in full (`robot --verbose poll`: debug logging is the full poll's), as
      after a config change;
  (g) the floor of any idle poll: yaml + sqlite3 + imaplib in a bare script.
Each child is started by a small launcher (`python -S`) that reports the child's wall time, CPU
time and peak RSS (ru_maxrss from os.wait4): started straight from this process, a child's
ru_maxrss would carry this benchmark's own memory (Linux keeps it across the exec).

Children find compiled modules in a bytecode cache of their own (PYTHONPYCACHEPREFIX, filled by a
first unrecorded round), as an installed robot has its .pyc files. This checkout runs with
PYTHONDONTWRITEBYTECODE=1 and a .venv that holds no .pyc, so there every start compiles every
module it imports; (b) and (d) are also measured that way, marked "no .pyc".

Then what explains (e): what each import costs in a fresh process (`python -c "import X"` minus
(a)); the idle poll stage by stage in one process; and which project module pulls each heavy
package onto the poll path (`python -X importtime -c "import robot.poll"`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.intake_poll import fill_maildir, record_processed  # noqa: E402
from tests.robotenv import REPO, write_config  # noqa: E402
from tests.servers import DovecotServer, SmtpServer, TestCertificate  # noqa: E402

PYTHON = sys.executable
# `python -m robot` from the checkout, so every child runs the same code (the `robot` script of an
# editable install would import whatever checkout the install points at).
ROBOT = [PYTHON, "-m", "robot"]

# Forks the command, waits for it with os.wait4, prints "wall_seconds cpu_seconds max_rss_kib exit_code".
LAUNCHER = """\
import os, sys, time
log = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
began = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - began, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
      os.waitstatus_to_exitcode(status))
"""

BARE_IMAP = """\
import imaplib, sys
host, port, user, password, last_uid = sys.argv[1:]
client = imaplib.IMAP4(host, int(port))
client.login(user, password)
client.select("INBOX")
client.uid("SEARCH", f"UID {int(last_uid) + 1}:*")
client.logout()
"""

# The least an idle poll needs without SQLAlchemy: the folder's position, the schema revision and
# "is any outbox mail due" read with sqlite3; login + SELECT (UIDNEXT shows nothing new, so no
# SEARCH); the heartbeat written under the robot's pragmas; config.yaml read by yaml's C loader and
# nothing of the robot imported: the floor of any idle poll. Exits 3 when it would not be idle.
IDLE_FAST_PATH = """\
import datetime, imaplib, os, sqlite3, sys
from pathlib import Path
path = Path(sys.argv[1])
import yaml
raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
imap, address, url = raw["mailbox"]["imap"], raw["mailbox"]["address"].lower(), raw["store"]["url"]
host, port, user, folder = imap["host"], imap["port"], imap["username"], imap["folder"]
password = os.environ[imap["password_env"]]
db = sqlite3.connect(path.parent / url.removeprefix("sqlite:///"), timeout=30)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
head = max(p.name.partition("_")[0] for p in Path("store/migrations/versions").glob("[0-9]*_*.py"))
schema = db.execute("SELECT version_num FROM alembic_version").fetchone()
state = db.execute("SELECT uidvalidity, last_uid FROM poll_state WHERE mailbox = ? AND folder = ?",
                   (address, folder)).fetchone()
due = db.execute("SELECT 1 FROM outbox WHERE mailbox = ? AND status IN ('pending', 'deferred', 'sending') "
                 "AND next_attempt_at <= ? LIMIT 1", (address, now)).fetchone()
client = imaplib.IMAP4(host, port)
client.login(user, password)
client.select(folder)
uidvalidity = int(client.untagged_responses["UIDVALIDITY"][-1])
uidnext = int(client.untagged_responses["UIDNEXT"][-1])
client.logout()
if schema != (head,) or state is None or state[0] != uidvalidity or uidnext > state[1] + 1 or due:
    sys.exit(3)
with db:
    db.execute("UPDATE poll_state SET last_poll_at = ?, last_error = NULL WHERE mailbox = ? AND folder = ?",
               (now, address, folder))
print("Không có thư mới; không gửi thư nào.")
"""

# The idle poll in one process, in the order `robot poll` pays for it; prints one JSON object.
STAGES = """\
import json, sys, time
from pathlib import Path
marks = [("start", time.perf_counter())]
def mark(name): marks.append((name, time.perf_counter()))
import robot.cli
mark("import robot.cli (typer)")
from robot.config import load_config
mark("import robot.config (yaml, pydantic)")
config = load_config(Path(sys.argv[1]))
mark("load_config")
from store.db import open_engine
engine = open_engine(config.database_url)
mark("open_engine (SQLAlchemy, sqlmodel, schema check)")
import robot.poll
mark("import robot.poll (intake, parsers, jinja2, mailer)")
from robot.clock import make_clock
result = robot.poll.poll(config, engine, make_clock(None, config.tz))
mark("poll(): login, SELECT, queries, heartbeat, flush")
assert not result.outcomes, result.outcomes
print(json.dumps({name: 1000 * (t - marks[i][1]) for i, (name, t) in enumerate(marks[1:])}))
"""

# A fresh process importing each of these, minus (a): what each costs on its own (with its deps).
IMPORTS = ("typer", "robot.cli", "rich.console, rich.table", "yaml, pydantic", "robot.config",
           "imap_tools", "mailer.imap", "sqlalchemy", "sqlmodel", "store.queries", "robot.outbox",
           "jinja2", "openpyxl", "docx", "pypdf", "parsers.registry", "robot.intake", "robot.poll")

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "yaml", "openpyxl", "docx", "numpy", "pandas",
         "matplotlib", "apscheduler", "jinja2", "pypdf", "PIL", "fontTools", "xlrd", "xlsxwriter", "lxml",
         "imap_tools", "rich", "tnefparse", "python_calamine", "charset_normalizer")
OURS = ("robot", "mailer", "parsers", "store")


@dataclass
class Run:
    wall_ms: float
    cpu_ms: float  # user + system: less sensitive than wall time to the other work on a shared machine
    rss_mib: float


@dataclass(frozen=True)
class Child:
    command: list[str]
    env: dict[str, str]


def compiled(work: Path) -> dict[str, str]:
    """The environment of a child that keeps its compiled modules, as an installed robot does."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(work / "pycache")}


def uncompiled() -> dict[str, str]:
    """The environment of this checkout: nothing compiled is written (and .venv holds none)."""
    return os.environ | {"PYTHONDONTWRITEBYTECODE": "1"}


def launch(child: Child, log: Path) -> Run:
    """Run one child through the launcher; its wall time and peak RSS. Fails loudly on a non-zero exit."""
    done = subprocess.run([PYTHON, "-S", "-c", LAUNCHER, str(log), *child.command], env=child.env,
                          cwd=REPO, capture_output=True, text=True, check=True)
    wall, cpu, rss_kib, code = done.stdout.split()
    if int(code) != 0:
        raise RuntimeError(f"{' '.join(child.command)} exited {code}:\n{log.read_text(errors='replace')[-3000:]}")
    return Run(float(wall) * 1000, float(cpu) * 1000, int(rss_kib) / 1024)


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, name) for r in runs) for name in ("wall_ms", "cpu_ms", "rss_mib")))


def side_by_side(kinds: dict[str, Child], repeat: int, logs: Path) -> dict[str, Run]:
    """Every kind once per round, ``repeat`` rounds after an unrecorded one that fills the bytecode
    cache: drift on a shared machine hits all alike."""
    runs: dict[str, list[Run]] = {name: [] for name in kinds}
    for round_ in range(repeat + 1):
        for index, (name, child) in enumerate(kinds.items()):
            run = launch(child, logs / f"child-{index}.log")
            if round_:
                runs[name].append(run)
    return {name: median(found) for name, found in runs.items()}


def startup(work: Path, dovecot: DovecotServer, env_path: Path, messages: int, repeat: int) -> None:
    env, bare = compiled(work), uncompiled()
    help_, poll = [*ROBOT, "--help"], [*ROBOT, "--config", str(env_path), "poll"]
    # --verbose asks for debug logging, which only the full poll gives: the whole robot loaded.
    full_poll = [*ROBOT, "--config", str(env_path), "--verbose", "poll"]
    kinds = {
        "(a) python -c pass": Child([PYTHON, "-c", "pass"], env),
        "(b) robot --help": Child(help_, env),
        "(c) bare imaplib login+SELECT+UID SEARCH": Child([PYTHON, "-c", BARE_IMAP, dovecot.host,
                                                           str(dovecot.imap_port), dovecot.user, dovecot.password,
                                                           str(messages)], env),
        "(d) idle robot poll": Child(poll, env),
        "(e) idle robot --verbose poll (the full poll)": Child(full_poll, env),
        "(g) floor of an idle poll: yaml + sqlite3 + imaplib": Child([PYTHON, "-c", IDLE_FAST_PATH, str(env_path)],
                                                                      env),
        "(b) robot --help, no .pyc": Child(help_, bare),
        "(d) idle robot poll, no .pyc": Child(poll, bare),
    }
    got = side_by_side(kinds, repeat, work)
    a, b, c, d, e, g, b0, d0 = (got[name] for name in kinds)
    print(f"start-up, processes side by side (median of {repeat}); idle poll: {messages} processed messages, "
          "nothing new, empty outbox")
    print(f"  {'':52} {'wall':>9} {'CPU':>9} {'peak RSS':>10}")
    for name, run in got.items():
        print(f"  {name:52} {run.wall_ms:6.0f} ms {run.cpu_ms:6.0f} ms {run.rss_mib:6.1f} MiB")
    rows = [(label, f"{run.wall_ms:.0f} ms", f"(a) {a.wall_ms:.0f} ms", f"+{run.wall_ms - a.wall_ms:.0f} ms",
             "≤ (a) + 300 ms", run.wall_ms - a.wall_ms <= 300, f"+{run.cpu_ms - a.cpu_ms:.0f} ms")
            for label, run in (("(b) robot --help", b), ("(b) robot --help, no .pyc", b0))]
    for label, run in (("(d) idle robot poll", d), ("(d) idle robot poll, no .pyc", d0),
                       ("(e) the full poll, idle", e), ("(g) floor of an idle poll", g)):
        rows += [(f"{label}, wall", f"{run.wall_ms:.0f} ms", f"(c) {c.wall_ms:.0f} ms",
                  f"{run.wall_ms / c.wall_ms:.1f}×", "≤ 2× (c)", run.wall_ms <= 2 * c.wall_ms,
                  f"{run.cpu_ms / c.cpu_ms:.1f}×"),
                 (f"{label}, peak RSS", f"{run.rss_mib:.0f} MiB", f"(c) {c.rss_mib:.0f} MiB",
                  f"{run.rss_mib / c.rss_mib:.1f}×", "< 80 MB", run.rss_mib * 1.048576 < 80, "")]
    print()
    print("| figure | measured | floor | ratio | goal | met? | same in CPU time |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for what, figure, floor, ratio, goal, met, cpu in rows:
        print(f"| {what} | {figure} | {floor} | {ratio} | {goal} | {'yes' if met else 'no'} | {cpu} |")


def import_costs(work: Path, repeat: int) -> None:
    env = compiled(work)
    kinds = {name: Child([PYTHON, "-c", f"import {name}" if name != "pass" else "pass"], env)
             for name in ("pass", *IMPORTS)}
    got = side_by_side(kinds, repeat, work)
    floor = got.pop("pass")
    print()
    print(f"what each import costs in a fresh process (python -c \"import X\" minus `python -c pass`, "
          f"median of {repeat}; each with its dependencies)")
    for name, run in got.items():
        print(f"  {name:28} {run.wall_ms - floor.wall_ms:+6.0f} ms wall {run.cpu_ms - floor.cpu_ms:+6.0f} ms CPU "
              f"{run.rss_mib - floor.rss_mib:+6.1f} MiB")


def stages(work: Path, env_path: Path, repeat: int) -> None:
    runs = []
    for _ in range(repeat + 1):  # the first fills the bytecode cache
        done = subprocess.run([PYTHON, "-c", STAGES, str(env_path)], env=compiled(work), cwd=REPO,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    runs = runs[1:]
    print()
    print(f"the idle poll stage by stage in one process (median of {repeat}), in the order it pays them")
    for name in runs[0]:
        print(f"  {name:52} {statistics.median(r[name] for r in runs):6.0f} ms")


def heavy_imports(work: Path) -> None:
    """Which project modules pull each heavy package into `import robot.poll`, and its cumulative cost."""
    for _ in range(2):  # the first fills the bytecode cache
        done = subprocess.run([PYTHON, "-X", "importtime", "-c", "import robot.poll"], env=compiled(work),
                              cwd=REPO, capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            rows.append((int(found.group(2)), len(found.group(3)), found.group(4)))
    totals: dict[str, float] = {}
    chains: dict[str, str] = {}
    for index, (cumulative, _, name) in enumerate(rows):
        root = name.split(".")[0]
        chain = _importers(rows, index)
        if root in HEAVY and (not chain or chain[0].split(".")[0] != root):  # an outermost import of it
            totals[root] = totals.get(root, 0) + cumulative / 1000
            chains.setdefault(root, " <- ".join(m for m in chain if m.split(".")[0] in OURS))
    print()
    print("heavy packages on the poll path (`import robot.poll` under -X importtime, which inflates the "
          "figures; each with what it imports): the project modules that first led to it")
    for root, total in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {total:7.1f} ms  {root:18} <- {chains[root]}")


def _importers(rows: list[tuple[int, int, str]], index: int) -> list[str]:
    """The modules whose import led to rows[index], innermost first (importtime prints children first)."""
    chain, depth = [], rows[index][1]
    for _, other_depth, name in rows[index + 1:]:
        if other_depth < depth:
            chain.append(name)
            depth = other_depth
    return chain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--messages", type=int, default=1000, help="processed messages in the idle mailbox")
    parser.add_argument("--only", choices=("startup", "imports", "stages", "heavy"), help="one part only")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load} at the start; {PYTHON}")
    try:
        (work / "cert").mkdir()
        certificate = TestCertificate.create(work / "cert")
        dovecot, smtp = DovecotServer(certificate), SmtpServer(certificate=certificate)
        dovecot.start()
        smtp.start()
        try:
            env = write_config(work / "robot", dovecot, smtp)
            fill_maildir(dovecot, args.messages)
            record_processed(env, args.messages)
            warm = Child([*ROBOT, "--config", str(env.path), "poll"], compiled(work))
            launch(warm, work / "warm.log")  # Dovecot's index, the schema, the bytecode cache
            if args.only in (None, "startup"):
                startup(work, dovecot, env.path, args.messages, args.repeat)
            if args.only in (None, "imports"):
                import_costs(work, args.repeat)
            if args.only in (None, "stages"):
                stages(work, env.path, args.repeat)
            if args.only in (None, "heavy"):
                heavy_imports(work)
            print(f"\nload average {', '.join(f'{n:.1f}' for n in os.getloadavg())} at the end")
        finally:
            smtp.stop()
            dovecot.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
