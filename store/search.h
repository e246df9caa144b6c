/* SPDX-License-Identifier: MIT */
/*
 * Internal to store/: a search's hits for store_list's index walks
 * (store/search.c).
 */
#ifndef TDESK_STORE_SEARCH_H
#define TDESK_STORE_SEARCH_H

#include "store/store_int.h"

/* The hits of a positive full-text query, ascending, as far as read;
 * zero-initialised before the first hits_read. */
struct hits {
	int64_t *v;
	size_t n, cap;
	int all;		/* v holds every hit */
	struct store *st;	/* set by hits_attach */
	const char *fts;
	sqlite3_stmt *probe;	/* one ticket's test; NULL when all */
	long probes;		/* left before reading every hit */
	int64_t read_ns;	/* CPU time spent reading hits */
	int64_t probe_ns;	/* CPU time spent probing */
	int64_t probed, found;	/* probes, and those that matched */
	int64_t est;		/* hits there are, about */
	int64_t tickets;	/* in the desk */
	int64_t want;		/* matches the caller wants (set it) */
	int64_t now;		/* the triage order's clock (set it) */
	int64_t tested;		/* rows the walk asked about */
	int64_t budget;		/* rows it may ask about before it gives
				 * up for search_sorted; -1 no end */
	int gave_up;		/* it did: tdesk_hit failed the walk */
	uint64_t *bits;		/* every hit, a bit an id from bits_lo
				 * (built when all are read); or NULL */
	int64_t bits_lo, bits_n;
	int no_incident;	/* no hit is a security incident: the
				 * walk skips their lanes (ticket.c) */
};

/* Probes a walk may spend before it reads every hit: -1 (the default)
 * as long as they cost less than the read would; a count is a test hook
 * (0 reads them at the first row past the first hits, LONG_MAX never). */
extern long store_search_probes;
/* Matches from which store_list walks the queue's index rather than
 * sorting the matches (a test hook too). */
extern long store_search_dense;
/* Rows a walk may test before it gives up and sorts the matches: -1
 * (the default) SEARCH_WALK per hit there are; a count is a test hook. */
extern long store_search_walk;
#define SEARCH_WALK 2	/* testing a row in the walk costs about half
			 * of looking up and sorting one hit's keys */
#define SEARCH_SKEW 4	/* how much longer than an even spread of the
			 * hits a walk in the triage order is taken to be
			 * (1 in the others) */
/* The skew taken, -1 (the default) the above; a test hook (0 walks, a
 * huge one sorts). */
extern double store_search_skew;
/* Whether to sort h's hits rather than walk (h->want set), skew the
 * factor for the order: 1, 0, -1. */
int hits_sort_first(struct store *st, struct hits *h, double skew,
    struct tdesk_err *err);
#define SEARCH_SPARSE 30
/* Whether the hits are too sparse to walk the incidents' lanes: 1, 0,
 * -1. The hook: -1 (the default) decides so, 0 never, 1 always. */
extern int store_search_sparse;
int hits_sparse(struct store *st, struct hits *h, struct tdesk_err *err);
/* Read every hit of fts into h, and say whether none is a security
 * incident: 1 none, 0 some, -1. */
int hits_no_incident(struct store *st, const char *fts, struct hits *h,
    struct tdesk_err *err);

/* The error of a read that ran a full-text query: a usage error for text
 * FTS5 cannot search for. Returns -1. */
int search_failed(struct store *st, struct tdesk_err *err);

/* Append the hits of fts to h, after the h->n it holds, up to cap (all
 * when 0; then h->all is set, as when fewer than cap remain). */
int hits_read(struct store *st, const char *fts, size_t cap, struct hits *h,
    struct tdesk_err *err);

/* Define tdesk_hit(id) over h (probing, then reading every hit) until
 * hits_detach. h->v stays the caller's to free. */
#define SEARCH_STREAM 100	/* matches a caller without a window is
				 * taken to want: a screenful or two */
int hits_attach(struct store *st, const char *fts, struct hits *h,
    struct tdesk_err *err);
void hits_detach(struct store *st, struct hits *h);

/* store/search_sort.c: a search's window (opts) by sorting the keys of
 * every match; done: rows at the window's start already given (by a walk
 * that gave up); now: the clock of the triage order's breached lane. */
int search_sorted(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, int64_t now, int64_t done,
    store_ticket_fn fn, void *arg, struct tdesk_err *err);
/* How many tickets a search (q has positive text) matches. */
int search_count(struct store *st, const struct store_query *q, int64_t *n,
    struct tdesk_err *err);

/* store/query.c: the number of the bind that holds the positive text
 * (0 without one). */
int store_query_fts_bind(const struct store_query *q);
/* store/ticket.c: the list rows of ids, in that order, to fn (until it
 * asks to stop); a ticket gone since is skipped. */
int tickets_by_id(struct store *st, const int64_t *ids, size_t n,
    store_ticket_fn fn, void *arg, struct tdesk_err *err);

#endif
