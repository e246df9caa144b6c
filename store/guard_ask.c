/* SPDX-License-Identifier: MIT */
/*
 * The reply guard's rules on how a secret is asked for beyond "send us
 * your seed phrase": in a question ("What is the password you use?",
 * 您的助记词是什么), or named in one sentence and asked for with "it" in
 * the next; and the words that show a secret named is not asked for
 * ("password manager", "What is 2FA?", "account recovery").
 */
#include "store/guard.h"
#include "store/ascii.h"
#include "store/guard_int.h"

#include <string.h>

/* Whether the word after hit o names what o is part of: "password
 * manager", "2FA method" (the secret itself is not asked for). */
int
guard_modifier_follows(const struct scan *sc, const struct hit *o)
{
	static const char *const words[] = { "manager", "reset", "policy",
	    "rule", "rules", "requirement", "requirements", "strength",
	    "length", "field", "change", "hint", "method", "app", "setting",
	    "settings", "option", "link", "page", "screen", "feature",
	    "format", "limit", "type", "protection", "recovery", "backup",
	    "to", "enabled", "is", "was", "turned", "activated", "on" };
	size_t i = o->end, e;

	while (i < sc->len && (sc->low[i] == ' ' || sc->low[i] == '-'))
		i++;
	for (e = i; e < sc->len && a_alpha((unsigned char)sc->low[e]); e++)
		;
	for (size_t k = 0; k < ARRAY_LEN(words); k++)
		if (strlen(words[k]) == e - i && !memcmp(sc->low + i, words[k],
		    e - i))
			return 1;
	return 0;
}

/* "account recovery service": the exchange's own, not a recovery
 * service for stolen funds */
int
guard_account_recovery(const struct scan *sc, const struct hit *v)
{
	size_t i = v->pos;

	if (memcmp(sc->low + i, "recovery", 8) != 0)
		return 0;
	while (i > 0 && sc->low[i - 1] == ' ')
		i--;
	return (i >= 7 && !memcmp(sc->low + i - 7, "account", 7)) ||
	    (i >= 8 && !memcmp(sc->low + i - 8, "password", 8));
}

/* Whether the word before hit o is "a", "an" or "is": "What is a seed
 * phrase?", "What is 2FA?" ask what it is, not for it. */
static int
defined(const struct scan *sc, const struct hit *o)
{
	size_t e = o->pos, i;

	while (e > 0 && sc->low[e - 1] == ' ')
		e--;
	for (i = e; i > 0 && a_alpha((unsigned char)sc->low[i - 1]); i--)
		;
	return (e - i == 1 && sc->low[i] == 'a') || (e - i == 2 &&
	    (!memcmp(sc->low + i, "an", 2) || !memcmp(sc->low + i, "is", 2)));
}

/* Whether the question is about a change to the secret o: "Which
 * password did you change?" (q: where the question ends). */
static int
changed_after(const struct scan *sc, const struct hit *o, size_t q)
{
	static const char *const words[] = { " chang", " reset", " updat",
	    " forg" };

	for (size_t k = 0; k < ARRAY_LEN(words); k++)
		if (q > o->end && memmem(sc->low + o->end, q - o->end, words[k],
		    strlen(words[k])))
			return 1;
	return 0;
}

/* Hit k, a question word (L_QUEST), asks in a question for a secret:
 * "What is the password you use?", "Which 12 words ...?", "您的助记词是
 * 什么" (a question word right after the secret). */
void
guard_rule_question(const struct scan *sc, size_t lo, size_t hi, size_t k,
    struct guard_result *r)
{
	const struct hit *v = &sc->h[k];
	int zh = (unsigned char)sc->s[v->pos] >= 0x80;
	size_t q = (size_t)v->sent < sc->n_breaks ? sc->breaks[v->sent] :
	    sc->len;

	if (guard_negated(sc, lo, k))
		return;
	if (!zh && (q >= sc->len || (sc->s[q] != '?' && (q + 3 > sc->len ||
	    memcmp(sc->s + q, "\xEF\xBC\x9F", 3) != 0))))
		return;		/* not a question */
	for (size_t j = lo; j < hi; j++) {
		const struct hit *o = &sc->h[j];
		if (j == k || !(o->mask & (L_STRONG | L_WEAK)))
			continue;
		if (zh ? o->end != v->pos : (o->pos < v->pos || o->tok -
		    v->tok > 5 || guard_modifier_follows(sc, o) || defined(sc, o) ||
		    guard_has_between(sc, k, j, L_NEG | L_NEGS | L_RESET) ||
		    changed_after(sc, o, q)))
			continue;
		guard_add(r, GUARD_BLOCK, o->mask & L_STRONG ? "ask-secret" :
		    "ask-credential", v->pos < o->pos ? v->pos : o->pos,
		    v->end > o->end ? v->end : o->end);
		break;
	}
}

/* Whether "it", "them" ... follows hit v ("reply with it", "send them
 * to us"). */
static int
pronoun_follows(const struct scan *sc, const struct hit *v)
{
	static const char *const skip[] = { "with", "us", "me", "over" };
	static const char *const pron[] = { "it", "them", "those", "these" };
	size_t i = v->end;

	for (int round = 0; round < 3; round++) {
		size_t e;
		while (i < sc->len && sc->low[i] == ' ')
			i++;
		for (e = i; e < sc->len && a_alpha((unsigned char)sc->low[e]);
		    e++)
			;
		for (size_t k = 0; k < ARRAY_LEN(pron); k++)
			if (strlen(pron[k]) == e - i && !memcmp(sc->low + i,
			    pron[k], e - i))
				return 1;
		size_t k = 0;
		while (k < ARRAY_LEN(skip) && (strlen(skip[k]) != e - i ||
		    memcmp(sc->low + i, skip[k], e - i)))
			k++;
		if (k == ARRAY_LEN(skip))
			return 0;
		i = e;
	}
	return 0;
}

/* A secret named alone in the sentence before ("... one more thing: your
 * seed phrase.") and asked for with "it" in this one ("Please reply with
 * it.")? */
void
guard_rule_ask_before(const struct scan *sc, size_t lo, size_t hi,
    struct guard_result *r)
{
	size_t plo = lo, sec = 0;
	int found = 0;

	if (lo == 0 || sc->h[lo - 1].sent != sc->h[lo].sent - 1)
		return;
	while (plo > 0 && sc->h[plo - 1].sent == sc->h[lo - 1].sent)
		plo--;
	for (size_t j = plo; j < lo; j++) {
		const struct hit *o = &sc->h[j];
		if (o->mask & (L_NEG | L_NEGS | L_WARN | L_ANYONE | L_ASK |
		    L_ENTER | L_RESET | L_QUEST))
			return;	/* a warning, or a request of its own */
		if ((o->mask & (L_STRONG | L_WEAK)) && !((o->mask & L_SECFEAT) &&
		    guard_modifier_follows(sc, o)) && !found) {
			sec = j;
			found = 1;
		}
	}
	if (!found)
		return;
	for (size_t k = lo; k < hi; k++) {
		const struct hit *v = &sc->h[k];
		if (!(v->mask & L_ASK || ((v->mask & L_ENTER) &&
		    (sc->h[sec].mask & L_STRONG))) || guard_negated(sc, lo, k) ||
		    !pronoun_follows(sc, v))
			continue;
		guard_add(r, GUARD_BLOCK, sc->h[sec].mask & L_STRONG ?
		    "ask-secret" : "ask-credential", sc->h[sec].pos, v->end);
		return;
	}
}
