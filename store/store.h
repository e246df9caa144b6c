/* SPDX-License-Identifier: MIT */
/*
 * The replica: one SQLite file per desk holding tickets, comments, users,
 * groups, the outbox of local actions and the audit log. store/'s public
 * face is this umbrella over one header per topic, each with the
 * contracts of its functions; ui/, sync/ and cmd/ see nothing of SQLite.
 *
 * The replica is vendor-neutral: it knows no helpdesk's endpoints, page
 * shapes or wire field names. Each backend in sync/ (Zendesk, Request
 * Tracker) reads its own JSON and writes typed records through a batch
 * (store/ingest.h); the outbox keeps tdesk's own change (struct
 * store_outbox_change) and each backend turns it into its request. Only
 * sync/ (and cmd/) link the JSON library; sync/ runs no SQL.
 *
 *   store/base.h          allocation, buffers, errors, time, UTF-8
 *   store/replica.h       open, transactions, state, audit, users
 *   store/ingest.h        the typed writes of every backend (batches)
 *   store/ticket.h        queries, tickets, comments, attachments
 *   store/outbox.h        local actions, the outbox, multi-item writes
 *   store/macro.h         macros: load, render, apply
 *   store/faq.h           FAQ answers: load, search
 *   store/ynode.h         YAML documents with positions
 *   store/text.h          safe terminal text, CJK helpers
 *   store/safety.h        the reply guard and secrets on the write path
 *   store/sync_support.h  the push lock and sync's bookkeeping
 *   store/demo.h          the demo desk
 * and beside them store/triage.h, store/guard.h, store/redact.h.
 */
#ifndef TDESK_STORE_H
#define TDESK_STORE_H

#include "store/base.h"
#include "store/replica.h"
#include "store/ingest.h"
#include "store/ticket.h"
#include "store/outbox.h"
#include "store/ynode.h"
#include "store/macro.h"
#include "store/faq.h"
#include "store/text.h"
#include "store/safety.h"
#include "store/sync_support.h"
#include "store/demo.h"

#endif
