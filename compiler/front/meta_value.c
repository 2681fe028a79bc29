// SPDX-License-Identifier: GPL-2.0-only
/*
 * Values of nft's meta types: see meta_value.h.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "meta_value.h"

#define DAY_SECS 86400

bool bw_meta_type(enum bw_type t)
{
	return t >= BW_T_UID && t <= BW_T_BOOL;
}

static int fail(char *err, size_t len, const char *fmt, const char *text)
{
	snprintf(err, len, fmt, text);
	return -EINVAL;
}

/* A decimal or 0x number of at most max; false when text is none. */
static bool number(const char *text, uint64_t max, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return false;
	errno = 0;
	*v = strtoull(text, &end, 0);
	return !errno && !*end && *v <= max;
}

/* ---- names from iproute2's tables (group, rt_realms) ---- */

/* The number of name in /etc/iproute2/FILE, or the name of number
 * (name NULL: look up *v, write its name to out). */
static bool iproute2_table(const char *file, const char *name, uint64_t *v,
			   char *out, size_t outlen)
{
	char path[64], line[256], word[128];
	unsigned long n;
	bool found = false;
	FILE *fp;

	snprintf(path, sizeof(path), "/etc/iproute2/%s", file);
	fp = fopen(path, "re");
	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		char *p = line;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || sscanf(p, "%li %127s", (long *)&n, word) != 2)
			continue;
		if (name && !strcmp(word, name)) {
			*v = n;
			found = true;
		} else if (!name && n == *v) {
			snprintf(out, outlen, "%s", word);
			found = true;
		}
	}
	fclose(fp);
	return found;
}

/* ---- interface types (nft's arphrd names) ---- */

static const struct { const char *name; uint16_t v; } arphrds[] = {
	{ "ether", 1 }, { "ppp", 512 }, { "ipip", 768 }, { "ipip6", 769 },
	{ "loopback", 772 }, { "sit", 776 }, { "ipgre", 778 },
};

static const char *const days[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

long bw_meta_tz_offset(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return 0;
	return tm.tm_gmtoff;
}

/* "maj:min" (hex), root, none, or a number. */
static int tchandle(const char *text, uint64_t *v, char *err, size_t len)
{
	const char *all = text;
	unsigned long maj, min;
	char *end;

	if (!strcmp(text, "root")) {
		*v = 0xffffffffu;
		return 0;
	}
	if (!strcmp(text, "none")) {
		*v = 0;
		return 0;
	}
	if (strchr(text, ':')) {
		errno = 0;
		maj = strtoul(text, &end, 16);
		if (errno || *end != ':' || end == text || maj > 0xffff)
			return fail(err, len, "invalid tc handle \"%s\"", all);
		text = end + 1;
		min = strtoul(text, &end, 16);
		if (errno || *end || end == text || min > 0xffff)
			return fail(err, len, "invalid tc handle \"%s\" (MAJOR:MINOR in hex, root, none)", all);
		*v = maj << 16 | min;
		return 0;
	}
	if (number(text, UINT32_MAX, v))
		return 0;
	return fail(err, len, "invalid tc handle \"%s\"", text);
}

/* "HH:MM" or "HH:MM:SS" (second 60 allowed, as strptime), local time, to
 * seconds after midnight UTC; or a number of seconds, taken as it is. */
static int hour(const char *text, uint64_t *v, char *err, size_t len)
{
	unsigned h, m, s = 0;
	char tail;
	int n = sscanf(text, "%2u:%2u:%2u%c", &h, &m, &s, &tail);
	long secs, off;

	if (number(text, UINT32_MAX, v))
		return 0;
	if (n != 2 && n != 3)
		n = sscanf(text, "%2u:%2u%c", &h, &m, &tail) == 2 ? 2 : 0;
	if ((n != 2 && n != 3) || h > 23 || m > 59 || s > 60 ||
	    !isdigit((unsigned char)text[strlen(text) - 1]))
		return fail(err, len, "invalid hour \"%s\" (HH:MM or HH:MM:SS)", text);
	secs = h * 3600l + m * 60l + s;
	off = bw_meta_tz_offset();
	secs = ((secs - off) % DAY_SECS + DAY_SECS) % DAY_SECS;
	*v = (uint64_t)secs;
	return 0;
}

/* "YYYY-MM-DD[ HH:MM[:SS]]" local time, or seconds since the epoch: ns. */
static int date(const char *text, uint64_t *v, char *err, size_t len)
{
	struct tm tm = { 0 };
	const char *end = NULL;
	time_t t;

	if (number(text, UINT64_MAX / 1000000000u, v)) {
		*v *= 1000000000u;
		return 0;
	}
	end = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(text, "%Y-%m-%d %H:%M", &tm);
	}
	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(text, "%Y-%m-%d", &tm);
	}
	if (!end || *end)
		return fail(err, len, "invalid date \"%s\" (YYYY-MM-DD HH:MM:SS)", text);
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || t < 0)
		return fail(err, len, "invalid date \"%s\" (YYYY-MM-DD HH:MM:SS)", text);
	*v = (uint64_t)t * 1000000000u;
	return 0;
}

int bw_meta_value_parse(enum bw_type t, const char *text, uint64_t *v,
			char *err, size_t len)
{
	struct passwd *pw;
	struct group *gr;

	switch (t) {
	case BW_T_UID:
		if (number(text, UINT32_MAX, v))
			return 0;
		pw = getpwnam(text);
		if (!pw)
			return fail(err, len, "unknown user \"%s\"", text);
		*v = pw->pw_uid;
		return 0;
	case BW_T_GID:
		if (number(text, UINT32_MAX, v))
			return 0;
		gr = getgrnam(text);
		if (!gr)
			return fail(err, len, "unknown group \"%s\"", text);
		*v = gr->gr_gid;
		return 0;
	case BW_T_DEVGROUP:
		if (number(text, UINT32_MAX, v) ||
		    iproute2_table("group", text, v, NULL, 0))
			return 0;
		return fail(err, len, "unknown device group \"%s\" (/etc/iproute2/group)", text);
	case BW_T_REALM:
		if (number(text, UINT32_MAX, v) ||
		    iproute2_table("rt_realms", text, v, NULL, 0))
			return 0;
		return fail(err, len, "unknown realm \"%s\" (/etc/iproute2/rt_realms)", text);
	case BW_T_ARPHRD:
		if (number(text, UINT16_MAX, v))
			return 0;
		for (size_t i = 0; i < sizeof(arphrds) / sizeof(*arphrds); i++)
			if (!strcmp(arphrds[i].name, text)) {
				*v = arphrds[i].v;
				return 0;
			}
		return fail(err, len, "unknown interface type \"%s\"", text);
	case BW_T_TCHANDLE:
		return tchandle(text, v, err, len);
	case BW_T_TIME:
		return date(text, v, err, len);
	case BW_T_HOUR:
		return hour(text, v, err, len);
	case BW_T_DAY:
		if (number(text, 6, v))
			return 0;
		for (uint64_t i = 0; i < 7; i++)
			if (!strcasecmp(days[i], text)) {
				*v = i;
				return 0;
			}
		return fail(err, len, "invalid day \"%s\" (Sunday..Saturday or 0-6)", text);
	case BW_T_BOOL:
		if (!strcmp(text, "exists") || !strcmp(text, "1")) {
			*v = 1;
			return 0;
		}
		if (!strcmp(text, "missing") || !strcmp(text, "0")) {
			*v = 0;
			return 0;
		}
		return fail(err, len, "\"%s\": exists or missing", text);
	default:
		return fail(err, len, "\"%s\": not a meta type", text);
	}
}

static void format_hour(uint64_t v, char *buf, size_t len)
{
	long s = ((long)(v % DAY_SECS) + bw_meta_tz_offset()) % DAY_SECS;

	if (s < 0)
		s += DAY_SECS;
	if (s % 60)
		snprintf(buf, len, "\"%02ld:%02ld:%02ld\"", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "\"%02ld:%02ld\"", s / 3600, s / 60 % 60);
}

static void format_date(uint64_t v, char *buf, size_t len)
{
	time_t t = (time_t)(v / 1000000000u);
	char s[32];
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "%llu", (unsigned long long)(v / 1000000000u));
	else
		snprintf(buf, len, "\"%s\"", s);
}

void bw_meta_value_format(enum bw_type t, uint64_t v, char *buf, size_t len)
{
	char name[128];

	switch (t) {
	case BW_T_DEVGROUP:
		if (iproute2_table("group", NULL, &v, name, sizeof(name))) {
			snprintf(buf, len, "\"%s\"", name);
			return;
		}
		break;
	case BW_T_REALM:
		if (iproute2_table("rt_realms", NULL, &v, name, sizeof(name))) {
			snprintf(buf, len, "\"%s\"", name);
			return;
		}
		break;
	case BW_T_ARPHRD:
		for (size_t i = 0; i < sizeof(arphrds) / sizeof(*arphrds); i++)
			if (arphrds[i].v == v) {
				snprintf(buf, len, "%s", arphrds[i].name);
				return;
			}
		break;
	case BW_T_TCHANDLE:
		if (v == 0xffffffffu)
			snprintf(buf, len, "root");
		else if (!v)
			snprintf(buf, len, "none");
		else
			snprintf(buf, len, "%x:%x", (unsigned)(v >> 16),
				 (unsigned)(v & 0xffff));
		return;
	case BW_T_TIME:
		format_date(v, buf, len);
		return;
	case BW_T_HOUR:
		format_hour(v, buf, len);
		return;
	case BW_T_DAY:
		if (v < 7) {
			snprintf(buf, len, "\"%s\"", days[v]);
			return;
		}
		break;
	case BW_T_BOOL:
		snprintf(buf, len, "%s", v ? "exists" : "missing");
		return;
	default:
		break;
	}
	snprintf(buf, len, "%llu", (unsigned long long)v);
}
