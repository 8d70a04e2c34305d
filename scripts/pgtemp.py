#!/usr/bin/env python3
"""A throwaway PostgreSQL cluster on loopback, for CI and benchmarks.

    python3 scripts/pgtemp.py start DIR   # prints postgresql+psycopg://postgres@127.0.0.1:PORT/postgres
    python3 scripts/pgtemp.py stop DIR

Uses Debian's server binaries (/usr/lib/postgresql/*/bin, package ``postgresql``). When run as
root the cluster belongs to the ``postgres`` user (initdb refuses root). The cluster trusts loopback
only, keeps its socket in its own directory, and trades durability for speed (fsync off): test data only.
Also usable from Python: ``url = start(dir)``, ``stop(dir)``.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def _bindir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(os.path.realpath(initdb))
    raise SystemExit("PostgreSQL server binaries not found: apt-get install postgresql")


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(directory: str) -> str:
    """Create and start a cluster in ``directory`` (created); returns its SQLAlchemy URL."""
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    # The cluster itself lives in a fresh directory under the system temp dir, which the server's
    # owner can reach whatever the permissions of ``directory``'s parents.
    cluster = tempfile.mkdtemp(prefix="cop-pg-")
    with open(os.path.join(directory, "cluster"), "w") as f:
        f.write(cluster)
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(cluster, pw.pw_uid, pw.pw_gid)
    data = os.path.join(cluster, "data")
    bindir = _bindir()
    user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    subprocess.run(_as_owner([f"{bindir}/initdb", "-D", data, "-U", user, "-A", "trust", "-E", "UTF8",
                              "--locale=C.UTF-8", "--no-sync"]),
                   check=True, stdout=subprocess.DEVNULL, cwd="/")
    port = _free_port()
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={cluster} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
               "-c shared_buffers=128MB")
    subprocess.run(_as_owner([f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(cluster, "log"),
                              "-o", options, "-w", "-t", "60", "start"]),
                   check=True, stdout=subprocess.DEVNULL, cwd="/")
    url = f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres"
    with open(os.path.join(directory, "url"), "w") as f:
        f.write(url)
    return url


def stop(directory: str) -> None:
    directory = os.path.abspath(directory)
    try:
        with open(os.path.join(directory, "cluster")) as f:
            cluster = f.read().strip()
    except OSError:
        return
    data = os.path.join(cluster, "data")
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        subprocess.run(_as_owner([f"{_bindir()}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]),
                       check=False, stdout=subprocess.DEVNULL, cwd="/")
    for _ in range(50):
        if not os.path.exists(os.path.join(data, "postmaster.pid")):
            break
        time.sleep(0.1)
    shutil.rmtree(cluster, ignore_errors=True)
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        raise SystemExit(__doc__)
    if sys.argv[1] == "start":
        print(start(sys.argv[2]))
    else:
        stop(sys.argv[2])
