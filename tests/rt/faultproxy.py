#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small fault-injecting HTTP proxy between tdesk and the test's RT server,
on 127.0.0.1 only. Rules come from a JSON file read at every request:

  [{"method": "POST", "path": "/correspond$", "do": "lose", "times": 1}, ...]

"do" is one of
  reset    close the connection before forwarding (RT never sees it)
  lose     forward to RT, then close without answering (RT applied it)
  hold     forward to RT, touch DIR/held, then never answer (until killed)
  holdpre  touch DIR/held and never forward nor answer
  html     answer 200 with RT's web login page instead of JSON
  500      answer 500 with an empty body
  500after forward to RT, then answer 500 (RT applied it)
  huge     answer 200 claiming a 2 GB JSON body and stream it (until the
           client hangs up, at most 60 s)
  hugeafter  forward to RT, then the same
  endless  answer 200 JSON with no length and stream without end (until
           the client hangs up, at most 60 s)
  strnum   forward, then every number in the JSON answer becomes a string
  badutf8  forward, then put invalid UTF-8 into the answer's first Subject
  move     before forwarding, add a comment to the ticket as agent2 (so
           the ticket's ETag moves and RT answers the If-Match with 412)
"times" counts down in the file (absent: every time). Every request is
logged to DIR/log as "METHOD PATH STATUS".

usage: faultproxy.py PORTFILE RT_URL DIR [TOKEN2]
"""
import http.client
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse

LOGIN_PAGE = (b"<!DOCTYPE html><html><head><title>Login</title></head>"
              b"<body><form action=\"/NoAuth/Login.html\" method=\"post\">"
              b"<input name=\"user\"><input name=\"pass\" type=\"password\">"
              b"</form></body></html>")

lock = threading.Lock()


def take_rule(d, method, path):
    fn = os.path.join(d, "rules.json")
    with lock:
        try:
            with open(fn) as f:
                rules = json.load(f)
        except (OSError, ValueError):
            return None
        for r in rules:
            if r.get("method", method) != method:
                continue
            if not re.search(r.get("path", ""), path):
                continue
            if "times" in r:
                if r["times"] <= 0:
                    continue
                r["times"] -= 1
                with open(fn + ".tmp", "w") as f:
                    json.dump(rules, f)
                os.replace(fn + ".tmp", fn)
            return r["do"]
    return None


def strnum(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return [strnum(x) for x in v]
    if isinstance(v, dict):
        return {k: strnum(x) for k, x in v.items()}
    return v


def stream(conn, length):
    """Send a JSON answer's head (with length, or none) and then an array
    of spaces without end, until the client hangs up or 60 s pass."""
    head = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n"
    if length:
        head += b"Content-Length: %d\r\n" % length
    conn.sendall(head + b"Connection: close\r\n\r\n[")
    chunk = b" " * (1 << 20)
    end = time.time() + 60
    conn.settimeout(10)
    while time.time() < end:
        conn.sendall(chunk)


def log(d, line):
    with lock:
        with open(os.path.join(d, "log"), "a") as f:
            f.write(line + "\n")


def read_request(conn):
    data = b""
    conn.settimeout(30)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 20:
            return None
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = []
    length = 0
    for l in lines[1:]:
        k, v = l.split(":", 1)
        headers.append((k.strip(), v.strip()))
        if k.strip().lower() == "content-length":
            length = int(v.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return method, target, headers, body


def forward(rt, method, target, headers, body):
    c = http.client.HTTPConnection(rt.hostname, rt.port, timeout=60)
    hs = {k: v for k, v in headers
          if k.lower() not in ("host", "connection", "accept-encoding")}
    c.request(method, target, body=body or None, headers=hs)
    r = c.getresponse()
    out = r.read()
    status, reason, rh = r.status, r.reason, r.getheaders()
    c.close()
    return status, reason, rh, out


def move_ticket(rt, target, token2):
    m = re.search(r"/ticket/(\d+)", target)
    if not m or not token2:
        return
    forward(rt, "POST", "/REST/2.0/ticket/%s/comment" % m.group(1),
            [("Authorization", "token " + token2),
             ("Content-Type", "application/json")],
            json.dumps({"Content": "moved by the fault proxy",
                        "ContentType": "text/plain"}).encode())


def handle(conn, rt, d, token2):
    try:
        req = read_request(conn)
        if req is None:
            return
        method, target, headers, body = req
        path = urllib.parse.urlsplit(target).path
        what = take_rule(d, method, path)
        if what == "reset":
            log(d, "%s %s reset" % (method, path))
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            b"\x01\x00\x00\x00\x00\x00\x00\x00")
            return
        if what == "holdpre":
            log(d, "%s %s holdpre" % (method, path))
            open(os.path.join(d, "held"), "w").close()
            time.sleep(3600)
            return
        if what == "html":
            log(d, "%s %s html" % (method, path))
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html; "
                         b"charset=utf-8\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n" % len(LOGIN_PAGE)
                         + LOGIN_PAGE)
            return
        if what == "500":
            log(d, "%s %s 500" % (method, path))
            conn.sendall(b"HTTP/1.0 500 Internal Server Error\r\n"
                         b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            return
        if what in ("huge", "endless"):
            log(d, "%s %s %s" % (method, path, what))
            stream(conn, 1 << 31 if what == "huge" else 0)
            return
        if what == "move":
            move_ticket(rt, target, token2)
        status, reason, rh, out = forward(rt, method, target, headers, body)
        log(d, "%s %s %d%s" % (method, path, status,
                                " " + what if what else ""))
        if what == "500after":
            conn.sendall(b"HTTP/1.0 500 Internal Server Error\r\n"
                         b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            return
        if what == "hugeafter":
            stream(conn, 1 << 31)
            return
        if what == "strnum":
            try:
                out = json.dumps(strnum(json.loads(out))).encode()
            except ValueError:
                pass
        if what == "lose":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            b"\x01\x00\x00\x00\x00\x00\x00\x00")
            return
        if what == "badutf8":
            out = re.sub(rb'("Subject"\s*:\s*")',
                         lambda m: m.group(1) + b"\xff\xfe", out, count=1)
        if what == "hold":
            open(os.path.join(d, "held"), "w").close()
            time.sleep(3600)
            return
        head = "HTTP/1.0 %d %s\r\n" % (status, reason)
        for k, v in rh:
            if k.lower() in ("connection", "transfer-encoding",
                             "content-length"):
                continue
            head += "%s: %s\r\n" % (k, v)
        head += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(out)
        conn.sendall(head.encode("latin-1") + out)
    except (OSError, ValueError) as e:
        log(d, "proxy error %s" % e)
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    portfile, rt_url, d = sys.argv[1], sys.argv[2], sys.argv[3]
    token2 = sys.argv[4] if len(sys.argv) > 4 else None
    rt = urllib.parse.urlsplit(rt_url)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.replace(portfile + ".tmp", portfile)
    deadline = time.time() + 1800   # never outlives a test run
    s.settimeout(1)
    while time.time() < deadline:
        try:
            conn, _ = s.accept()
        except socket.timeout:
            continue
        threading.Thread(target=handle, args=(conn, rt, d, token2),
                         daemon=True).start()


if __name__ == "__main__":
    main()
