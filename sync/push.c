/* SPDX-License-Identifier: MIT */
/*
 * Push: send the outbox to the helpdesk, per ticket in order and across
 * tickets in parallel, each action exactly once.
 *
 * Exactly once, as a property: for every outbox action the server applies
 * at most one request carrying its client id, and once faults stop and a
 * push completes, exactly one. It must hold for a SIGKILL at any moment,
 * for any number of tdesk processes on one replica, and for requests the
 * server processes late (after their sender timed out, died, or read the
 * audits) or never. The server gives us two tools: a PUT with safe_update
 * and updated_stamp S is applied only while the ticket's updated_at is S,
 * and applying it moves updated_at; and the audit log names the client id
 * of every action applied. The rules that make the property hold:
 *
 * R1 One pusher per replica (store_sync_lock, taken by sync_run): the only
 *    copies of an action in the world are the ones this process or a dead
 *    predecessor sent.
 * R2 Durable before sent: before a copy can leave, the row says so on disk
 *    (state inflight, sent_stamp, attempts + 1; store_outbox_mark_sent).
 *    attempts > 0 therefore means "a copy may exist", across restarts.
 *    A row with attempts == 0 has no copy anywhere and is sent as is.
 * R3 Look before any resend: when a copy may exist (timeout, reset, 5xx,
 *    409, a 2xx we cannot read, a row found in flight at start) read the
 *    ticket's stamp T first and the audits second. Client id in the audits:
 *    done. Absent: no copy had landed when T was read, and every copy still
 *    on its way carries a stamp read earlier, so it can only land while
 *    the ticket's stamp still equals its own.
 * R4 Resend only on T, the stamp read before the audit check that found
 *    the action absent. A late copy landing after T was read moves the
 *    stamp off T, so the new copy gets a 409 and R3 runs again (and finds
 *    it). If the new copy lands first, it moves the stamp off T and every
 *    older copy, all on stamps <= T, gets a 409.
 * R5 "Moves the stamp off T" needs a landing never to produce T again.
 *    Zendesk stamps have one-second resolution and nothing says two
 *    versions cannot share a second; so a copy is resent on T only when
 *    the server's clock had passed T's second when T was read (its Date
 *    header later than T), or T was read unchanged twice 1.1 s apart.
 *    Otherwise we wait and look again. Any landing after that read then
 *    gets a stamp later than T.
 * R6 A 429 was refused before it was looked at: the same copy goes again
 *    after Retry-After; there is still one copy on that stamp.
 * A field change or reply whose ticket moved under it (T is not the stamp
 * the action was meant for) is checked for conflicts before it is resent:
 * a new customer message or a field both sides changed stops it for the
 * agent (state conflict), never sent silently.
 */
#include "sync/sync_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_409_RESENDS 3
#define SAME_SECOND_MS 1100	/* R5: wait past a stamp's second */
#define MAX_AUDIT_PAGES 100	/* a ticket holds at most ~5000 comments */

/* An outbox row held for the run: v as the backends see it, its
 * strings and change pointing at the owned copies below. */
struct prow {
	struct store_outbox_row v;
	char *undo, *seen, *sent;
	struct store_outbox_change ch;	/* what to send */
};

enum lane_step {
	STEP_PUT = 1,
	STEP_TICKET,
	STEP_AUDITS,
	STEP_COMMENTS,
};

struct lane {
	int64_t ticket;
	struct prow *rows;
	size_t n, i;
	int blocked;			/* an earlier conflict holds the rest */
	int finished;
	int tries;			/* requests for this row this run */
	int resends;			/* re-sends on a moved stamp */
	int after409;			/* looking because of a 409 */
	int audit_pages;		/* audit pages read in this look */
	char *base;			/* the stamp the action is meant for */
	char *stamp;			/* T: the stamp read while looking */
	int64_t stamp_date;		/* the server's clock at that read */
	int64_t stamp_first_ms;		/* when this T was first read */
	char *done_seen;		/* last done row's seen stamp ... */
	char *done_new;			/* ... and the ticket's after it */
	struct buf fresh;		/* the ticket read while looking */
	struct http_req *req;
};

struct push {
	struct engine *e;
	struct lane *lanes;
	size_t n, cap;
};

static struct lane *
lane_for(struct push *p, int64_t ticket)
{
	struct lane *l;
	size_t i;

	if (p->n && p->lanes[p->n - 1].ticket == ticket)
		return &p->lanes[p->n - 1];
	for (i = 0; i < p->n; i++)
		if (p->lanes[i].ticket == ticket)
			return &p->lanes[i];
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->lanes = xrealloc(p->lanes, p->cap * sizeof(*p->lanes));
	}
	l = &p->lanes[p->n++];
	memset(l, 0, sizeof(*l));
	l->ticket = ticket;
	return l;
}

static int
collect_row(const struct store_outbox_row *r, void *arg)
{
	struct push *p = arg;
	struct lane *l;
	struct prow *pr;

	if (r->kind == STORE_OUTBOX_REDACT)
		return 0;	/* push_redactions (redact_push.c) */
	l = lane_for(p, r->ticket_id);
	if (r->state == STORE_OUTBOX_CONFLICT) {
		if (l->n == 0)
			l->blocked = 1;
		return 0;
	}
	if (r->state != STORE_OUTBOX_PENDING &&
	    r->state != STORE_OUTBOX_INFLIGHT)
		return 0;
	if (l->blocked)
		return 0;
	l->rows = xrealloc(l->rows, (l->n + 1) * sizeof(*l->rows));
	pr = &l->rows[l->n++];
	pr->v = *r;
	/* r's own, gone after this call */
	pr->v.summary = pr->v.error = NULL;
	store_outbox_change_dup(&pr->ch, &r->ch);
	pr->undo = xstrdup(r->undo ? r->undo : "{}");
	pr->seen = xstrdup(r->seen_updated_at);
	pr->sent = xstrdup(r->sent_stamp ? r->sent_stamp : "");
	pr->v.ch = pr->ch;
	pr->v.undo = pr->undo;
	pr->v.seen_updated_at = pr->seen;
	pr->v.sent_stamp = pr->sent;
	return 0;
}

static void
lane_submit(struct push *p, struct lane *l, struct http_req *r, int step,
    int64_t delay_ms)
{
	l->req = r;
	r->owner = l;
	r->tag = step;
	r->not_before = delay_ms > 0 ? http_now() + delay_ms : 0;
	http_submit(p->e->h, r);
}

static void
lane_get(struct push *p, struct lane *l, char *path, int step,
    int64_t delay_ms)
{
	struct http_req *r = http_req_new("GET", path, NULL);

	free(path);
	lane_submit(p, l, r, step, delay_ms);
}

/* Stop the lane for this run; the rows keep their state (an in-flight
 * row is looked up first by the next run). */
static void
lane_park(struct push *p, struct lane *l)
{
	l->finished = 1;
	p->e->stats->network_trouble = 1;
}

/* The run cannot go on (credentials, database). */
static void
lane_fatal(struct push *p, struct lane *l, const struct tdesk_err *err)
{
	eng_fatal(p->e, err);
	l->finished = 1;
}

static void lane_start_row(struct push *p, struct lane *l);

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

static void
lane_next_row(struct push *p, struct lane *l)
{
	l->i++;
	l->tries = 0;
	l->resends = 0;
	l->after409 = 0;
	set_str(&l->base, NULL);
	set_str(&l->stamp, NULL);
	buf_reset(&l->fresh);
	lane_start_row(p, l);
}

static int
stamp_le(const char *a, const char *b)
{
	int64_t x, y;

	if (time_parse_iso(a, &x) < 0 || time_parse_iso(b, &y) < 0)
		return 0;
	return x <= y;
}

static int
too_many(struct push *p, struct lane *l)
{
	if (l->tries < p->e->max_attempts)
		return 0;
	lane_park(p, l);
	return 1;
}

/* Send a copy of the row on stamp (R2: recorded first). */
static void
lane_send(struct push *p, struct lane *l, const char *stamp,
    int64_t delay_ms)
{
	struct engine *e = p->e;
	struct http_req *r;
	struct tdesk_err err;
	struct prow *pr = &l->rows[l->i];
	int rc, fresh = l->stamp && l->fresh.len && strcmp(stamp,
	    l->stamp) == 0;

	err_clear(&err);
	if (e->be->push_request(e->st, &pr->v, stamp, fresh ? l->fresh.data :
	    NULL, fresh ? l->fresh.len : 0, &r, &err) < 0) {
		if (store_outbox_set_state(e->st, pr->v.id, STORE_OUTBOX_FAILED,
		    err.msg,
		    &err) < 0) {
			lane_fatal(p, l, &err);
			return;
		}
		e->stats->failed++;
		lane_next_row(p, l);
		return;
	}
	rc = store_outbox_mark_sent(e->st, pr->v.id, stamp, &err);
	if (rc <= 0) {
		http_req_free(r);
		if (rc < 0) {
			lane_fatal(p, l, &err);
			return;
		}
		/* dropped or settled meanwhile by the agent: nothing to send */
		lane_next_row(p, l);
		return;
	}
	pr->v.state = STORE_OUTBOX_INFLIGHT;
	set_str(&pr->sent, stamp);
	pr->v.sent_stamp = pr->sent;
	pr->v.attempts++;
	l->tries++;
	l->after409 = 0;
	lane_submit(p, l, r, STEP_PUT, delay_ms);
}

/* R3: a copy may have landed; read the ticket, then the audits. */
static void
lane_look(struct push *p, struct lane *l, int64_t delay_ms)
{
	l->tries++;
	l->audit_pages = 0;
	lane_get(p, l, p->e->be->ticket_path(l->ticket), STEP_TICKET,
	    delay_ms);
}

static int
changes_tags(const struct store_outbox_change *ch)
{
	return (ch->add_tags && *ch->add_tags) ||
	    (ch->remove_tags && *ch->remove_tags);
}

static void
lane_start_row(struct push *p, struct lane *l)
{
	struct engine *e = p->e;
	struct prow *pr;

	if (l->i >= l->n || e->fatal) {
		l->finished = 1;
		return;
	}
	pr = &l->rows[l->i];
	/* the stamp the action is meant for: the one its last copy went on,
	 * else the agent's view, carried past our own earlier actions */
	if (pr->sent[0])
		set_str(&l->base, pr->sent);
	else if (l->done_new && l->done_seen && stamp_le(pr->seen,
	    l->done_seen))
		set_str(&l->base, l->done_new);
	else
		set_str(&l->base, pr->seen);
	if (pr->v.state == STORE_OUTBOX_INFLIGHT || pr->v.attempts > 0 ||
	    (e->be->tags_need_fresh && changes_tags(&pr->v.ch))) {
		/* a copy may exist; or the whole tag list must be built on
		 * the ticket as it is (a single update replaces the tags) */
		lane_look(p, l, 0);
		return;
	}
	lane_send(p, l, l->base, 0);
}

static void
row_done(struct push *p, struct lane *l, struct http_req *r)
{
	struct engine *e = p->e;
	struct prow *pr = &l->rows[l->i];
	struct tdesk_err err;
	struct store_ingest_stats is;
	char *stamp = NULL;

	memset(&is, 0, sizeof(is));
	err_clear(&err);
	/* the action is on the server: say so first, on its own */
	if (store_outbox_set_state(e->st, pr->v.id, STORE_OUTBOX_DONE, NULL,
	    &err) < 0) {
		lane_fatal(p, l, &err);
		return;
	}
	e->stats->pushed++;
	/* the answer's ticket is the newest copy; a body we cannot read
	 * does not undo the fact that the server applied the action */
	if (r && r->resp.len > 0 && sync_json_get(r->resp.data,
	    r->resp.len, "$.ticket.updated_at", &stamp, NULL) == 1 &&
	    e->be->ingest(e->st, &r->resp.data, &r->resp.len, 1, 0, &is,
	    &err) < 0) {
		/* the next pull brings the ticket; the chain below starts
		 * from the agent's view again */
		free(stamp);
		stamp = NULL;
	}
	set_str(&l->done_seen, pr->seen);
	free(l->done_new);
	l->done_new = stamp;
	lane_next_row(p, l);
}

static void
row_final(struct push *p, struct lane *l, enum store_outbox_state state,
    const char *msg)
{
	struct engine *e = p->e;
	struct prow *pr = &l->rows[l->i];
	struct tdesk_err err;
	size_t k;

	err_clear(&err);
	if (store_outbox_set_state(e->st, pr->v.id, state, msg, &err) < 0) {
		lane_fatal(p, l, &err);
		return;
	}
	if (state == STORE_OUTBOX_CONFLICT) {
		e->stats->conflicts++;
		/* later actions on this ticket wait for the agent */
		for (k = l->i + 1; k < l->n; k++)
			if (store_outbox_set_state(e->st, l->rows[k].v.id,
			    STORE_OUTBOX_PENDING, "waiting: an earlier action on"
			    " this"
			    " ticket conflicts", &err) < 0) {
				lane_fatal(p, l, &err);
				return;
			}
		l->finished = 1;
		return;
	}
	e->stats->failed++;
	lane_next_row(p, l);
}

static void
on_put(struct push *p, struct lane *l, struct http_req *r)
{
	struct engine *e = p->e;
	struct tdesk_err err;
	char what[400], *tid = NULL;

	err_clear(&err);
	if (r->status >= 200 && r->status < 300 && !r->failed &&
	    r->resp.len > 0 && sync_json_get(r->resp.data,
	    r->resp.len, "$.ticket.id", &tid, NULL) == 1) {
		free(tid);
		row_done(p, l, r);
		http_req_free(r);
		return;
	}
	if (r->status >= 200 && r->status < 300) {
		/* a 2xx whose body is cut short or is not the ticket (a proxy's
		 * HTML page): whether it was applied is not known */
		e->stats->retries++;
		if (!too_many(p, l))
			lane_look(p, l, eng_backoff(e, 0, -1));
		http_req_free(r);
		return;
	}
	if (r->status == 409) {
		/* our own copy (one we know of, or one libcurl resent by
		 * itself on a dying connection) may have moved the stamp:
		 * look before anything else */
		e->stats->retries++;
		l->after409 = 1;
		if (!too_many(p, l))
			lane_look(p, l, 0);
		http_req_free(r);
		return;
	}
	if (r->status == 429) {
		/* R6: refused before it was looked at; the same copy again */
		long ra = r->retry_after >= 0 ? r->retry_after : 1;

		e->stats->retries++;
		if (too_many(p, l)) {
			http_req_free(r);
			return;
		}
		l->tries++;
		lane_submit(p, l, r, STEP_PUT, eng_backoff(e, 0, ra));
		return;
	}
	switch (eng_classify(e, r, &err)) {
	case OUT_FATAL:
		/* refused unseen (credentials): the row stays in flight and
		 * the next run looks before it sends */
		lane_fatal(p, l, &err);
		break;
	case OUT_NOTFOUND:
		eng_describe(e, r, what, sizeof(what));
		{
			char msg[520];

			snprintf(msg, sizeof(msg), "failed: ticket %lld is not"
			    " on the server (deleted, or no longer visible to"
			    " you): %s", (long long)l->ticket, what);
			row_final(p, l, STORE_OUTBOX_FAILED, msg);
		}
		break;
	case OUT_RETRY:
		/* timeout, reset, 5xx: it may or may not have landed */
		e->stats->retries++;
		if (too_many(p, l))
			break;
		lane_look(p, l, eng_backoff(e, l->tries - 1, r->retry_after));
		break;
	default:
		eng_describe(e, r, what, sizeof(what));
		{
			char msg[480];

			snprintf(msg, sizeof(msg), "failed: %s", what);
			row_final(p, l, STORE_OUTBOX_FAILED, msg);
		}
		break;
	}
	http_req_free(r);
}

/* Common tail of the looking steps: retry the step, or give up. */
static void
look_again(struct push *p, struct lane *l, struct http_req *r)
{
	struct engine *e = p->e;

	e->stats->retries++;
	if (!too_many(p, l))
		lane_look(p, l, eng_backoff(e, l->tries - 1, r ?
		    r->retry_after : -1));
}

/* An answer of a looking step that is not a 2xx: 1 when handled. */
static int
look_failed(struct push *p, struct lane *l, struct http_req *r)
{
	struct tdesk_err err;

	err_clear(&err);
	switch (eng_classify(p->e, r, &err)) {
	case OUT_OK:
		return 0;
	case OUT_NOTFOUND:
		row_final(p, l, STORE_OUTBOX_FAILED,
		    "failed: the ticket no longer"
		    " exists on the server");
		break;
	case OUT_FATAL:
		lane_fatal(p, l, &err);
		break;
	default:
		look_again(p, l, r);
		break;
	}
	return 1;
}

static void
on_ticket(struct push *p, struct lane *l, struct http_req *r)
{
	struct engine *e = p->e;
	char *stamp = NULL;

	if (look_failed(p, l, r)) {
		http_req_free(r);
		return;
	}
	if (sync_json_get(r->resp.data, r->resp.len,
	    "$.ticket.updated_at", &stamp, NULL) != 1) {
		look_again(p, l, r);
		http_req_free(r);
		return;
	}
	if (l->stamp == NULL || strcmp(l->stamp, stamp) != 0)
		l->stamp_first_ms = http_now();
	free(l->stamp);
	l->stamp = stamp;
	l->stamp_date = r->date;
	buf_reset(&l->fresh);
	buf_add(&l->fresh, r->resp.data, r->resp.len);
	http_req_free(r);
	/* R3: the audits only after T */
	lane_get(p, l, e->be->audits_path(l->ticket, 1), STEP_AUDITS, 0);
}

/* R5: whether a copy on T cannot share T's second with a landing. */
static int
past_stamp_second(const struct lane *l)
{
	int64_t t;

	if (time_parse_iso(l->stamp, &t) < 0)
		return 0;
	if (l->stamp_date > t)
		return 1;
	return http_now() - l->stamp_first_ms >= SAME_SECOND_MS;
}

/* R4: send again on T, the stamp read before the audits. */
static void
resend_on_stamp(struct push *p, struct lane *l)
{
	if (!past_stamp_second(l)) {
		/* R5: look again once the server's second has turned */
		p->e->stats->retries++;
		if (!too_many(p, l))
			lane_look(p, l, SAME_SECOND_MS);
		return;
	}
	lane_send(p, l, l->stamp, 0);
}

static void
on_audits(struct push *p, struct lane *l, struct http_req *r)
{
	struct engine *e = p->e;
	struct prow *pr = &l->rows[l->i];
	struct tdesk_err err;
	int found;

	if (look_failed(p, l, r)) {
		http_req_free(r);
		return;
	}
	err_clear(&err);
	found = e->be->audits_find(r->resp.data, r->resp.len,
	    pr->v.client_id, &err);
	if (found == 0) {
		/* one page is not the whole log: the action may be older than
		 * the newest page (a row in flight since a crash), or the
		 * server may list oldest first (sort_order is not among the
		 * endpoint's documented parameters); absent means absent
		 * from every page */
		char *next = NULL;
		int more = sync_json_get(r->resp.data, r->resp.len,
		    "$.next_page", &next, NULL) == 1;

		free(next);
		if (more && ++l->audit_pages >= MAX_AUDIT_PAGES)
			found = -1;
		else if (more) {
			http_req_free(r);
			lane_get(p, l, e->be->audits_path(l->ticket,
			    l->audit_pages + 1), STEP_AUDITS, 0);
			return;
		}
	}
	if (found < 0) {
		look_again(p, l, r);
		http_req_free(r);
		return;
	}
	http_req_free(r);
	if (found) {
		row_done(p, l, NULL);
		return;
	}
	/* absent: no copy had landed when T was read */
	if (strcmp(l->stamp, l->base) != 0) {
		/* the ticket moved under the action: someone else's change
		 * (ours is not in the audits); check before sending on T */
		lane_get(p, l, e->be->recent_comments_path(l->ticket),
		    STEP_COMMENTS, 0);
		return;
	}
	if (l->after409) {
		/* a 409 although the stamp is the one we sent on: a collision
		 * inside the server (DatabaseConflict); bounded by tries */
		e->stats->retries++;
		if (too_many(p, l))
			return;
	}
	resend_on_stamp(p, l);
}

static void
on_comments(struct push *p, struct lane *l, struct http_req *r)
{
	struct engine *e = p->e;
	const struct store_outbox_row *v = &l->rows[l->i].v;
	struct store_ingest_stats is;
	struct tdesk_err err;
	char *why = NULL;
	int rc;

	if (look_failed(p, l, r)) {
		http_req_free(r);
		return;
	}
	err_clear(&err);
	rc = e->be->conflict_check(e->st, l->fresh.data, l->fresh.len,
	    r->resp.data, r->resp.len, v, e->me, &why, &err);
	http_req_free(r);
	if (rc < 0) {
		look_again(p, l, NULL);
		return;
	}
	/* the replica learns the remote's side either way; a page it cannot
	 * read changes nothing here (the pull brings it) */
	memset(&is, 0, sizeof(is));
	if (e->be->ingest(e->st, &l->fresh.data, &l->fresh.len, 1, 0, &is,
	    &err) < 0)
		err_clear(&err);
	if (rc == 1) {
		row_final(p, l, STORE_OUTBOX_CONFLICT, why);
		free(why);
		return;
	}
	if (++l->resends > MAX_409_RESENDS) {
		row_final(p, l, STORE_OUTBOX_CONFLICT,
		    "conflict: the ticket kept"
		    " changing on the server while sending; review it and"
		    " keep or drop the action");
		return;
	}
	/* nothing collides: the same change is meant for T from now on */
	set_str(&l->base, l->stamp);
	resend_on_stamp(p, l);
}

/* Start a lane; whether it has a request on its way. */
static int
lane_begin(struct push *p, struct lane *l)
{
	lane_start_row(p, l);
	return l->req != NULL;
}

static void
push_free(struct push *p)
{
	size_t i, k;

	for (i = 0; i < p->n; i++) {
		struct lane *l = &p->lanes[i];

		for (k = 0; k < l->n; k++) {
			store_outbox_change_free(&l->rows[k].ch);
			free(l->rows[k].undo);
			free(l->rows[k].seen);
			free(l->rows[k].sent);
		}
		free(l->rows);
		free(l->base);
		free(l->stamp);
		free(l->done_seen);
		free(l->done_new);
		buf_free(&l->fresh);
	}
	free(p->lanes);
}

int
push_outbox(struct engine *e, struct tdesk_err *err)
{
	struct push p = { e, NULL, 0, 0 };
	struct http_req *r;
	size_t i, total = 0, next, active = 0;
	size_t max_active = 2 * (size_t)(e->o->parallel > 0 ?
	    e->o->parallel : 8);
	int64_t last_note = 0;

	if (push_redactions(e, err) < 0)
		return -1;
	if (store_outbox_list(e->st, 0, collect_row, &p, err) < 0) {
		push_free(&p);
		return -1;
	}
	for (i = 0; i < p.n; i++)
		total += p.lanes[i].n;
	if (total > 0)
		eng_note(e, "pushing %zu action%s", total,
		    total == 1 ? "" : "s");
	/*
	 * A few lanes at a time, so a row is marked in flight just before
	 * it is sent rather than long before, while it waits for the rate
	 * limit.
	 */
	for (next = 0; next < p.n && active < max_active; next++)
		if (lane_begin(&p, &p.lanes[next]))
			active++;
	while ((r = http_next(e->h)) != NULL) {
		struct lane *l = r->owner;

		l->req = NULL;
		if (e->fatal) {
			http_req_free(r);
			continue;
		}
		switch (r->tag) {
		case STEP_PUT:
			on_put(&p, l, r);
			break;
		case STEP_TICKET:
			on_ticket(&p, l, r);
			break;
		case STEP_AUDITS:
			on_audits(&p, l, r);
			break;
		case STEP_COMMENTS:
			on_comments(&p, l, r);
			break;
		default:
			BUG("unknown push step %d", r->tag);
		}
		if (l->req == NULL) {
			/* the lane is through; another takes its place */
			active--;
			while (next < p.n && active < max_active && !e->fatal)
				if (lane_begin(&p, &p.lanes[next++]))
					active++;
		}
		if (http_now() - last_note > 500) {
			last_note = http_now();
			eng_note(e, "pushed %lld of %zu",
			    (long long)e->stats->pushed, total);
		}
	}
	push_free(&p);
	if (e->fatal) {
		*err = e->ferr;
		return -1;
	}
	return 0;
}
