/* SPDX-License-Identifier: MIT */
/*
 * Internal to the demo desk (store/demo*.c): the topics, people and
 * tickets the generator makes, the words it loads from text.yaml, the
 * seeded randomness, and the JSON pages it feeds to the ingest path.
 */
#ifndef TDESK_DEMO_INT_H
#define TDESK_DEMO_INT_H

#include <stdint.h>
#include <string.h>

#include "store/store.h"

struct demo_pool {
	const char *const *s;
	size_t n;
};

enum demo_group {
	G_SECURITY, G_FUNDS, G_KYC, G_TRADING, G_COMPLIANCE, G_API, G_TIER1,
	G_COUNT
};

enum demo_chain_kind { CH_NONE, CH_ANY, CH_MEMO, CH_WRONGNET };
enum demo_long_kind { LONG_NONE, LONG_WSLOG, LONG_ORDERS, LONG_DEPOSITS };

struct demo_topic {
	int weight;
	enum demo_group group;
	const char *type;
	int prio;		/* 0 low, 1 normal, 2 high, 3 urgent */
	int urgent_pct;		/* how often the customer shouts */
	enum demo_chain_kind chain;
	enum demo_long_kind longk;
	const char *tags[3];
	const char *key;	/* its words in text.yaml: topics.KEY */
};

enum demo_topic_id {
	TP_LOCK, TP_PWD, TP_2FA, TP_KYCS, TP_KYCR, TP_DEP, TP_WD, TP_NET,
	TP_MEMO, TP_SLIP, TP_LIQ, TP_MM, TP_FEE, TP_HACK, TP_UNAUTH, TP_FRZ,
	TP_AML, TP_REG, TP_LAW, TP_KEY, TP_RATE, TP_WS, TP_COUNT
};

extern const char *const demo_group_names[G_COUNT];
extern const struct demo_topic demo_topics[TP_COUNT];

/* The words of text.yaml; the strings belong to root. */
struct demo_hostile {
	enum demo_topic_id topic;
	int zh;
	const char *subject;
	const char *body;
};

struct demo_words {
	struct ynode *root;
	struct demo_pool subj[TP_COUNT][2], body[TP_COUNT][2];
	struct demo_pool reply[TP_COUNT][2], done[TP_COUNT][2];
	struct demo_pool note[TP_COUNT];
	struct demo_pool nudge[2], answer[2], hold[2], greet[2], close[2];
	struct demo_pool shout[2], note_generic;
	struct demo_pool en_first, en_last, zh_sur, zh_sur_py, zh_given;
	struct demo_pool zh_given_py, docs[2], countries[2];
	struct demo_hostile *hostiles;
	size_t n_hostiles;
};

/* Load the words of the file at path (text.yaml); -1 with err. */
int demo_words_load(struct demo_words *w, const char *path,
    struct tdesk_err *err);
void demo_words_free(struct demo_words *w);

/* --- the people ------------------------------------------------------ */

#define DEMO_AGENT_BASE	INT64_C(360000000100)
#define DEMO_USER_BASE	INT64_C(360001000000)
#define DEMO_GROUP_BASE	INT64_C(360000900000)
#define DEMO_COMMENT_BASE INT64_C(370000000000)
#define DEMO_TICKET_BASE 10001
#define DEMO_ME 0
#define DEMO_TIER1_EN 6	/* who answers unassigned tickets */
#define DEMO_TIER1_ZH 7
#define DEMO_N_AGENTS 8

struct demo_agent {
	const char *name;
	const char *email;
	const char *locale;
	enum demo_group group;
};
extern const struct demo_agent demo_agents[DEMO_N_AGENTS];

struct demo_customer {
	int64_t id;
	char name[64];
	char first[64];
	char email[96];
	const char *locale;
	int zh;
	int vip;
	int on_page;	/* last page that sideloaded this user */
};

/* --- randomness ------------------------------------------------------ */

/* splitmix64: tiny, good enough, and the same on every platform. */
struct demo_rng {
	uint64_t s;
};

static inline uint64_t
rng_next(struct demo_rng *r)
{
	uint64_t z;

	z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static inline uint64_t
rng_below(struct demo_rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

/* Uniform in [lo, hi]. */
static inline int64_t
rng_range(struct demo_rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo) + 1);
}

static inline int
rng_pct(struct demo_rng *r, int pct)
{
	return (int)rng_below(r, 100) < pct;
}

static inline double
rng_unit(struct demo_rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static inline const char *
rng_pool(struct demo_rng *r, struct demo_pool p)
{
	return p.s[rng_below(r, p.n)];
}
#define PICK(r, a) ((a)[rng_below((r), ARRAY_LEN(a))])

static inline void
rng_chars(struct demo_rng *r, char *out, const char *alphabet, size_t n)
{
	size_t k = strlen(alphabet);

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[rng_below(r, k)];
	out[n] = '\0';
}

#define DEMO_MAX_COMMENTS 6
#define DEMO_MAX_TAGS 8

struct demo_comment {
	int64_t id;
	int author;		/* agent index, or -1 for the requester */
	int public;
	int64_t at;
	char *body;
};

struct demo_ticket {
	int64_t id;
	int topic;
	struct demo_customer *cust;
	char *subject;
	const char *status;
	const char *priority;	/* NULL: none */
	const char *type;	/* NULL: none */
	const char *channel;
	int assignee;		/* agent index, -1 none */
	enum demo_group group;
	const char *tags[DEMO_MAX_TAGS];
	int ntags;
	char coin_tag[16];
	int64_t created, updated;
	const char *sla_metric;	/* active metric, or NULL */
	int64_t sla_breach;
	int sla_achieved;	/* first reply achieved */
	int sla_paused;
	int ascii;		/* write text as \u escapes */
	struct demo_comment c[DEMO_MAX_COMMENTS];
	int nc;
};

struct demo_desk {
	struct demo_rng rng;
	int64_t now;
	int64_t next_comment;
	const struct demo_words *w;
	struct demo_customer *cust;
	int ncust;
	int page;
	int topic_weight;
};

/* demo_time.c: a status drawn as a real queue has them, the script of a
 * ticket of that status (C customer, F follow-up, A agent reply, D done,
 * N note), and the times of the ticket and its comments. */
const char *demo_status(struct demo_rng *r);
const char *demo_script(struct demo_rng *r, const char *status);
void demo_timeline(struct demo_desk *d, struct demo_ticket *t,
    const char *script);

/* demo_json.c: JSON strings, and the pages fed to the ingest path. */
void demo_json_str(struct buf *b, const char *s, int ascii);
void demo_json_kv(struct buf *b, const char *key, const char *val,
    int ascii);
void demo_json_kid(struct buf *b, const char *key, int64_t id);
void demo_json_kts(struct buf *b, const char *key, int64_t t);
/* A page of tickets with the users and groups they name, as a search
 * API page; the comments of one ticket. */
void demo_page_json(struct demo_desk *d, struct buf *b,
    const struct demo_ticket *t, int n);
void demo_comments_json(struct buf *b, const struct demo_ticket *t);

#endif
