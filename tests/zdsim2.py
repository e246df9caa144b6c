#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A second loopback Zendesk Support API v2 simulator, written from the
public API reference (not from tests/zdserver.py), for chaos runs of
tdesk's sync.  Python 3 stdlib only; binds 127.0.0.1; threaded.

Serves what tdesk calls: users/me, the assigned list (cursor and offset
paging), its count, search (offset, 1000-result cap) and search/export
(cursor, filter[type] required), show_many, tickets/{id}, comments,
audits, ticket update (safe_update, metadata into audit.metadata.custom),
comment redaction, macros, help-center articles, ticket fields, groups;
the admin-only incremental export answers 403 to the agent.

Faults come from --faults FILE, $ZDSIM2_FAULTS (JSON) or POST /_sim/faults:
a list of rules {"match": REGEX over "METHOD /path", "kind": K, "p": prob
(default 1), "n": how many times (default unlimited), "skip": let this
many matches pass first, ...}.  Kinds:
  status        answer "status" with body "body": json|html|text|empty
                (and "retry_after" seconds) without applying anything
  reset         connection reset before the request is applied
  reset_after   applied, then the connection is reset
  lost          applied, then no answer: the socket stays silent for
                "hang_s" seconds (default 30) and is closed
  slow          answer after "delay_ms"; "trickle": 1 sends the body a few
                bytes at a time
  truncate      full Content-Length announced, half the body sent
  late          the connection is reset and the request is applied later:
                after "delay_ms", or right after the next request matching
                "release" (a regex) for the same ticket has been answered
  ties          (list pages) the tickets on this page all get one stamp
  touch         (list pages) after this page, a ticket not yet listed is
                updated (moves ahead of the cursor)
  delete        (list pages) after this page, a ticket not yet listed is
                deleted
  merge         (list pages) after this page, a ticket not yet listed is
                closed by merging it into another
Control: GET /_sim/state, POST /_sim/audits {"ticket": id, "n": count}
(other people's updates), POST /_sim/config {"audits_asc": bool, "strict_tags": bool}, POST /_sim/faults, POST /_sim/customer
{"ticket": id, "body": text, "n": count}, POST /_sim/delete {"ticket": id},
POST /_sim/merge {"ticket": id, "into": id}, POST /_sim/release (land
every held request now), POST /_sim/touch {"ticket": id, "priority": p, "tag": t} (no ticket:
all).
"""
import argparse
import base64
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

BIG = 2 ** 53 + 1            # ids above what a double holds exactly
STATUS_ORDER = ["new", "open", "pending", "hold", "solved", "closed"]
LOCK = threading.RLock()


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t)))


def parse_iso(s):
    if not isinstance(s, str):
        return None
    m = re.match(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$", s)
    if not m:
        return None
    import calendar
    return calendar.timegm(tuple(int(x) for x in m.groups()) + (0, 0, 0))


class World:
    """Everything the simulated account holds."""

    def __init__(self, n, seed, agent_email, token, big):
        self.rnd = random.Random(seed)
        self.email = agent_email
        self.token = token
        self.big = big
        self.next_id = (BIG if big else 900000) + 1000
        self.agent = {"id": self.new_id(), "name": "Mei Agent",
                      "email": agent_email, "role": "agent",
                      "locale": "en-US", "ticket_restriction": None,
                      "only_private_comments": False, "active": True,
                      "suspended": False}
        self.other_agent = {"id": self.new_id(), "name": "Other Agent",
                            "email": "other@example.com", "role": "agent",
                            "locale": "en-US"}
        self.users = {self.agent["id"]: self.agent,
                      self.other_agent["id"]: self.other_agent}
        self.groups = [{"id": self.new_id(), "name": "Tier 1"},
                       {"id": self.new_id(), "name": "Payments \u00e9"}]
        self.tickets = {}
        self.comments = {}
        self.audits = {}
        self.deleted = set()
        self.held = []
        self.faults = []
        self.log = []
        self.clock0 = int(time.time()) - 86400 * 30
        names = ["Zhang Wei \u5f20\u4f1f", "Ana \U0001F600 Souza",
                 "Olu O'Brien", "null", "\u202eevil\u202c", "Kim"]
        self.customers = []
        ghost = {"id": self.new_id(), "name": None, "email": None,
                 "role": "end-user"}
        self.users[ghost["id"]] = ghost
        for i in range(6):
            u = {"id": self.new_id(), "name": names[i],
                 "email": "c%d@example.com" % i, "role": "end-user",
                 "locale": ["zh-CN", "pt-BR", "en-US", None, "ja", "ko"][i]}
            if i == 3:
                del u["locale"]           # a missing field
            self.users[u["id"]] = u
            self.customers.append(u)
        for i in range(n):
            self.make_ticket(i)

    def new_id(self):
        self.next_id += self.rnd.randint(1, 9)
        return self.next_id

    def make_ticket(self, i):
        r = self.rnd
        tid = 1000 + i
        cust = r.choice(self.customers) if i % 17 else {
            "id": [u for u in self.users.values() if u["name"] is None][0]
            ["id"]}
        # ties: tickets come in pairs sharing one updated_at
        t = self.clock0 + (i // 2) * 37
        subj = r.choice(["Withdrawal stuck \u63d0\u73b0",
                         "KYC \U0001F510 question", "Fee?", None,
                         "Login \\ \"quoted\" \t tab", ""])
        tk = {"id": tid, "url": "http://x/api/v2/tickets/%d.json" % tid,
              "external_id": None,
              "via": {"channel": r.choice(["email", "web", "api"]),
                      "source": {"from": {}, "to": {}, "rel": None}},
              "created_at": iso(t - 3600), "updated_at": iso(t),
              "generated_timestamp": t, "type": r.choice(
                  [None, "question", "incident"]),
              "subject": subj, "raw_subject": subj,
              "description": "first message",
              "priority": r.choice([None, "low", "normal", "high",
                                    "urgent"]),
              "status": r.choice(["new", "open", "open", "pending",
                                  "hold", "solved"]),
              "requester_id": cust["id"], "submitter_id": cust["id"],
              "assignee_id": self.agent["id"] if i % 7 else None,
              "organization_id": None,
              "group_id": r.choice([g["id"] for g in self.groups] +
                                   [None]),
              "collaborator_ids": [], "follower_ids": [],
              "email_cc_ids": [], "has_incidents": False,
              "is_public": True, "due_at": None,
              "tags": r.sample(["vip", "kyc", "withdrawal", "fee"],
                               r.randint(0, 2)),
              "custom_fields": [{"id": 360001, "value": None},
                                {"id": 360002, "value": [
                                    "a", "b"] if i % 3 else True},
                                {"id": 360003, "value": 12.5}],
              "satisfaction_rating": None if i % 3 else {
                  "score": "unoffered"},
              "brand_id": 1, "allow_channelback": False,
              "allow_attachments": True}
        if i % 11 == 0:
            del tk["priority"]            # missing, not null
        if i % 13 == 0:
            del tk["via"]
        if i % 2:
            tk["assignee_id"] = self.agent["id"]
        self.tickets[tid] = tk
        self.comments[tid] = []
        self.audits[tid] = []
        body = "Hello \u4f60\u597d \U0001F4B8 #%d\u0000x \x1b[31mred" % tid
        self.add_comment(tid, cust["id"], body, True, t - 3600, None)
        if i % 4 == 0:
            self.add_comment(tid, self.agent["id"], "looking", False,
                             t - 60, None)
        if i % 9 == 0:
            # a trigger's comment: the system user is -1
            c, _ = self.add_comment(tid, -1, "Automatic reply", True,
                                    t - 30, None)
            c["attachments"] = [{"id": self.new_id(), "file_name":
                                 "résumé 📎.pdf",
                                 "content_url": "http://x/a", "size": 1,
                                 "content_type": None, "inline": False}]
            del c["public"]

    def add_comment(self, tid, author, body, public, when, custom):
        cid = self.new_id()
        aid = self.new_id()
        c = {"id": cid, "type": "Comment", "author_id": author,
             "body": body, "html_body": "<p>%s</p>" % body,
             "plain_body": body, "public": public, "attachments": [],
             "audit_id": aid, "via": {"channel": "api"},
             "metadata": {"system": {}, "custom": custom or {}},
             "created_at": iso(when)}
        self.comments[tid].append(c)
        ev = dict(c)
        ev.pop("via", None)
        a = {"id": aid, "ticket_id": tid, "created_at": iso(when),
             "author_id": author,
             "metadata": {"system": {}, "custom": custom or {}},
             "via": {"channel": "api"}, "events": [ev]}
        self.audits[tid].append(a)
        return c, a

    def touch(self, tid, when=None):
        tk = self.tickets[tid]
        now = int(when if when is not None else time.time())
        tk["updated_at"] = iso(now)
        tk["generated_timestamp"] = now

    def visible(self, tid):
        return tid in self.tickets and tid not in self.deleted


def jdump(obj, ascii_out):
    return json.dumps(obj, ensure_ascii=ascii_out,
                      separators=(",", ":")).encode()


def enc_cursor(d):
    return base64.urlsafe_b64encode(json.dumps(d).encode()).decode()\
        .rstrip("=")


def dec_cursor(s):
    try:
        s += "=" * (-len(s) % 4)
        return json.loads(base64.urlsafe_b64decode(s.encode()))
    except Exception:
        return None


class Reject(Exception):
    def __init__(self, status, body, headers=None, ctype=None):
        super().__init__(status)
        self.status, self.body = status, body
        self.headers = headers or {}
        self.ctype = ctype


def err(status, error, desc, **more):
    d = {"error": error, "description": desc}
    d.update(more)
    return Reject(status, d)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "zdsim2"
    W = None
    counter = [0]

    def log_message(self, *a):
        pass

    # -- plumbing ---------------------------------------------------------
    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                   1)

    def origin(self):
        return "http://" + (self.headers.get("Host") or "127.0.0.1")

    def rst(self):
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    def body_json(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            raise Reject(400, {"error": "InvalidJSON",
                               "description": "body is not JSON"})

    def send(self, status, obj, headers=None, ctype=None, fault=None):
        if isinstance(obj, (bytes, str)):
            data = obj.encode() if isinstance(obj, str) else obj
            ctype = ctype or "text/plain; charset=utf-8"
        else:
            Handler.counter[0] += 1
            data = jdump(obj, Handler.counter[0] % 2 == 0)
            ctype = ctype or "application/json; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        W = Handler.W
        limit = W.rate or 700
        left = max(0, W.rate - W.rate_used) if W.rate else 699
        reset = max(1, int(60 - (time.time() - W.rate_start)))
        self.send_header("X-Rate-Limit", str(limit))
        self.send_header("X-Rate-Limit-Remaining", str(left))
        self.send_header("ratelimit-limit", str(limit))
        self.send_header("ratelimit-remaining", str(left))
        self.send_header("ratelimit-reset", str(reset))
        self.send_header("Zendesk-RateLimit-tickets-index",
                         "total=%d; remaining=%d; resets=%d" % (
                             limit, left, reset))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        kind = fault.get("kind") if fault else None
        if kind == "truncate":
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.rst()
            return
        if kind == "slow" and fault.get("trickle"):
            for i in range(0, len(data), 7):
                self.wfile.write(data[i:i + 7])
                self.wfile.flush()
                time.sleep(fault.get("delay_ms", 200) / 1000.0 / 20)
            return
        self.wfile.write(data)

    def reject(self, r):
        body = r.body
        if r.ctype == "text/html":
            self.send(r.status, body, r.headers, "text/html")
        else:
            self.send(r.status, body, r.headers, r.ctype)

    # -- dispatch -----------------------------------------------------------
    def do_GET(self):
        self.handle_any("GET")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def handle_any(self, method):
        W = Handler.W
        u = urlsplit(self.path)
        path = re.sub(r"\.json$", "", u.path)
        q = {k: v[-1] for k, v in parse_qs(u.query,
                                           keep_blank_values=True).items()}
        if path.startswith("/_sim/"):
            return self.control(path[6:], method)
        key = "%s %s" % (method, path)
        with LOCK:
            W.log.append(key)
            fault = self.pick_fault(key)
            limited = self.rate_take()
        try:
            self.auth()
            if limited is not None:
                raise Reject(429, "Number of allowed API requests per"
                             " minute exceeded", {"Retry-After": limited},
                             "text/plain; charset=utf-8")
            if fault:
                kind = fault["kind"]
                if kind == "status":
                    raise self.fault_reject(fault)
                if kind == "reset":
                    return self.rst()
                if kind == "slow" and not fault.get("trickle"):
                    time.sleep(fault.get("delay_ms", 500) / 1000.0)
                if kind == "late":
                    body = self.body_json() if method != "GET" else {}
                    self.hold(method, path, q, body, fault)
                    return self.rst()
            body = self.body_json() if method in ("PUT", "POST") else {}
            with LOCK:
                status, obj, hdr = self.route(method, path, q, body, fault)
        except Reject as r:
            return self.reject(r)
        if fault and fault["kind"] == "reset_after":
            return self.rst()
        if fault and fault["kind"] == "lost":
            time.sleep(fault.get("hang_s", 30))
            return self.rst()
        self.send(status, obj, hdr, fault=fault)
        self.release_after(key, path)

    def rate_take(self):
        """A per-minute window (--rate): None, or the seconds to wait."""
        W = Handler.W
        if not W.rate:
            return None
        now = time.time()
        if now - W.rate_start >= 60:
            W.rate_start, W.rate_used = now, 0
        if W.rate_used >= W.rate:
            return max(1, int(60 - (now - W.rate_start)) + 1)
        W.rate_used += 1
        return None

    def pick_fault(self, key):
        W = Handler.W
        for f in W.faults:
            if not re.search(f.get("match", "."), key):
                continue
            if f.get("n") is not None and f["n"] <= 0:
                continue
            if f.get("skip", 0) > 0:
                f["skip"] -= 1
                continue
            if W.rnd.random() >= f.get("p", 1.0):
                continue
            if f.get("n") is not None:
                f["n"] -= 1
            f["hits"] = f.get("hits", 0) + 1
            return f
        return None

    def fault_reject(self, f):
        st = f.get("status", 500)
        hdr = {}
        if "retry_after" in f:
            hdr["Retry-After"] = f["retry_after"]
        kind = f.get("body", "json")
        if st == 429 and kind == "json":
            kind = "text"
        if kind == "html":
            return Reject(st, "<html><body><h1>%d</h1>Service down"
                          "</body></html>" % st, hdr, "text/html")
        if kind == "text":
            return Reject(st, "Number of allowed API requests per minute"
                          " exceeded", hdr, "text/plain; charset=utf-8")
        if kind == "empty":
            return Reject(st, b"", hdr, "text/plain")
        bodies = {
            401: {"error": "Couldn't authenticate you"},
            403: {"error": "Forbidden", "description": "You do not have"
                  " access to this page. Please contact the account owner"
                  " of this help desk for further help."},
            404: {"error": "RecordNotFound", "description": "Not found"},
            409: {"error": "DatabaseConflict",
                  "description": "Database collision"},
            422: {"error": "RecordInvalid",
                  "description": "Record validation errors",
                  "details": {"base": [{"description":
                                        "Simulated validation failure"}]}},
            503: {"error": "unavailable", "description": "Service"
                  " unavailable, try again"},
        }
        return Reject(st, bodies.get(st, {"error": "InternalError",
                                          "description": "Something"
                                          " went wrong"}), hdr)

    def auth(self):
        W = Handler.W
        a = self.headers.get("Authorization", "")
        good = "Basic " + base64.b64encode(("%s/token:%s" % (
            W.email, W.token)).encode()).decode()
        if a == good or a == "Bearer " + W.token:
            return
        if a.startswith("Bearer "):
            raise Reject(401, {"error": "invalid_token", "error_description":
                               "The access token provided is expired,"
                               " revoked, malformed or invalid for other"
                               " reasons."})
        raise Reject(401, {"error": "Couldn't authenticate you"},
                     {"WWW-Authenticate": 'Basic realm="Web Password"'})

    # -- late requests -------------------------------------------------------
    def hold(self, method, path, q, body, f):
        W = Handler.W
        m = re.match(r"/api/v2/tickets/(\d+)", path)
        item = {"method": method, "path": path, "q": q, "body": body,
                "release": f.get("release"),
                "ticket": int(m.group(1)) if m else None}
        with LOCK:
            W.held.append(item)
        if not item["release"]:
            def later():
                time.sleep(f.get("delay_ms", 700) / 1000.0)
                land(item)
            threading.Thread(target=later, daemon=True).start()

    def release_after(self, key, path):
        W = Handler.W
        m = re.match(r"/api/v2/tickets/(\d+)", path)
        tid = int(m.group(1)) if m else None
        with LOCK:
            due = [h for h in W.held if h["release"] and
                   re.search(h["release"], key) and h["ticket"] == tid]
        for h in due:
            land(h)

    # -- control ------------------------------------------------------------
    def control(self, what, method):
        W = Handler.W
        body = self.body_json() if method == "POST" else {}
        with LOCK:
            if what == "state":
                return self.send(200, state(W))
            if what == "faults":
                W.faults = body.get("faults", [])
                return self.send(200, {"ok": True})
            if what == "release":
                pass
            elif what == "customer":
                tid = body["ticket"]
                c = W.tickets[tid]
                for k in range(body.get("n", 1)):
                    W.add_comment(tid, c["requester_id"], "%s %d" % (
                        body.get("body", "customer again"), k), True,
                        time.time(), None)
                W.touch(tid)
            elif what == "audits":
                # other people's updates: n audits without a client id
                tid = body["ticket"]
                for _ in range(body.get("n", 1)):
                    W.audits[tid].append({
                        "id": W.new_id(), "ticket_id": tid,
                        "created_at": iso(time.time()),
                        "author_id": W.other_agent["id"],
                        "metadata": {"system": {}, "custom": {}},
                        "via": {"channel": "rule"}, "events": []})
                W.touch(tid)
            elif what == "config":
                W.audits_asc = bool(body.get("audits_asc", W.audits_asc))
                W.strict_tags = bool(body.get("strict_tags",
                                              W.strict_tags))
            elif what == "touch":
                # one ticket, or every ticket at one stamp (a trigger's
                # bulk update: updated_at ties across many pages)
                now = time.time()
                for tid in ([body["ticket"]] if "ticket" in body else
                            list(W.tickets)):
                    W.touch(tid, now)
                    W.tickets[tid]["priority"] = body.get(
                        "priority", W.tickets[tid].get("priority"))
                    if body.get("tag"):
                        W.tickets[tid]["tags"].append(body["tag"])
            elif what == "delete":
                W.deleted.add(body["ticket"])
            elif what == "merge":
                merge(W, body["ticket"], body["into"])
            elif what == "log":
                out = list(W.log)
                W.log.clear()
                return self.send(200, {"log": out})
            else:
                return self.send(404, {"error": "no such control"})
            held = list(W.held) if what == "release" else []
        for h in held:
            land(h)
        self.send(200, {"ok": True})

    # -- the API --------------------------------------------------------------
    def route(self, method, path, q, body, fault):
        W = Handler.W
        m = re.fullmatch(r"/api/v2/users/me", path)
        if m and method == "GET":
            return 200, {"user": W.agent}, None
        m = re.fullmatch(r"/api/v2/users/(\d+)/tickets/assigned(/count)?",
                         path)
        if m and method == "GET":
            uid = int(m.group(1))
            mine = [t for t in W.tickets.values() if W.visible(t["id"]) and
                    t["assignee_id"] == uid]
            if m.group(2):
                return 200, {"count": {"value": len(mine),
                                       "refreshed_at": iso(time.time())}},\
                    None
            return self.listing(mine, q, "tickets", path, fault)
        if path == "/api/v2/tickets" and method == "GET":
            return self.listing([t for t in W.tickets.values()
                                 if W.visible(t["id"])], q, "tickets",
                                path, fault)
        if path == "/api/v2/tickets/show_many" and method == "GET":
            ids = [x for x in q.get("ids", "").split(",") if x]
            if len(ids) > 100:
                raise err(400, "TooManyValues", "Parameter  cannot specify"
                          " more than 100 values", max_count=100)
            ts = [W.tickets[int(i)] for i in ids if i.isdigit() and
                  W.visible(int(i))]
            out = {"tickets": ts}
            self.sideload(out, ts, q.get("include", ""))
            return 200, out, None
        if path == "/api/v2/search/export" and method == "GET":
            if q.get("filter[type]") != "ticket":
                raise err(400, "InvalidPaginationParameter",
                          "filter[type] is required")
            ts = search(W, q.get("query", ""))
            q2 = dict(q)
            q2["sort"] = "created_at"
            return self.listing(ts, q2, "results", path, fault,
                                cursor_only=True)
        if path == "/api/v2/search" and method == "GET":
            ts = search(W, q.get("query", ""))
            return self.offset(ts, q, "results", path, cap=1000)
        if path.startswith("/api/v2/incremental/"):
            raise err(403, "Forbidden", "You do not have access to this"
                      " page. Please contact the account owner of this"
                      " help desk for further help.")
        m = re.fullmatch(r"/api/v2/tickets/(\d+)(/.*)?", path)
        if m:
            return self.ticket_route(method, int(m.group(1)),
                                     m.group(2) or "", q, body, fault)
        if path == "/api/v2/macros/active":
            return self.listing(macros(W), q, "macros", path, fault,
                                by_id=True)
        m = re.fullmatch(r"/api/v2/help_center/([^/]+)/articles", path)
        if m:
            return self.listing(articles(m.group(1)), q, "articles", path,
                                fault, by_id=True)
        if path == "/api/v2/ticket_fields":
            return 200, {"ticket_fields": [
                {"id": 360001, "type": "tagger", "title": "Category",
                 "raw_title": "Category", "active": True,
                 "custom_field_options": [
                     {"name": "Withdrawals", "value": "withdrawal"}]},
                {"id": 360002, "type": "text", "title": None}],
                "next_page": None, "previous_page": None, "count": 2}, None
        if path == "/api/v2/groups":
            return 200, {"groups": W.groups, "next_page": None,
                         "previous_page": None, "count": len(W.groups)}, \
                None
        raise err(404, "InvalidEndpoint", "Not found")

    def ticket_route(self, method, tid, rest, q, body, fault):
        W = Handler.W
        if not W.visible(tid):
            raise err(404, "RecordNotFound", "Not found")
        if rest == "" and method == "GET":
            out = {"ticket": W.tickets[tid]}
            self.sideload(out, [W.tickets[tid]], q.get("include", ""))
            return 200, out, None
        if rest == "" and method == "PUT":
            return update(W, tid, body)
        if rest == "/comments" and method == "GET":
            cs = W.comments[tid]
            out = self.pager(cs, q, lambda c: (c["created_at"], c["id"]),
                             "comments", "/api/v2/tickets/%d/comments" % tid)
            if "users" in q.get("include", ""):
                ids = {c["author_id"] for c in out["comments"]}
                out["users"] = [W.users[i] for i in ids if i in W.users]
            return 200, out, None
        if rest == "/audits" and method == "GET":
            aus = sorted(W.audits[tid], key=lambda a: (a["created_at"],
                                                      a["id"]))
            # sort_order is not among the documented parameters of this
            # endpoint: --audits-asc ignores it
            if q.get("sort_order") == "desc" and not W.audits_asc:
                aus.reverse()
            return self.offset(aus, q, "audits",
                               "/api/v2/tickets/%d/audits" % tid)
        m = re.fullmatch(r"/comments/(\d+)/redact", rest)
        if m and method == "PUT":
            for c in W.comments[tid]:
                if c["id"] == int(m.group(1)):
                    text = body.get("text", "")
                    if text not in c["body"]:
                        raise err(422, "RecordInvalid", "Text not found")
                    c["body"] = c["body"].replace(text, "\u2587" * 3)
                    c["plain_body"] = c["body"]
                    return 200, {"comment": c}, None
            raise err(404, "RecordNotFound", "Not found")
        raise err(404, "InvalidEndpoint", "Not found")

    def sideload(self, out, ts, include):
        W = Handler.W
        if "users" in include:
            ids = set()
            for t in ts:
                ids.update(i for i in (t.get("requester_id"),
                                       t.get("assignee_id")) if i)
            out["users"] = [W.users[i] for i in ids if i in W.users]
        if "groups" in include:
            out["groups"] = W.groups

    def listing(self, ts, q, key, path, fault, cursor_only=False,
                by_id=False):
        if "page" in q and not cursor_only and not q.get("page[size]") \
                and not q.get("page[after]"):
            return self.offset(ts, q, key, path)
        sort = q.get("sort", "id" if by_id else "-updated_at")
        desc = sort.startswith("-")
        field = sort.lstrip("-")

        def k(t):
            v = t.get(field)
            return (v or "", t["id"])
        out = self.pager(ts, q, k, key, path, desc, fault)
        self.sideload(out, out[key], q.get("include", ""))
        if key == "results":
            for t in out[key]:
                t["result_type"] = "ticket"
        return 200, out, None

    def pager(self, items, q, keyf, key, path, desc=None, fault=None):
        if desc is None:
            desc = q.get("sort", "").startswith("-")
        size = q.get("page[size]", "100")
        if not size.isdigit() or int(size) < 1:
            raise err(400, "InvalidPaginationParameter",
                      "page[size] must be a positive integer")
        size = min(int(size), 100)
        items = sorted(items, key=keyf, reverse=desc)
        after = q.get("page[after]")
        if after:
            c = dec_cursor(after)
            if c is None or "k" not in c:
                raise err(400, "InvalidPaginationParameter",
                          "Invalid cursor")
            ck = tuple(c["k"])
            items = [i for i in items if (keyf(i) < ck if desc else
                                          keyf(i) > ck)]
        page = [json.loads(json.dumps(i)) for i in items[:size]]
        more = len(items) > size
        if fault and fault["kind"] in ("ties", "touch", "delete", "merge"):
            mid_sync(Handler.W, fault, page, items[size:])
        ac = enc_cursor({"k": list(keyf(page[-1]))}) if page else None
        bc = enc_cursor({"k": list(keyf(page[0]))}) if page else None
        base = "%s%s.json?page%%5Bsize%%5D=%d" % (self.origin(), path, size)
        return {key: page,
                "meta": {"has_more": more, "after_cursor": ac,
                         "before_cursor": bc},
                # the real API may keep a next link on the last page
                "links": {"next": base + "&page%5Bafter%5D=" + quote(ac)
                          if ac else None,
                          "prev": base + "&page%5Bbefore%5D=" + quote(bc)
                          if bc else None}}

    def offset(self, items, q, key, path, cap=10000):
        try:
            page = int(q.get("page", "1"))
            per = min(int(q.get("per_page", "100")), 100)
        except ValueError:
            raise err(400, "InvalidPaginationParameter", "bad page")
        if page < 1 or per < 1:
            raise err(400, "InvalidPaginationParameter", "bad page")
        if page * per > cap:
            if cap == 1000:
                raise Reject(422, {"error": "invalid", "description":
                                   "Invalid search: Requested response"
                                   " size was greater than Search"
                                   " Response Limits"})
            raise err(400, "InvalidPaginationParameter", "Offset"
                      " pagination is limited to 100 pages")
        chunk = items[(page - 1) * per:page * per]
        base = "%s%s.json?per_page=%d&page=" % (self.origin(), path, per)
        if q.get("sort_order"):
            base = base.replace("?", "?sort_order=%s&" % q["sort_order"], 1)
        nxt = base + str(page + 1) if page * per < len(items) else None
        return 200, {key: chunk, "next_page": nxt,
                     "previous_page": base + str(page - 1)
                     if page > 1 else None, "count": len(items)}, None


def mid_sync(W, f, page, rest):
    """Change the account between two list pages."""
    if f["kind"] == "ties" and page:
        stamp = page[0]["updated_at"]
        for t in page:
            W.tickets[t["id"]]["updated_at"] = stamp
            t["updated_at"] = stamp
        return
    if not rest:
        return
    victim = rest[len(rest) // 2]["id"]
    if f["kind"] == "touch":
        W.touch(victim)
        W.tickets[victim]["subject"] = "touched mid-sync"
    elif f["kind"] == "delete":
        W.deleted.add(victim)
    elif f["kind"] == "merge":
        merge(W, victim, page[0]["id"])
    f.setdefault("victims", []).append(victim)


def merge(W, src, into):
    now = time.time()
    W.add_comment(src, W.agent["id"], "This request was closed and merged"
                  " into request #%d." % into, False, now, None)
    W.tickets[src]["status"] = "closed"
    W.tickets[src]["tags"] = sorted(set(W.tickets[src]["tags"]) |
                                    {"closed_by_merge"})
    W.touch(src, now)
    W.add_comment(into, W.agent["id"], "Request #%d was closed and merged"
                  " into this request." % src, False, now, None)
    W.touch(into, now)


def search(W, query):
    """The subset of the search language tdesk sends."""
    ts = [t for t in W.tickets.values() if W.visible(t["id"])]
    for m in re.finditer(r'(-?)(\w+)(:|<=|>=|<|>)("[^"]*"|\S+)', query):
        neg, k, op, v = m.groups()
        v = v.strip('"')
        if k == "type":
            continue
        if k == "status":
            rank = STATUS_ORDER.index(v) if v in STATUS_ORDER else -1
            ops = {":": lambda a: a == rank, "<": lambda a: a < rank,
                   ">": lambda a: a > rank, "<=": lambda a: a <= rank,
                   ">=": lambda a: a >= rank}
            f = ops[op]
            sel = [t for t in ts if f(STATUS_ORDER.index(t["status"]))]
        elif k == "group":
            gids = {g["id"] for g in W.groups if g["name"] == v}
            sel = [t for t in ts if t["group_id"] in gids]
        elif k == "updated":
            at = parse_iso(v)
            if at is None:
                raise err(400, "invalid", "Invalid search: bad date")
            sel = [t for t in ts if (t["generated_timestamp"] > at if
                                     op == ">" else
                                     t["generated_timestamp"] < at)]
        elif k == "assignee":
            sel = [t for t in ts if t["assignee_id"] == (
                W.agent["id"] if v == "me" else None)]
        else:
            sel = ts
        ts = [t for t in ts if (t in sel) != bool(neg)]
    return ts


def update(W, tid, body):
    tk = W.tickets[tid]
    t = body.get("ticket")
    if not isinstance(t, dict):
        raise err(400, "InvalidJSON", "ticket object missing")
    if tk["status"] == "closed":
        raise Reject(422, {"error": "RecordInvalid", "description":
                           "Record validation errors", "details": {
                               "status": [{"description": "Status: closed"
                                           " prevents ticket update"}]}})
    if t.get("safe_update") in (True, "true"):
        if parse_iso(t.get("updated_stamp")) != parse_iso(
                tk["updated_at"]):
            raise Reject(409, {"error": "UpdateConflict", "description":
                               "Safe Update prevented the update due to"
                               " outdated ticket data. Please fetch the"
                               " latest ticket data and try again."})
    if "status" in t and t["status"] not in STATUS_ORDER[:5]:
        raise Reject(422, {"error": "RecordInvalid", "description":
                           "Record validation errors", "details": {
                               "status": [{"description": "Status: is"
                                           " invalid"}]}})
    now = time.time()
    events = []
    for f in ("status", "priority", "type", "assignee_id", "group_id"):
        if f in t and t[f] != tk.get(f):
            events.append({"id": W.new_id(), "type": "Change",
                           "field_name": f, "value": t[f],
                           "previous_value": tk.get(f)})
            tk[f] = t[f]
    tags = list(tk["tags"])
    if isinstance(t.get("tags"), list):
        tags = [x.lower() for x in t["tags"]]
    if W.strict_tags:
        # documented: additional_tags and remove_tags work only on
        # update_many with ids in the query; a single update drops them
        # like any unknown key
        t = {k: v for k, v in t.items() if k not in ("additional_tags",
                                                      "remove_tags")}
    for x in t.get("additional_tags") or []:
        if x.lower() not in tags:
            tags.append(x.lower())
    for x in t.get("remove_tags") or []:
        tags = [y for y in tags if y != x.lower()]
    tk["tags"] = tags
    if isinstance(t.get("custom_fields"), list):
        for cf in t["custom_fields"]:
            for have in tk["custom_fields"]:
                if have["id"] == cf.get("id"):
                    have["value"] = cf.get("value")
    custom = t.get("metadata") if isinstance(t.get("metadata"),
                                             dict) else {}
    c = t.get("comment")
    if isinstance(c, dict) and (c.get("body") or c.get("html_body")):
        _, audit = W.add_comment(tid, W.agent["id"], c.get("body") or
                                 c.get("html_body"),
                                 c.get("public", True) is not False, now,
                                 custom)
        audit["events"].extend(events)
    else:
        audit = {"id": W.new_id(), "ticket_id": tid,
                 "created_at": iso(now), "author_id": W.agent["id"],
                 "metadata": {"system": {}, "custom": custom},
                 "via": {"channel": "api"}, "events": events}
        W.audits[tid].append(audit)
    W.touch(tid, now)
    return 200, {"ticket": tk, "audit": audit}, None


def land(h):
    """Apply a held request, once."""
    W = Handler.W
    with LOCK:
        if h not in W.held:
            return
        W.held.remove(h)
        if h["method"] == "PUT" and h["ticket"] and W.visible(h["ticket"]):
            try:
                update(W, h["ticket"], h["body"])
                h["landed"] = True
            except Reject:
                h["landed"] = False


def macros(W):
    return [{"id": 1000 + i, "title": "Macro %d \u2713" % i, "raw_title":
             None if i == 2 else "M%d" % i, "active": True,
             "description": None,
             "restriction": None,
             "actions": [{"field": "status", "value": "pending"},
                         {"field": "comment_value",
                          "value": ["channel:all", "Hi {{ticket.requester."
                                    "first_name}} \U0001F44B"]},
                         {"field": "comment_mode_is_public", "value": "true"},
                         {"field": "current_tags", "value": "m%d" % i}],
             "created_at": iso(0), "updated_at": iso(0)} for i in range(5)]


def articles(locale):
    if locale not in ("en-us", "zh-cn"):
        return []
    return [{"id": BIG + 100 + i, "title": "%s article %d" % (locale, i),
             "locale": locale, "source_locale": "en-us",
             "label_names": ["faq", "withdrawal"] if i % 2 else [],
             "body": "<p>How to withdraw \u63d0\u73b0 %d</p>" % i,
             "draft": False, "section_id": 1, "created_at": iso(0),
             "updated_at": iso(0), "html_url": "http://x/hc/%d" % i}
            for i in range(7)]


def state(W):
    out = []
    for tid, tk in W.tickets.items():
        out.append({"id": tid, "status": tk["status"],
                    "deleted": tid in W.deleted,
                    "updated_at": tk["updated_at"], "tags": tk["tags"],
                    "subject": tk.get("subject"),
                    "priority": tk.get("priority"),
                    "assignee_id": tk["assignee_id"],
                    "comments": len(W.comments[tid]),
                    "client_ids": [a["metadata"]["custom"]["client_msg_id"]
                                   for a in W.audits[tid]
                                   if a["metadata"]["custom"].get(
                                       "client_msg_id")]})
    return {"agent_id": W.agent["id"], "tickets": out,
            "held": len(W.held),
            "faults": W.faults}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tickets", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--email", default="agent@example.com")
    ap.add_argument("--token", default="sim2-token")
    ap.add_argument("--faults", help="JSON file of fault rules")
    ap.add_argument("--small-ids", action="store_true")
    ap.add_argument("--strict-tags", action="store_true",
                    help="drop additional_tags/remove_tags on a single"
                    " ticket update, as the documentation says")
    ap.add_argument("--rate", type=int, default=0,
                    help="requests a minute before 429 (0: no limit)")
    ap.add_argument("--audits-asc", action="store_true",
                    help="list a ticket's audits oldest first whatever"
                    " sort_order says")
    a = ap.parse_args()
    W = World(a.tickets, a.seed, a.email, a.token, not a.small_ids)
    W.audits_asc = a.audits_asc
    W.strict_tags = a.strict_tags
    W.rate, W.rate_used, W.rate_start = a.rate, 0, time.time()
    if a.faults:
        with open(a.faults) as f:
            W.faults = json.load(f)
    elif os.environ.get("ZDSIM2_FAULTS"):
        W.faults = json.loads(os.environ["ZDSIM2_FAULTS"])
    Handler.W = W
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
