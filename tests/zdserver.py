#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Loopback Zendesk Support API v2 simulator for tdesk's sync tests and
benchmarks: a deterministic synthetic desk, the endpoint subset the sync
client uses, real auth/pagination/rate-limit/error shapes, and seeded fault
injection driven through an unauthenticated /_admin/ API.

Standard library only (Python 3.11).  Binds 127.0.0.1 only.
Run `python3 tests/zdserver.py --help` for the CLI; the admin API and the
fault kinds are described in the module docs below (ADMIN_DOC).
"""

import argparse
import base64
import bisect
import calendar
import email.utils
import hashlib
import html
import json
import math
import os
import random
import re
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

ADMIN_DOC = """
Admin API (no auth, loopback only), JSON in and out:
  GET  /_admin/state[?tickets=all|changed|none][&ids=1,2]
  GET  /_admin/health
  POST /_admin/customer_reply {"ticket_id":1,"body":"...","public":true}
  POST /_admin/update  {"ticket_id":1,"fields":{"status":"open",...},
                        "author_id":<agent id, default another agent>}
  POST /_admin/delete  {"ticket_id":1}
  POST /_admin/faults  {"faults":[FAULT,...]}   replace the fault list
                       {"add":[FAULT,...]}      append
                       {"clear":true}           remove all
  POST /_admin/reset   back to the seeded state, CLI settings
  POST /_admin/auth    {"mode":"ok|bad|null_id|end_user|forbidden|admin"}
  POST /_admin/rate_limit {"per_minute":N,"update_per_minute":M}
  POST /_admin/config  {"job_polls":2}
  POST /_admin/raw_comments {"ticket_id":1,"comments":[{...}],"ticket":{...}}
                       append comments as given (Zendesk's JSON, ids kept;
                       "id" assigned when absent) and override members of
                       the ticket (not its id): real answers for the sync
FAULT: {"endpoint":"tickets.update"|"*", "method":"PUT" (optional),
        "kind":"error|503|reset|slow|drip|truncate|invalid_json|html|huge|
                commit_reset|db_conflict|hold",
        "mode":"always|next|prob", "count":N (next), "p":0.2 (prob),
        "status":500|502|504 (error), "retry_after":2 (503),
        "delay_ms":N (slow, drip), "chunk":N bytes (drip),
        "size_mb":N (huge), "chunked":false (huge without Content-Length),
        "before":false (slow: delay before running the handler),
        "release":"tickets.show|audits|admin|timer" (hold, see below),
        "max_ms":N (hold: give up waiting and process it anyway),
        "skip":N (let the first N matching requests through)}
A "hold" fault parks the request before it is processed and processes it
later, whether or not its client is still there (a request the server
handles late): when "release" is an endpoint, just before the next request
to that endpoint is processed ("tickets.show": the copy lands before the
client reads the ticket) or just after ("audits": it lands after the audit
list was read, before the client sees it); "admin": on POST /_admin/release;
"timer": after delay_ms. /_admin/state shows "held" (parked right now) and
"held_done" (processed late so far).
"""

# ---------------------------------------------------------------------------
# Time helpers

def iso(ts):
    """Epoch seconds to Zendesk's ISO-8601 second-precision UTC form."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


_ISO_RE = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?"
    r"(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?)?$")


def parse_iso(s):
    """ISO date or datetime (Z, +hh:mm, +hhmm) to epoch seconds, or None."""
    m = _ISO_RE.match(s.strip()) if isinstance(s, str) else None
    if not m:
        return None
    y, mo, d, hh, mi, ss, tz = m.groups()
    ts = calendar.timegm((int(y), int(mo), int(d), int(hh or 0),
                          int(mi or 0), int(ss or 0), 0, 0, 0))
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        tz = tz[1:].replace(":", "")
        ts -= sign * (int(tz[:2]) * 3600 + int(tz[2:]) * 60)
    return ts


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def b64e(obj):
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def b64d(s):
    try:
        pad = "=" * (-len(s) % 4)
        return json.loads(base64.urlsafe_b64decode(s + pad))
    except (ValueError, TypeError):
        return None

# ---------------------------------------------------------------------------
# Synthetic text

EN_FIRST = ["Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace",
            "Henry", "Isabel", "Jack", "Karen", "Liam", "Mia", "Noah",
            "Olivia", "Peter", "Quinn", "Rosa", "Sam", "Tara", "Uma",
            "Victor", "Wendy", "Xavier", "Yara", "Zoë", "Seán", "José",
            "Björn", "Chloé"]
EN_LAST = ["Smith", "Johnson", "O'Brien", "García", "Müller", "Nguyen",
           "Kowalski", "Brown", "Taylor", "Anderson", "Lee", "Martin",
           "Dubois", "Rossi", "Silva", "D'Angelo"]
ZH_SUR = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
ZH_GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
            "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]

EN_SUBJECTS = [
    'Can\'t withdraw funds, stuck at "processing"',
    "Refund request for order #{order}",
    "Password reset email never arrived",
    'App crashes when I tap "Pay now" \U0001F621',
    "Charged twice on {date}",
    'Error E{code}: path C:\\Users\\{first}\\Documents not found',
    "Shipping delay for order {order} \U0001F4E6",
    "How do I enable two-factor authentication?",
    "Account locked after too many attempts",
    "Invoice needs a VAT number",
    "Question about fees: 0.5% or 1%?",
    "Wrong currency shown (\u20ac instead of $)",
    "Can't verify my identity \u2014 document rejected",
    "Love the app! \U0001F389 but one small issue",
    "URGENT: unauthorized transaction on card ending {code}",
    "Withdrawal to bank account {code} failed",
]
ZH_SUBJECTS = [
    "退款申请：订单 #{order}",
    "无法登录账户，提示\u201c密码错误\u201d",
    "提现一直显示\u201c处理中\u201d",
    "应用闪退 \U0001F622 每次打开都崩溃",
    "发票抬头需要修改",
    "\u201c双十一\u201d优惠券无法使用",
    "银行卡绑定失败（错误码 E{code}）",
    "实名认证被拒绝，请帮忙看看",
    "手续费是怎么计算的？",
    "账户被冻结了，急！\U0001F525",
    "收到两次扣款通知 {date}",
    "如何开启两步验证？",
    "订单 {order} 物流一直没有更新 \U0001F4E6",
    "提现到尾号 {code} 的银行卡失败",
]
EN_SENT = [
    "I tried to withdraw my balance yesterday but the transfer is still pending.",
    'The app says "Something went wrong" and nothing else.',
    "I have attached a screenshot of the error message.",
    "My order number is {order} and I paid with a Visa card.",
    "This is the third time I am writing about this issue!",
    "Could you please check what is going on with my account?",
    "I was charged {amount} twice and I need one of the charges refunded.",
    "I already reset my password twice, but the email never arrives.",
    'Support told me to "wait 24 hours" but it has been a week.',
    "The path it complains about is C:\\Program Files\\Wallet\\app.exe.",
    "I'm travelling at the moment so please reply by email.",
    "Thanks in advance for your help \U0001F64F",
    "My phone is a Pixel 7 running Android 14, app version 5.{code}.",
    "On iOS 17 the same thing happens after the latest update.",
    "Please escalate this, it is costing me money every day.",
    "The verification page keeps rejecting my passport photo.",
    "I think someone else accessed my account from another country.",
    "Is there a fee for withdrawing to a foreign bank account?",
    "The invoice shows the wrong company name and no VAT number.",
    "I would like to close my account and get my remaining balance.",
]
ZH_SENT = [
    "我昨天申请了提现，但是到现在还显示处理中。",
    "应用提示\u201c出错了\u201d，没有其他信息。",
    "我已经附上了错误信息的截图。",
    "我的订单号是 {order}，用的是招商银行的卡付款。",
    "这已经是我第三次反馈这个问题了！",
    "麻烦帮我查一下账户到底出了什么问题？",
    "同一笔订单被扣了两次款，共 {amount}，请退回其中一笔。",
    "我重置了两次密码，但一直收不到邮件。",
    "客服说\u201c请等待 24 小时\u201d，可是已经过去一周了。",
    "我现在在出差，请通过邮件回复我，谢谢。",
    "先谢谢你们的帮助 \U0001F64F",
    "我的手机是华为 Mate 60，应用版本 5.{code}。",
    "更新到最新版本之后问题依然存在。",
    "请尽快处理，每天都在损失钱。",
    "实名认证页面一直拒绝我的身份证照片。",
    "我怀疑有人从其他地方登录了我的账户。",
    "提现到境外银行卡有手续费吗？",
    "发票上的公司名称写错了，也没有税号。",
    "我想注销账户并取回余额。",
    "双十一买的东西到现在还没发货。",
]
EN_AGENT = [
    "Hi {first},\n\nThanks for reaching out. I have checked your account "
    "and the transfer is on its way; it should arrive within 1-2 business "
    "days.\n\nBest regards,\n{agent}",
    "Hello {first},\n\nSorry for the trouble! Could you send us a "
    "screenshot of the \"Payments\" screen?\n\nThanks,\n{agent}",
    "Hi {first},\n\nI've refunded the duplicate charge of {amount}. You "
    "will see it on your statement in 3-5 days.\n\n{agent}",
]
ZH_AGENT = [
    "{first}您好，\n\n感谢您的耐心等待。我们已经核实，款项正在处理中，预计"
    "1-2 个工作日到账。\n\n祝好，\n{agent}",
    "{first}您好，\n\n非常抱歉给您带来不便！请提供一下\u201c支付\u201d页面的"
    "截图。\n\n谢谢，\n{agent}",
    "{first}您好，\n\n重复扣除的 {amount} 已经退回，3-5 个工作日内到账。"
    "\n\n{agent}",
]
NOTES = [
    "Checked the ledger: payout batch #{code} is delayed on the bank side.",
    "VIP customer \u2014 handle within 2h. Escalated to Tier 2 in Slack.",
    "内部备注：已联系财务核实，等待回复。",
    "Possible fraud, see linked ticket. Do NOT promise a refund yet.",
]
WEIRD = [  # rare customer text that exercises the client's sanitiser
    "Copied from the terminal: \x1b[31mERROR\x1b[0m payment failed.",
    "The file is called \u202egnp.exe and my antivirus complains.",
    "Column\tvalue\ttabs\tin\ttext and a bell \x07 here.",
    "Zero\u200bwidth\u200bspaces and a BOM \ufeff in the middle.",
]
TAGS = ["billing", "refund", "withdrawal", "login", "kyc", "bug", "wallet",
        "android", "ios", "chargeback", "fees", "invoice", "shipping",
        "2fa", "fraud_review", "feedback"]
STATUSES = ["new", "open", "pending", "hold", "solved", "closed"]
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
PRIORITIES = ["low", "normal", "high", "urgent"]
PRIO_RANK = {None: -1, "low": 0, "normal": 1, "high": 2, "urgent": 3}
TYPES = ["problem", "incident", "question", "task"]
CHANNELS = ["email", "email", "email", "web", "web", "chat",
            "native_messaging", "api", "mobile_sdk"]

ME_ID = 361000000001
OTHER_AGENT_IDS = [361000000002, 361000000003, 361000000004, 361000000005]
REQ_BASE = 361000100000
ORG_BASE = 360000500000
GROUPS = [(360000000101, "Support", "Front-line support"),
          (360000000102, "Tier 2", "Escalations"),
          (360000000103, "Billing", "Payments and refunds"),
          (360000000104, "技术支持", "中文技术支持")]
MY_GROUPS = [360000000101, 360000000104, 360000000102]
CF_IDS = [360010000001 + i for i in range(8)]
# GET /api/v2/ticket_fields: the custom fields' definitions (id -> title)
CF_DEFS = [("Order number", "text"), ("Payment method", "tagger"),
           ("Region", "tagger"), ("KYC verified", "checkbox"),
           ("Platforms", "multiselect"), ("Incident date", "date"),
           ("Retries", "integer"), ("Internal reference", "text")]
ORG_NAMES = ["Acme Trading", "Blue Harbor Capital", "杭州星辰科技",
             "Nordic Ledger AB", "株式会社サクラ", "Quantum Pay"]
STATUS_IDS = {s: 360030000001 + i for i, s in enumerate(STATUSES)}
COMMENT_BASE = 1000000000000
AUDIT_BASE = 2000000000000


def ri(r, a, b):
    """Fast r.randint(a, b)."""
    return a + int(r.random() * (b - a + 1))


def pick(r, seq):
    """Fast r.choice(seq)."""
    return seq[int(r.random() * len(seq))]


def fill(tpl, r, first="", agent=""):
    if "{" not in tpl:
        return tpl
    kw = {"first": first, "agent": agent}
    if "{order}" in tpl:
        kw["order"] = ri(r, 100000, 999999)
    if "{date}" in tpl:
        kw["date"] = "2024-%02d-%02d" % (ri(r, 1, 12), ri(r, 1, 28))
    if "{code}" in tpl:
        kw["code"] = ri(r, 1000, 9999)
    if "{amount}" in tpl:
        kw["amount"] = "$%d.%02d" % (ri(r, 5, 900), ri(r, 0, 99))
    return tpl.format(**kw)


def html_body(text):
    paras = [p for p in text.split("\n\n")]
    out = "".join('<p dir="auto">%s</p>' %
                  html.escape(p, quote=False).replace("\n", "<br>")
                  for p in paras)
    return '<div class="zd-comment" dir="auto">%s</div>' % out

# ---------------------------------------------------------------------------
# The desk


class Ticket:
    """Mutable per-ticket state; static parts are regenerated from the seed."""
    __slots__ = ("id", "created", "updated", "gen_ts", "status", "priority",
                 "type", "subject", "description", "requester_id",
                 "submitter_id", "assignee_id", "group_id", "tags",
                 "custom", "deleted", "extra_comments", "extra_audits",
                 "n_base", "touched", "esc", "blob", "zh", "sla_off",
                 "sla", "base_updated", "raw")


class Desk:
    """The whole synthetic account. All access under Desk.lock."""

    def __init__(self, opts):
        self.opts = opts
        self.lock = threading.RLock()
        self.req_file = (open(opts.request_log, "a", buffering=1)
                         if getattr(opts, "request_log", None) else None)
        self.base_url = (opts.base_url.rstrip("/") if opts.base_url else
                         "http://127.0.0.1:%d" % (opts.port or 0))
        self.reset()

    # -- generation --------------------------------------------------------

    def reset(self):
        o = self.opts
        self.seed = o.seed
        self.epoch = o.epoch
        self.auth_mode = "ok"
        self.rate = Bucket(o.rate_limit)
        self.update_rate = (Bucket(o.update_rate_limit)
                            if o.update_rate_limit else None)
        self.job_polls = 2
        self.faults = []
        self.fault_seq = 0
        self.held = []          # [Held] parked requests (fault "hold")
        self.held_done = 0
        self.req_counts = {}
        self.status_counts = {}
        self.n429 = 0
        self.req_total = 0
        self.req_log = []
        self.writes = []
        self.jobs = {}
        self.next_comment = 5000000000000
        self.next_audit = 6000000000000
        self.next_att = 370000000000
        self.att_files = {}     # attachment id -> bytes served (admin-made)
        self.att_redirect = set()   # ids whose bytes are on a storage host
        self.att_delay = {}     # attachment id -> seconds before answering
        self.att_fetches = []   # {"id", "path", "authorization"} per GET
        self.next_job = 1
        self.last_stamp = 0
        self.gen_users()
        self.gen_tickets()
        self.gen_macros()
        self.gen_articles()
        for f in o.fault or []:
            self.faults.append(Fault(parse_fault_arg(f), self))

    def gen_users(self):
        r = random.Random(self.seed * 7919 + 1)
        n = max(10, self.opts.tickets // 4)
        self.n_req = n
        self.users = {}
        self.user_blobs = {}
        me = self.user_dict(ME_ID, self.opts.agent_name,
                            self.opts.agent_email, "agent", "en-US",
                            [], MY_GROUPS[0])
        self.users[ME_ID] = me
        names = ["Kim Park", "Raj Patel", "李娜", "Tom Fischer"]
        for uid, name in zip(OTHER_AGENT_IDS, names):
            loc = "zh-CN" if name == "李娜" else "en-US"
            self.users[uid] = self.user_dict(
                uid, name, "agent%d@example.com" % (uid % 100), "agent", loc,
                [], GROUPS[uid % 4][0])
        for i in range(n):
            uid = REQ_BASE + i
            zh = r.random() < 0.4
            if zh:
                name = r.choice(ZH_SUR) + r.choice(ZH_GIVEN)
                mail = "user%d@example.cn" % i
            else:
                name = "%s %s" % (r.choice(EN_FIRST), r.choice(EN_LAST))
                mail = "user%d@example.com" % i
            tags = ["vip"] if r.random() < 0.05 else []
            self.users[uid] = self.user_dict(
                uid, name, mail, "end-user", "zh-CN" if zh else "en-US",
                tags, None, org=(ORG_BASE + i % 97) if i % 3 == 0 else None)

    def user_dict(self, uid, name, mail, role, locale, tags, group, org=None):
        created = self.epoch - 86400 * 400 - (uid % 86400)
        return {
            "id": uid, "url": "%s/api/v2/users/%d.json" % (self.base_url, uid),
            "name": name, "email": mail, "created_at": iso(created),
            "updated_at": iso(created + 3600),
            "time_zone": "Beijing" if locale == "zh-CN" else "London",
            "iana_time_zone": ("Asia/Shanghai" if locale == "zh-CN"
                               else "Europe/London"),
            "phone": None, "shared_phone_number": None, "photo": None,
            "locale_id": 10 if locale == "zh-CN" else 1, "locale": locale,
            "organization_id": org, "role": role, "role_type": None,
            "custom_role_id": None, "verified": True, "active": True,
            "suspended": False, "default_group_id": group,
            "ticket_restriction": None, "restricted_agent": False,
            "only_private_comments": False, "moderator": role != "end-user",
            "signature": ("Best regards,\n" + name) if role == "agent"
            else None, "tags": tags, "user_fields": {},
            "external_id": None, "alias": None,
            "last_login_at": iso(self.epoch - 3600) if role == "agent"
            else None, "two_factor_auth_enabled": None, "shared": False,
            "shared_agent": False, "report_csv": False, "notes": "",
            "details": ""}

    def user_blob(self, uid):
        b = self.user_blobs.get(uid)
        if b is None:
            b = self.user_blobs[uid] = jdump(self.users[uid])
        return b

    def first_name(self, uid):
        u = self.users.get(uid)
        if not u:
            return ""
        n = u["name"]
        if u["locale"] == "zh-CN" and " " not in n:
            return n
        return n.split(" ")[0]

    def trng(self, tid, salt=0):
        return random.Random((self.seed * 1000003 + tid) * 8 + salt)

    def gen_tickets(self):
        self.tickets = {}
        for tid in range(1, self.opts.tickets + 1):
            self.tickets[tid] = self.gen_ticket(tid)
        self.rebuild_orders()

    def gen_ticket(self, tid):
        r = self.trng(tid)
        t = Ticket()
        t.id = tid
        age = ri(r, 3600, 120 * 86400)
        t.created = self.epoch - age
        t.updated = t.created + int(age * r.random() ** 2)
        t.base_updated = t.updated  # seeded comments keep their times
        t.gen_ts = t.updated + ri(r, 0, 5)
        t.n_base = pick(r, (1, 1, 2, 2, 3, 3, 4, 5))
        t.status = r.choices(STATUSES, (10, 40, 20, 5, 15, 10))[0]
        t.priority = r.choices([None] + PRIORITIES, (10, 15, 50, 18, 7))[0]
        t.type = r.choices([None] + TYPES, (20, 10, 30, 35, 5))[0]
        t.requester_id = REQ_BASE + r.randrange(self.n_req)
        req = self.users[t.requester_id]
        t.zh = req["locale"] == "zh-CN"
        t.submitter_id = t.requester_id if r.random() < 0.9 else ME_ID
        x = r.random()
        if x < 0.85:
            t.assignee_id = ME_ID
            t.group_id = pick(r, MY_GROUPS)
        elif x < 0.97:
            t.assignee_id = pick(r, OTHER_AGENT_IDS)
            t.group_id = pick(r, GROUPS)[0]
        else:
            t.assignee_id = None
            t.group_id = pick(r, GROUPS)[0]
        first = self.first_name(t.requester_id)
        subj = pick(r, ZH_SUBJECTS if t.zh else EN_SUBJECTS)
        t.subject = fill(subj, r, first)
        sents = ZH_SENT if t.zh else EN_SENT
        paras = []
        for _ in range(ri(r, 1, 3)):
            paras.append(" ".join(fill(pick(r, sents), r)
                                  for _ in range(ri(r, 2, 4))))
        if r.random() < 0.03:
            paras.append(pick(r, WEIRD))
        greet = "您好，" if t.zh else "Hi,"
        sign = ("谢谢，\n" if t.zh else "Thanks,\n") + req["name"]
        t.description = "\n\n".join([greet] + paras + [sign])
        tags = r.sample(TAGS, ri(r, 1, 4))
        if "vip" in req["tags"]:
            tags.append("vip")
        if t.zh:
            tags.append("lang_zh")
        t.tags = tags
        t.custom = None
        t.deleted = False
        t.extra_comments = []
        t.extra_audits = []
        t.touched = False
        t.esc = tid % 7 == 3
        t.sla_off = ri(r, -6 * 3600, 30 * 3600)
        t.blob = None
        t.raw = None
        self.render(t)
        return t

    def static(self, t):
        """Regenerate the immutable bulk of a ticket from the seed."""
        r = self.trng(t.id, 1)
        chan = pick(r, CHANNELS)
        req = self.users[t.requester_id]
        if chan == "email":
            src = {"from": {"address": req["email"], "name": req["name"]},
                   "to": {"address": "support@tdesk-sim.zendesk.com",
                          "name": "Support"}, "rel": None}
        elif chan == "web":
            src = {"from": {}, "to": {}, "rel": None}
        else:
            src = {"from": {"name": req["name"]}, "to": {},
                   "rel": pick(r, [None, "zendesk", "follow_up"])}
        cf = [
            {"id": CF_IDS[0], "value": str(ri(r, 100000, 999999))},
            {"id": CF_IDS[1], "value": pick(r, ["wallet_app", "card",
                                                 "exchange", None])},
            {"id": CF_IDS[2], "value": pick(r, ["apac", "emea", "amer"])},
            {"id": CF_IDS[3], "value": r.random() < 0.3},
            {"id": CF_IDS[4], "value": r.sample(["ios", "android", "web",
                                                 "desktop"], 2)},
            {"id": CF_IDS[5], "value": "2024-%02d-%02d" % (ri(r, 1, 12),
                                                          ri(r, 1, 28))},
            {"id": CF_IDS[6], "value": ri(r, 0, 5) or None},
            {"id": CF_IDS[7], "value": None},
        ]
        sat = None
        if r.random() < 0.5:
            score = pick(r, ["offered", "good", "good", "bad", "unoffered"])
            sat = {"id": 360040000000 + t.id, "score": score,
                   "comment": ("Great support, thanks! \U0001F44D"
                               if score == "good" else
                               "Still not solved \U0001F620"
                               if score == "bad" else None),
                   "reason": "Some other reason" if score == "bad" else None}
        collab = [REQ_BASE + r.randrange(self.n_req)
                  for _ in range(pick(r, (0, 0, 0, 1, 2)))]
        return chan, src, cf, sat, collab, r

    def ticket_dict(self, t):
        chan, src, cf, sat, collab, r = self.static(t)
        if t.custom is not None:
            cf = t.custom
        org = self.users[t.requester_id]["organization_id"]
        return {
            "url": "%s/api/v2/tickets/%d.json" % (self.base_url, t.id),
            "id": t.id,
            "external_id": ("ext-%08x" % (t.id * 2654435761 % 2**32)
                            if t.id % 5 == 0 else None),
            "via": {"channel": chan, "source": src},
            "created_at": iso(t.created), "updated_at": iso(t.updated),
            "generated_timestamp": t.gen_ts,
            "type": t.type, "subject": t.subject, "raw_subject": t.subject,
            "description": t.description, "priority": t.priority,
            "status": t.status, "custom_status_id": STATUS_IDS[t.status],
            "recipient": ("support@tdesk-sim.zendesk.com"
                          if chan == "email" else None),
            "requester_id": t.requester_id, "submitter_id": t.submitter_id,
            "assignee_id": t.assignee_id, "organization_id": org,
            "group_id": t.group_id, "collaborator_ids": collab,
            "follower_ids": collab, "email_cc_ids": [],
            "forum_topic_id": None,
            "problem_id": (t.id - 1 if t.type == "incident" and t.id > 1
                           else None),
            "has_incidents": t.type == "problem",
            "is_public": True,
            "due_at": (iso(t.created + 7 * 86400)
                       if t.type == "task" else None),
            "tags": list(t.tags), "custom_fields": cf,
            "satisfaction_rating": sat,
            "sharing_agreement_ids": [], "fields": cf, "followup_ids": [],
            "ticket_form_id": 360050000001, "brand_id": 360060000001,
            "allow_channelback": False, "allow_attachments": True,
            "from_messaging_channel": chan == "native_messaging",
        }

    def render(self, t):
        d = self.ticket_dict(t)
        if t.raw:
            d.update((k, v) for k, v in t.raw.items() if k != "id")
        t.blob = json.dumps(d, ensure_ascii=t.esc,
                            separators=(",", ":")).encode("utf-8")
        t.sla = jdump(self.sla_dict(t))

    def sla_dict(self, t):
        if t.status in ("solved", "closed"):
            return {"policy_metrics": [
                {"breach_at": None, "stage": "achieved",
                 "metric": "first_reply_time"},
                {"breach_at": None, "stage": "achieved",
                 "metric": "requester_wait_time"}]}
        breach = self.epoch + t.sla_off
        rem = (breach - self.epoch) / 60.0
        unit = {}
        if abs(rem) >= 1440:
            unit["days"] = int(rem / 1440)
        elif abs(rem) >= 60:
            unit["hours"] = int(rem / 60)
        else:
            unit["minutes"] = int(rem)
        stage = "paused" if t.status in ("pending", "hold") else "active"
        m1 = {"breach_at": iso(breach), "stage": stage,
              "metric": ("first_reply_time" if t.n_base == 1
                         else "next_reply_time")}
        m1.update(unit)
        return {"policy_metrics": [
            m1, {"breach_at": iso(breach + 86400), "stage": stage,
                 "metric": "requester_wait_time",
                 "days": int((breach + 86400 - self.epoch) / 86400)}]}

    def rebuild_orders(self):
        live = [t for t in self.tickets.values() if not t.deleted]
        self.by_upd = sorted((t.updated, t.id) for t in live)
        self.by_id = sorted(t.id for t in live)
        self.by_created = sorted((t.created, t.id) for t in live)

    def gen_macros(self):
        self.macros = [
            (360070000001, "Close and save", None, [
                {"field": "status", "value": "solved"},
                {"field": "comment_value_html",
                 "value": "<p>Hi {{ticket.requester.first_name}},</p><p>"
                          "We consider this solved. Reply to reopen.</p>"},
                {"field": "comment_mode_is_public", "value": "true"},
                {"field": "current_tags", "value": "closed_by_macro"}]),
            (360070000002, "Ask for details (EN)", None, [
                {"field": "status", "value": "pending"},
                {"field": "comment_value",
                 "value": "Hi {{ ticket.requester.first_name | capitalize }},"
                          "\n\nCould you send a screenshot of the error? "
                          "Ticket #{{ticket.id}}.\n\n{{current_user.name}}"},
                {"field": "comment_mode_is_public", "value": True}]),
            (360070000003, "退款处理中 (ZH)", None, [
                {"field": "status", "value": "pending"},
                {"field": "priority", "value": "high"},
                {"field": "comment_value",
                 "value": ["channel:all", "{{ticket.requester.name}}您好，"
                           "\n\n您的退款正在处理中（工单 #{{ticket.id}}）。"
                           "\n\n{{current_user.name}}"]},
                {"field": "current_tags", "value": "refund lang_zh"}]),
            (360070000004, "Escalate to Tier 2",
             {"type": "Group", "id": GROUPS[1][0], "ids": [GROUPS[1][0]]}, [
                {"field": "group_id", "value": str(GROUPS[1][0])},
                {"field": "assignee_id", "value": ""},
                {"field": "priority", "value": "urgent"},
                {"field": "comment_value",
                 "value": "Escalated by {{current_user.name}}: "
                          "{{ticket.title | upcase}}"},
                {"field": "comment_mode_is_public", "value": "false"},
                {"field": "remove_tags", "value": "feedback"},
                {"field": "current_tags", "value": "escalated"}]),
            (360070000005, "Reset tags to triage", None, [
                {"field": "set_tags", "value": "triage needs_review"},
                {"field": "type", "value": "question"}]),
        ]

    def macro_dict(self, m):
        mid, title, restr, actions = m
        return {"id": mid,
                "url": "%s/api/v2/macros/%d.json" % (self.base_url, mid),
                "title": title, "raw_title": title,
                "description": "Synthetic macro: " + title, "active": True,
                "position": mid % 100, "default": False,
                "restriction": restr, "actions": actions,
                "created_at": iso(self.epoch - 86400 * 300),
                "updated_at": iso(self.epoch - 86400 * 30)}

    def gen_articles(self):
        topics_en = [
            ("How to withdraw funds", "withdrawal"),
            ("Why is my withdrawal pending?", "withdrawal"),
            ("Requesting a refund", "refund"),
            ("Resetting your password", "login"),
            ("Enabling two-factor authentication", "2fa"),
            ("Fees and limits", "fees"),
            ("Verifying your identity (KYC)", "kyc"),
            ("Reporting an unauthorized transaction", "fraud"),
            ("Changing the name on an invoice", "invoice"),
            ("Closing your account", "account"),
            ("Shipping times by region", "shipping"),
            ("App crashes on start", "bug"),
        ]
        topics_zh = [
            ("如何提现", "withdrawal"), ("提现为什么一直处理中？", "withdrawal"),
            ("申请退款", "refund"), ("重置密码", "login"),
            ("开启两步验证", "2fa"), ("手续费与限额", "fees"),
            ("实名认证（KYC）", "kyc"), ("举报未授权交易", "fraud"),
            ("修改发票抬头", "invoice"), ("注销账户", "account"),
            ("各地区配送时效", "shipping"), ("应用启动闪退", "bug"),
        ]
        self.articles = {"en-us": [], "zh-cn": []}
        r = random.Random(self.seed * 31 + 7)
        for loc, topics in (("en-us", topics_en), ("zh-cn", topics_zh)):
            sents = EN_SENT if loc == "en-us" else ZH_SENT
            for rep in range(3):
                for i, (title, label) in enumerate(topics):
                    aid = 360020000000 + (0 if loc == "en-us" else 50000) \
                        + rep * 100 + i
                    if rep:
                        title = "%s (%d)" % (title, rep + 1)
                    body = "".join("<p>%s</p>" % html.escape(
                        fill(r.choice(sents), r)) for _ in range(3))
                    ts = self.epoch - 86400 * (200 - rep * 50 - i)
                    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")
                    self.articles[loc].append({
                        "id": aid,
                        "url": "%s/api/v2/help_center/%s/articles/%d.json"
                               % (self.base_url, loc, aid),
                        "html_url": "%s/hc/%s/articles/%d-%s"
                                    % (self.base_url, loc, aid, slug),
                        "author_id": ME_ID, "comments_disabled": False,
                        "draft": False, "promoted": i == 0,
                        "position": i, "vote_sum": r.randint(0, 40),
                        "vote_count": r.randint(40, 80),
                        "section_id": 360021000000 + i % 4,
                        "created_at": iso(ts), "updated_at": iso(ts + 3600),
                        "edited_at": iso(ts + 3600), "title": title,
                        "source_locale": "en-us", "locale": loc,
                        "outdated": False, "outdated_locales": [],
                        "label_names": [label, "faq"], "body": body,
                        "permission_group_id": 360022000001,
                        "user_segment_id": None, "user_segment_ids": [],
                        "content_tag_ids": []})

    # -- comments and audits ----------------------------------------------

    def base_comments(self, t):
        """The seeded conversation of a ticket (regenerated on demand)."""
        r = self.trng(t.id, 2)
        out = []
        n = t.n_base
        span = t.base_updated - t.created
        first = self.first_name(t.requester_id)
        agent = t.assignee_id or ME_ID
        aname = self.users[agent]["name"]
        chan = self.static(t)[0]
        for k in range(n):
            ts = t.created + (span * k // (n - 1) if n > 1 else 0)
            if k == 0:
                author, body, public = t.requester_id, t.description, True
            elif k % 3 == 1:
                author, public = agent, True
                body = fill(r.choice(ZH_AGENT if t.zh else EN_AGENT), r,
                            first, aname)
            elif k % 3 == 2:
                author, public = t.requester_id, True
                body = " ".join(fill(r.choice(ZH_SENT if t.zh else EN_SENT),
                                     r) for _ in range(r.randint(1, 3)))
            else:
                author, public = agent, False
                body = fill(r.choice(NOTES), r)
            atts = []
            if r.random() < 0.15:
                aid = 360090000000 + t.id * 8 + k
                atts.append({
                    "id": aid, "file_name": "screenshot-%d.png" % k,
                    "content_url": "%s/attachments/token/t%d/?name="
                                   "screenshot-%d.png" % (self.base_url,
                                                          aid, k),
                    "mapped_content_url": None, "content_type": "image/png",
                    "size": r.randint(20000, 900000), "width": 1170,
                    "height": 2532, "inline": False, "deleted": False,
                    "malware_scan_result": "malware_not_found",
                    "thumbnails": []})
            cid = COMMENT_BASE + t.id * 16 + k
            out.append(self.comment_dict(
                cid, AUDIT_BASE + t.id * 16 + k, author, body, public, ts,
                chan if author == t.requester_id else "web", atts))
        return out

    def comment_dict(self, cid, audit_id, author, body, public, ts, chan,
                     atts=(), html_b=None):
        return {"id": cid, "type": "Comment", "author_id": author,
                "body": body, "html_body": html_b or html_body(body),
                "plain_body": body, "public": public,
                "attachments": list(atts), "audit_id": audit_id,
                "via": {"channel": chan,
                        "source": {"from": {}, "to": {}, "rel": None}},
                "metadata": {"system": {"client": "Mozilla/5.0",
                                        "ip_address": "203.0.113.7",
                                        "location": "Example City",
                                        "latitude": 0, "longitude": 0},
                             "custom": {}, "flags": [],
                             "flags_options": {}},
                "created_at": iso(ts)}

    def comments(self, t):
        cs = self.base_comments(t) + t.extra_comments
        red = getattr(self, "redactions", None)
        return [redacted(c, red[c["id"]]) if red and c["id"] in red else c
                for c in cs]

    def base_audits(self, t):
        out = []
        for k, c in enumerate(self.base_comments(t)):
            ev = [{"id": c["id"], "type": "Comment",
                   "author_id": c["author_id"], "body": c["body"],
                   "html_body": c["html_body"], "plain_body": c["plain_body"],
                   "public": c["public"], "attachments": c["attachments"],
                   "audit_id": c["audit_id"]}]
            if k == 0:
                for i, (f, v) in enumerate((("subject", t.subject),
                                            ("status", "new"),
                                            ("priority", t.priority),
                                            ("requester_id",
                                             str(t.requester_id)))):
                    ev.append({"id": c["id"] + 100000000 * (i + 1),
                               "type": "Create", "value": v,
                               "field_name": f})
            out.append({"id": c["audit_id"], "ticket_id": t.id,
                        "created_at": c["created_at"],
                        "author_id": c["author_id"],
                        "metadata": {"system": c["metadata"]["system"],
                                     "custom": {}},
                        "via": c["via"], "events": ev})
        return out

    def audits(self, t):
        return self.base_audits(t) + t.extra_audits

    # -- mutation ----------------------------------------------------------

    def stamp(self, t, now=None):
        """A new updated_at: wall clock, but always past the old one."""
        now = int(time.time()) if now is None else now
        return max(now, t.updated + 1)

    def set_updated(self, t, new):
        if not t.deleted:
            i = bisect.bisect_left(self.by_upd, (t.updated, t.id))
            if i < len(self.by_upd) and self.by_upd[i] == (t.updated, t.id):
                del self.by_upd[i]
            bisect.insort(self.by_upd, (new, t.id))
        t.updated = new
        t.gen_ts = max(new, t.gen_ts + 1)
        t.touched = True

    def apply(self, t, fields, author, chan, metadata=None, now=None):
        """Apply a ticket change set; returns (audit, errors).

        errors is a dict of RecordInvalid details; nothing is changed
        when it is non-empty."""
        errs = {}
        ch = {}
        st = fields.get("status")
        if st is not None:
            if st not in STATUSES:
                errs["status"] = [{"description":
                                   "Status: %s is not valid" % st}]
            elif st == "new" and t.status != "new":
                errs["status"] = [{"description":
                                   "Status: cannot be set to New"}]
            elif st != t.status:
                ch["status"] = st
        if "priority" in fields:
            p = fields["priority"]
            if p not in PRIORITIES and p not in (None, ""):
                errs["priority"] = [{"description":
                                     "Priority: %s is not valid" % p}]
            elif (p or None) != t.priority:
                ch["priority"] = p or None
        if "type" in fields:
            p = fields["type"]
            if p not in TYPES and p not in (None, ""):
                errs["type"] = [{"description": "Type: %s is not valid" % p}]
            elif (p or None) != t.type:
                ch["type"] = p or None
        if "assignee_id" in fields:
            a = fields["assignee_id"]
            if a is not None and (not isinstance(a, int) or a not in
                                  self.users or self.users[a]["role"] ==
                                  "end-user"):
                errs["assignee"] = [{"description": "Assignee: is invalid"}]
            elif a != t.assignee_id:
                ch["assignee_id"] = a
        if "group_id" in fields:
            g = fields["group_id"]
            if g is not None and g not in {x[0] for x in GROUPS}:
                errs["group"] = [{"description": "Group: is invalid"}]
            elif g != t.group_id:
                ch["group_id"] = g
        if "subject" in fields and isinstance(fields["subject"], str) \
                and fields["subject"] != t.subject:
            ch["subject"] = fields["subject"]
        tags = list(t.tags)
        if isinstance(fields.get("tags"), list):
            tags = norm_tags(fields["tags"])
        if isinstance(fields.get("additional_tags"), list):
            for x in norm_tags(fields["additional_tags"]):
                if x not in tags:
                    tags.append(x)
        if isinstance(fields.get("remove_tags"), list):
            rm = set(norm_tags(fields["remove_tags"]))
            tags = [x for x in tags if x not in rm]
        if tags != t.tags:
            ch["tags"] = tags
        if isinstance(fields.get("custom_fields"), list):
            cur = {c["id"]: c for c in (t.custom or self.static(t)[2])}
            new = [dict(c) for c in (t.custom or self.static(t)[2])]
            byid = {c["id"]: c for c in new}
            for c in fields["custom_fields"]:
                if isinstance(c, dict) and c.get("id") in byid:
                    byid[c["id"]]["value"] = c.get("value")
            if new != list(cur.values()):
                ch["custom"] = new
        com = fields.get("comment")
        if com is not None and not isinstance(com, dict):
            errs["comment"] = [{"description": "Comment: is invalid"}]
            com = None
        body = None
        if com:
            body = com.get("body")
            if not body and com.get("html_body"):
                body = re.sub(r"<[^>]*>", "", com["html_body"])
            if body is not None and not isinstance(body, str):
                errs["comment"] = [{"description": "Comment: is invalid"}]
        if t.status == "closed":
            errs = {"status": [{"description":
                                "Status closed prevents ticket update"}]}
        if errs:
            return None, errs
        ts = self.stamp(t, now)
        aid = self.next_audit
        self.next_audit += 1
        events = []
        if body:
            public = com.get("public", True)
            if isinstance(public, str):
                public = public.lower() != "false"
            cauthor = com.get("author_id") or author
            cid = self.next_comment
            self.next_comment += 1
            c = self.comment_dict(cid, aid, cauthor, body[:65536],
                                  bool(public), ts, chan, (),
                                  com.get("html_body"))
            t.extra_comments.append(c)
            ev = {k: c[k] for k in ("id", "author_id", "body", "html_body",
                                    "plain_body", "public", "attachments",
                                    "audit_id")}
            ev["type"] = "Comment"
            events.append(ev)
        eid = aid * 10
        for k, v in ch.items():
            eid += 1
            name = "custom_fields" if k == "custom" else k
            prev = getattr(t, k)
            events.append({"id": eid, "type": "Change", "field_name": name,
                           "value": v, "previous_value": prev})
            setattr(t, k, v)
        self.set_updated(t, ts)
        self.render(t)
        audit = {"id": aid, "ticket_id": t.id, "created_at": iso(ts),
                 "author_id": author,
                 "metadata": {"system": {"client": "tdesk",
                                         "ip_address": "127.0.0.1",
                                         "location": "Loopback",
                                         "latitude": 0, "longitude": 0},
                              "custom": metadata if isinstance(metadata,
                                                               dict) else {}},
                 "via": {"channel": chan,
                         "source": {"from": {}, "to": {}, "rel": None}},
                 "events": events}
        t.extra_audits.append(audit)
        return audit, None

    def delete(self, t):
        if t.deleted:
            return
        i = bisect.bisect_left(self.by_upd, (t.updated, t.id))
        del self.by_upd[i]
        self.by_id.remove(t.id)
        self.by_created.remove((t.created, t.id))
        t.deleted = True
        t.touched = True
        t.updated = self.stamp(t)
        t.gen_ts = t.updated
        self.render(t)


def norm_tags(lst):
    out = []
    for x in lst:
        if not isinstance(x, str):
            continue
        for y in x.lower().split():
            if y not in out:
                out.append(y)
    return out

# ---------------------------------------------------------------------------
# Rate limiting: a token bucket of `per_minute` tokens refilled continuously,
# so a client pacing itself at the limit never sees a 429 and a bursty one
# gets exactly per_minute requests, then per_minute/60 per second.


class Bucket:
    def __init__(self, per_minute):
        self.cap = max(1, int(per_minute))
        self.rate = self.cap / 60.0
        self.tokens = float(self.cap)
        self.t = time.monotonic()

    def refill(self):
        now = time.monotonic()
        self.tokens = min(self.cap, self.tokens + (now - self.t) * self.rate)
        self.t = now

    def take(self):
        """(ok, remaining, reset_s, retry_after_s)."""
        self.refill()
        if self.tokens >= 1:
            self.tokens -= 1
            ok = True
        else:
            ok = False
        rem = int(self.tokens)
        reset = min(60, math.ceil((self.cap - self.tokens) / self.rate))
        retry = max(1, math.ceil((1 - self.tokens) / self.rate))
        return ok, rem, reset, retry

# ---------------------------------------------------------------------------
# Faults


FAULT_KINDS = ("error", "503", "reset", "slow", "drip", "truncate",
               "invalid_json", "html", "huge", "commit_reset", "db_conflict",
               "hold")


def parse_fault_arg(s):
    """ENDPOINT:KIND[:key=value,...] from the command line."""
    parts = s.split(":", 2)
    if len(parts) < 2:
        raise ValueError("fault must be ENDPOINT:KIND[:k=v,...]: %r" % s)
    f = {"endpoint": parts[0], "kind": parts[1]}
    if len(parts) == 3 and parts[2]:
        for kv in parts[2].split(","):
            k, _, v = kv.partition("=")
            try:
                f[k] = json.loads(v)
            except ValueError:
                f[k] = v
    return f


class Fault:
    def __init__(self, spec, desk):
        if not isinstance(spec, dict):
            raise ValueError("fault must be an object")
        self.spec = dict(spec)
        self.endpoint = spec.get("endpoint", "*")
        self.method = spec.get("method")
        self.kind = str(spec.get("kind", ""))
        if self.kind in ("500", "502", "504"):
            self.spec.setdefault("status", int(self.kind))
            self.kind = "error"
        if self.kind not in FAULT_KINDS:
            raise ValueError("unknown fault kind %r" % self.kind)
        self.mode = spec.get("mode")
        if self.mode is None:
            self.mode = ("next" if "count" in spec else
                         "prob" if "p" in spec else "always")
        if self.mode not in ("always", "next", "prob"):
            raise ValueError("unknown fault mode %r" % self.mode)
        self.left = int(spec.get("count", 1))
        self.skip = int(spec.get("skip", 0))   # let the first N through
        self.p = float(spec.get("p", 1.0))
        desk.fault_seq += 1
        self.rng = random.Random(desk.seed * 104729 + desk.fault_seq)
        self.hits = 0

    def matches(self, endpoint, method):
        if self.endpoint not in ("*", endpoint):
            return False
        if self.method and self.method.upper() != method:
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.mode == "next":
            if self.left <= 0:
                return False
            self.left -= 1
        elif self.mode == "prob":
            if self.rng.random() >= self.p:
                return False
        self.hits += 1
        return True

    def get(self, k, d):
        return self.spec.get(k, d)

    def describe(self):
        d = dict(self.spec)
        d["kind"] = self.kind
        d["mode"] = self.mode
        d["hits"] = self.hits
        if self.mode == "next":
            d["remaining"] = self.left
        return d

class Held:
    """A request parked by a "hold" fault."""

    def __init__(self, f):
        self.f = f
        self.go = threading.Event()     # set: process it now
        self.done = threading.Event()   # set: it has been processed


# ---------------------------------------------------------------------------
# Responses


class Resp:
    __slots__ = ("status", "ctype", "body", "headers", "action", "fault")

    def __init__(self, status, body=b"", ctype="application/json; "
                 "charset=utf-8", headers=None):
        self.status = status
        self.body = body
        self.ctype = ctype
        self.headers = headers or []
        self.action = None
        self.fault = None


class ApiError(Exception):
    def __init__(self, status, obj, headers=None):
        super().__init__(status)
        self.resp = Resp(status, jdump(obj), headers=headers)


def redacted(c, texts):
    """A comment with the given strings blocked out, as Zendesk does."""
    c = dict(c)
    for k in ("body", "plain_body", "html_body"):
        for x in texts:
            c[k] = c[k].replace(x, "\u2587" * len(x))
    return c


def err(status, error, desc=None, **kw):
    o = {"error": error}
    if desc is not None:
        o["description"] = desc
    o.update(kw)
    return ApiError(status, o)


NOT_FOUND = ("RecordNotFound", "Not found")
FORBIDDEN = ("Forbidden", "You do not have access to this page. Please "
             "contact the account owner of this help desk for further help.")


def pagination_error(detail):
    return ApiError(400, {"errors": [{
        "code": "InvalidPaginationParameter",
        "title": "Invalid Pagination Parameter", "detail": detail,
        "status": "400"}]})


REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 409: "Conflict",
           422: "Unprocessable Entity", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}

# ---------------------------------------------------------------------------
# Search query subset


_TOK_RE = re.compile(r'(-?)(?:(\w+)(<=|>=|:|<|>)("[^"]*"|\S+)|("[^"]*"|\S+))')
_REL_RE = re.compile(r"^(\d+)(minute|hour|day|week|month|year)s?$")
_UNIT = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
         "month": 30 * 86400, "year": 365 * 86400}


def _cmp(op, a, b):
    return {":": a == b, "<": a < b, ">": a > b, "<=": a <= b,
            ">=": a >= b}[op]


class Query:
    """A compiled search query: ticket predicate plus order_by/sort."""

    def __init__(self, desk, text):
        self.preds = []
        self.want_tickets = True
        self.order_by = None
        self.sort = None
        for m in _TOK_RE.finditer(text or ""):
            neg, key, op, val, free = m.groups()
            if free is not None:
                words = free.strip('"').lower()
                if not words:
                    continue
                p = (lambda w: lambda t: w in t.subject.lower() or
                     w in t.description.lower())(words)
            else:
                p = self.keyword(desk, key.lower(), op, val.strip('"'))
                if p is None:
                    continue
            if neg:
                p = (lambda f: lambda t: not f(t))(p)
            self.preds.append(p)

    def keyword(self, desk, key, op, val):
        lv = val.lower()
        if key == "type":
            if lv != "ticket":
                self.want_tickets = False
            return None
        if key == "order_by":
            self.order_by = lv
            return None
        if key == "sort":
            self.sort = lv
            return None
        if key == "status":
            r = STATUS_RANK.get(lv)
            if r is None:
                return lambda t: False
            return lambda t: _cmp(op, STATUS_RANK[t.status], r)
        if key == "priority":
            r = PRIO_RANK.get(None if lv == "none" else lv, -2)
            return lambda t: _cmp(op, PRIO_RANK[t.priority], r)
        if key in ("ticket_type", "tickettype"):
            v = None if lv == "none" else lv
            return lambda t: t.type == v
        if key in ("tags", "tag"):
            return lambda t: lv in t.tags
        if key in ("group", "group_id"):
            if lv == "none":
                return lambda t: t.group_id is None
            ids = {g[0] for g in GROUPS
                   if g[1].lower() == lv or str(g[0]) == lv}
            return lambda t: t.group_id in ids
        if key in ("assignee", "assignee_id", "requester", "requester_id",
                   "submitter"):
            attr = {"assignee": "assignee_id", "requester": "requester_id",
                    "submitter": "submitter_id"}.get(key, key)
            if lv == "none":
                return lambda t: getattr(t, attr) is None
            if lv == "me":
                uid = ME_ID
            elif lv.isdigit():
                uid = int(lv)
            else:
                uid = next((u["id"] for u in desk.users.values()
                            if u["email"].lower() == lv or
                            u["name"].lower() == lv), -1)
            return lambda t: getattr(t, attr) == uid
        if key in ("created", "updated"):
            ts = parse_iso(val)
            m = _REL_RE.match(lv)
            day = False
            if m:
                ts = int(time.time()) - int(m.group(1)) * _UNIT[m.group(2)]
            elif ts is not None and len(val) == 10:
                day = True
            if ts is None:
                raise err(422, "invalid", "Invalid search: cannot parse "
                          "date %r" % val)
            attr = "created" if key == "created" else "updated"
            if day and op == ":":
                return lambda t: ts <= getattr(t, attr) < ts + 86400
            if day and op == ">":
                ts += 86400 - 1
            return lambda t: _cmp(op, getattr(t, attr), ts)
        if key == "subject":
            return lambda t: lv in t.subject.lower()
        if key in ("description", "comment"):
            return lambda t: lv in t.description.lower()
        # unknown keyword: Zendesk treats it as text
        w = ("%s%s%s" % (key, op, val)).lower()
        return lambda t: w in t.subject.lower() or w in t.description.lower()

    def match(self, t):
        return self.want_tickets and all(p(t) for p in self.preds)


def sort_key(name):
    return {"updated_at": lambda t: (t.updated, t.id),
            "updated": lambda t: (t.updated, t.id),
            "created_at": lambda t: (t.created, t.id),
            "created": lambda t: (t.created, t.id),
            "priority": lambda t: (PRIO_RANK[t.priority], t.id),
            "status": lambda t: (STATUS_RANK[t.status], t.id),
            "ticket_type": lambda t: (t.type or "", t.id),
            "id": lambda t: t.id}.get(name)

# ---------------------------------------------------------------------------
# The API


def parse_include(v):
    if not v:
        return set()
    m = re.search(r"tickets\(([^)]*)\)", v)
    if m:
        v = m.group(1)
    return {x.strip() for x in v.split(",") if x.strip()}


def ids_param(q, name="ids"):
    raw = q.get(name, "")
    out = []
    for x in raw.split(","):
        x = x.strip()
        if x:
            if not x.lstrip("-").isdigit():
                raise err(400, "InvalidValue",
                          "Parameter %s must be a list of ids" % name)
            out.append(int(x))
    if len(out) > 100:
        raise err(400, "TooManyValues", "Parameter %s cannot specify more "
                  "than 100 values" % name, max_count=100)
    return out


def int_param(q, name, default, lo=None, hi=None, clamp=False):
    v = q.get(name)
    if v is None or v == "":
        return default
    try:
        n = int(v)
    except ValueError:
        raise err(400, "InvalidValue", "%s must be an integer" % name)
    if lo is not None and n < lo:
        raise pagination_error("%s must be at least %d" % (name, lo))
    if hi is not None and n > hi:
        if clamp:
            return hi
        raise pagination_error("%s is more than the maximum of %d"
                               % (name, hi))
    return n


def is_cursor_mode(q):
    return any(k.startswith("page[") for k in q)


class Api:
    """Maps requests to responses.  Callers hold desk.lock."""

    def __init__(self, desk):
        self.d = desk
        R = []

        def r(method, pat, name, fn):
            R.append((method, re.compile(pat), name, fn))
        r("GET", r"/api/v2/users/me", "users.me", self.users_me)
        r("GET", r"/api/v2/users/show_many", "users.show_many",
          self.users_show_many)
        r("GET", r"/api/v2/users/(\d+)", "users.show", self.users_show)
        r("GET", r"/api/v2/users/(me|\d+)/tickets/assigned", "tickets.list",
          self.tickets_assigned)
        r("GET", r"/api/v2/users/(me|\d+)/tickets/assigned/count",
          "tickets.count", self.tickets_assigned_count)
        r("GET", r"/api/v2/groups(?:/assignable)?", "groups", self.groups)
        r("GET", r"/api/v2/ticket_fields", "ticket_fields",
          self.ticket_fields)
        r("GET", r"/api/v2/tickets", "tickets.list", self.tickets_all)
        r("GET", r"/api/v2/tickets/show_many", "tickets.show_many",
          self.tickets_show_many)
        r("PUT", r"/api/v2/tickets/update_many", "tickets.update_many",
          self.tickets_update_many)
        r("GET", r"/api/v2/tickets/(\d+)", "tickets.show", self.ticket_show)
        r("PUT", r"/api/v2/tickets/(\d+)", "tickets.update",
          self.ticket_update)
        r("GET", r"/api/v2/tickets/(\d+)/comments", "comments",
          self.comments)
        r("PUT", r"/api/v2/tickets/(\d+)/comments/(\d+)/redact",
          "comments.redact", self.comment_redact)
        r("GET", r"/api/v2/tickets/(\d+)/audits", "audits", self.audits)
        r("GET", r"/api/v2/tickets/(\d+)/tags", "tags", self.tags)
        r("GET", r"/api/v2/tickets/(\d+)/macros/(\d+)/apply",
          "macros.apply", self.macro_apply)
        r("GET", r"/api/v2/macros/(\d+)/apply", "macros.apply",
          lambda q, mid: self.macro_apply(q, None, mid))
        r("GET", r"/api/v2/macros(?:/active)?", "macros", self.macros)
        r("GET", r"/api/v2/macros/(\d+)", "macros.show", self.macro_show)
        r("GET", r"/api/v2/search", "search", self.search)
        r("GET", r"/api/v2/search/count", "search.count", self.search_count)
        r("GET", r"/api/v2/search/export", "search.export",
          self.search_export)
        r("GET", r"/api/v2/job_statuses/([\w-]+)", "job_statuses",
          self.job_status)
        r("GET", r"/api/v2/help_center/articles/search", "hc.search",
          self.hc_search)
        r("GET", r"/api/v2/help_center/incremental/articles",
          "hc.incremental", self.hc_incremental)
        r("GET", r"/api/v2/help_center/articles", "hc.articles",
          lambda q: self.hc_articles(q, "en-us"))
        r("GET", r"/api/v2/help_center/([a-z][a-z-]*)/articles",
          "hc.articles", self.hc_articles)
        r("GET", r"/api/v2/help_center/([a-z][a-z-]*)/articles/(\d+)",
          "hc.article", self.hc_article)
        r("GET", r"/api/v2/incremental/tickets/cursor", "incremental",
          self.incremental)
        self.routes = R
        self.role = "agent"
        self.body = None

    def route(self, method, path):
        if path.endswith(".json"):
            path = path[:-5]
        known = False
        for m, pat, name, fn in self.routes:
            mt = pat.fullmatch(path)
            if mt:
                known = True
                if m == method:
                    return name, fn, mt.groups()
        return ("unknown", None, ()) if not known else ("method", None, ())

    # -- helpers -----------------------------------------------------------

    def url(self, path, params):
        qs = urlencode(params, quote_via=quote, safe="")
        return "%s%s%s" % (self.d.base_url, path, "?" + qs if qs else "")

    def live(self, tid):
        t = self.d.tickets.get(tid)
        if t is None or t.deleted:
            raise err(404, *NOT_FOUND)
        return t

    def group_dict(self, g):
        gid, name, desc = g
        return {"url": "%s/api/v2/groups/%d.json" % (self.d.base_url, gid),
                "id": gid, "is_public": True, "name": name,
                "description": desc, "default": gid == GROUPS[0][0],
                "deleted": False,
                "created_at": iso(self.d.epoch - 86400 * 500),
                "updated_at": iso(self.d.epoch - 86400 * 100)}

    def ticket_blob(self, t, slas, result_type=False):
        b = t.blob
        if slas or result_type:
            extra = b""
            if slas:
                extra += b',"slas":' + t.sla
            if result_type:
                extra += b',"result_type":"ticket"'
            b = b[:-1] + extra + b"}"
        return b

    def sideloads(self, tickets, inc, extra_users=()):
        """Bytes of the ,"users":[..],"groups":[..] sideloads."""
        out = b""
        if "users" in inc:
            seen = {}
            for t in tickets:
                for u in (t.requester_id, t.submitter_id, t.assignee_id):
                    if u is not None and u not in seen:
                        seen[u] = 1
            for u in extra_users:
                seen.setdefault(u, 1)
            out += b',"users":[' + b",".join(
                self.d.user_blob(u) for u in seen if u in self.d.users) + b"]"
        if "groups" in inc:
            gids = {t.group_id for t in tickets}
            out += b',"groups":' + jdump([self.group_dict(g) for g in GROUPS
                                          if g[0] in gids])
        if "organizations" in inc:
            oids = []
            for t in tickets:
                u = self.d.users.get(t.requester_id)
                o = u and u.get("organization_id")
                if o and o not in oids:
                    oids.append(o)
            out += b',"organizations":' + jdump([self.org_dict(o)
                                                 for o in oids])
        return out

    def org_dict(self, oid):
        return {"url": "%s/api/v2/organizations/%d.json"
                % (self.d.base_url, oid), "id": oid,
                "name": ORG_NAMES[(oid - ORG_BASE) % len(ORG_NAMES)],
                "shared_tickets": False, "shared_comments": False,
                "external_id": None, "domain_names": [], "details": "",
                "notes": "", "group_id": None, "tags": [],
                "organization_fields": {},
                "created_at": iso(self.d.epoch - 86400 * 400),
                "updated_at": iso(self.d.epoch - 86400 * 40)}

    def ticket_fields(self, q):
        fields = []
        for i, (fid, (title, typ)) in enumerate(zip(CF_IDS, CF_DEFS)):
            fields.append({
                "url": "%s/api/v2/ticket_fields/%d.json"
                % (self.d.base_url, fid), "id": fid, "type": typ,
                "title": title, "raw_title": title,
                "description": "", "position": 10 + i, "active": True,
                "required": False, "visible_in_portal": False,
                "editable_in_portal": False, "removable": True,
                "created_at": iso(self.d.epoch - 86400 * 500),
                "updated_at": iso(self.d.epoch - 86400 * 100)})
        return Resp(200, jdump({"ticket_fields": fields, "next_page": None,
                                "previous_page": None,
                                "count": len(fields)}))

    def cursor_page(self, lst, q, sname, desc, pred, size, resolve):
        """Generic cursor pagination over an ascending list of keys.

        Returns (items, has_more, first_key, last_key)."""
        after, before = q.get("page[after]"), q.get("page[before]")
        cur = after if after is not None else before
        K = None
        if cur is not None and cur != "":
            c = b64d(cur)
            if not isinstance(c, dict) or c.get("s") != sname or \
                    c.get("d") != desc or "k" not in c:
                raise pagination_error("page[after] or page[before] is "
                                       "not a valid cursor for this request")
            K = tuple(c["k"]) if isinstance(c["k"], list) else c["k"]
        backward = before is not None and K is not None
        step = -1 if desc != backward else 1
        if K is None:
            i = len(lst) - 1 if step < 0 else 0
        elif step > 0:
            i = bisect.bisect_right(lst, K)
        else:
            i = bisect.bisect_left(lst, K) - 1
        items, keys = [], []
        has_more = False
        n = len(lst)
        while 0 <= i < n:
            k = lst[i]
            o = resolve(k)
            if o is not None and pred(o):
                if len(items) == size:
                    has_more = True
                    break
                items.append(o)
                keys.append(k)
            i += step
        if backward:
            items.reverse()
            keys.reverse()
        return items, has_more, (keys[0] if keys else None), \
            (keys[-1] if keys else None)

    def cursor_meta(self, path, q, sname, desc, size, has_more, first, last,
                    keep, cursor_extra=None):
        def mk(k):
            o = {"s": sname, "d": desc, "k": k}
            if cursor_extra:
                o.update(cursor_extra)
            return b64e(o)
        ac = mk(last) if last is not None else (q.get("page[after]") or None)
        bc = mk(first) if first is not None else None
        params = [(k, q[k]) for k in keep if k in q]
        nxt = (self.url(path, params + [("page[after]", ac),
                                        ("page[size]", str(size))])
               if ac else None)
        prv = (self.url(path, params + [("page[before]", bc),
                                        ("page[size]", str(size))])
               if bc else None)
        return (b',"meta":' + jdump({"has_more": has_more,
                                     "after_cursor": ac,
                                     "before_cursor": bc}) +
                b',"links":' + jdump({"prev": prv, "next": nxt}))

    def offset_links(self, path, q, page, per_page, count, keep):
        params = [(k, q[k]) for k in keep if k in q]
        nxt = (self.url(path, params + [("page", str(page + 1)),
                                        ("per_page", str(per_page))])
               if page * per_page < count else None)
        prv = (self.url(path, params + [("page", str(page - 1)),
                                        ("per_page", str(per_page))])
               if page > 1 else None)
        return nxt, prv

    # -- users and groups --------------------------------------------------

    def users_me(self, q):
        mode = self.d.auth_mode
        if mode == "null_id":
            return Resp(200, jdump({"user": {
                "id": None, "url": None, "name": "Anonymous user",
                "email": "invalid@example.com", "created_at": None,
                "updated_at": None, "time_zone": "London",
                "iana_time_zone": "Europe/London", "phone": None,
                "shared_phone_number": None, "photo": None, "locale_id": 1,
                "locale": "en-US", "organization_id": None,
                "role": "end-user", "verified": False, "authenticity_token":
                "x" * 32}}))
        u = dict(self.d.users[ME_ID])
        u["role"] = {"end_user": "end-user", "admin": "admin"}.get(mode,
                                                                  "agent")
        if mode == "forbidden":
            u["suspended"] = True
            u["active"] = True
            u["restricted_agent"] = True
            u["ticket_restriction"] = "assigned"
        return Resp(200, jdump({"user": u}))

    def users_show(self, q, uid):
        uid = int(uid)
        if uid not in self.d.users:
            raise err(404, *NOT_FOUND)
        return Resp(200, b'{"user":' + self.d.user_blob(uid) + b"}")

    def users_show_many(self, q):
        ids = ids_param(q)
        return Resp(200, b'{"users":[' + b",".join(
            self.d.user_blob(u) for u in ids if u in self.d.users) +
            b'],"next_page":null,"previous_page":null,"count":%d}'
            % sum(1 for u in ids if u in self.d.users))

    def groups(self, q):
        return Resp(200, jdump({"groups": [self.group_dict(g)
                                           for g in GROUPS],
                                "next_page": None, "previous_page": None,
                                "count": len(GROUPS)}))

    # -- ticket lists ------------------------------------------------------

    def user_id(self, who):
        if who == "me":
            return ME_ID
        uid = int(who)
        if uid not in self.d.users:
            raise err(404, *NOT_FOUND)
        return uid

    def tickets_assigned(self, q, who):
        uid = self.user_id(who)
        path = "/api/v2/users/%s/tickets/assigned.json" % who
        return self.ticket_list(q, path, lambda t: t.assignee_id == uid)

    def tickets_assigned_count(self, q, who):
        uid = self.user_id(who)
        n = sum(1 for t in self.d.tickets.values()
                if not t.deleted and t.assignee_id == uid)
        return Resp(200, jdump({"count": {"value": n,
                                          "refreshed_at": iso(time.time())}}))

    def tickets_all(self, q):
        return self.ticket_list(q, "/api/v2/tickets.json", lambda t: True)

    def ticket_list(self, q, path, pred):
        d = self.d
        inc = parse_include(q.get("include"))
        slas = "slas" in inc
        if is_cursor_mode(q):
            size = int_param(q, "page[size]", 100, 1, 100)
            sort = q.get("sort") or "id"
            desc = sort.startswith("-")
            sname = sort.lstrip("-")
            lst = {"id": d.by_id, "updated_at": d.by_upd,
                   "created_at": d.by_created}.get(sname)
            if lst is None:
                raise err(400, "InvalidValue", "sort must be one of "
                          "id, updated_at, created_at (optionally -)")
            tk = d.tickets
            if sname == "id":
                resolve = tk.get
            else:
                def resolve(k):
                    return tk.get(k[1])
            items, more, first, last = self.cursor_page(
                lst, q, sname, desc, pred, size, resolve)
            body = (b'{"tickets":[' + b",".join(
                self.ticket_blob(t, slas) for t in items) + b"]" +
                self.sideloads(items, inc) +
                self.cursor_meta(path, q, sname, desc, size, more,
                                 list(first) if isinstance(first, tuple)
                                 else first,
                                 list(last) if isinstance(last, tuple)
                                 else last, ("include", "sort")) + b"}")
            return Resp(200, body)
        per_page = int_param(q, "per_page", 100, 1, 100, clamp=True)
        page = int_param(q, "page", 1, 1)
        if page > 100:
            raise err(400, "InvalidPaginationParameter", "Offset pagination "
                      "is limited to the first 100 pages. Use cursor "
                      "pagination instead.")
        sb = q.get("sort_by") or "id"
        kf = sort_key(sb)
        if kf is None:
            raise err(400, "InvalidValue", "sort_by is invalid")
        rows = [t for t in d.tickets.values() if not t.deleted and pred(t)]
        rows.sort(key=kf, reverse=q.get("sort_order") == "desc")
        items = rows[(page - 1) * per_page:page * per_page]
        nxt, prv = self.offset_links(path, q, page, per_page, len(rows),
                                     ("include", "sort_by", "sort_order"))
        body = (b'{"tickets":[' + b",".join(
            self.ticket_blob(t, slas) for t in items) + b"]" +
            self.sideloads(items, inc) + b',"next_page":' + jdump(nxt) +
            b',"previous_page":' + jdump(prv) + b',"count":%d}' % len(rows))
        return Resp(200, body)

    def tickets_show_many(self, q):
        ids = ids_param(q)
        inc = parse_include(q.get("include"))
        items = [self.d.tickets[i] for i in ids if i in self.d.tickets and
                 not self.d.tickets[i].deleted]
        body = (b'{"tickets":[' + b",".join(
            self.ticket_blob(t, "slas" in inc) for t in items) + b"]" +
            self.sideloads(items, inc) +
            b',"next_page":null,"previous_page":null,"count":%d}'
            % len(items))
        return Resp(200, body)

    def ticket_show(self, q, tid):
        t = self.live(int(tid))
        inc = parse_include(q.get("include"))
        return Resp(200, b'{"ticket":' + self.ticket_blob(t, "slas" in inc)
                    + self.sideloads([t], inc) + b"}")

    def tags(self, q, tid):
        t = self.live(int(tid))
        return Resp(200, jdump({"tags": t.tags}))

    # -- comments and audits -----------------------------------------------

    def comments(self, q, tid):
        t = self.live(int(tid))
        cs = self.d.comments(t)
        inc = parse_include(q.get("include"))
        path = "/api/v2/tickets/%d/comments.json" % t.id
        if is_cursor_mode(q) or q.get("sort"):
            size = int_param(q, "page[size]", 100, 1, 100)
            sort = q.get("sort") or "created_at"
            if sort.lstrip("-") != "created_at":
                raise err(400, "InvalidValue", "sort must be created_at or "
                          "-created_at")
            desc = sort.startswith("-")
            byid = {int(c["id"]): c for c in cs}  # raw ids may be strings
            items, more, first, last = self.cursor_page(
                sorted(byid), q, "created_at", desc, lambda c: True, size,
                byid.get)
            body = (b'{"comments":' + jdump(items) +
                    self.comment_users(items, inc) +
                    self.cursor_meta(path, q, "created_at", desc, size, more,
                                     first, last, ("include", "sort")) +
                    b"}")
            return Resp(200, body)
        per_page = int_param(q, "per_page", 100, 1, 100, clamp=True)
        page = int_param(q, "page", 1, 1)
        if q.get("sort_order") == "desc":
            cs.reverse()
        items = cs[(page - 1) * per_page:page * per_page]
        nxt, prv = self.offset_links(path, q, page, per_page, len(cs),
                                     ("include", "sort_order"))
        body = (b'{"comments":' + jdump(items) +
                self.comment_users(items, inc) + b',"next_page":' +
                jdump(nxt) + b',"previous_page":' + jdump(prv) +
                b',"count":%d}' % len(cs))
        return Resp(200, body)

    def comment_users(self, items, inc):
        if "users" not in inc:
            return b""
        seen = []
        for c in items:
            if c["author_id"] not in seen and c["author_id"] in self.d.users:
                seen.append(c["author_id"])
        return b',"users":[' + b",".join(self.d.user_blob(u)
                                         for u in seen) + b"]"

    def audits(self, q, tid):
        t = self.live(int(tid))
        au = self.d.audits(t)
        path = "/api/v2/tickets/%d/audits.json" % t.id
        if is_cursor_mode(q):
            size = int_param(q, "page[size]", 100, 1, 100)
            sort = q.get("sort") or "created_at"
            desc = sort.startswith("-") or q.get("sort_order") == "desc"
            byid = {a["id"]: a for a in au}
            items, more, first, last = self.cursor_page(
                sorted(byid), q, "created_at", desc, lambda a: True, size,
                byid.get)
            return Resp(200, b'{"audits":' + jdump(items) +
                        self.cursor_meta(path, q, "created_at", desc, size,
                                         more, first, last,
                                         ("sort", "sort_order")) + b"}")
        per_page = int_param(q, "per_page", 100, 1, 100, clamp=True)
        page = int_param(q, "page", 1, 1)
        if q.get("sort_order") == "desc":
            au.reverse()
        items = au[(page - 1) * per_page:page * per_page]
        nxt, prv = self.offset_links(path, q, page, per_page, len(au),
                                     ("sort_order",))
        return Resp(200, jdump({"audits": items, "next_page": nxt,
                                "previous_page": prv, "count": len(au)}))

    # -- writes ------------------------------------------------------------

    def json_body(self):
        try:
            o = json.loads(self.body or b"null")
        except ValueError as e:
            raise err(400, "InvalidJSON", "Unable to parse JSON: %s" % e)
        if not isinstance(o, dict):
            raise err(400, "InvalidJSON", "Request body must be a JSON "
                      "object")
        return o

    def comment_redact(self, q, tid, cid):
        """Redact String in Comment: every copy of "text" in the comment
        becomes U+2587 blocks, for good (kept in Desk.redactions)."""
        t = self.live(int(tid))
        cid = int(cid)
        text = self.json_body().get("text")
        if not isinstance(text, str) or not text:
            raise err(400, "InvalidValue", "text is required")
        cs = [c for c in self.d.comments(t) if c["id"] == cid]
        if not cs:
            raise err(404, "RecordNotFound", "Not found")
        if text not in cs[0]["body"]:
            raise err(422, "RecordInvalid", "Text not found in comment")
        self.d.__dict__.setdefault("redactions", {}).setdefault(
            cid, []).append(text)
        c = [c for c in self.d.comments(t) if c["id"] == cid][0]
        return Resp(200, b'{"comment":' + jdump(c) + b"}")

    def check_stamp(self, t, fields):
        su = fields.get("safe_update")
        if su in (True, "true", 1, "1"):
            st = fields.get("updated_stamp")
            if st is None:
                return
            if parse_iso(str(st)) != t.updated:
                raise err(409, "UpdateConflict", "Safe Update prevented the "
                          "update due to outdated ticket data. Please fetch "
                          "the latest ticket data and try again.")

    def ticket_update(self, q, tid):
        d = self.d
        w = self.write
        w["ticket_id"] = int(tid)
        body = self.json_body()
        fields = body.get("ticket")
        w["request"] = body
        if not isinstance(fields, dict):
            raise err(400, "InvalidValue", "ticket parameter is missing")
        md = fields.get("metadata")
        if isinstance(md, dict):
            w["client_msg_id"] = md.get("client_msg_id")
        t = self.live(int(tid))
        self.check_stamp(t, fields)
        audit, errs = d.apply(t, fields, ME_ID, "api", md)
        if errs:
            raise err(422, "RecordInvalid", "Record validation errors",
                      details=errs)
        w["applied"] = True
        w["audit_id"] = audit["id"]
        allowed = {"comment", "status", "priority", "type", "assignee_id",
                   "group_id", "tags", "additional_tags", "remove_tags",
                   "custom_fields", "fields", "subject", "safe_update",
                   "updated_stamp", "metadata", "macro_ids"}
        extra = [k for k in fields if k not in allowed]
        hdr = []
        if extra:
            hdr.append(("x-zendesk-api-warn", "{:allowed_parameters=>"
                        "{:controller=>\"tickets\", :action=>\"update\", "
                        ":unpermitted_keys=>[%s], :invalid_values=>[]}}" %
                        ", ".join('"ticket.%s"' % k for k in extra)))
        return Resp(200, b'{"ticket":' + t.blob + b',"audit":' +
                    jdump(audit) + b"}", headers=hdr)

    def tickets_update_many(self, q):
        d = self.d
        w = self.write
        body = self.json_body()
        w["request"] = body
        if "ids" in q:
            ids = ids_param(q)
            common = body.get("ticket")
            if not isinstance(common, dict):
                raise err(400, "InvalidValue", "ticket parameter is missing")
            work = [(i, common) for i in ids]
        else:
            lst = body.get("tickets")
            if not isinstance(lst, list):
                raise err(400, "InvalidValue", "ids or tickets required")
            if len(lst) > 100:
                raise err(400, "TooManyValues", "Parameter  cannot specify "
                          "more than 100 values", max_count=100)
            work = [(x.get("id"), x) for x in lst if isinstance(x, dict)]
        w["ticket_ids"] = [i for i, _ in work]
        results = []
        msg_ids = []
        for tid, f in work:
            md = f.get("metadata")
            if isinstance(md, dict):
                msg_ids.append(md.get("client_msg_id"))
            t = d.tickets.get(tid) if isinstance(tid, int) else None
            if t is None or t.deleted:
                results.append({"id": tid, "action": "update",
                                "success": False, "error":
                                "TicketUpdateFailed", "errors": "Not found"})
                continue
            try:
                self.check_stamp(t, f)
            except ApiError:
                results.append({"id": tid, "action": "update",
                                "success": False, "error": "UpdateConflict",
                                "errors": "Safe Update prevented the update"
                                          " due to outdated ticket data."})
                continue
            audit, errs = d.apply(t, f, ME_ID, "api", md)
            if errs:
                results.append({"id": tid, "action": "update",
                                "success": False,
                                "error": "TicketUpdateFailed",
                                "errors": "; ".join(
                                    e["description"] for v in errs.values()
                                    for e in v)})
            else:
                results.append({"id": tid, "action": "update",
                                "success": True, "status": "Updated"})
        w["client_msg_ids"] = msg_ids
        w["applied"] = any(r["success"] for r in results)
        jid = "V3-" + hashlib.sha1(b"%d:%d" % (d.seed, d.next_job)
                                   ).hexdigest()[:32]
        d.next_job += 1
        d.jobs[jid] = {"total": len(work), "results": results, "polls": 0}
        w["job_id"] = jid
        return Resp(200, jdump({"job_status": self.job_dict(jid)}),
                    headers=[("zendesk-ratelimit-inflight-jobs",
                              "total=30; remaining=29; resets=60")])

    def job_dict(self, jid):
        j = self.d.jobs[jid]
        base = {"id": jid, "url": "%s/api/v2/job_statuses/%s.json"
                % (self.d.base_url, jid), "total": j["total"]}
        if j["polls"] == 0:
            base.update(progress=None, status="queued", message=None,
                        results=None)
        elif j["polls"] < self.d.job_polls:
            base.update(progress=j["total"] // 2, status="working",
                        message=None, results=None)
        else:
            base.update(progress=j["total"], status="completed",
                        message="Completed at " + time.strftime(
                            "%Y-%m-%d %H:%M:%S +0000", time.gmtime()),
                        results=j["results"])
        return base

    def job_status(self, q, jid):
        if jid not in self.d.jobs:
            raise err(404, *NOT_FOUND)
        self.d.jobs[jid]["polls"] += 1
        return Resp(200, jdump({"job_status": self.job_dict(jid)}))

    # -- macros ------------------------------------------------------------

    def macros(self, q):
        ms = [self.d.macro_dict(m) for m in self.d.macros]
        return Resp(200, jdump({"macros": ms, "next_page": None,
                                "previous_page": None, "count": len(ms)}))

    def find_macro(self, mid):
        for m in self.d.macros:
            if m[0] == int(mid):
                return m
        raise err(404, *NOT_FOUND)

    def macro_show(self, q, mid):
        return Resp(200, jdump({"macro": self.d.macro_dict(
            self.find_macro(mid))}))

    def liquid(self, text, t):
        d = self.d
        me = d.users[ME_ID]
        ctx = {"current_user.name": me["name"],
               "current_user.first_name": d.first_name(ME_ID),
               "current_user.email": me["email"]}
        if t is not None:
            req = d.users[t.requester_id]
            asg = d.users.get(t.assignee_id) or {}
            ctx.update({
                "ticket.id": str(t.id), "ticket.title": t.subject,
                "ticket.subject": t.subject, "ticket.status": t.status,
                "ticket.priority": t.priority or "",
                "ticket.requester.name": req["name"],
                "ticket.requester.first_name": d.first_name(t.requester_id),
                "ticket.requester.email": req["email"],
                "ticket.requester.language": ("简体中文" if t.zh
                                              else "English"),
                "ticket.assignee.name": asg.get("name", ""),
                "ticket.assignee.first_name": (d.first_name(t.assignee_id)
                                               if asg else "")})

        def sub(m):
            parts = [p.strip() for p in m.group(1).split("|")]
            v = ctx.get(parts[0], "")
            for f in parts[1:]:
                if f == "upcase":
                    v = v.upper()
                elif f == "downcase":
                    v = v.lower()
                elif f == "capitalize":
                    v = v[:1].upper() + v[1:]
            return v
        return re.sub(r"\{\{(.*?)\}\}", sub, text)

    def macro_apply(self, q, tid, mid):
        m = self.find_macro(mid)
        t = self.live(int(tid)) if tid is not None else None
        res = {}
        tags = list(t.tags) if t else []
        com = {}
        for a in m[3]:
            f, v = a["field"], a["value"]
            if f in ("status", "priority", "type", "subject"):
                res[f] = v
            elif f in ("group_id", "assignee_id"):
                res[f] = (ME_ID if v == "current_user" else
                          None if v == "" else int(v))
            elif f == "set_tags":
                tags = norm_tags([v])
            elif f == "current_tags":
                tags += [x for x in norm_tags([v]) if x not in tags]
            elif f == "remove_tags":
                rm = set(norm_tags([v]))
                tags = [x for x in tags if x not in rm]
            elif f == "comment_value":
                txt = v[1] if isinstance(v, list) else v
                com["body"] = self.liquid(txt, t)
            elif f == "comment_value_html":
                com["html_body"] = self.liquid(v, t)
            elif f == "comment_mode_is_public":
                com["public"] = v is True or str(v).lower() == "true"
        out = {}
        if t is not None:
            td = self.d.ticket_dict(t)
            for k in ("id", "url", "subject", "status", "priority", "type",
                      "assignee_id", "group_id", "fields", "custom_fields"):
                out[k] = td[k]
        out.update(res)
        out["tags"] = tags
        if com:
            body = com.get("body")
            hb = com.get("html_body")
            if body is None and hb is not None:
                body = html.unescape(re.sub(r"<[^>]*>", "",
                                            hb.replace("</p><p>", "\n\n")))
            if hb is None:
                hb = html_body(body)
            out["comment"] = {"body": body, "html_body": hb,
                              "public": com.get("public", True),
                              "scoped_body": [["channel:all", body]]}
        return Resp(200, jdump({"result": {"ticket": out}}))

    # -- search ------------------------------------------------------------

    def search_rows(self, qtext):
        qq = Query(self.d, qtext)
        return qq, [t for t in self.d.tickets.values()
                    if not t.deleted and qq.match(t)]

    def search(self, q):
        qtext = q.get("query")
        if not qtext:
            raise err(400, "invalid", "Invalid search: query is required")
        per_page = int_param(q, "per_page", 100, 1, 100, clamp=True)
        page = int_param(q, "page", 1, 1)
        if page * per_page > 1000:
            raise err(422, "invalid", "Invalid search: Requested response "
                      "size was greater than Search Response Limits")
        qq, rows = self.search_rows(qtext)
        sb = q.get("sort_by") or qq.order_by or "updated_at"
        kf = sort_key(sb) or sort_key("updated_at")
        so = q.get("sort_order") or qq.sort or "desc"
        rows.sort(key=kf, reverse=so == "desc")
        items = rows[(page - 1) * per_page:page * per_page]
        inc = parse_include(q.get("include"))
        nxt, prv = self.offset_links("/api/v2/search.json", q, page,
                                     per_page, len(rows),
                                     ("query", "sort_by", "sort_order",
                                      "include"))
        body = (b'{"results":[' + b",".join(
            self.ticket_blob(t, "slas" in inc, True) for t in items) + b"]" +
            self.sideloads(items, inc) + b',"facets":null,"next_page":' +
            jdump(nxt) + b',"previous_page":' + jdump(prv) +
            b',"count":%d}' % len(rows))
        return Resp(200, body, headers=[("Zendesk-RateLimit-search-index",
                                         None)])

    def search_count(self, q):
        _, rows = self.search_rows(q.get("query", ""))
        return Resp(200, jdump({"count": len(rows)}))

    def search_export(self, q):
        if q.get("filter[type]") not in ("ticket", "user", "organization",
                                         "group"):
            raise err(400, "InvalidPaginationParameter",
                      "filter[type] is required and must be one of ticket, "
                      "user, organization, group")
        size = int_param(q, "page[size]", 100, 1, 1000)
        qq = Query(self.d, q.get("query", ""))
        if q["filter[type]"] != "ticket":
            qq.want_tickets = False
        now = int(time.time())
        c = q.get("page[after]")
        if c:
            o = b64d(c)
            if isinstance(o, dict) and o.get("x", 0) < now:
                raise err(400, "InvalidPaginationParameter",
                          "cursor has expired")
        tk = self.d.tickets
        items, more, first, last = self.cursor_page(
            self.d.by_created, q, "created_at", False, qq.match, size,
            lambda k: tk.get(k[1]))
        meta = self.cursor_meta("/api/v2/search/export.json", q,
                                "created_at", False, size, more, None,
                                list(last) if last else None,
                                ("filter[type]", "query"),
                                {"x": now + 3600})
        inc = parse_include(q.get("include"))
        body = (b'{"results":[' + b",".join(
            self.ticket_blob(t, "slas" in inc, True) for t in items) + b"]" +
            self.sideloads(items, inc) + b',"facets":null' + meta + b"}")
        return Resp(200, body)

    # -- help center -------------------------------------------------------

    def locale(self, loc):
        loc = loc.lower()
        if loc not in self.d.articles:
            raise err(404, *NOT_FOUND)
        return loc

    def hc_articles(self, q, loc):
        arts = self.d.articles[self.locale(loc)]
        path = "/api/v2/help_center/%s/articles.json" % loc
        if is_cursor_mode(q):
            size = int_param(q, "page[size]", 30, 1, 100)
            byid = {a["id"]: a for a in arts}
            items, more, first, last = self.cursor_page(
                sorted(byid), q, "id", False, lambda a: True, size, byid.get)
            return Resp(200, b'{"articles":' + jdump(items) +
                        self.cursor_meta(path, q, "id", False, size, more,
                                         first, last, ()) + b"}")
        per_page = int_param(q, "per_page", 30, 1, 100, clamp=True)
        page = int_param(q, "page", 1, 1)
        items = arts[(page - 1) * per_page:page * per_page]
        nxt, prv = self.offset_links(path, q, page, per_page, len(arts), ())
        return Resp(200, jdump({
            "articles": items, "next_page": nxt, "previous_page": prv,
            "count": len(arts), "page": page, "per_page": per_page,
            "page_count": -(-len(arts) // per_page), "sort_by": "position",
            "sort_order": "asc"}))

    def hc_article(self, q, loc, aid):
        for a in self.d.articles[self.locale(loc)]:
            if a["id"] == int(aid):
                return Resp(200, jdump({"article": a}))
        raise err(404, *NOT_FOUND)

    def hc_search(self, q):
        text = (q.get("query") or "").strip().lower()
        if not text:
            raise err(400, "InvalidValue", "query is required")
        loc = (q.get("locale") or "en-us").lower()
        if loc == "*":
            pool = self.d.articles["en-us"] + self.d.articles["zh-cn"]
        else:
            pool = self.d.articles.get(loc, self.d.articles["en-us"])
        words = text.split()
        hits = []
        for a in pool:
            plain = html.unescape(re.sub(r"<[^>]*>", " ", a["body"]))
            hay = (a["title"] + " " + plain).lower()
            if all(w in hay for w in words):
                i = hay.find(words[0])
                start = max(0, i - 40)
                frag = (a["title"] + " " + plain)[start:start + 120]
                snip = re.sub(re.escape(words[0]),
                              lambda m: "<em>%s</em>" % m.group(0),
                              html.escape(frag), flags=re.I)
                x = dict(a)
                x["result_type"] = "article"
                x["snippet"] = snip
                hits.append(x)
        per_page = int_param(q, "per_page", 25, 1, 100, clamp=True)
        page = int_param(q, "page", 1, 1)
        if page * per_page > 1000:
            raise err(422, "invalid", "Invalid search: Requested response "
                      "size was greater than Search Response Limits")
        items = hits[(page - 1) * per_page:page * per_page]
        nxt, prv = self.offset_links("/api/v2/help_center/articles/search"
                                     ".json", q, page, per_page, len(hits),
                                     ("query", "locale"))
        return Resp(200, jdump({
            "results": items, "next_page": nxt, "previous_page": prv,
            "count": len(hits), "page": page, "per_page": per_page,
            "page_count": -(-len(hits) // per_page)}))

    def hc_incremental(self, q):
        st = int_param(q, "start_time", 0)
        arts = [a for loc in ("en-us", "zh-cn") for a in self.d.articles[loc]
                if parse_iso(a["updated_at"]) >= st]
        arts.sort(key=lambda a: (a["updated_at"], a["id"]))
        end = parse_iso(arts[-1]["updated_at"]) if arts else st
        return Resp(200, jdump({"articles": arts, "next_page": None,
                                "count": len(arts), "end_time": end}))

    # -- incremental export (admin only) -----------------------------------

    def incremental(self, q):
        if self.role != "admin":
            raise err(403, *FORBIDDEN)
        d = self.d
        now = int(time.time())
        per_page = int_param(q, "per_page", 1000, 1, 1000, clamp=True)
        c = q.get("cursor")
        if c:
            o = b64d(c)
            if not isinstance(o, list) or len(o) != 2:
                raise err(422, "InvalidValue", "cursor is invalid")
            key = tuple(o)
        else:
            st = q.get("start_time")
            if st is None or not st.isdigit():
                raise err(422, "InvalidValue", "start_time is required")
            st = int(st)
            if st > now - 60:
                raise err(422, "InvalidValue", "Too recent start_time. Use "
                          "a start_time older than 1 minute")
            key = (st, 0)
        excl = q.get("exclude_deleted") == "true"
        rows = sorted(((t.gen_ts, t.id) for t in d.tickets.values()
                       if t.gen_ts <= now - 60 and (t.gen_ts, t.id) > key
                       and not (excl and t.deleted)))
        items = rows[:per_page]
        eos = len(rows) <= per_page
        last = list(items[-1]) if items else list(key)
        ac = b64e(last)
        out = []
        for _, tid in items:
            t = d.tickets[tid]
            b = t.blob
            if t.deleted:
                b = b.replace(b'"status":"%s"' % t.status.encode(),
                              b'"status":"deleted"', 1)
            out.append(b)
        inc = parse_include(q.get("include"))
        body = (b'{"tickets":[' + b",".join(out) + b"]" +
                self.sideloads([d.tickets[i] for _, i in items], inc) +
                b',"after_cursor":' + jdump(ac) + b',"after_url":' +
                jdump(self.url("/api/v2/incremental/tickets/cursor.json",
                               [("cursor", ac), ("per_page", str(per_page))]))
                + b',"before_cursor":null,"before_url":null,'
                b'"end_of_stream":' + (b"true" if eos else b"false") + b"}")
        return Resp(200, body, headers=[
            ("Zendesk-RateLimit-incremental-exports-cursor",
             "total=10; remaining=9; resets=60")])

# ---------------------------------------------------------------------------
# Dispatch: counting, rate limits, faults, auth, then the API


HTML_ERR = ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n"
            "<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>"
            "\r\n</body>\r\n</html>\r\n")
PRE_FAULTS = ("error", "503", "reset", "html", "huge", "db_conflict")


class Service:
    def __init__(self, desk):
        self.d = desk
        self.api = Api(desk)

    def auth(self, headers, endpoint):
        """Returns the role, or raises the 401/403 Zendesk would send."""
        d = self.d
        h = headers.get("Authorization") or ""
        scheme, _, cred = h.partition(" ")
        scheme = scheme.lower()
        ok = False
        if scheme == "basic":
            try:
                user, _, secret = base64.b64decode(
                    cred.strip(), validate=True).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                user, secret = "", ""
            ok = (user.lower() == d.opts.agent_email.lower() + "/token" and
                  secret == d.opts.token)
        elif scheme == "bearer":
            ok = cred.strip() == d.opts.token
        mode = d.auth_mode
        if mode == "null_id" and endpoint == "users.me":
            return "anonymous"
        if mode in ("bad", "null_id"):
            ok = False
        if not ok:
            if scheme == "bearer":
                raise ApiError(401, {
                    "error": "invalid_token", "error_description":
                    "The access token provided is expired, revoked, "
                    "malformed or invalid for other reasons."},
                    [("WWW-Authenticate", 'Bearer realm="Zendesk", '
                      'error="invalid_token"')])
            raise ApiError(401, {"error": "Couldn't authenticate you"},
                           [("WWW-Authenticate",
                             'Basic realm="Web Password"')])
        if mode in ("end_user", "forbidden") and endpoint != "users.me":
            raise err(403, *FORBIDDEN)
        return "admin" if mode == "admin" else "agent"

    def admit(self, method, target, headers, body):
        """Count a request, apply the rate limit and pick its fault.

        Returns (resp, ctx): resp is final (429 or a pre-handler fault)
        when not None; otherwise pass ctx to run()."""
        d = self.d
        sp = urlsplit(target)
        q = {}
        for k, v in parse_qsl(sp.query, keep_blank_values=True):
            q.setdefault(k, v)
        endpoint, fn, args = self.api.route(method, sp.path)
        d.req_total += 1
        d.req_counts[endpoint] = d.req_counts.get(endpoint, 0) + 1
        ok, rem, reset, retry = d.rate.take()
        upd = None
        if ok and method == "PUT" and d.update_rate is not None:
            upd = d.update_rate.take()
            if not upd[0]:
                ok, retry = False, upd[3]
        rl = [("X-Rate-Limit", str(d.rate.cap)),
              ("X-Rate-Limit-Remaining", str(rem)),
              ("ratelimit-limit", str(d.rate.cap)),
              ("ratelimit-remaining", str(rem)),
              ("ratelimit-reset", str(reset))]
        if method == "PUT":
            b = d.update_rate
            ur = upd if upd else (ok, rem, reset, retry)
            rl.append(("Zendesk-RateLimit-tickets-update",
                       "total=%d; remaining=%d; resets=%d" %
                       (b.cap if b else d.rate.cap, ur[1], ur[2])))
        if endpoint == "tickets.list":
            rl.append(("Zendesk-RateLimit-tickets-index",
                       "total=%d; remaining=%d; resets=%d" %
                       (d.rate.cap, rem, reset)))
        ctx = (method, target, headers, body, q, endpoint, fn, args, rl,
               (rem, reset))
        if not ok:
            d.n429 += 1
            r = Resp(429, b"Number of allowed API requests per minute "
                     b"exceeded", "text/plain; charset=utf-8",
                     [("Retry-After", str(retry))] + rl)
            self.log(method, target, endpoint, r)
            return r, None
        fault = None
        for f in d.faults:
            if f.matches(endpoint, method):
                fault = f
                break
        if fault is not None and fault.kind in PRE_FAULTS:
            r = self.pre_fault(fault)
            r.headers += rl
            self.log(method, target, endpoint, r)
            if method == "PUT":
                self.api.write = {}
                self.record_write(method, target, endpoint, args, body, r,
                                  False)
            return r, None
        return None, ctx + (fault,)

    def run(self, ctx):
        """Authenticate and run an admitted request -> Resp."""
        d = self.d
        (method, target, headers, body, q, endpoint, fn, args, rl,
         (rem, reset), fault) = ctx
        api = self.api
        api.body = body
        api.write = {}
        applied = False
        try:
            if fn is None:
                if endpoint == "unknown":
                    raise err(404, "InvalidEndpoint", "Not found")
                raise err(405, "MethodNotAllowed", "Method not allowed")
            api.role = self.auth(headers, endpoint)
            r = fn(q, *args)
            applied = api.write.get("applied", False)
        except ApiError as e:
            r = e.resp
        for i, (k, v) in enumerate(r.headers):
            if v is None:
                r.headers[i] = (k, "total=%d; remaining=%d; resets=%d"
                                % (d.rate.cap, rem, reset))
        r.headers += rl
        if fault is not None:
            r.fault = fault
        self.log(method, target, endpoint, r)
        if method == "PUT" and fn is not None:
            self.record_write(method, target, endpoint, args, body, r,
                              applied)
        return r

    def handle(self, method, target, headers, body):
        """One API request -> Resp (resp.fault set when a fault fired);
        a slow-before fault is not delayed here (see Handler.dispatch)."""
        r, ctx = self.admit(method, target, headers, body)
        return r if r is not None else self.run(ctx)

    def release_held(self, endpoint, phase):
        """Let parked requests whose release is ENDPOINT run now: before
        ("tickets.show") or after ("audits") that endpoint's own request
        is processed; returns once they have been processed."""
        want = {"before": ("tickets.show",), "after": ("audits",)}[phase]
        if endpoint not in want:
            return
        with self.d.lock:
            hs = [h for h in self.d.held
                  if str(h.f.get("release", "admin")) == endpoint]
        for h in hs:
            h.go.set()
        for h in hs:
            h.done.wait(10)

    def pre_fault(self, f):
        k = f.kind
        if k == "error":
            st = int(f.get("status", 500))
            reason = REASONS.get(st, "Error")
            r = Resp(st, (HTML_ERR % (st, reason, st, reason)).encode(),
                     "text/html")
        elif k == "503":
            r = Resp(503, (HTML_ERR % (503, "Service Unavailable", 503,
                                       "Service Unavailable")).encode(),
                     "text/html",
                     [("Retry-After", str(f.get("retry_after", 1)))])
        elif k == "db_conflict":
            r = Resp(409, jdump({"error": "DatabaseConflict",
                                 "description": "Database collision"}))
        elif k == "html":
            r = Resp(200, b"<!DOCTYPE html><html><head><title>Help Center "
                     b"closed</title></head><body><h1>Maintenance</h1><p>"
                     b"We'll be back soon.</p></body></html>", "text/html; "
                     "charset=utf-8")
        else:  # reset, huge: handled by the sender
            r = Resp(200)
        r.fault = f
        return r

    def log(self, method, target, endpoint, r):
        d = self.d
        k = str(r.status)
        d.status_counts[k] = d.status_counts.get(k, 0) + 1
        if d.req_file is not None:
            # every request, for replays (the in-memory log stops at 20000)
            d.req_file.write("%s %s %s %d\n" % (method, endpoint, target,
                                                  r.status))
        if len(d.req_log) < 20000:
            e = {"method": method, "path": target, "endpoint": endpoint,
                 "status": r.status}
            if r.fault is not None:
                e["fault"] = r.fault.kind
            d.req_log.append(e)

    def record_write(self, method, target, endpoint, args, body, r,
                     applied):
        w = self.api.write if hasattr(self.api, "write") else {}
        e = {"seq": len(self.d.writes) + 1, "time": iso(time.time()),
             "method": method, "path": target, "endpoint": endpoint,
             "status": r.status, "applied": applied,
             "ticket_id": w.get("ticket_id"),
             "client_msg_id": w.get("client_msg_id")}
        for k in ("ticket_ids", "client_msg_ids", "audit_id", "job_id"):
            if k in w:
                e[k] = w[k]
        if r.fault is not None:
            e["fault"] = r.fault.kind
        if "request" in w:
            e["request"] = w["request"]
        else:
            try:
                e["request"] = json.loads(body or b"null")
            except ValueError:
                e["request"] = (body or b"").decode("utf-8", "replace")
        if r.fault is not None and r.fault.kind in PRE_FAULTS:
            e["applied"] = False
        self.d.writes.append(e)

    # -- admin -------------------------------------------------------------

    def admin(self, method, target, body):
        d = self.d
        sp = urlsplit(target)
        path = sp.path.rstrip("/")
        q = dict(parse_qsl(sp.query, keep_blank_values=True))
        try:
            o = json.loads(body) if body else {}
        except ValueError:
            return Resp(400, jdump({"error": "bad JSON"}))
        if not isinstance(o, dict):
            return Resp(400, jdump({"error": "body must be an object"}))
        try:
            if method == "GET" and path == "/_admin/health":
                return Resp(200, b'{"ok":true}')
            if method == "GET" and path == "/_admin/state":
                return Resp(200, jdump(self.state(q)))
            if method != "POST":
                return Resp(404, jdump({"error": "unknown admin endpoint"}))
            if path == "/_admin/release":
                n = 0
                for h in list(d.held):
                    h.go.set()
                    n += 1
                return Resp(200, jdump({"ok": True, "released": n}))
            if path == "/_admin/reset":
                d.reset()
                return Resp(200, b'{"ok":true}')
            if path == "/_admin/auth":
                mode = o.get("mode")
                if mode not in ("ok", "bad", "null_id", "end_user",
                                "forbidden", "admin"):
                    return Resp(400, jdump({"error": "unknown mode"}))
                d.auth_mode = mode
                return Resp(200, jdump({"ok": True, "mode": mode}))
            if path == "/_admin/rate_limit":
                if "per_minute" in o:
                    d.rate = Bucket(int(o["per_minute"]))
                if "update_per_minute" in o:
                    n = int(o["update_per_minute"] or 0)
                    d.update_rate = Bucket(n) if n > 0 else None
                return Resp(200, jdump({"ok": True,
                                        "per_minute": d.rate.cap}))
            if path == "/_admin/raw_comments":
                return self.raw_comments(o)
            if path == "/_admin/config":
                if "job_polls" in o:
                    d.job_polls = max(1, int(o["job_polls"]))
                return Resp(200, b'{"ok":true}')
            if path == "/_admin/faults":
                if o.get("clear"):
                    d.faults = []
                if "faults" in o:
                    d.faults = [Fault(f, d) for f in o["faults"]]
                if "add" in o:
                    d.faults += [Fault(f, d) for f in o["add"]]
                return Resp(200, jdump({"faults": [f.describe()
                                                   for f in d.faults]}))
            if path == "/_admin/customer_reply" and o.get("attachments"):
                return self.reply_with_attachments(o)
            if path in ("/_admin/customer_reply", "/_admin/update",
                        "/_admin/delete"):
                tid = o.get("ticket_id")
                t = d.tickets.get(tid) if isinstance(tid, int) else None
                if t is None or t.deleted:
                    return Resp(404, jdump({"error": "no such ticket"}))
                if path == "/_admin/delete":
                    d.delete(t)
                    d.render(t)
                    return Resp(200, jdump({"ok": True,
                                            "updated_at": iso(t.updated)}))
                if path == "/_admin/customer_reply":
                    body_txt = o.get("body") or "Any news on this?"
                    f = {"comment": {"body": body_txt,
                                     "public": o.get("public", True),
                                     "author_id": t.requester_id}}
                    if t.status in ("pending", "solved", "hold"):
                        f["status"] = "open"
                    audit, errs = d.apply(t, f, t.requester_id, "email")
                else:
                    f = o.get("fields") or {}
                    if not isinstance(f, dict):
                        return Resp(400, jdump({"error": "fields must be an "
                                                "object"}))
                    author = o.get("author_id") or OTHER_AGENT_IDS[0]
                    audit, errs = d.apply(t, f, author, "web",
                                          o.get("metadata"))
                if errs:
                    return Resp(422, jdump({"error": "RecordInvalid",
                                            "details": errs}))
                return Resp(200, b'{"ticket":' + t.blob + b',"audit":' +
                            jdump(audit) + b"}")
        except (ValueError, TypeError, KeyError) as e:
            return Resp(400, jdump({"error": str(e)}))
        return Resp(404, jdump({"error": "unknown admin endpoint"}))

    def raw_comments(self, o):
        d = self.d
        tid = o.get("ticket_id")
        t = d.tickets.get(tid) if isinstance(tid, int) else None
        if t is None or t.deleted:
            return Resp(404, jdump({"error": "no such ticket"}))
        for c in o.get("comments") or []:
            c = dict(c)
            if "id" not in c:
                c["id"] = d.next_comment
                d.next_comment += 1
            t.extra_comments.append(c)
        if isinstance(o.get("ticket"), dict):
            t.raw = dict(o["ticket"])
        d.set_updated(t, d.stamp(t))
        d.render(t)
        return Resp(200, jdump({"ok": True, "updated_at": iso(t.updated)}))

    def reply_with_attachments(self, o):
        """A customer reply carrying attachments: each {"file_name",
        "size", "content_type"?, "url"? (content_url as given, e.g. on
        another host), "serve_size"? (bytes actually served), "delay_ms"?
        (wait this long before answering a download)}."""
        d = self.d
        tid = o.get("ticket_id")
        t = d.tickets.get(tid) if isinstance(tid, int) else None
        if t is None or t.deleted:
            return Resp(404, jdump({"error": "no such ticket"}))
        f = {"comment": {"body": o.get("body") or "See the attached file.",
                         "public": True, "author_id": t.requester_id}}
        audit, errs = d.apply(t, f, t.requester_id, "email")
        if errs:
            return Resp(422, jdump({"error": "RecordInvalid",
                                    "details": errs}))
        atts = []
        for a in o["attachments"]:
            aid = d.next_att
            d.next_att += 1
            size = int(a.get("size", 0))
            d.att_files[aid] = int(a.get("serve_size", size))
            if a.get("redirect"):
                d.att_redirect.add(aid)
            if a.get("delay_ms"):
                d.att_delay[aid] = int(a["delay_ms"]) / 1000.0
            atts.append({
                "id": aid, "file_name": a["file_name"],
                "content_url": a.get("url") or
                "%s/attachments/token/t%d/?name=file" % (d.base_url, aid),
                "mapped_content_url": None,
                "content_type": a.get("content_type",
                                      "application/octet-stream"),
                "size": size, "inline": False, "deleted": False,
                "malware_scan_result": "malware_not_found",
                "thumbnails": []})
        t.extra_comments[-1]["attachments"] = atts
        return Resp(200, jdump({"ok": True, "attachments": atts}))

    def attachment_body(self, target, headers):
        """GET /attachments/token/t<ID>/: the file's bytes, for the
        agent's credentials only: "tdesk-attachment-ID\n" repeated to
        the attachment's size. An attachment made with "redirect" answers
        302 to /attachments/storage/t<ID>/ on http://localhost:PORT (a
        storage host that needs no credentials, as Zendesk's)."""
        d = self.d
        m = re.match(r"^/attachments/(token|storage)/t(\d+)/", target)
        if not m:
            return Resp(404, jdump({"error": "InvalidEndpoint"}))
        aid = int(m.group(2))
        d.att_fetches.append({"id": aid, "path": target,
                              "authorization": bool(
                                  headers.get("Authorization"))})
        if m.group(1) == "token":
            try:
                self.auth(headers, "attachments")
            except ApiError as e:
                return e.resp
            if aid in d.att_redirect:
                return Resp(302, b"", headers=[(
                    "Location", "http://localhost:%d/attachments/storage/"
                    "t%d/" % (d.opts.port, aid))])
        elif aid not in d.att_redirect:
            return Resp(404, jdump({"error": "RecordNotFound"}))
        size = d.att_files.get(aid)
        if size is None:
            tid = (aid - 360090000000) // 8
            t = d.tickets.get(tid)
            if t is not None and not t.deleted:
                for c in d.base_comments(t):
                    for a in c["attachments"]:
                        if a["id"] == aid:
                            size = a["size"]
        if size is None:
            return Resp(404, jdump({"error": "RecordNotFound"}))
        unit = ("tdesk-attachment-%d\n" % aid).encode()
        body = (unit * (size // len(unit) + 1))[:size]
        r = Resp(200, body)
        r.ctype = "application/octet-stream"
        return r

    def ticket_state(self, t):
        d = self.d
        return {"id": t.id, "status": "deleted" if t.deleted else t.status,
                "deleted": t.deleted, "subject": t.subject,
                "priority": t.priority, "type": t.type,
                "assignee_id": t.assignee_id, "group_id": t.group_id,
                "requester_id": t.requester_id, "tags": t.tags,
                "custom_fields": [dict(c) for c in
                                  (t.custom or d.static(t)[2])],
                "updated_at": iso(t.updated), "created_at": iso(t.created),
                "changed": t.touched,
                "comments": [{"id": c["id"], "author_id": c["author_id"],
                              "body": c["body"], "public": c["public"],
                              "created_at": c["created_at"],
                              "audit_id": c["audit_id"]}
                             for c in d.comments(t)],
                "audits": [{"id": a["id"], "author_id": a["author_id"],
                            "created_at": a["created_at"],
                            "custom": a["metadata"]["custom"],
                            "events": [{k: v for k, v in e.items()
                                        if k in ("type", "field_name",
                                                 "value", "previous_value",
                                                 "public")}
                                       for e in a["events"]]}
                           for a in d.audits(t)]}

    def state(self, q):
        d = self.d
        which = q.get("tickets") or ("all" if len(d.tickets) <= 1000
                                     else "changed")
        if q.get("ids"):
            sel = [d.tickets[int(i)] for i in q["ids"].split(",")
                   if i.strip().isdigit() and int(i) in d.tickets]
        elif which == "all":
            sel = list(d.tickets.values())
        elif which == "changed":
            sel = [t for t in d.tickets.values() if t.touched]
        else:
            sel = []
        return {"seed": d.seed, "ticket_count": len(d.by_id),
                "agent_id": ME_ID, "other_agent_ids": OTHER_AGENT_IDS,
                "groups": [{"id": g[0], "name": g[1]} for g in GROUPS],
                "auth_mode": d.auth_mode,
                "rate_limit": {"per_minute": d.rate.cap,
                               "update_per_minute":
                               d.update_rate.cap if d.update_rate else None},
                "requests_total": d.req_total, "requests": d.req_counts,
                "status_counts": d.status_counts, "rate_limited": d.n429,
                "faults": [f.describe() for f in d.faults],
                "held": len(d.held), "held_done": d.held_done,
                "writes": d.writes, "request_log": d.req_log,
                "jobs": {k: {"total": v["total"], "polls": v["polls"]}
                         for k, v in d.jobs.items()},
                "attachment_fetches": d.att_fetches,
                "tickets": [self.ticket_state(t) for t in sel]}

# ---------------------------------------------------------------------------
# HTTP


_date_cache = [0, ""]


def http_date():
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[0] = now
        _date_cache[1] = email.utils.formatdate(now, usegmt=True)
    return _date_cache[1]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "zdserver/1.0"
    sys_version = ""

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("zdserver: %s\n" % (fmt % args))

    def do_GET(self):
        self.dispatch("GET")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def read_body(self):
        n = self.headers.get("Content-Length")
        if n:
            return self.rfile.read(int(n))
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def dispatch(self, method):
        svc = self.server.svc
        body = self.read_body()
        if self.path.startswith("/_admin/"):
            with svc.d.lock:
                r = svc.admin(method, self.path, body)
            self.send(r)
            return
        if method == "GET" and self.path.startswith("/attachments/"):
            m = re.match(r"^/attachments/(?:token|storage)/t(\d+)/",
                         self.path)
            with svc.d.lock:
                r = svc.attachment_body(self.path, self.headers)
                delay = svc.d.att_delay.get(int(m.group(1)), 0) if m else 0
            if delay:
                time.sleep(delay)
            self.send(r)
            return
        with svc.d.lock:
            r, ctx = svc.admit(method, self.path, self.headers, body)
        if r is None:
            f = ctx[-1]
            if f is not None and f.kind == "slow" and f.get("before", False):
                time.sleep(int(f.get("delay_ms", 1000)) / 1000.0)
                ctx = ctx[:-1] + (None,)
            held = None
            if f is not None and f.kind == "hold":
                held = self.hold(svc, f)
                ctx = ctx[:-1] + (None,)
            endpoint = ctx[5]
            svc.release_held(endpoint, "before")
            with svc.d.lock:
                r = svc.run(ctx)
                if held is not None:
                    svc.d.held_done += 1
            if held is not None:
                held.done.set()
            svc.release_held(endpoint, "after")
        f = r.fault
        if f is None:
            self.send(r)
            return
        k = f.kind
        delay = int(f.get("delay_ms", 1000)) / 1000.0
        if k in ("reset", "commit_reset"):
            self.reset()
        elif k == "slow":
            time.sleep(delay)
            self.send(r)
        elif k == "drip":
            self.send(r, drip=(int(f.get("chunk", 64)), delay))
        elif k == "truncate":
            head = self.head(r, len(r.body))
            cut = int(f.get("bytes", max(1, len(r.body) // 2)))
            self.wfile.write(head + r.body[:cut])
            self.close_connection = True
        elif k == "invalid_json":
            b = r.body
            bad = b[:max(1, len(b) * 2 // 3)] + b',"oops":\x01\xff}garbage'
            r.body = bad
            self.send(r)
        elif k == "huge":
            self.huge(r, float(f.get("size_mb", 64)),
                      bool(f.get("chunked", False)))
        else:
            self.send(r)

    def hold(self, svc, f):
        """Park this request until its release (fault "hold"); then it is
        processed as usual, even if the client has gone meanwhile."""
        h = Held(f)
        with svc.d.lock:
            svc.d.held.append(h)
        rel = str(f.get("release", "admin"))
        wait = int(f.get("max_ms", 30000)) / 1000.0
        if rel == "timer":
            wait = min(wait, int(f.get("delay_ms", 1000)) / 1000.0)
        h.go.wait(wait)
        with svc.d.lock:
            if h in svc.d.held:
                svc.d.held.remove(h)
        return h

    def head(self, r, length, extra=()):
        lines = ["HTTP/1.1 %d %s" % (r.status,
                                     REASONS.get(r.status, "Status")),
                 "Date: " + http_date(), "Server: zdserver",
                 "Content-Type: " + r.ctype]
        if length is not None:
            lines.append("Content-Length: %d" % length)
        for k, v in list(r.headers) + list(extra):
            lines.append("%s: %s" % (k, v))
        if self.close_connection or \
                (self.headers.get("Connection") or "").lower() == "close":
            lines.append("Connection: close")
            self.close_connection = True
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    def send(self, r, drip=None):
        body = r.body
        head = self.head(r, len(body))
        try:
            if drip:
                self.wfile.write(head)
                chunk, delay = drip
                for i in range(0, len(body), max(1, chunk)):
                    time.sleep(delay)
                    self.wfile.write(body[i:i + chunk])
            elif len(body) < 65536:
                self.wfile.write(head + body)
            else:
                self.wfile.write(head)
                self.wfile.write(body)
        except OSError:
            self.close_connection = True

    def huge(self, r, size_mb, chunked):
        total = int(size_mb * 1024 * 1024)
        unit = (b'{"id":1,"subject":"' + b"x" * 200 + b'","tags":[]},') * 64
        pre, post = b'{"tickets":[', b'{"id":0}]}'
        n_units = max(0, (total - len(pre) - len(post)) // len(unit))
        length = len(pre) + n_units * len(unit) + len(post)
        try:
            if chunked:
                self.wfile.write(self.head(r, None, [("Transfer-Encoding",
                                                      "chunked")]))

                def out(b):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))
            else:
                self.wfile.write(self.head(r, length))
                out = self.wfile.write
            out(pre)
            for _ in range(n_units):
                out(unit)
            out(post)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        self.close_connection = True

    def reset(self):
        """Close with SO_LINGER 0 so the peer sees a RST, not a FIN."""
        s = self.connection
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            fd = s.detach()
            os.close(fd)
        except OSError:
            pass
        self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

# ---------------------------------------------------------------------------
# Main


def dump_pages(desk, outdir, size, sort, include, which="assigned"):
    os.makedirs(outdir, exist_ok=True)
    api = Api(desk)
    q = {"page[size]": str(size), "sort": sort}
    if include:
        q["include"] = include
    n = 0
    with desk.lock:
        while True:
            if which == "all":
                r = api.tickets_all(dict(q))
            else:
                r = api.tickets_assigned(dict(q), "me")
            n += 1
            p = os.path.join(outdir, "page-%05d.json" % n)
            with open(p, "wb") as f:
                f.write(r.body)
            meta = json.loads(r.body[r.body.rindex(b',"meta":') + 8:
                                     r.body.rindex(b',"links":')])
            if not meta["has_more"]:
                break
            q["page[after]"] = meta["after_cursor"]
    return n


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Loopback Zendesk API v2 simulator for tdesk tests.",
        epilog=ADMIN_DOC, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1",
                    help="must be 127.0.0.1 (anything else is refused)")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free one")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tickets", type=int, default=200)
    ap.add_argument("--epoch", default="1735732800",
                    help="'now' of the synthetic data, epoch seconds or "
                    "'now' (default 2025-01-01T12:00:00Z)")
    ap.add_argument("--agent-email", default="agent@example.com")
    ap.add_argument("--agent-name", default="Jane Agent")
    ap.add_argument("--token", default="test-token",
                    help="API token (Basic email/token:T) and Bearer token")
    ap.add_argument("--rate-limit", type=int, default=1000000,
                    help="account requests per minute")
    ap.add_argument("--update-rate-limit", type=int, default=0,
                    help="ticket PUTs per minute (0: only the account "
                    "limit)")
    ap.add_argument("--fault", action="append",
                    help="ENDPOINT:KIND[:k=v,...], e.g. "
                    "tickets.update:commit_reset:count=1")
    ap.add_argument("--data-dir", help="on exit, write DIR/state.json "
                    "(= /_admin/state?tickets=changed)")
    ap.add_argument("--dump-pages", metavar="DIR",
                    help="write the assigned-ticket pages to DIR and exit")
    ap.add_argument("--page-size", type=int, default=100)
    ap.add_argument("--dump-sort", default="-updated_at")
    ap.add_argument("--dump-include", default="users,groups,slas")
    ap.add_argument("--dump-list", choices=("assigned", "all"),
                    default="assigned", help="assigned: /users/me/tickets/"
                    "assigned (~85%% of tickets); all: /tickets")
    ap.add_argument("--base-url", help="base of url/links fields (default "
                    "http://127.0.0.1:PORT)")
    ap.add_argument("--request-log", metavar="FILE",
                    help="append every request as 'METHOD ENDPOINT PATH "
                    "STATUS' lines (no cap, unlike /_admin/state)")
    ap.add_argument("--verbose", action="store_true")
    o = ap.parse_args(argv)
    if o.host != "127.0.0.1":
        ap.error("refusing to bind %r: only 127.0.0.1 is allowed" % o.host)
    o.epoch = int(time.time()) if o.epoch == "now" else int(o.epoch)
    if o.tickets < 0:
        ap.error("--tickets must be >= 0")
    for f in o.fault or []:
        try:
            Fault(parse_fault_arg(f), argparse.Namespace(seed=0,
                                                          fault_seq=0))
        except ValueError as e:
            ap.error(str(e))
    return o


def main(argv):
    o = parse_args(argv)
    if o.dump_pages:
        desk = Desk(o)
        n = dump_pages(desk, o.dump_pages, o.page_size, o.dump_sort,
                       o.dump_include, o.dump_list)
        sys.stderr.write("zdserver: wrote %d pages to %s\n"
                         % (n, o.dump_pages))
        return 0
    srv = Server(("127.0.0.1", o.port), Handler)
    port = srv.server_address[1]
    o.port = port
    desk = Desk(o)
    srv.svc = Service(desk)
    srv.verbose = o.verbose

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if o.port_file:
        tmp = o.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, o.port_file)
    sys.stderr.write("zdserver: listening on 127.0.0.1:%d (%d tickets)\n"
                     % (port, o.tickets))
    status = 0
    try:
        srv.serve_forever(poll_interval=0.2)
    except BaseException:
        import traceback
        traceback.print_exc()
        status = 1
    finally:
        srv.server_close()
        if o.data_dir:
            os.makedirs(o.data_dir, exist_ok=True)
            with desk.lock:
                st = srv.svc.state({"tickets": "changed"})
            with open(os.path.join(o.data_dir, "state.json"), "wb") as f:
                f.write(jdump(st))
    sys.stderr.flush()
    os._exit(status)  # skip freeing a large desk object by object


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
