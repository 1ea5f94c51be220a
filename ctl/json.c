/*
 * Streaming JSON emitter (RFC 8259).  srv6ctl writes one document per
 * run; strings from the daemon (descriptions, config error messages) are
 * escaped here, and bytes that are not valid UTF-8 become U+FFFD so the
 * document stays valid whatever a config file contained.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void
json_init(struct json *js, FILE *fp, int flags)
{
	memset(js, 0, sizeof(*js));
	js->fp = fp;
	js->flags = flags;
}

static void
json_indent(struct json *js)
{
	int	i;

	if (!(js->flags & JSON_PRETTY))
		return;
	fputc('\n', js->fp);
	for (i = 0; i < js->depth; i++)
		fputs("  ", js->fp);
}

/*
 * Length of the valid UTF-8 sequence at s (RFC 3629 §4: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0 if it is not one.  Reads no
 * further than the first byte that breaks the sequence, so a NUL stops it.
 */
size_t
json_utf8_len(const unsigned char *s)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void
json_write_char(FILE *fp, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", fp);
		break;
	case '\\':
		fputs("\\\\", fp);
		break;
	case '\b':
		fputs("\\b", fp);
		break;
	case '\f':
		fputs("\\f", fp);
		break;
	case '\n':
		fputs("\\n", fp);
		break;
	case '\r':
		fputs("\\r", fp);
		break;
	case '\t':
		fputs("\\t", fp);
		break;
	default:
		if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
}

/* A quoted, escaped JSON string; NULL is written as "". */
void
json_write_string(FILE *fp, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n;

	fputc('"', fp);
	while (s != NULL && *s != '\0') {
		if (*s < 0x80) {
			json_write_char(fp, *s++);
			continue;
		}
		if ((n = json_utf8_len(s)) == 0) {
			fputs("\\ufffd", fp);
			s++;
			continue;
		}
		fwrite(s, 1, n, fp);
		s += n;
	}
	fputc('"', fp);
}

/* Comma, indentation and "name": before a value or container. */
static void
json_member(struct json *js, const char *name)
{
	bool	in_object = js->depth > 0 && js->kind[js->depth - 1] == '{';

	if (js->depth > 0) {
		if (!js->empty[js->depth - 1])
			fputc(',', js->fp);
		js->empty[js->depth - 1] = false;
		json_indent(js);
	}
	if (in_object) {
		if (name == NULL) {
			js->error = true;
			name = "";
		}
		json_write_string(js->fp, name);
		fputs((js->flags & JSON_PRETTY) ? ": " : ":", js->fp);
	}
}

static void
json_open(struct json *js, const char *name, char kind)
{
	if (js->depth >= JSON_MAXDEPTH) {
		js->error = true;
		return;
	}
	json_member(js, name);
	fputc(kind, js->fp);
	js->kind[js->depth] = kind;
	js->empty[js->depth] = true;
	js->depth++;
}

void
json_object(struct json *js, const char *name)
{
	json_open(js, name, '{');
}

void
json_array(struct json *js, const char *name)
{
	json_open(js, name, '[');
}

void
json_end(struct json *js)
{
	bool	was_empty;

	if (js->depth == 0) {
		js->error = true;
		return;
	}
	js->depth--;
	was_empty = js->empty[js->depth];
	if (!was_empty)
		json_indent(js);
	fputc(js->kind[js->depth] == '{' ? '}' : ']', js->fp);
}

void
json_string(struct json *js, const char *name, const char *value)
{
	json_member(js, name);
	json_write_string(js->fp, value);
}

void
json_uint(struct json *js, const char *name, uint64_t value)
{
	json_member(js, name);
	fprintf(js->fp, "%" PRIu64, value);
}

void
json_int(struct json *js, const char *name, int64_t value)
{
	json_member(js, name);
	fprintf(js->fp, "%" PRId64, value);
}

void
json_bool(struct json *js, const char *name, bool value)
{
	json_member(js, name);
	fputs(value ? "true" : "false", js->fp);
}

void
json_null(struct json *js, const char *name)
{
	json_member(js, name);
	fputs("null", js->fp);
}

/* Close what is still open and end the document with a newline. */
int
json_finish(struct json *js)
{
	while (js->depth > 0)
		json_end(js);
	fputc('\n', js->fp);
	if (fflush(js->fp) == EOF || ferror(js->fp))
		return -1;
	return js->error ? -1 : 0;
}
