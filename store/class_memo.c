/* SPDX-License-Identifier: MIT */
/*
 * Classification worked out ahead of the write (see class_memo.h). The
 * rules are a pure function of a ticket's cleaned subject and description,
 * so a result worked out on the reader thread from the same bytes is the
 * result the refresh would compute. The bytes are compared through a
 * 64-bit hash and their lengths: a ticket whose stored text differs (a
 * secret redacted on the way in, a stale copy not written) is classified
 * by the refresh as before. At most MEMO_MAX results wait (about 80 bytes
 * each); past that, pages are classified by the refresh as before.
 */
#include "store/store_int.h"
#include "store/triage.h"
#include "store/class_memo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_MAX 500000

struct memo_ent {
	int64_t id;
	uint64_t hash;
	const char *priority, *group;	/* the rules' strings */
	uint32_t names;			/* offset of the rule names */
	uint8_t category, incident, urgent;
};

struct store_class_pre {
	const struct store_rules *rules;
	struct memo_ent *e;
	size_t n, cap;
	struct buf names;		/* NUL-terminated rule names */
	struct buf subj, desc;		/* scratch */
};

struct class_memo {
	const struct store_rules *rules;
	struct memo_ent *e;
	size_t n, cap;
	struct buf names;
	uint32_t *slot;			/* index + 1 into e, 0: free */
	size_t nslot;			/* a power of two */
};

static uint64_t
text_hash(uint64_t h, const char *s, size_t len)
{
	uint64_t w;
	size_t i = 0;

	h ^= len * 0xC2B2AE3D27D4EB4Full;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9FB21C651E98DF25ull;
		h = (h << 27 | h >> 37) * 5 + 0x52DCE729;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x9FB21C651E98DF25ull;
	return h ^ h >> 31;
}

static uint64_t
pair_hash(const char *subj, size_t sl, const char *desc, size_t dl)
{
	return text_hash(text_hash(0x6A09E667F3BCC909ull, subj, sl), desc,
	    dl);
}

const struct store_rules *
store_class_rules(struct store *st)
{
	return st->readonly ? NULL : st->rules;
}

struct store_class_pre *
store_class_pre_new(const struct store_rules *r)
{
	struct store_class_pre *p = xcalloc(1, sizeof(*p));

	p->rules = r;
	return p;
}

void
store_class_pre_free(struct store_class_pre *p)
{
	if (p == NULL)
		return;
	free(p->e);
	buf_free(&p->names);
	buf_free(&p->subj);
	buf_free(&p->desc);
	free(p);
}

/* s cleaned as ingest cleans it (ingest_clean_text): NULL is "". */
static void
clean_as_ingest(struct buf *out, const char *s, int keep_newlines)
{
	buf_reset(out);
	if (s != NULL)
		text_sanitize(out, s, strlen(s), keep_newlines);
	buf_addc(out, '\0');
}

void
store_class_pre_ticket(struct store_class_pre *p, int64_t id,
    const char *subject, const char *description)
{
	struct store_class c;
	struct memo_ent *e;

	if (p->rules == NULL || id <= 0 || p->names.len > UINT32_MAX / 2)
		return;
	clean_as_ingest(&p->subj, subject, 0);
	clean_as_ingest(&p->desc, description, 1);
	store_classify_text(p->rules, p->subj.data, p->desc.data, NULL, NULL,
	    &c);
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 128;
		p->e = xrealloc(p->e, p->cap * sizeof(*p->e));
	}
	e = &p->e[p->n++];
	e->id = id;
	e->hash = pair_hash(p->subj.data, p->subj.len - 1, p->desc.data,
	    p->desc.len - 1);
	e->priority = c.priority;
	e->group = c.group;
	e->names = (uint32_t)p->names.len;
	e->category = (uint8_t)c.category;
	e->incident = (uint8_t)c.incident;
	e->urgent = (uint8_t)c.urgent;
	buf_add(&p->names, c.rules, strlen(c.rules) + 1);
}

static size_t
slot_of(const struct class_memo *m, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 17) & (m->nslot - 1);
}

static void
memo_index(struct class_memo *m, size_t i)
{
	size_t s = slot_of(m, m->e[i].id);

	while (m->slot[s] != 0 && m->e[m->slot[s] - 1].id != m->e[i].id)
		s = (s + 1) & (m->nslot - 1);
	m->slot[s] = (uint32_t)i + 1;	/* a later copy replaces */
}

static void
memo_grow(struct class_memo *m)
{
	free(m->slot);
	m->nslot = m->nslot ? m->nslot * 2 : 1024;
	m->slot = xcalloc(m->nslot, sizeof(*m->slot));
	for (size_t i = 0; i < m->n; i++)
		memo_index(m, i);
}

void
store_class_pre_give(struct store *st, struct store_class_pre *p)
{
	struct class_memo *m = st->class_memo;

	if (p == NULL)
		return;
	if (p->n == 0 || p->rules != st->rules || st->readonly ||
	    (m && m->n + p->n > MEMO_MAX)) {
		store_class_pre_free(p);
		return;
	}
	if (m == NULL)
		m = st->class_memo = xcalloc(1, sizeof(*m));
	m->rules = p->rules;
	if (m->n + p->n > m->cap) {
		m->cap = (m->n + p->n) * 2;
		m->e = xrealloc(m->e, m->cap * sizeof(*m->e));
	}
	while ((m->n + p->n) * 2 > m->nslot)
		memo_grow(m);
	for (size_t i = 0; i < p->n; i++) {
		m->e[m->n] = p->e[i];
		m->e[m->n].names += (uint32_t)m->names.len;
		memo_index(m, m->n++);
	}
	buf_add(&m->names, p->names.data, p->names.len);
	store_class_pre_free(p);
}

int
store_class_memo_take(struct store *st, int64_t id, const char *subject,
    size_t slen, const char *description, size_t dlen,
    struct store_class *out)
{
	const struct class_memo *m = st->class_memo;
	const struct memo_ent *e;
	size_t s;

	if (m == NULL || m->rules != st->rules)
		return 0;
	for (s = slot_of(m, id); m->slot[s] != 0; s = (s + 1) &
	    (m->nslot - 1))
		if (m->e[m->slot[s] - 1].id == id)
			break;
	if (m->slot[s] == 0)
		return 0;
	e = &m->e[m->slot[s] - 1];
	if (e->hash != pair_hash(subject ? subject : "", subject ? slen : 0,
	    description ? description : "", description ? dlen : 0))
		return 0;
	memset(out, 0, sizeof(*out));
	out->category = e->category;
	out->incident = e->incident;
	out->urgent = e->urgent;
	out->priority = e->priority;
	out->group = e->group;
	snprintf(out->rules, sizeof(out->rules), "%s", m->names.data +
	    e->names);
	return 1;
}

void
store_class_memo_drop(struct store *st)
{
	struct class_memo *m = st->class_memo;

	if (m == NULL)
		return;
	free(m->e);
	free(m->slot);
	buf_free(&m->names);
	free(m);
	st->class_memo = NULL;
}
