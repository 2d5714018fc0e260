#!/usr/bin/env python3
"""Reload soak: a SIGHUP every second for a minute (by default) to a Broker.Host process (or, with
--nats, to nats-server), alternating two files that differ in users and permissions, while an
unaffected publisher and subscriber exchange numbered messages and an affected user reconnects.
Reports: reloads applied/refused, messages confirmed (PING/PONG after each batch) and received,
lost or out of order for the unaffected subscriber, the affected user's outcomes, and the resident
memory of the server process over the run. Writes Broker.Bench/results/<utc>-reload-soak[-nats].json.

  python3 Broker.Bench/Soak/reload-soak.py [--seconds 60] [--interval 1] [--nats]
Needs a built Broker.Host (dotnet build Broker.Host -c Release, or Debug with --config Debug)."""
import argparse, json, os, re, signal, socket, subprocess, sys, tempfile, threading, time

HEAD = "host: 127.0.0.1\nport: -1\n"
FIRST = HEAD + """authorization { users: [
  { user: pub, password: p }
  { user: sub, password: s }
  { user: gone, password: g }
  { user: narrowed, password: n, permissions: { subscribe: ["soak", "side.>"] } }
] }
"""
SECOND = HEAD + """authorization { users: [
  { user: pub, password: p }
  { user: sub, password: s }
  { user: narrowed, password: n, permissions: { subscribe: ["side.>"] } }
  { user: added, password: a }
] }
"""


def connect(port, user, password):
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    f.readline()  # INFO
    s.sendall(f'CONNECT {{"verbose":false,"user":"{user}","pass":"{password}"}}\r\nPING\r\n'.encode())
    while True:
        line = f.readline()
        if not line: raise IOError(f"{user} refused")
        if line == b"PONG\r\n": return s, f


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"): return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--config", default="Release")
    parser.add_argument("--host", help="the Broker.Host.dll to run (default: Broker.Host/bin/<config>/net10.0/)")
    parser.add_argument("--no-reload", action="store_true", help="control run: the same traffic and churn, no SIGHUP")
    parser.add_argument("--nats", action="store_true", help="run against nats-server instead (the reference)")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    conf = os.path.join(tempfile.mkdtemp(), "soak.conf")
    open(conf, "w").write(FIRST)
    if args.nats:
        command = ["nats-server", "-c", conf]
    else:
        command = ["dotnet", args.host or os.path.join(root, f"Broker.Host/bin/{args.config}/net10.0/Broker.Host.dll"), "-c", conf]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines, port = [], None
    ready = threading.Event()

    def read_log():
        nonlocal port
        for line in server.stdout:
            lines.append(line.rstrip())
            m = re.search(r"Listening for client connections on \S+:(\d+)", line)
            if m:
                port = int(m.group(1)); ready.set()
    threading.Thread(target=read_log, daemon=True).start()
    if not ready.wait(60): sys.exit("server did not start:\n" + "\n".join(lines))

    stop = threading.Event()
    received, disorder = [], [0]
    confirmed = [0]
    sub_sock, sub_file = connect(port, "sub", "s")
    sub_sock.sendall(b"SUB soak 1\r\nPING\r\n")

    def subscribe():
        last = -1
        while True:
            line = sub_file.readline()
            if not line: return
            if line.startswith(b"MSG"):
                n = int(sub_file.readline())
                if n != last + 1: disorder[0] += 1
                last = n
                received.append(n)
            elif line == b"PING\r\n":
                sub_sock.sendall(b"PONG\r\n")
    threading.Thread(target=subscribe, daemon=True).start()
    time.sleep(0.2)

    # Connected before the first reload: nats-server closes a client still in its handshake when a reload runs.
    pub_sock, pub_file = connect(port, "pub", "p")

    def publish():
        s, f = pub_sock, pub_file
        n = 0
        while not stop.is_set():
            batch = b"".join(b"PUB soak %d\r\n%d\r\n" % (len(str(i)), i) for i in range(n, n + 50))
            s.sendall(batch + b"PING\r\n")
            while True:
                line = f.readline()
                if not line: return
                if line == b"PONG\r\n": break
                if line == b"PING\r\n": s.sendall(b"PONG\r\n")
            n += 50
            confirmed[0] = n
            time.sleep(0.002)
    publisher = threading.Thread(target=publish, daemon=True)
    publisher.start()

    outcomes = {}
    memory = []
    reloads = 0
    previous = None
    start = time.time()
    while time.time() - start < args.seconds:
        reloads += 1
        open(conf, "w").write(SECOND if reloads % 2 else FIRST)
        if not args.no_reload: os.kill(server.pid, signal.SIGHUP)
        time.sleep(args.interval)
        # The user the previous file added is gone from this one: its connection should be closed, without -ERR.
        if previous is not None:
            s, f = previous
            try:
                s.sendall(b"PING\r\n")
                data = f.read1(4096)
                key = "closed" if not data else data.decode().strip().replace("\r\n", " | ")
            except (OSError, socket.timeout):
                key = "closed"
            outcomes[key] = outcomes.get(key, 0) + 1
            s.close()
            previous = None
        user, password = ("added", "a") if reloads % 2 else ("gone", "g")
        try:
            previous = connect(port, user, password)
            previous[0].settimeout(5)
        except IOError:
            outcomes["refused at connect"] = outcomes.get("refused at connect", 0) + 1
        memory.append(rss_kib(server.pid))

    stop.set()
    publisher.join(10)
    total = confirmed[0]
    deadline = time.time() + 30
    while len(received) < total and time.time() < deadline: time.sleep(0.05)
    applied = sum("Reloaded server configuration" in l for l in lines)
    failed = sum("Failed to reload" in l for l in lines)
    server.send_signal(signal.SIGINT)
    server.wait(30)
    got = set(received)
    result = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "server": "nats-server" if args.nats else f"Broker.Host ({args.config})",
        "command": " ".join(["python3", "Broker.Bench/Soak/reload-soak.py"] + sys.argv[1:]),
        "seconds": args.seconds, "reloads_sent": 0 if args.no_reload else reloads, "reloads_applied": applied, "reloads_refused": failed,
        "confirmed": total, "received": len(received), "lost_confirmed": sum(1 for i in range(total) if i not in got),
        "duplicates": len(received) - len(got), "out_of_order": disorder[0],
        "affected_user_outcomes": outcomes,
        "rss_kib": {"after_first_reload": memory[0] if memory else 0, "at_10s": memory[min(9, len(memory) - 1)] if memory else 0,
                    "max": max(memory, default=0), "last": memory[-1] if memory else 0,
                    "every_10_reloads": memory[::10]},
        "server_exit_code": server.returncode,
    }
    print(json.dumps(result, indent=2))
    out = os.path.join(root, "Broker.Bench/results", time.strftime("%Y-%m-%d-%H%M", time.gmtime()) + ("-reload-soak" + ("-nats" if args.nats else "") + ("-control" if args.no_reload else "") + ".json"))
    open(out, "w").write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
