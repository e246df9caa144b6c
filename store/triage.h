/* SPDX-License-Identifier: MIT */
/*
 * Triage: rules that put a ticket in a category and flag security
 * incidents and urgency (store/classify.c), what the desk stores of it,
 * suggested answers, new replies and waiting times (store/triage.c) and
 * the numbers of `tdesk stats` (store/stats.c). A public header of
 * store/ beside store.h.
 */
#ifndef TDESK_TRIAGE_H
#define TDESK_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The categories, in the order ties are broken. */
#define CLASS_N 9
extern const char *const class_names[CLASS_N];
/* Index of a category name, -1 when unknown. */
int class_index(const char *name);

struct store_rules;

/*
 * Load the rules of each file in order (tdesk(5) RULES): a later file's
 * rule replaces an earlier one of the same name, its categories: entries
 * override. A file with any mistake (bad regex, unknown category or key)
 * is refused whole: NULL with err "file:line:col: ...". texts (may be
 * NULL, or hold NULLs) gives files[i]'s content instead of reading it.
 */
struct store_rules *store_rules_load(const char *const *files,
    const char *const *texts, size_t n, struct tdesk_err *err);
void store_rules_free(struct store_rules *r);
/* Number of rules loaded. */
size_t store_rules_count(const struct store_rules *r);

struct store_class {
	int category;		/* index into class_names */
	int incident;
	int urgent;
	const char *priority;	/* suggestion: low normal high urgent */
	const char *group;	/* suggestion, "" when none */
	char rules[400];	/* the rules that decided, space separated */
	double score;		/* the winning category's score */
};

/* Classify one ticket's text. lang and channel may be NULL. */
void store_classify_text(const struct store_rules *r, const char *subject,
    const char *body, const char *lang, const char *channel,
    struct store_class *out);

/* Script of a text: "zh", "ja" (kana), "ko" (hangul), or NULL when it
 * has no CJK at all. Pure; for language detection at ingest. */
const char *text_cjk_script(const char *s, size_t len);

/* --- the desk's classification (store/triage.c) ------------------------ */

/* The rules the desk classifies with (borrowed; NULL: none, tickets wait
 * to be classified). */
void store_set_rules(struct store *st, const struct store_rules *r);
/* The custom field the backend keeps the agent's category in (0: none):
 * a synced ticket whose field holds a category takes it as the override
 * unless a category action of ours still waits. */
void store_set_category_field(struct store *st, int64_t field);

/* Classify the tickets changed since the last call (ingest marks them).
 * Does nothing without rules. */
int store_classify_dirty(struct store *st, struct tdesk_err *err);

/* A stored classification, with the agent's override. */
struct store_ticket_class {
	char category[24];	/* the effective one (override wins) */
	char rule_category[24];	/* what the rules said */
	char override[24];	/* "" when none */
	int incident, urgent;
	char priority[12];
	char group[64];
	char rules[400];
	int is_new;		/* the customer wrote since the agent looked */
	int64_t waiting_since;	/* oldest unanswered customer message, 0 */
};
/* 1 found, 0 not classified yet, -1 error. */
int store_ticket_class_get(struct store *st, int64_t id,
    struct store_ticket_class *out, struct tdesk_err *err);

/* Re-run the rules over every ticket; fn sees each ticket whose result
 * changed (old and new). */
typedef int (*store_reclass_fn)(int64_t id, const char *old_cat,
    const char *new_cat, int old_inc, int new_inc, int old_urg, int new_urg,
    void *arg);
int store_classify_all(struct store *st, store_reclass_fn fn, void *arg,
    int64_t *n_seen, struct tdesk_err *err);

/* The agent's category for a ticket (NULL or "" removes the override);
 * recorded in the audit log. 0, or -1 (unknown category: USAGE; unknown
 * ticket: NOTFOUND). */
int store_class_override(struct store *st, int64_t id, const char *category,
    struct tdesk_err *err);
/* The same, and where the backend has a field for it (field > 0, the
 * custom field's id) also queued as an outbox action that sets it, in
 * one transaction; a drop puts the previous category back. field 0:
 * store_class_override. 0, or -1 (also: a closed ticket, USAGE). */
int store_class_override_send(struct store *st, int64_t id,
    const char *category, int64_t field, struct tdesk_err *err);

/* The agent looked at the ticket now (clears "new"). */
int store_ticket_seen(struct store *st, int64_t id, struct tdesk_err *err);

/* --- local SLA policies (store/sla.c) -------------------------------------- */

/* Targets where the helpdesk sends none: first reply and next reply, per
 * priority rank (0 none, 1 low, 2 normal, 3 high, 4 urgent), seconds, 0
 * for no target; optional business hours. */
struct store_sla_policy {
	int64_t first_reply[5];
	int64_t next_reply[5];
	int bh;			/* business hours given */
	int bh_days;		/* bit d for weekday d, 0 = Sunday */
	int bh_from, bh_to;	/* minutes of the day */
	int bh_offset;		/* the hours' time zone, minutes east of UTC */
};

/* Parse the `sla:` map of config.yaml (tdesk(5)); errors at file:line:col. */
int store_sla_policy_parse(const struct ynode *n, struct store_sla_policy *p,
    struct tdesk_err *err);
/* The desk's policy (borrowed; NULL: none). */
void store_set_sla_policy(struct store *st, const struct store_sla_policy *p);
/* start + secs counted in business hours only (plain addition without). */
int64_t sla_add(const struct store_sla_policy *p, int64_t start, int64_t secs);

/* --- suggested answers ----------------------------------------------------- */

struct store_suggestion {
	int is_macro;		/* else an FAQ entry */
	char id[128];		/* FAQ id or macro name */
	char title[160];
};
/* Up to max (<= 8) FAQ answers (faq != 0) or macros best fitting the
 * ticket: its category, then full-text rank over the latest customer
 * messages in the ticket's language. Returns how many, -1 on error. */
int store_suggest(struct store *st, int64_t id, int faq,
    struct store_suggestion *out, int max, struct tdesk_err *err);

/* --- stats (store/stats.c) ------------------------------------------------- */

enum stats_by { STATS_BY_NONE, STATS_BY_CATEGORY, STATS_BY_CHANNEL,
    STATS_BY_LANG, STATS_BY_DAY, STATS_BY_AGENT };

struct stats_row {
	char key[64];		/* "" for the whole desk */
	int64_t created;	/* tickets created in the period */
	int64_t solved;		/* of those, solved or closed */
	int64_t open;		/* of those, still open now */
	int64_t replied;	/* with a first agent reply */
	double frt_median, frt_p90;	/* first reply, seconds; -1: none */
	double res_median, res_p90;	/* resolution, seconds; -1: none */
	int64_t sla_total, sla_breached;
	int64_t sat_good, sat_bad;	/* -1 when the desk has no ratings */
	int64_t by_macro;		/* with an action from a macro */
	int64_t by_faq;			/* with a reply from a FAQ answer */
	int64_t by_canned;		/* with either */
};

struct stats_report {
	int64_t since, now;
	struct stats_row total;
	struct stats_row *rows;
	size_t n_rows;
	int64_t backlog;		/* open tickets now (any age) */
	double backlog_age_median, backlog_age_p90;	/* seconds */
	int64_t daily[32];		/* tickets created per day, oldest first */
	int n_daily;
	struct stats_row mine;		/* the agent's own (assigned to me) */
	int has_me;
};

/* Record where outbox action id's text came from (ch->macro, ch->faq)
 * and the custom field a category action sets (ch->category, with the
 * override it replaces); nothing when none. Inside the caller's
 * transaction. */
int store_origin_add(struct store *st, int64_t id,
    const struct store_change *ch, struct tdesk_err *err);

/* The custom field outbox action id sets (the agent's category): 1 with
 * *field and *value (caller frees; "" clears), 0 none, -1 error. */
int store_outbox_field(struct store *st, int64_t id, int64_t *field,
    char **value, struct tdesk_err *err);

int store_stats(struct store *st, int64_t since, enum stats_by by,
    struct stats_report *out, struct tdesk_err *err);
void stats_report_clear(struct stats_report *r);

/* How the CLI and the UI print a stats number: a duration in seconds as
 * "5m", "3h", "2d" ("-" when negative: none), and part of whole as "12%"
 * or, with count, "12% (3)" ("-" when whole is 0). */
void stats_format_duration(double secs, char out[static 16]);
void stats_format_share(int64_t part, int64_t whole, int count, char *out,
    size_t n);

#endif
