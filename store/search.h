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
};

/* Probes a walk may spend before it reads every hit: -1 (the default)
 * as long as they cost less than the read would; a count is a test hook
 * (0 reads them at the first row past the first hits, LONG_MAX never). */
extern long store_search_probes;
/* Matches from which store_list walks the queue's index rather than
 * sorting the matches (a test hook too). */
extern long store_search_dense;

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

#endif
