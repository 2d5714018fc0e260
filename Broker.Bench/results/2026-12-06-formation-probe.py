#!/usr/bin/env python3
"""Issue 13's formation time: three servers launched a second apart (each with a cluster block routing
to all three), then every node's INFO read fresh every 20 ms until all three list three connect_urls.
Prints ms from the first launch to: each node's client port giving INFO, and all listed.
Usage: formation-probe.py RUNS broker|nats CMD... (CMD gets the config file path appended after -c)."""
import json, os, socket, subprocess, sys, tempfile, time, statistics

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def info(port):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        buf = b""
        while b"\r\n" not in buf:
            d = s.recv(65536)
            if not d: return None
            buf += d
        s.close()
        line = buf.split(b"\r\n")[0].decode()
        return json.loads(line[line.index(" ") + 1:])
    except OSError:
        return None

def one(kind, cmd):
    cports = [free_port() for _ in range(3)]; kports = sorted(free_port() for _ in range(3))  # the first launched is the first seed (Akka seeds are sorted)
    routes = ", ".join(f'"nats-route://127.0.0.1:{p}"' for p in kports)
    files, procs = [], []
    for i in range(3):
        f = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
        f.write(f'listen: "127.0.0.1:{cports[i]}"\nserver_name: n{i}\ncluster {{ name: c, listen: "127.0.0.1:{kports[i]}", routes: [{routes}] }}\n')
        f.close(); files.append(f.name)
    t0 = time.perf_counter()
    infos = [None] * 3
    try:
        for i in range(3):
            while time.perf_counter() - t0 < i * 1.0:
                for j in range(i):
                    if infos[j] is None and info(cports[j]) is not None: infos[j] = time.perf_counter() - t0
                time.sleep(0.005)
            logdir = os.environ.get("LOGDIR")  # keep each node's output (with -D in CMD: its debug log)
            out = open(os.path.join(logdir, f"n{i}.log"), "w") if logdir else subprocess.DEVNULL
            procs.append(subprocess.Popen(cmd + ["-c", files[i]], stdout=out, stderr=subprocess.STDOUT))
        while True:
            now = time.perf_counter() - t0
            if now > 30: return None
            got = [info(p) for p in cports]
            for j, g in enumerate(got):
                if g is not None and infos[j] is None: infos[j] = now
            if all(g is not None and len(g.get("connect_urls") or []) == 3 for g in got):
                return infos, time.perf_counter() - t0
            time.sleep(0.02)
    finally:
        for p in procs: p.terminate()
        for p in procs: p.wait()
        for f in files: os.unlink(f)

runs, kind, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
load0 = open("/proc/loadavg").read().split()[:3]
res = []
for _ in range(runs):
    r = one(kind, cmd)
    if r is None: print(f"{kind}: not formed in 30 s"); continue
    infos, formed = r
    res.append((formed * 1000, (formed - max(infos)) * 1000))
    print(f"{kind}: INFO at {', '.join('%.0f' % (t * 1000) for t in infos)} ms; all listed at {formed * 1000:.0f} ms ({(formed - max(infos)) * 1000:.0f} ms after the last node's INFO)")
if res:
    print(f"{kind} median: all listed {statistics.median(r[0] for r in res):.0f} ms after the first launch, {statistics.median(r[1] for r in res):.0f} ms after the last INFO; load before {load0} after {open('/proc/loadavg').read().split()[:3]}")
