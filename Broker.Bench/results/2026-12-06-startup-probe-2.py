#!/usr/bin/env python3
"""Start a server process N times; report ms from spawn to: the client port accepting a TCP connection,
INFO received on that connection (the server is usable), CPU time the process had used then, 'Server is ready'
in its output, and the first request/reply (raw sockets). Usage: probe-2.py N cmd... (PORT is replaced)."""
import os, socket, subprocess, sys, time, threading, statistics

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def read_until(sock, token, buf=b""):
    while token not in buf:
        d = sock.recv(65536)
        if not d: raise IOError("closed")
        buf += d
    return buf

def cpu_ms(pid):
    st = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(st[11]) + int(st[12])) * 1000 / os.sysconf('SC_CLK_TCK')

def one(cmd):
    port = free_port()
    args = [a.replace("PORT", str(port)) for a in cmd]
    t0 = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    ready = {}
    def reader():
        for line in p.stdout:
            if b"Server is ready" in line and "t" not in ready: ready["t"] = time.perf_counter()
    threading.Thread(target=reader, daemon=True).start()
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10); break
        except OSError:
            if p.poll() is not None: raise RuntimeError("exited")
            time.sleep(0.001)
    t_accept = time.perf_counter()
    read_until(s, b"\r\n")
    t_info = time.perf_counter()
    cpu = cpu_ms(p.pid)
    s.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\nSUB svc 1\r\nPING\r\n'); read_until(s, b"PONG\r\n")
    r = socket.create_connection(("127.0.0.1", port)); read_until(r, b"\r\n")
    r.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\nSUB _INBOX.x 1\r\nPING\r\n'); read_until(r, b"PONG\r\n")
    def req():
        t = time.perf_counter()
        r.sendall(b"PUB svc _INBOX.x 16\r\n0123456789abcdef\r\n")
        read_until(s, b"0123456789abcdef\r\n")
        s.sendall(b"PUB _INBOX.x 16\r\n0123456789abcdef\r\n")
        read_until(r, b"0123456789abcdef\r\n")
        return (time.perf_counter() - t) * 1000
    first = req()
    rest = sorted(req() for _ in range(100))
    while "t" not in ready and time.perf_counter() - t0 < 30: time.sleep(0.005)
    p.terminate(); p.wait()
    return (t_accept - t0) * 1000, (t_info - t0) * 1000, cpu, (ready.get("t", float("nan")) - t0) * 1000, first, rest[50]

n = int(sys.argv[1]); cmd = sys.argv[2:]
load0 = open("/proc/loadavg").read().split()[:3]
rows = [one(cmd) for _ in range(n)]
for r in rows: print("accept %.0f ms  INFO %.0f ms  cpu@INFO %.0f ms  ready %.0f ms  first req %.2f ms  median next %.3f ms" % r)
print("median: accept %.0f  INFO %.0f  cpu@INFO %.0f  ready %.0f  first %.2f  next %.3f   load before %s after %s" % tuple(
    [statistics.median(c) for c in zip(*rows)] + [load0, open("/proc/loadavg").read().split()[:3]]))
