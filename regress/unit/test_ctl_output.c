/*
 * srv6ctl end to end without a daemon: a socketpair whose far end holds
 * canned replies (written before srv6ctl reads) and receives the request,
 * which is checked afterwards.  Covers decoding with bounds, the text and
 * JSON printers, exit statuses, and replies that are cut short or wrong.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "output.h"

#define NOW	1700000000

struct fake {
	int			 fds[2];	/* [0] srv6ctl, [1] daemon */
	struct imsgbuf		 daemon;
	struct parse_result	 res;
	struct output_ctx	 ctx;
	FILE			*out, *err;
	char			*outbuf, *errbuf;
	size_t			 outlen, errlen;
};

static int
fake_setup(void **state)
{
	struct fake	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, f->fds) == -1)
		return -1;
	imsgbuf_init(&f->daemon, f->fds[1]);
	f->out = open_memstream(&f->outbuf, &f->outlen);
	f->err = open_memstream(&f->errbuf, &f->errlen);
	if (f->out == NULL || f->err == NULL)
		return -1;
	output_ctx_init(&f->ctx, f->out, f->err, &f->res);
	f->ctx.now = NOW;
	*state = f;
	return 0;
}

static int
fake_teardown(void **state)
{
	struct fake	*f = *state;

	output_ctx_free(&f->ctx);
	imsgbuf_clear(&f->daemon);
	close(f->fds[0]);
	close(f->fds[1]);
	fclose(f->out);
	fclose(f->err);
	free(f->outbuf);
	free(f->errbuf);
	free(f);
	return 0;
}

static void
fake_command(struct fake *f, const char *line)
{
	char	 buf[128], *words[8], *w, *save = NULL;
	char	 err[256];
	int	 n = 0;

	strlcpy(buf, line, sizeof(buf));
	for (w = strtok_r(buf, " ", &save); w != NULL && n < 8;
	    w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	if (parse(n, words, &f->res, err, sizeof(err)) == -1)
		fail_msg("%s: %s", line, err);
}

/* Queue one canned reply on the daemon's end. */
static void
fake_reply(struct fake *f, uint32_t type, const void *data, size_t len)
{
	assert_int_equal(imsg_compose(&f->daemon, type, 0, 0, -1, data, len),
	    0);
	assert_int_equal(imsgbuf_flush(&f->daemon), 0);
}

static void
fake_result(struct fake *f, uint32_t code, const char *msg)
{
	struct ibuf	*b;

	b = imsg_create(&f->daemon, IMSG_CTL_RESULT, 0, 0,
	    sizeof(code) + strlen(msg) + 1);
	assert_non_null(b);
	assert_int_equal(imsg_add(b, &code, sizeof(code)), 0);
	assert_int_equal(imsg_add(b, msg, strlen(msg) + 1), 0);
	imsg_close(&f->daemon, b);
	assert_int_equal(imsgbuf_flush(&f->daemon), 0);
}

static void
fake_end(struct fake *f)
{
	fake_reply(f, IMSG_CTL_END, NULL, 0);
}

/* Run srv6ctl's side and return its exit status; output is in f. */
static int
fake_run(struct fake *f, const struct output *out)
{
	int	rv;

	rv = ctl_run(f->fds[0], out, &f->ctx);
	fputc('\0', f->out);
	fputc('\0', f->err);
	fflush(f->out);
	fflush(f->err);
	return rv;
}

/* The request srv6ctl sent: its type and payload. */
static void
fake_check_request(struct fake *f, uint32_t type, const void *data,
    size_t len)
{
	struct imsg	imsg;
	ssize_t		n;

	assert_true(imsgbuf_read(&f->daemon) > 0);
	n = imsg_get(&f->daemon, &imsg);
	assert_true(n > 0);
	assert_int_equal(imsg.hdr.type, type);
	assert_int_equal(imsg_get_len(&imsg), len);
	if (len > 0)
		assert_memory_equal(imsg.data, data, len);
	imsg_free(&imsg);
	assert_int_equal(imsg_get(&f->daemon, &imsg), 0);
}

/* Optional: the document parses (when jq is installed). */
static void
check_json_parses(const char *doc)
{
	FILE	*p;

	if (system("command -v jq >/dev/null 2>&1") != 0)
		return;
	if ((p = popen("jq -e . >/dev/null 2>&1", "w")) == NULL)
		fail_msg("popen jq: %s", strerror(errno));
	fputs(doc, p);
	assert_int_equal(pclose(p), 0);
}

static ext_community_t
rt(const char *s)
{
	ext_community_t	v;

	assert_int_equal(str2rt(s, &v), 0);
	return v;
}

/* A VRF reply: the fixed part and its four arrays, in wire order. */
static void
fake_vrf_sids(struct fake *f, const struct ctl_show_vrf *v,
    const ext_community_t *rts, const char *ifaces[],
    const char *networks[], const struct ctl_show_sid *sids, size_t trim)
{
	struct ibuf		*b;
	struct srv6d_prefix	 p;
	char			 name[IFNAMSIZ];
	size_t			 i, len;

	len = sizeof(*v) + ((size_t)v->n_import + v->n_export) * 8 +
	    (size_t)v->n_ifaces * IFNAMSIZ + v->n_networks * sizeof(p) +
	    (size_t)v->n_sids * sizeof(*sids);
	assert_non_null(b = ibuf_dynamic(len, len));
	assert_int_equal(ibuf_add(b, v, sizeof(*v)), 0);
	for (i = 0; i < (size_t)v->n_import + v->n_export; i++)
		assert_int_equal(ibuf_add(b, &rts[i], sizeof(rts[i])), 0);
	for (i = 0; i < v->n_ifaces; i++) {
		memset(name, 0, sizeof(name));
		strlcpy(name, ifaces[i], sizeof(name));
		assert_int_equal(ibuf_add(b, name, sizeof(name)), 0);
	}
	for (i = 0; i < v->n_networks; i++) {
		assert_int_equal(str2prefix(networks[i], &p), 0);
		assert_int_equal(ibuf_add(b, &p, sizeof(p)), 0);
	}
	if (v->n_sids > 0)
		assert_int_equal(ibuf_add(b, sids, v->n_sids * sizeof(*sids)),
		    0);
	fake_reply(f, IMSG_CTL_SHOW_VRF, ibuf_data(b), ibuf_size(b) - trim);
	ibuf_free(b);
}

static void
fake_vrf(struct fake *f, const struct ctl_show_vrf *v,
    const ext_community_t *rts, const char *ifaces[],
    const char *networks[], size_t trim)
{
	fake_vrf_sids(f, v, rts, ifaces, networks, NULL, trim);
}

/* A local SID as the RDE reports it. */
static void
sid_init(struct ctl_show_sid *s, const char *sid, uint16_t behavior,
    const char *vrf, const char *nh)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(inet_pton(AF_INET6, sid, &s->sid), 1);
	s->behavior = behavior;
	s->af = behavior == 17 || behavior == 19 ? AF_INET :
	    behavior == 20 ? AF_UNSPEC : AF_INET6;
	strlcpy(s->vrf, vrf, sizeof(s->vrf));
	strlcpy(s->locator, "main", sizeof(s->locator));
	s->table = 10;
	if (nh != NULL)
		assert_int_equal(str2addr(nh, &s->nh), 0);
}

static void
fake_two_vrfs(struct fake *f)
{
	struct ctl_show_vrf	 v;
	const ext_community_t	 rts[] = { rt("65000:10"), rt("65000:11"),
	    rt("65001:10") };
	const char		*ifaces[] = { "veth-pod1", "veth-pod2" };
	const char		*nets[] = { "10.200.0.0/24" };
	struct ctl_show_sid	 sids[2];

	memset(&v, 0, sizeof(v));
	strlcpy(v.name, "vrf0", sizeof(v.name));
	v.table = 10;
	assert_int_equal(str2rd("65001:10", &v.rd), 0);
	v.sid_mode = VRF_SID_AUTO;
	v.net_flags = VRF_NET_CONNECTED;
	strlcpy(v.locator, "main", sizeof(v.locator));
	strlcpy(v.kernel_mode, "table", sizeof(v.kernel_mode));
	v.n_import = 2;
	v.n_export = 1;
	v.n_ifaces = 2;
	v.n_networks = 1;
	v.n_sids = 2;
	v.routes4 = 3;
	v.routes6 = 1;
	v.imported = 2;
	v.exported = 2;
	sid_init(&sids[0], "fc00:0:1:e000::", 18, "vrf0", NULL);
	sid_init(&sids[1], "fc00:0:1:e001::", 17, "vrf0", "10.200.0.10");
	sids[1].routes = 1;
	fake_vrf_sids(f, &v, rts, ifaces, nets, sids, 0);

	memset(&v, 0, sizeof(v));
	strlcpy(v.name, "blue \"x\"", sizeof(v.name));
	v.table = 20;
	assert_int_equal(str2rd("192.0.2.1:7", &v.rd), 0);
	v.sid_mode = VRF_SID_EXPLICIT;
	inet_pton(AF_INET6, "fc00:0:1:e001::", &v.sid);
	strlcpy(v.kernel_mode, "vrf", sizeof(v.kernel_mode));
	fake_vrf(f, &v, NULL, NULL, NULL, 0);
}

static const char vrf_text[] =
    "VRF vrf0\n"
    "  Table:             10\n"
    "  RD:                65001:10\n"
    "  Import targets:    65000:10, 65000:11\n"
    "  Export targets:    65001:10\n"
    "  SID:               auto, locator main\n"
    "  Interfaces:        veth-pod1, veth-pod2\n"
    "  Networks:          10.200.0.0/24, connected\n"
    "  Kernel mode:       table\n"
    "  Routes:            3 IPv4, 1 IPv6\n"
    "  Imported paths:    2\n"
    "  Exported routes:   2\n"
    "  Local SIDs:        fc00:0:1:e000:: End.DT6\n"
    "                     fc00:0:1:e001:: End.DX4 via 10.200.0.10\n"
    "\n"
    "VRF blue \"x\"\n"
    "  Table:             20\n"
    "  RD:                192.0.2.1:7\n"
    "  Import targets:    none\n"
    "  Export targets:    none\n"
    "  SID:               fc00:0:1:e001:: (explicit)\n"
    "  Interfaces:        none\n"
    "  Networks:          none\n"
    "  Kernel mode:       vrf\n"
    "  Routes:            0 IPv4, 0 IPv6\n"
    "  Imported paths:    0\n"
    "  Exported routes:   0\n"
    "  Local SIDs:        none\n";

static void
test_vrf_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show vrf");
	fake_two_vrfs(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, vrf_text);
	assert_string_equal(f->errbuf, "");
	fake_check_request(f, IMSG_CTL_SHOW_VRF, NULL, 0);
}

static const char vrf_json[] =
    "{\n"
    "  \"vrfs\": [\n"
    "    {\n"
    "      \"name\": \"vrf0\",\n"
    "      \"table\": 10,\n"
    "      \"rd\": \"65001:10\",\n"
    "      \"import_targets\": [\n"
    "        \"65000:10\",\n"
    "        \"65000:11\"\n"
    "      ],\n"
    "      \"export_targets\": [\n"
    "        \"65001:10\"\n"
    "      ],\n"
    "      \"sid_mode\": \"auto\",\n"
    "      \"sid\": null,\n"
    "      \"locator\": \"main\",\n"
    "      \"interfaces\": [\n"
    "        \"veth-pod1\",\n"
    "        \"veth-pod2\"\n"
    "      ],\n"
    "      \"networks\": [\n"
    "        \"10.200.0.0/24\"\n"
    "      ],\n"
    "      \"network_connected\": true,\n"
    "      \"network_kernel\": false,\n"
    "      \"kernel_mode\": \"table\",\n"
    "      \"routes\": {\n"
    "        \"ipv4\": 3,\n"
    "        \"ipv6\": 1\n"
    "      },\n"
    "      \"imported\": 2,\n"
    "      \"exported\": 2,\n"
    "      \"sids\": [\n"
    "        {\n"
    "          \"sid\": \"fc00:0:1:e000::\",\n"
    "          \"behavior\": \"End.DT6\",\n"
    "          \"behavior_code\": 18,\n"
    "          \"family\": \"ipv6\",\n"
    "          \"vrf\": \"vrf0\",\n"
    "          \"locator\": \"main\",\n"
    "          \"table\": 10,\n"
    "          \"nexthop\": null,\n"
    "          \"routes\": 0,\n"
    "          \"counters\": null\n"
    "        },\n"
    "        {\n"
    "          \"sid\": \"fc00:0:1:e001::\",\n"
    "          \"behavior\": \"End.DX4\",\n"
    "          \"behavior_code\": 17,\n"
    "          \"family\": \"ipv4\",\n"
    "          \"vrf\": \"vrf0\",\n"
    "          \"locator\": \"main\",\n"
    "          \"table\": 10,\n"
    "          \"nexthop\": \"10.200.0.10\",\n"
    "          \"routes\": 1,\n"
    "          \"counters\": null\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"blue \\\"x\\\"\",\n"
    "      \"table\": 20,\n"
    "      \"rd\": \"192.0.2.1:7\",\n"
    "      \"import_targets\": [],\n"
    "      \"export_targets\": [],\n"
    "      \"sid_mode\": \"explicit\",\n"
    "      \"sid\": \"fc00:0:1:e001::\",\n"
    "      \"locator\": null,\n"
    "      \"interfaces\": [],\n"
    "      \"networks\": [],\n"
    "      \"network_connected\": false,\n"
    "      \"network_kernel\": false,\n"
    "      \"kernel_mode\": \"vrf\",\n"
    "      \"routes\": {\n"
    "        \"ipv4\": 0,\n"
    "        \"ipv6\": 0\n"
    "      },\n"
    "      \"imported\": 0,\n"
    "      \"exported\": 0,\n"
    "      \"sids\": []\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void
test_vrf_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show vrf vrf0");
	fake_two_vrfs(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, vrf_json);
	check_json_parses(f->outbuf);
	fake_check_request(f, IMSG_CTL_SHOW_VRF, "vrf0", 5);
}

static void
test_vrf_empty_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show vrf");
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, "{\n  \"vrfs\": []\n}\n");
}

/* A reply one byte short of what its counts promise is refused. */
static void
test_vrf_truncated(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_vrf	 v;
	const char		*ifaces[] = { "eth0" };

	memset(&v, 0, sizeof(v));
	strlcpy(v.name, "red", sizeof(v.name));
	v.n_ifaces = 1;
	fake_command(f, "show vrf");
	fake_vrf(f, &v, NULL, ifaces, NULL, 1);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_non_null(strstr(f->errbuf, "srv6ctl: malformed reply"));
	assert_non_null(strstr(f->outbuf, "\"error\": \"malformed reply"));
	check_json_parses(f->outbuf);
}

/* Counts that promise more than the message holds, and one too long. */
static void
test_vrf_counts_mismatch(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_vrf	 v;
	uint8_t			 buf[sizeof(v) + 8];

	memset(&v, 0, sizeof(v));
	v.n_networks = 0xffff;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &v, sizeof(v));
	fake_command(f, "show vrf");
	fake_reply(f, IMSG_CTL_SHOW_VRF, buf, sizeof(buf));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_string_equal(f->outbuf, "");
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static const char reload_errors[] =
    "/etc/srv6d.conf:3: unknown keyword \"routerid\"\n"
    "/etc/srv6d.conf:9: duplicate vrf \"vrf0\"\n"
    "reload failed: 2 errors, configuration unchanged";

static void
test_result_failed_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "reload");
	fake_result(f, CTL_RES_FAILED, reload_errors);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_string_equal(f->outbuf, "");
	assert_string_equal(f->errbuf,
	    "/etc/srv6d.conf:3: unknown keyword \"routerid\"\n"
	    "/etc/srv6d.conf:9: duplicate vrf \"vrf0\"\n"
	    "reload failed: 2 errors, configuration unchanged\n");
	fake_check_request(f, IMSG_CTL_RELOAD, NULL, 0);
}

static void
test_result_failed_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "reload");
	fake_result(f, CTL_RES_FAILED, reload_errors);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_string_equal(f->outbuf,
	    "{\n"
	    "  \"result\": \"failed\",\n"
	    "  \"message\": \"/etc/srv6d.conf:3: unknown keyword "
	    "\\\"routerid\\\"\\n/etc/srv6d.conf:9: duplicate vrf "
	    "\\\"vrf0\\\"\\nreload failed: 2 errors, configuration "
	    "unchanged\"\n"
	    "}\n");
	assert_string_equal(f->errbuf, "");
	check_json_parses(f->outbuf);
}

static void
test_result_ok(void **state)
{
	struct fake	*f = *state;
	uint32_t	 one = 1;

	fake_command(f, "log verbose");
	fake_result(f, CTL_RES_OK, "logging verbose\n");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, "logging verbose\n");
	assert_string_equal(f->errbuf, "");
	fake_check_request(f, IMSG_CTL_LOG_VERBOSE, &one, sizeof(one));
}

static void
test_result_denied_json(void **state)
{
	struct fake	*f = *state;
	uint32_t	 zero = 0;

	fake_command(f, "log brief");
	fake_result(f, CTL_RES_DENIED, "");
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_string_equal(f->outbuf, "{\n  \"result\": \"denied\",\n"
	    "  \"message\": \"\"\n}\n");
	fake_check_request(f, IMSG_CTL_LOG_VERBOSE, &zero, sizeof(zero));
}

/* A result text must end at the message's last byte. */
static void
test_result_unterminated(void **state)
{
	struct fake	*f = *state;
	uint8_t		 buf[] = { 0, 0, 0, 0, 'o', 'k' };

	fake_command(f, "reload");
	fake_reply(f, IMSG_CTL_RESULT, buf, sizeof(buf));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
test_closed_early(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show vrf");
	fake_two_vrfs(f);
	shutdown(f->fds[1], SHUT_WR);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_non_null(strstr(f->errbuf,
	    "srv6ctl: connection closed by srv6d before the end"));
	assert_non_null(strstr(f->outbuf, "\"error\": \"connection closed"));
	check_json_parses(f->outbuf);
}

/* A reply of the wrong kind for the request is malformed. */
static void
test_wrong_reply_type(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_summary	 s;

	memset(&s, 0, sizeof(s));
	fake_command(f, "show neighbor");
	fake_reply(f, IMSG_CTL_SHOW_SUMMARY, &s, sizeof(s));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
fake_summary(struct fake *f)
{
	struct ctl_show_summary	s;

	memset(&s, 0, sizeof(s));
	strlcpy(s.version, "0.1", sizeof(s.version));
	s.as = 65001;
	inet_pton(AF_INET, "192.0.2.1", &s.router_id);
	s.started = NOW - (2 * 86400 + 3 * 3600 + 59);
	s.reloaded = NOW - 3723;
	s.n_neighbors = 3;
	s.n_established = 1;
	s.n_vrfs = 2;
	s.n_locators = 1;
	strlcpy(s.kernel_mode, "table", sizeof(s.kernel_mode));
	fake_reply(f, IMSG_CTL_SHOW_SUMMARY, &s, sizeof(s));
}

static void
test_summary_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show summary");
	fake_summary(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf,
	    "Version:           srv6d 0.1\n"
	    "AS:                65001\n"
	    "Router ID:         192.0.2.1\n"
	    "Uptime:            2d03h\n"
	    "Last reload:       01:02:03 ago\n"
	    "Neighbors:         3 configured, 1 established\n"
	    "VRFs:              2\n"
	    "Locators:          1\n"
	    "Kernel mode:       table\n"
	    "Logging:           brief\n");
	fake_check_request(f, IMSG_CTL_SHOW_SUMMARY, NULL, 0);
}

static void
test_summary_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show summary");
	fake_summary(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf,
	    "{\n"
	    "  \"summary\": {\n"
	    "    \"version\": \"0.1\",\n"
	    "    \"as\": 65001,\n"
	    "    \"router_id\": \"192.0.2.1\",\n"
	    "    \"started\": 1699816341,\n"
	    "    \"uptime\": 183659,\n"
	    "    \"reloaded\": 1699996277,\n"
	    "    \"since_reload\": 3723,\n"
	    "    \"neighbors\": 3,\n"
	    "    \"established\": 1,\n"
	    "    \"vrfs\": 2,\n"
	    "    \"locators\": 1,\n"
	    "    \"log_verbose\": false,\n"
	    "    \"kernel_mode\": \"table\"\n"
	    "  }\n"
	    "}\n");
	check_json_parses(f->outbuf);
}

static void
neighbor_init(struct ctl_show_neighbor *n, const char *addr, uint32_t as,
    uint8_t state, time_t since, const char *descr)
{
	memset(n, 0, sizeof(*n));
	assert_int_equal(str2addr(addr, &n->addr), 0);
	n->remote_as = as;
	n->state = state;
	n->state_since = since;
	strlcpy(n->descr, descr, sizeof(n->descr));
	n->afs = AFS_VPNV4 | AFS_VPNV6;
	n->flags = NEIGH_F_PASSIVE;
}

static void
fake_neighbor(struct fake *f, const char *addr, uint32_t as,
    uint8_t state, time_t since, const char *descr)
{
	struct ctl_show_neighbor	n;

	neighbor_init(&n, addr, as, state, since, descr);
	fake_reply(f, IMSG_CTL_SHOW_NEIGHBOR, &n, sizeof(n));
}

/* An established session with counters and a NOTIFICATION each way. */
static void
fake_neighbor_full(struct fake *f)
{
	struct ctl_show_neighbor	n;
	size_t				i;

	neighbor_init(&n, "2001:db8::2", 65000, NSTATE_ESTABLISHED,
	    NOW - 90, "pe0");
	n.flags = NEIGH_F_RR_CLIENT | NEIGH_F_NEXTHOP_SELF;
	n.afs = AFS_IPV4_UNICAST | AFS_IPV6_UNICAST;
	n.md5 = 1;
	n.holdtime = 30;
	assert_int_equal(str2addr("2001:db8::1", &n.local_addr), 0);
	strlcpy(n.group, "core", sizeof(n.group));
	assert_int_equal(str2addr("2001:db8::1", &n.session_local), 0);
	n.local_port = 179;
	n.remote_port = 54321;
	inet_pton(AF_INET, "192.0.2.2", &n.remote_id);
	n.holdtime_neg = 30;
	n.keepalive = 10;
	n.capa = CAPA_AS4 | CAPA_REFRESH | CAPA_ENHANCED_REFRESH |
	    CAPA_EXT_MESSAGE | CAPA_GRACEFUL_RESTART;
	n.afs_neg = AFS_IPV4_UNICAST | AFS_IPV6_UNICAST;
	n.ext_nexthop = AFS_IPV4_UNICAST;
	n.flaps = 3;
	for (i = 1; i < 6; i++) {
		n.msgs_in[i] = i * 10;
		n.msgs_out[i] = i * 100;
	}
	n.prefixes_received = 1200;
	n.prefixes_accepted = 1100;
	n.prefixes_best = 1000;
	n.prefixes_sent = 42;
	n.last_sent_code = 6;
	n.last_sent_subcode = 2;
	strlcpy(n.last_sent_reason, "maintenance \"window\"",
	    sizeof(n.last_sent_reason));
	n.last_recv_code = 3;
	n.last_recv_subcode = 11;
	/* a peer's text: a control character, bad UTF-8, good UTF-8 */
	strlcpy(n.last_recv_reason, "bad\x01path\xff caf\xc3\xa9 \\",
	    sizeof(n.last_recv_reason));
	fake_reply(f, IMSG_CTL_SHOW_NEIGHBOR, &n, sizeof(n));
}

static void
test_neighbor_list_text(void **state)
{
	struct fake			*f = *state;
	struct ctl_show_neighbor	 n;

	fake_command(f, "show neighbor");
	fake_neighbor_full(f);
	fake_neighbor(f, "192.0.2.9", 4200000000u, NSTATE_ACTIVE, 0, "");
	neighbor_init(&n, "192.0.2.10", 65010, NSTATE_IDLE, NOW - 5, "x");
	n.flags = NEIGH_F_DOWN;
	fake_reply(f, IMSG_CTL_SHOW_NEIGHBOR, &n, sizeof(n));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf,
	    "Neighbor                         AS  MsgRcvd  MsgSent  "
	    "Up/Down   State/PrfRcvd  Description\n"
	    "2001:db8::2                   65000      150     1500  "
	    "00:01:30  1200           pe0\n"
	    "192.0.2.9                4200000000        0        0  "
	    "never     Active\n"
	    "192.0.2.10                    65010        0        0  "
	    "00:00:05  Idle (Admin)   x\n");
}

static void
test_neighbor_detail_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show neighbor 2001:db8::2");
	fake_neighbor(f, "2001:db8::2", 65000, NSTATE_ACTIVE,
	    NOW - 8 * 86400 - 5 * 3600, "pe0");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf,
	    "Neighbor 2001:db8::2\n"
	    "  Description:       pe0\n"
	    "  Remote AS:         65000\n"
	    "  State:             Active, for 1w1d05h\n"
	    "  Local address:     auto\n"
	    "  Hold time:         default\n"
	    "  Address families:  vpnv4, vpnv6\n"
	    "  TCP-MD5:           no\n"
	    "  Options:           passive\n"
	    "  Flaps:             0\n"
	    "  Prefixes:          0 received, 0 accepted, 0 best, 0 sent\n"
	    "  Messages                 sent   received\n"
	    "    open                      0          0\n"
	    "    update                    0          0\n"
	    "    notification              0          0\n"
	    "    keepalive                 0          0\n"
	    "    route-refresh             0          0\n"
	    "    total                     0          0\n"
	    "  Notification sent: none\n"
	    "  Notification rcvd: none\n");
	fake_check_request(f, IMSG_CTL_SHOW_NEIGHBOR, &f->res.addr,
	    sizeof(f->res.addr));
}

static const char neighbor_full_text[] =
    "Neighbor 2001:db8::2\n"
    "  Description:       pe0\n"
    "  Remote AS:         65000\n"
    "  Group:             core\n"
    "  State:             Established, for 00:01:30\n"
    "  Local address:     2001:db8::1\n"
    "  Hold time:         30\n"
    "  Address families:  ipv4, ipv6\n"
    "  TCP-MD5:           yes\n"
    "  Options:           route-reflector-client, next-hop-self\n"
    "  Local endpoint:    2001:db8::1 port 179\n"
    "  Remote endpoint:   2001:db8::2 port 54321\n"
    "  BGP identifier:    192.0.2.2\n"
    "  Negotiated hold:   30 s, keepalive 10 s\n"
    "  Capabilities:      4-octet AS, route refresh, enhanced route "
    "refresh,\n"
    "                     extended message, graceful restart\n"
    "  Families:          ipv4, ipv6\n"
    "  Extended next hop: ipv4\n"
    "  Flaps:             3\n"
    "  Prefixes:          1200 received, 1100 accepted, 1000 best, "
    "42 sent\n"
    "  Messages                 sent   received\n"
    "    open                    100         10\n"
    "    update                  200         20\n"
    "    notification            300         30\n"
    "    keepalive               400         40\n"
    "    route-refresh           500         50\n"
    "    total                  1500        150\n"
    "  Notification sent: Cease, Administrative Shutdown: "
    "\"maintenance \\\"window\\\"\"\n"
    "  Notification rcvd: UPDATE Message Error, Malformed AS_PATH: "
    "\"bad\\x01path\\xff caf\xc3\xa9 \\\\\"\n";

static void
test_neighbor_full_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show neighbor 2001:db8::2");
	fake_neighbor_full(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, neighbor_full_text);
}

static const char neighbor_full_json[] =
    "{\n"
    "  \"neighbors\": [\n"
    "    {\n"
    "      \"address\": \"2001:db8::2\",\n"
    "      \"remote_as\": 65000,\n"
    "      \"description\": \"pe0\",\n"
    "      \"group\": \"core\",\n"
    "      \"state\": \"Established\",\n"
    "      \"state_since\": 1699999910,\n"
    "      \"state_age\": 90,\n"
    "      \"local_address\": \"2001:db8::1\",\n"
    "      \"holdtime\": 30,\n"
    "      \"address_families\": [\n"
    "        \"ipv4\",\n"
    "        \"ipv6\"\n"
    "      ],\n"
    "      \"tcp_md5\": true,\n"
    "      \"passive\": false,\n"
    "      \"ttl_security\": false,\n"
    "      \"admin_down\": false,\n"
    "      \"route_reflector_client\": true,\n"
    "      \"nexthop_self\": true,\n"
    "      \"session\": {\n"
    "        \"local_address\": \"2001:db8::1\",\n"
    "        \"local_port\": 179,\n"
    "        \"remote_port\": 54321,\n"
    "        \"remote_id\": \"192.0.2.2\",\n"
    "        \"holdtime\": 30,\n"
    "        \"keepalive\": 10,\n"
    "        \"capabilities\": [\n"
    "          \"4-octet AS\",\n"
    "          \"route refresh\",\n"
    "          \"enhanced route refresh\",\n"
    "          \"extended message\",\n"
    "          \"graceful restart\"\n"
    "        ],\n"
    "        \"address_families\": [\n"
    "          \"ipv4\",\n"
    "          \"ipv6\"\n"
    "        ],\n"
    "        \"extended_nexthop\": [\n"
    "          \"ipv4\"\n"
    "        ]\n"
    "      },\n"
    "      \"flaps\": 3,\n"
    "      \"messages\": {\n"
    "        \"sent\": {\n"
    "          \"open\": 100,\n"
    "          \"update\": 200,\n"
    "          \"notification\": 300,\n"
    "          \"keepalive\": 400,\n"
    "          \"route-refresh\": 500,\n"
    "          \"total\": 1500\n"
    "        },\n"
    "        \"received\": {\n"
    "          \"open\": 10,\n"
    "          \"update\": 20,\n"
    "          \"notification\": 30,\n"
    "          \"keepalive\": 40,\n"
    "          \"route-refresh\": 50,\n"
    "          \"total\": 150\n"
    "        }\n"
    "      },\n"
    "      \"prefixes\": {\n"
    "        \"received\": 1200,\n"
    "        \"accepted\": 1100,\n"
    "        \"best\": 1000,\n"
    "        \"sent\": 42\n"
    "      },\n"
    "      \"last_notification_sent\": {\n"
    "        \"code\": 6,\n"
    "        \"subcode\": 2,\n"
    "        \"error\": \"Cease\",\n"
    "        \"suberror\": \"Administrative Shutdown\",\n"
    "        \"description\": \"Cease, Administrative Shutdown\",\n"
    "        \"reason\": \"maintenance \\\"window\\\"\"\n"
    "      },\n"
    "      \"last_notification_received\": {\n"
    "        \"code\": 3,\n"
    "        \"subcode\": 11,\n"
    "        \"error\": \"UPDATE Message Error\",\n"
    "        \"suberror\": \"Malformed AS_PATH\",\n"
    "        \"description\": \"UPDATE Message Error, Malformed "
    "AS_PATH\",\n"
    "        \"reason\": \"bad\\u0001path\\ufffd caf\xc3\xa9 \\\\\"\n"
    "      }\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void
test_neighbor_full_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show neighbor");
	fake_neighbor_full(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, neighbor_full_json);
	check_json_parses(f->outbuf);
}

/* A neighbor that never had a session: nulls, zeros, no notification. */
static void
test_neighbor_idle_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show neighbor");
	fake_neighbor(f, "192.0.2.9", 65009, NSTATE_IDLE, 0, "");
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_non_null(strstr(f->outbuf,
	    "      \"session\": {\n"
	    "        \"local_address\": null,\n"
	    "        \"local_port\": 0,\n"
	    "        \"remote_port\": 0,\n"
	    "        \"remote_id\": null,\n"));
	assert_non_null(strstr(f->outbuf,
	    "        \"capabilities\": [],\n"));
	assert_non_null(strstr(f->outbuf,
	    "      \"last_notification_sent\": null,\n"
	    "      \"last_notification_received\": null\n"));
	check_json_parses(f->outbuf);
}

/* Unknown codes and subcodes keep their numbers. */
static void
test_notify_names(void **state)
{
	(void)state;
	assert_string_equal(fmt_notify(6, 2),
	    "Cease, Administrative Shutdown");
	assert_string_equal(fmt_notify(6, 0), "Cease");
	assert_string_equal(fmt_notify(6, 99), "Cease, subcode 99");
	assert_string_equal(fmt_notify(4, 0), "Hold Timer Expired");
	assert_string_equal(fmt_notify(2, 7),
	    "OPEN Message Error, Unsupported Capability");
	assert_string_equal(fmt_notify(1, 2),
	    "Message Header Error, Bad Message Length");
	assert_string_equal(fmt_notify(5, 3), "Finite State Machine Error, "
	    "Unexpected Message in Established");
	assert_string_equal(fmt_notify(7, 1),
	    "ROUTE-REFRESH Message Error, Invalid Message Length");
	assert_string_equal(fmt_notify(9, 1), "code 9, subcode 1");
	assert_null(notify_code_name(0));
	assert_null(notify_subcode_name(6, 0));
	assert_string_equal(fmt_escape("a\tb\nc\x7f\xc2\x85\xc2\xa0"),
	    "a\\tb\\nc\\x7f\\xc2\\x85\xc2\xa0");
}

/* ------------------------------------------------------------------ */
/* show rib                                                            */

#define SEG(type, n)	((uint32_t)(type) << 16 | (n))

struct rib_arrays {
	const uint32_t	*aspath;
	const uint32_t	*comms;
	const uint32_t	*large;		/* 3 words each */
	const uint64_t	*ext;
	const uint32_t	*cluster;
};

/* One path in wire order: the struct, then the arrays its counts say. */
static void
fake_rib(struct fake *f, const struct ctl_show_rib *r,
    const struct rib_arrays *a, size_t trim, size_t extra)
{
	struct ibuf	*b;
	size_t		 len;

	len = sizeof(*r) + 4 * ((size_t)r->n_aspath + r->n_communities +
	    3 * (size_t)r->n_large_communities + r->n_cluster) +
	    8 * (size_t)r->n_ext_communities + extra;
	assert_non_null(b = ibuf_dynamic(len, len));
	assert_int_equal(ibuf_add(b, r, sizeof(*r)), 0);
	if (r->n_aspath)
		assert_int_equal(ibuf_add(b, a->aspath, 4 * r->n_aspath), 0);
	if (r->n_communities)
		assert_int_equal(ibuf_add(b, a->comms,
		    4 * r->n_communities), 0);
	if (r->n_large_communities)
		assert_int_equal(ibuf_add(b, a->large,
		    12 * r->n_large_communities), 0);
	if (r->n_ext_communities)
		assert_int_equal(ibuf_add(b, a->ext,
		    8 * r->n_ext_communities), 0);
	if (r->n_cluster)
		assert_int_equal(ibuf_add(b, a->cluster, 4 * r->n_cluster), 0);
	assert_int_equal(ibuf_add_zero(b, extra), 0);
	fake_reply(f, IMSG_CTL_SHOW_RIB, ibuf_data(b), ibuf_size(b) - trim);
	ibuf_free(b);
}

static void
rib_init(struct ctl_show_rib *r, const char *prefix, const char *neighbor,
    const char *nexthop)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(str2prefix(prefix, &r->prefix), 0);
	if (neighbor != NULL)
		assert_int_equal(str2addr(neighbor, &r->neighbor), 0);
	if (nexthop != NULL)
		assert_int_equal(str2addr(nexthop, &r->nexthop), 0);
	r->localpref = 100;
	r->lastchange = NOW - 90;
}

static const uint32_t path1[] = { SEG(2, 2), 65001, 65002, SEG(1, 2),
    65003, 65004 };
static const uint32_t path2[] = { SEG(3, 2), 64512, 64513, SEG(4, 1),
    64514, SEG(2, 1), 4200000000u };
static const uint32_t comms1[] = { 65000u << 16 | 1, 0xffffff01,
    0xffff0000 };
static const uint32_t large2[] = { 4200000000u, 1, 2, 65000, 0, 7 };
static const uint64_t ext2[] = {
	UINT64_C(0x0002fde800000064),	/* rt 65000:100 */
	UINT64_C(0x01030a0000010007),	/* soo 10.0.0.1:7 */
	UINT64_C(0x030c000000000008),	/* encapsulation: hex */
};
static const uint32_t cluster2[] = { 0xc0000201, 0xc0000203 };

/* A best eBGP path and a worse iBGP one for 10.0.0.0/24, and a local. */
static void
fake_three_paths(struct fake *f)
{
	struct ctl_show_rib	r;
	struct rib_arrays	a;

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	inet_pton(AF_INET, "192.0.2.2", &r.neighbor_id);
	r.flags = RIB_F_ELIGIBLE | RIB_F_BEST;
	r.has_med = 1;
	r.med = 10;
	r.n_aspath = 6;
	r.n_communities = 3;
	memset(&a, 0, sizeof(a));
	a.aspath = path1;
	a.comms = comms1;
	fake_rib(f, &r, &a, 0, 0);

	rib_init(&r, "10.0.0.0/24", "2001:db8::3", "192.0.2.3");
	inet_pton(AF_INET, "192.0.2.3", &r.neighbor_id);
	r.flags = RIB_F_ELIGIBLE | RIB_F_INTERNAL | RIB_F_STALE;
	r.localpref = 50;
	r.origin = 2;
	r.atomic_aggregate = 1;
	inet_pton(AF_INET, "192.0.2.9", &r.originator_id);
	strlcpy(r.reason, "lower LOCAL_PREF", sizeof(r.reason));
	r.lastchange = NOW - 86400 - 3600;
	r.n_aspath = 7;
	r.n_large_communities = 2;
	r.n_ext_communities = 3;
	r.n_cluster = 2;
	memset(&a, 0, sizeof(a));
	a.aspath = path2;
	a.large = large2;
	a.ext = ext2;
	a.cluster = cluster2;
	fake_rib(f, &r, &a, 0, 0);

	rib_init(&r, "2001:db8:1::/48", NULL, NULL);
	r.flags = RIB_F_ELIGIBLE | RIB_F_BEST | RIB_F_LOCAL | RIB_F_FILTERED;
	memset(&a, 0, sizeof(a));
	fake_rib(f, &r, &a, 0, 0);
}

static void
test_rib_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib");
	fake_three_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf,
	    "flags: * = eligible, > = best, i = iBGP, l = local, "
	    "S = stale, F = filtered\n"
	    "origin: i = IGP, e = EGP, ? = incomplete\n"
	    "\n"
	    "flags prefix             neighbor        nexthop          "
	    "lpref    med aspath origin\n"
	    "*>    10.0.0.0/24        192.0.2.2       192.0.2.2          "
	    "100     10 65001 65002 { 65003 65004 } i\n"
	    "* iS  10.0.0.0/24        2001:db8::3     192.0.2.3          "
	    " 50      - ( 64512 64513 ) [ 64514 ] 4200000000 ?\n"
	    "*>l F 2001:db8:1::/48    local           -                  "
	    "100      - i\n");
	assert_string_equal(f->errbuf, "");
}

/* Nothing at all: no legend, no error. */
static void
test_rib_empty(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib ipv6 best");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, "");
}

static const char rib_detail_text[] =
    "Prefix 10.0.0.0/24\n"
    "  Neighbor:          192.0.2.2 (BGP id 192.0.2.2)\n"
    "  Next hop:          192.0.2.2\n"
    "  AS path:           65001 65002 { 65003 65004 }\n"
    "  Origin:            IGP\n"
    "  LOCAL_PREF:        100\n"
    "  MED:               10\n"
    "  Status:            eligible, best, external\n"
    "  Communities:       65000:1 NO_EXPORT GRACEFUL_SHUTDOWN\n"
    "  Last change:       00:01:30 ago\n"
    "\n"
    "Prefix 10.0.0.0/24\n"
    "  Neighbor:          2001:db8::3 (BGP id 192.0.2.3)\n"
    "  Next hop:          192.0.2.3\n"
    "  AS path:           ( 64512 64513 ) [ 64514 ] 4200000000\n"
    "  Origin:            incomplete\n"
    "  LOCAL_PREF:        50\n"
    "  MED:               none\n"
    "  Status:            eligible, internal, stale, atomic-aggregate\n"
    "  Large communities: 4200000000:1:2 65000:0:7\n"
    "  Ext. communities:  rt 65000:100, soo 10.0.0.1:7, "
    "0x030c000000000008\n"
    "  Originator ID:     192.0.2.9\n"
    "  Cluster list:      192.0.2.1 192.0.2.3\n"
    "  Last change:       1d01h ago\n"
    "  Not best:          lower LOCAL_PREF\n"
    "\n"
    "Prefix 2001:db8:1::/48\n"
    "  Neighbor:          local\n"
    "  Next hop:          -\n"
    "  AS path:           empty\n"
    "  Origin:            IGP\n"
    "  LOCAL_PREF:        100\n"
    "  MED:               none\n"
    "  Status:            eligible, best, local, filtered\n"
    "  Last change:       00:01:30 ago\n";

/* A prefix asks for the details of every path. */
static void
test_rib_detail_text(void **state)
{
	struct fake		*f = *state;
	struct ctl_rib_request	 req;

	fake_command(f, "show rib 10.0.0.0/24 neighbor 192.0.2.2 in");
	fake_three_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, rib_detail_text);

	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_PREFIX | RIB_REQ_NEIGHBOR | RIB_REQ_IN;
	assert_int_equal(str2prefix("10.0.0.0/24", &req.prefix), 0);
	assert_int_equal(str2addr("192.0.2.2", &req.neighbor), 0);
	fake_check_request(f, IMSG_CTL_SHOW_RIB, &req, sizeof(req));
}

/* or-longer lists; detail asks for blocks whatever else is given. */
static void
test_rib_detail_choice(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib 10.0.0.0/8 or-longer detail");
	fake_three_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, rib_detail_text);
}

static void
test_rib_longer_list(void **state)
{
	struct fake		*f = *state;
	struct ctl_rib_request	 req;

	fake_command(f, "show rib ipv4 10.0.0.0/8 or-longer best");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_PREFIX | RIB_REQ_LONGER | RIB_REQ_BEST;
	req.afs = AFS_IPV4_UNICAST;
	assert_int_equal(str2prefix("10.0.0.0/8", &req.prefix), 0);
	fake_check_request(f, IMSG_CTL_SHOW_RIB, &req, sizeof(req));
}

static const char rib_json_first[] =
    "{\n"
    "  \"rib\": [\n"
    "    {\n"
    "      \"prefix\": \"10.0.0.0/24\",\n"
    "      \"neighbor\": \"192.0.2.2\",\n"
    "      \"neighbor_id\": \"192.0.2.2\",\n"
    "      \"nexthop\": \"192.0.2.2\",\n"
    "      \"origin\": \"IGP\",\n"
    "      \"localpref\": 100,\n"
    "      \"med\": 10,\n"
    "      \"weight\": 0,\n"
    "      \"best\": true,\n"
    "      \"eligible\": true,\n"
    "      \"internal\": false,\n"
    "      \"local\": false,\n"
    "      \"stale\": false,\n"
    "      \"filtered\": false,\n"
    "      \"atomic_aggregate\": false,\n"
    "      \"as_path\": \"65001 65002 { 65003 65004 }\",\n"
    "      \"as_path_segments\": [\n"
    "        {\n"
    "          \"type\": \"AS_SEQUENCE\",\n"
    "          \"asns\": [\n"
    "            65001,\n"
    "            65002\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"AS_SET\",\n"
    "          \"asns\": [\n"
    "            65003,\n"
    "            65004\n"
    "          ]\n"
    "        }\n"
    "      ],\n"
    "      \"communities\": [\n"
    "        \"65000:1\",\n"
    "        \"NO_EXPORT\",\n"
    "        \"GRACEFUL_SHUTDOWN\"\n"
    "      ],\n"
    "      \"large_communities\": [],\n"
    "      \"ext_communities\": [],\n"
    "      \"originator_id\": null,\n"
    "      \"cluster_list\": [],\n"
    "      \"last_change\": 1699999910,\n"
    "      \"last_change_age\": 90,\n"
    "      \"reason\": null\n"
    "    },\n";

static const char rib_json_second[] =
    "      \"atomic_aggregate\": true,\n"
    "      \"as_path\": \"( 64512 64513 ) [ 64514 ] 4200000000\",\n"
    "      \"as_path_segments\": [\n"
    "        {\n"
    "          \"type\": \"AS_CONFED_SEQUENCE\",\n";

static const char rib_json_attrs[] =
    "      \"large_communities\": [\n"
    "        \"4200000000:1:2\",\n"
    "        \"65000:0:7\"\n"
    "      ],\n"
    "      \"ext_communities\": [\n"
    "        \"rt 65000:100\",\n"
    "        \"soo 10.0.0.1:7\",\n"
    "        \"0x030c000000000008\"\n"
    "      ],\n"
    "      \"originator_id\": \"192.0.2.9\",\n"
    "      \"cluster_list\": [\n"
    "        \"192.0.2.1\",\n"
    "        \"192.0.2.3\"\n"
    "      ],\n"
    "      \"last_change\": 1699910000,\n"
    "      \"last_change_age\": 90000,\n"
    "      \"reason\": \"lower LOCAL_PREF\"\n"
    "    },\n";

static const char rib_json_local[] =
    "      \"prefix\": \"2001:db8:1::/48\",\n"
    "      \"neighbor\": null,\n"
    "      \"neighbor_id\": null,\n"
    "      \"nexthop\": null,\n"
    "      \"origin\": \"IGP\",\n"
    "      \"localpref\": 100,\n"
    "      \"med\": null,\n";

static void
test_rib_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib");
	fake_three_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_memory_equal(f->outbuf, rib_json_first,
	    sizeof(rib_json_first) - 1);
	assert_non_null(strstr(f->outbuf, rib_json_second));
	assert_non_null(strstr(f->outbuf, rib_json_attrs));
	assert_non_null(strstr(f->outbuf, rib_json_local));
	assert_non_null(strstr(f->outbuf,
	    "      \"as_path\": \"\",\n"
	    "      \"as_path_segments\": [],\n"));
	check_json_parses(f->outbuf);
}

static void
test_rib_empty_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib 10.9.9.9");
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, "{\n  \"rib\": []\n}\n");
}

/* A reply whose length differs from what its counts say is refused. */
static void
test_rib_truncated(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_rib	 r;
	struct rib_arrays	 a;
	char			 want[128];

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	r.n_aspath = 6;
	r.n_communities = 3;
	memset(&a, 0, sizeof(a));
	a.aspath = path1;
	a.comms = comms1;
	fake_command(f, "show rib");
	fake_rib(f, &r, &a, 0, 0);
	fake_rib(f, &r, &a, 1, 0);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	/* the first path was shown, the second one refused */
	assert_non_null(strstr(f->outbuf, "\"prefix\": \"10.0.0.0/24\""));
	snprintf(want, sizeof(want), "\"error\": \"malformed reply from "
	    "srv6d (type %d, ", IMSG_CTL_SHOW_RIB);
	assert_non_null(strstr(f->outbuf, want));
	assert_non_null(strstr(f->errbuf, "srv6ctl: malformed reply"));
	check_json_parses(f->outbuf);
}

static void
test_rib_too_long(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_rib	 r;
	struct rib_arrays	 a;

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	memset(&a, 0, sizeof(a));
	fake_command(f, "show rib");
	fake_rib(f, &r, &a, 0, 4);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_string_equal(f->outbuf, "");
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* Counts far beyond the message, and a header cut short. */
static void
test_rib_counts_mismatch(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_rib	 r;

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	r.n_ext_communities = 0xffff;
	fake_command(f, "show rib");
	fake_reply(f, IMSG_CTL_SHOW_RIB, &r, sizeof(r));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
expect_rib_refused(struct fake *f, const struct ctl_show_rib *r,
    const uint32_t *aspath)
{
	struct rib_arrays	a;

	memset(&a, 0, sizeof(a));
	a.aspath = aspath;
	fake_command(f, "show rib");
	fake_rib(f, r, &a, 0, 0);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_string_equal(f->outbuf, "");
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* An AS path segment that claims more ASNs than the path holds. */
static void
test_rib_bad_segment_count(void **state)
{
	static const uint32_t	 bad[] = { SEG(2, 1), 65001, SEG(2, 3),
	    65002, 65003 };
	struct ctl_show_rib	 r;

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	r.n_aspath = 5;
	expect_rib_refused(*state, &r, bad);
}

static void
test_rib_bad_segment_type(void **state)
{
	static const uint32_t	 bad[] = { SEG(5, 1), 65001 };
	struct ctl_show_rib	 r;

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	r.n_aspath = 2;
	expect_rib_refused(*state, &r, bad);
}

static void
test_rib_bad_prefix(void **state)
{
	struct ctl_show_rib	 r;

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	r.prefix.len = 33;
	expect_rib_refused(*state, &r, NULL);
}

/* The reason is cut at its field, whatever the daemon sent. */
static void
test_rib_reason_unterminated(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_rib	 r;
	struct rib_arrays	 a;

	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	memset(r.reason, 'r', sizeof(r.reason));
	memset(&a, 0, sizeof(a));
	fake_command(f, "show rib 10.0.0.0/24");
	fake_rib(f, &r, &a, 0, 0);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_non_null(strstr(f->outbuf, "  Not best:          "
	    "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr\n"));
}

/* ------------------------------------------------------------------ */
/* VPN RIBs and VRF Loc-RIBs                                           */

/* A VPN path: RD, label, and an SRv6 SID unless sid is NULL. */
static void
vpn_init(struct ctl_show_rib *r, uint8_t afs, const char *rd,
    const char *prefix, const char *nexthop, uint32_t label,
    const char *sid, uint16_t behavior)
{
	static const uint8_t	st[6] = { 40, 24, 16, 0, 16, 64 };

	rib_init(r, prefix, nexthop, nexthop);
	r->flags = RIB_F_ELIGIBLE | RIB_F_BEST | RIB_F_INTERNAL;
	r->afs = afs;
	assert_int_equal(str2rd(rd, &r->rd), 0);
	r->label = label;
	if (sid == NULL) {
		r->flags |= RIB_F_NOSID;
		return;
	}
	r->has_sid = 1;
	assert_int_equal(inet_pton(AF_INET6, sid, &r->sid), 1);
	r->behavior = behavior;
	memcpy(r->structure, st, sizeof(st));
}

/* Two RDs, interleaved as a hash table gives them, and both families. */
static void
fake_vpn_paths(struct fake *f)
{
	struct ctl_show_rib	r;
	struct rib_arrays	a;

	memset(&a, 0, sizeof(a));
	vpn_init(&r, AFS_VPNV4, "65000:20", "10.1.0.0/24", "2001:db8::2",
	    4096, "fc00:0:2:2:100::", 19);
	fake_rib(f, &r, &a, 0, 0);
	vpn_init(&r, AFS_VPNV4, "65000:10", "10.1.0.0/24", "2001:db8::2",
	    8192, "fc00:0:2:2:200::", 0xffff);
	fake_rib(f, &r, &a, 0, 0);
	vpn_init(&r, AFS_VPNV4, "65000:20", "10.0.0.0/24", "2001:db8::3",
	    3, NULL, 0);
	r.flags &= ~RIB_F_ELIGIBLE;
	fake_rib(f, &r, &a, 0, 0);
	vpn_init(&r, AFS_VPNV4, "65000:10", "10.2.0.0/16", NULL, 0,
	    "fc00:0:1:e000::", 19);
	r.flags = RIB_F_ELIGIBLE | RIB_F_BEST | RIB_F_LOCAL;
	memset(r.structure, 0, sizeof(r.structure));
	fake_rib(f, &r, &a, 0, 0);
}

static const char vpn_text[] =
    "flags: * = eligible, > = best, i = iBGP, l = local, S = stale, "
    "F = filtered,\n"
    "       n = no usable SRv6 SID\n"
    "\n"
    "flags  prefix             nexthop                    label  "
    "SID                      behavior\n"
    "Route Distinguisher: 65000:10\n"
    "*>i    10.1.0.0/24        2001:db8::2                 8192  "
    "fc00:0:2:2:200::         opaque (End.DT4)\n"
    "*>l    10.2.0.0/16        -                              0  "
    "fc00:0:1:e000::          End.DT4\n"
    "Route Distinguisher: 65000:20\n"
    " >i  n 10.0.0.0/24        2001:db8::3                    3  "
    "-                        -\n"
    "*>i    10.1.0.0/24        2001:db8::2                 4096  "
    "fc00:0:2:2:100::         End.DT4\n";

static void
test_vpn_rib_text(void **state)
{
	struct fake		*f = *state;
	struct ctl_rib_request	 req;

	fake_command(f, "show rib vpnv4");
	fake_vpn_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, vpn_text);
	assert_string_equal(f->errbuf, "");
	memset(&req, 0, sizeof(req));
	req.afs = AFS_VPNV4;
	fake_check_request(f, IMSG_CTL_SHOW_RIB, &req, sizeof(req));
}

static const char vpn_detail_text[] =
    "Prefix 10.1.0.0/24\n"
    "  RD:                65000:10\n"
    "  Neighbor:          2001:db8::2 (BGP id 0.0.0.0)\n"
    "  Next hop:          2001:db8::2\n"
    "  Label:             8192\n"
    "  SID:               fc00:0:2:2:200::\n"
    "  Behavior:          opaque (End.DT4)\n"
    "  SID structure:     40/24/16/0, transposed 16 bits at 64\n"
    "  AS path:           empty\n";

static const char vpn_detail_nosid[] =
    "Prefix 10.0.0.0/24\n"
    "  RD:                65000:20\n"
    "  Neighbor:          2001:db8::3 (BGP id 0.0.0.0)\n"
    "  Next hop:          2001:db8::3\n"
    "  Label:             3\n"
    "  SID:               none (not usable for forwarding)\n"
    "  AS path:           empty\n";

/* A prefix and an RD: blocks, still sorted by RD; the request's RD. */
static void
test_vpn_rib_detail(void **state)
{
	struct fake		*f = *state;
	struct ctl_rib_request	 req;

	fake_command(f, "show rib vpnv4 rd 65000:10 10.1.0.0/24");
	fake_vpn_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_non_null(strstr(f->outbuf, vpn_detail_text));
	assert_non_null(strstr(f->outbuf, vpn_detail_nosid));
	/* sorted: RD 65000:10 before 65000:20 */
	assert_true(strstr(f->outbuf, "RD:                65000:10") <
	    strstr(f->outbuf, "RD:                65000:20"));
	assert_non_null(strstr(f->outbuf, "  SID structure:     none\n"));
	memset(&req, 0, sizeof(req));
	req.afs = AFS_VPNV4;
	req.flags = RIB_REQ_RD | RIB_REQ_PREFIX;
	assert_int_equal(str2rd("65000:10", &req.rd), 0);
	assert_int_equal(str2prefix("10.1.0.0/24", &req.prefix), 0);
	fake_check_request(f, IMSG_CTL_SHOW_RIB, &req, sizeof(req));
}

static const char vpn_json_opaque[] =
    "      \"reason\": null,\n"
    "      \"family\": \"vpnv4\",\n"
    "      \"rd\": \"65000:10\",\n"
    "      \"label\": 8192,\n"
    "      \"no_sid\": false,\n"
    "      \"sid\": \"fc00:0:2:2:200::\",\n"
    "      \"behavior\": \"opaque\",\n"
    "      \"behavior_code\": 65535,\n"
    "      \"behavior_inferred\": \"End.DT4\",\n"
    "      \"structure\": {\n"
    "        \"block_length\": 40,\n"
    "        \"node_length\": 24,\n"
    "        \"function_length\": 16,\n"
    "        \"argument_length\": 0,\n"
    "        \"transposition_length\": 16,\n"
    "        \"transposition_offset\": 64\n"
    "      }\n"
    "    },\n";

static const char vpn_json_nosid[] =
    "      \"family\": \"vpnv4\",\n"
    "      \"rd\": \"65000:20\",\n"
    "      \"label\": 3,\n"
    "      \"no_sid\": true,\n"
    "      \"sid\": null,\n"
    "      \"behavior\": null,\n"
    "      \"behavior_code\": null,\n"
    "      \"behavior_inferred\": null,\n"
    "      \"structure\": null\n";

static void
test_vpn_rib_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib vpnv4");
	fake_vpn_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_non_null(strstr(f->outbuf, vpn_json_opaque));
	assert_non_null(strstr(f->outbuf, vpn_json_nosid));
	assert_non_null(strstr(f->outbuf, "      \"behavior\": \"End.DT4\",\n"
	    "      \"behavior_code\": 19,\n"
	    "      \"behavior_inferred\": \"End.DT4\",\n"
	    "      \"structure\": null\n"));
	/* a unicast path has none of the VPN keys */
	assert_null(strstr(f->outbuf, "\"vrf\""));
	check_json_parses(f->outbuf);
}

/* A VRF's paths: one imported (its source RD), one local. */
static void
fake_vrf_paths(struct fake *f)
{
	struct ctl_show_rib	r;
	struct rib_arrays	a;

	memset(&a, 0, sizeof(a));
	vpn_init(&r, AFS_IPV6_UNICAST, "65000:10", "2001:db8:10::/48",
	    "2001:db8::2", 4096, "fc00:0:2:2:100::", 18);
	strlcpy(r.vrf, "red", sizeof(r.vrf));
	r.flags |= RIB_F_IMPORTED;
	fake_rib(f, &r, &a, 0, 0);
	vpn_init(&r, AFS_IPV4_UNICAST, "65000:10", "10.1.0.0/24",
	    "2001:db8::2", 4096, "fc00:0:2:2:100::", 0xffff);
	strlcpy(r.vrf, "red", sizeof(r.vrf));
	r.flags |= RIB_F_IMPORTED;
	fake_rib(f, &r, &a, 0, 0);
	rib_init(&r, "10.200.0.0/24", NULL, NULL);
	r.afs = AFS_IPV4_UNICAST;
	strlcpy(r.vrf, "red", sizeof(r.vrf));
	r.flags = RIB_F_ELIGIBLE | RIB_F_BEST | RIB_F_LOCAL;
	fake_rib(f, &r, &a, 0, 0);
}

static const char vrf_rib_text[] =
    "flags: * = eligible, > = best, i = iBGP, l = local, S = stale, "
    "F = filtered,\n"
    "       n = no usable SRv6 SID\n"
    "\n"
    "flags  prefix             nexthop                  source RD      "
    "SID                      behavior\n"
    "*>i    10.1.0.0/24        2001:db8::2              65000:10       "
    "fc00:0:2:2:100::         opaque (End.DT4)\n"
    "*>l    10.200.0.0/24      -                        -              "
    "-                        -\n"
    "*>i    2001:db8:10::/48   2001:db8::2              65000:10       "
    "fc00:0:2:2:100::         End.DT6\n";

static void
test_vrf_rib_text(void **state)
{
	struct fake		*f = *state;
	struct ctl_rib_request	 req;

	fake_command(f, "show rib vrf red");
	fake_vrf_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, vrf_rib_text);
	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_VRF;
	strlcpy(req.vrf, "red", sizeof(req.vrf));
	fake_check_request(f, IMSG_CTL_SHOW_RIB, &req, sizeof(req));
}

static void
test_vrf_rib_detail_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib vrf red 10.200.0.1");
	fake_vrf_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_non_null(strstr(f->outbuf, "Prefix 10.1.0.0/24\n"
	    "  VRF:               red\n"
	    "  Neighbor:          2001:db8::2 (BGP id 0.0.0.0)\n"
	    "  Next hop:          2001:db8::2\n"
	    "  Source RD:         65000:10\n"
	    "  Label:             4096\n"));
	assert_non_null(strstr(f->outbuf, "Prefix 10.200.0.0/24\n"
	    "  VRF:               red\n"
	    "  Neighbor:          local\n"
	    "  Next hop:          -\n"
	    "  Source RD:         none (local)\n"
	    "  AS path:           empty\n"));
}

static void
test_vrf_rib_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show rib vrf red");
	fake_vrf_paths(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_non_null(strstr(f->outbuf,
	    "      \"family\": \"ipv6\",\n"
	    "      \"vrf\": \"red\",\n"
	    "      \"imported\": true,\n"
	    "      \"rd\": \"65000:10\",\n"
	    "      \"label\": 4096,\n"
	    "      \"no_sid\": false,\n"
	    "      \"sid\": \"fc00:0:2:2:100::\",\n"
	    "      \"behavior\": \"End.DT6\",\n"));
	assert_non_null(strstr(f->outbuf,
	    "      \"family\": \"ipv4\",\n"
	    "      \"vrf\": \"red\",\n"
	    "      \"imported\": false,\n"
	    "      \"rd\": null,\n"
	    "      \"label\": 0,\n"
	    "      \"no_sid\": false,\n"
	    "      \"sid\": null,\n"));
	check_json_parses(f->outbuf);
}

/* Unicast paths stream; the VPN ones follow in their own table. */
static void
test_rib_mixed_text(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_rib	 r;
	struct rib_arrays	 a;
	const char		*vpn, *uni;

	memset(&a, 0, sizeof(a));
	fake_command(f, "show rib");
	vpn_init(&r, AFS_VPNV6, "65000:10", "2001:db8:10::/48",
	    "2001:db8::2", 16, "fc00:0:2:2:100::", 62);
	fake_rib(f, &r, &a, 0, 0);
	rib_init(&r, "10.0.0.0/24", "192.0.2.2", "192.0.2.2");
	r.afs = AFS_IPV4_UNICAST;
	fake_rib(f, &r, &a, 0, 0);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	uni = strstr(f->outbuf, "10.0.0.0/24");
	vpn = strstr(f->outbuf, "Route Distinguisher: 65000:10 (vpnv6)\n"
	    "*>i    2001:db8:10::/48   2001:db8::2                   16  "
	    "fc00:0:2:2:100::         uDT6\n");
	assert_non_null(uni);
	assert_non_null(vpn);
	assert_true(uni < vpn);
	assert_non_null(strstr(f->outbuf, " i\n\nflags: "));
}

/* Behaviour codes: names, 0xffff inferred by family, unknown ones. */
static void
test_behavior_names(void **state)
{
	(void)state;
	assert_string_equal(fmt_behavior(19, AF_INET), "End.DT4");
	assert_string_equal(fmt_behavior(20, AF_INET), "End.DT46");
	assert_string_equal(fmt_behavior(0xffff, AF_INET),
	    "opaque (End.DT4)");
	assert_string_equal(fmt_behavior(0xffff, AF_INET6),
	    "opaque (End.DT6)");
	assert_string_equal(fmt_behavior(77, AF_INET), "unknown (77)");
	assert_null(behavior_name(77));
	assert_int_equal(behavior_infer(17, AF_INET6), 17);
	assert_string_equal(fmt_structure((const uint8_t[6]){ 32, 16, 16,
	    0, 0, 0 }), "32/16/16/0");
}

/* ------------------------------------------------------------------ */
/* show sid, show locator                                              */

static void
fake_sids(struct fake *f)
{
	struct ctl_show_sid	s;

	sid_init(&s, "fc00:0:1:e000::", 20, "vrf0", NULL);
	s.routes = 3;
	fake_reply(f, IMSG_CTL_SHOW_SID, &s, sizeof(s));
	sid_init(&s, "fc00:0:1:e001::", 17, "vrf0", "10.200.0.10");
	s.table = 0;		/* End.DX4 looks up no table */
	s.routes = 1;
	s.has_counters = 1;
	s.packets = 12;
	s.bytes = 1200;
	s.errors = 1;
	fake_reply(f, IMSG_CTL_SHOW_SID, &s, sizeof(s));
}

static const char sid_text[] =
    "SID                      behavior   vrf             locator       "
    "table nexthop          routes\n"
    "fc00:0:1:e000::          End.DT46   vrf0            main             "
    "10 -                3\n"
    "fc00:0:1:e001::          End.DX4    vrf0            main              "
    "- 10.200.0.10      1\n"
    "  counters: 12 packets, 1200 bytes, 1 errors\n";

static void
test_sid_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show sid");
	fake_sids(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, sid_text);
	fake_check_request(f, IMSG_CTL_SHOW_SID, NULL, 0);
}

static const char sid_json[] =
    "{\n"
    "  \"sids\": [\n"
    "    {\n"
    "      \"sid\": \"fc00:0:1:e000::\",\n"
    "      \"behavior\": \"End.DT46\",\n"
    "      \"behavior_code\": 20,\n"
    "      \"family\": \"both\",\n"
    "      \"vrf\": \"vrf0\",\n"
    "      \"locator\": \"main\",\n"
    "      \"table\": 10,\n"
    "      \"nexthop\": null,\n"
    "      \"routes\": 3,\n"
    "      \"counters\": null\n"
    "    },\n"
    "    {\n"
    "      \"sid\": \"fc00:0:1:e001::\",\n"
    "      \"behavior\": \"End.DX4\",\n"
    "      \"behavior_code\": 17,\n"
    "      \"family\": \"ipv4\",\n"
    "      \"vrf\": \"vrf0\",\n"
    "      \"locator\": \"main\",\n"
    "      \"table\": null,\n"
    "      \"nexthop\": \"10.200.0.10\",\n"
    "      \"routes\": 1,\n"
    "      \"counters\": {\n"
    "        \"packets\": 12,\n"
    "        \"bytes\": 1200,\n"
    "        \"errors\": 1\n"
    "      }\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void
test_sid_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show sid");
	fake_sids(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, sid_json);
	check_json_parses(f->outbuf);
}

static void
test_sid_empty_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show sid");
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, "{\n  \"sids\": []\n}\n");
}

/* A SID reply of the wrong size, or with a bad next hop family. */
static void
test_sid_malformed(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_sid	 s;

	sid_init(&s, "fc00:0:1:e000::", 19, "vrf0", NULL);
	fake_command(f, "show sid");
	fake_reply(f, IMSG_CTL_SHOW_SID, &s, sizeof(s) - 1);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
test_sid_bad_nexthop(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_sid	 s;

	sid_init(&s, "fc00:0:1:e000::", 17, "vrf0", NULL);
	s.nh.af = 99;
	fake_command(f, "show sid");
	fake_reply(f, IMSG_CTL_SHOW_SID, &s, sizeof(s));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* A VRF whose SID count promises more than the reply holds. */
static void
test_vrf_sids_truncated(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_vrf	 v;
	struct ctl_show_sid	 s;

	memset(&v, 0, sizeof(v));
	strlcpy(v.name, "red", sizeof(v.name));
	v.n_sids = 1;
	sid_init(&s, "fc00:0:1:e000::", 19, "red", NULL);
	fake_command(f, "show vrf");
	fake_vrf_sids(f, &v, NULL, NULL, NULL, &s, 1);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
fake_locators(struct fake *f)
{
	struct ctl_show_locator	l;

	memset(&l, 0, sizeof(l));
	strlcpy(l.name, "main", sizeof(l.name));
	assert_int_equal(str2prefix("fc00:0:1::/48", &l.prefix), 0);
	l.block_len = 32;
	l.node_len = 16;
	l.func_len = 16;
	l.announce = 1;
	l.n_sids = 2;
	fake_reply(f, IMSG_CTL_SHOW_LOCATOR, &l, sizeof(l));
	strlcpy(l.name, "usid", sizeof(l.name));
	assert_int_equal(str2prefix("fc00:1:2::/48", &l.prefix), 0);
	l.block_len = 32;
	l.node_len = 16;
	l.func_len = 16;
	l.arg_len = 8;
	l.announce = 0;
	l.n_sids = 0;
	fake_reply(f, IMSG_CTL_SHOW_LOCATOR, &l, sizeof(l));
}

static void
test_locator_text(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show locator");
	fake_locators(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf,
	    "locator          prefix                   block node func arg  "
	    "announce SIDs\n"
	    "main             fc00:0:1::/48               32   16   16   0  "
	    "yes      2\n"
	    "usid             fc00:1:2::/48               32   16   16   8  "
	    "no       0\n");
	fake_check_request(f, IMSG_CTL_SHOW_LOCATOR, NULL, 0);
}

static void
test_locator_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show locator");
	fake_locators(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_memory_equal(f->outbuf,
	    "{\n"
	    "  \"locators\": [\n"
	    "    {\n"
	    "      \"name\": \"main\",\n"
	    "      \"prefix\": \"fc00:0:1::/48\",\n"
	    "      \"block_length\": 32,\n"
	    "      \"node_length\": 16,\n"
	    "      \"function_length\": 16,\n"
	    "      \"argument_length\": 0,\n"
	    "      \"announce\": true,\n"
	    "      \"sids\": 2\n"
	    "    },\n", 209);
	assert_non_null(strstr(f->outbuf, "\"announce\": false,\n"));
	check_json_parses(f->outbuf);
}

/* A locator must be an IPv6 prefix. */
static void
test_locator_bad_prefix(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_locator	 l;

	memset(&l, 0, sizeof(l));
	strlcpy(l.name, "main", sizeof(l.name));
	assert_int_equal(str2prefix("10.0.0.0/8", &l.prefix), 0);
	fake_command(f, "show locator");
	fake_reply(f, IMSG_CTL_SHOW_LOCATOR, &l, sizeof(l));
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_non_null(strstr(f->outbuf, "\"error\": \"malformed reply"));
}

/* A reply of another command is refused (show sid gets a locator). */
static void
test_sid_wrong_reply(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show sid");
	fake_locators(f);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* ------------------------------------------------------------------ */
/* show fib                                                            */

/* A parent that installed things, and one whose kernel refused two. */
static void
fib_init(struct ctl_show_fib *sf, int failed)
{
	memset(sf, 0, sizeof(*sf));
	strlcpy(sf->kernel_mode, "table", sizeof(sf->kernel_mode));
	sf->sent = 1005;
	sf->acked = 1000 - failed;
	sf->failed = failed;
	sf->pending = 5;
	sf->routes = 990;
	sf->sids = 4;
	sf->nexthops = 3;
	sf->adopted = 7;
	sf->stale_removed = 2;
	sf->resyncs = 1;
	sf->n_errors = failed > 2 ? 2 : failed;
}

/* The refusals of fib_init, newest first: one with an extended ACK. */
static void
fib_errors_init(struct ctl_fib_error e[2])
{
	memset(e, 0, 2 * sizeof(e[0]));
	e[0].time = NOW - 65;
	e[0].error = EINVAL;
	strlcpy(e[0].what, "SID fc00:0:1:e000:: End.DT46", sizeof(e[0].what));
	strlcpy(e[0].extack, "\"vrftable\" needs a VRF\n",
	    sizeof(e[0].extack));
	e[1].time = NOW - 3700;
	e[1].error = ENODEV;
	strlcpy(e[1].what, "nexthop 1570766849 encap seg6 fc00:0:2:1::",
	    sizeof(e[1].what));
}

/* show fib as the parent answers: the stats, the refusals, the end. */
static void
fib_replies(struct fake *f, const struct ctl_show_fib *sf)
{
	struct ctl_fib_error	e[2];
	uint32_t		i;

	fib_errors_init(e);
	fake_reply(f, IMSG_CTL_SHOW_FIB, sf, sizeof(*sf));
	for (i = 0; i < sf->n_errors; i++)
		fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, &e[i], sizeof(e[i]));
	fake_end(f);
}

static const char fib_text[] =
    "Kernel mode:       table\n"
    "Routes:            990\n"
    "Local SIDs:        4\n"
    "Nexthop objects:   3\n"
    "Requests:          1005 sent, 997 acknowledged, 3 failed, "
    "5 pending\n"
    "Start-up:          7 adopted, 2 stale removed\n"
    "Monitor resyncs:   1\n"
    "Recent errors:     last 2 of 3, newest first\n"
    "  00:01:05 ago: SID fc00:0:1:e000:: End.DT46: EINVAL (Invalid "
    "argument): \\\"vrftable\\\" needs a VRF\\n\n"
    "  01:01:40 ago: nexthop 1570766849 encap seg6 fc00:0:2:1::: ENODEV "
    "(No such device)\n";

static void
test_fib_text(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;

	fib_init(&sf, 3);
	fake_command(f, "show fib");
	fib_replies(f, &sf);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, fib_text);
	fake_check_request(f, IMSG_CTL_SHOW_FIB, NULL, 0);
}

/* Every refusal still held: no "last N of". */
static void
test_fib_text_all_held(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;

	fib_init(&sf, 2);
	fake_command(f, "show fib");
	fib_replies(f, &sf);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_non_null(strstr(f->outbuf,
	    "\nRecent errors:     2, newest first\n  00:01:05 ago: SID "));
}

static void
test_fib_text_no_error(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;

	fib_init(&sf, 0);
	sf.kernel_mode[0] = '\0';
	fake_command(f, "show fib");
	fib_replies(f, &sf);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_non_null(strstr(f->outbuf, "Kernel mode:       unknown\n"));
	assert_non_null(strstr(f->outbuf, "Recent errors:     none\n"));
	assert_non_null(strstr(f->outbuf, "1000 acknowledged, 0 failed"));
}

static const char fib_json[] =
    "{\n"
    "  \"fib\": {\n"
    "    \"kernel_mode\": \"table\",\n"
    "    \"routes\": 990,\n"
    "    \"sids\": 4,\n"
    "    \"nexthops\": 3,\n"
    "    \"requests\": {\n"
    "      \"sent\": 1005,\n"
    "      \"acked\": 997,\n"
    "      \"failed\": 3,\n"
    "      \"pending\": 5\n"
    "    },\n"
    "    \"adopted\": 7,\n"
    "    \"stale_removed\": 2,\n"
    "    \"resyncs\": 1,\n"
    "    \"errors\": [\n"
    "      {\n"
    "        \"time\": 1699999935,\n"
    "        \"age\": 65,\n"
    "        \"object\": \"SID fc00:0:1:e000:: End.DT46\",\n"
    "        \"errno\": 22,\n"
    "        \"errno_name\": \"EINVAL\",\n"
    "        \"message\": \"Invalid argument\",\n"
    "        \"extack\": \"\\\"vrftable\\\" needs a VRF\\n\"\n"
    "      },\n"
    "      {\n"
    "        \"time\": 1699996300,\n"
    "        \"age\": 3700,\n"
    "        \"object\": \"nexthop 1570766849 encap seg6 fc00:0:2:1::\",\n"
    "        \"errno\": 19,\n"
    "        \"errno_name\": \"ENODEV\",\n"
    "        \"message\": \"No such device\",\n"
    "        \"extack\": null\n"
    "      }\n"
    "    ]\n"
    "  }\n"
    "}\n";

static void
test_fib_json(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;

	fib_init(&sf, 3);
	fake_command(f, "show fib");
	fib_replies(f, &sf);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, fib_json);
	check_json_parses(f->outbuf);
}

static void
test_fib_json_no_error(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;

	fib_init(&sf, 0);
	sf.kernel_mode[0] = '\0';
	fake_command(f, "show fib");
	fib_replies(f, &sf);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_non_null(strstr(f->outbuf, "\"kernel_mode\": null,\n"));
	assert_non_null(strstr(f->outbuf, "\"errors\": []\n  }\n}\n"));
	check_json_parses(f->outbuf);
}

/* Unterminated strings are cut, not read past; a short reply refused. */
static void
test_fib_unterminated(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;
	struct ctl_fib_error	 e;
	char			 want[CTL_FIB_EXTACK_LEN + 16];

	fib_init(&sf, 1);
	memset(sf.kernel_mode, 'x', sizeof(sf.kernel_mode));
	memset(&e, 0, sizeof(e));
	e.time = NOW;
	e.error = EEXIST;
	memset(e.what, 'w', sizeof(e.what));
	memset(e.extack, 'e', sizeof(e.extack));
	fake_command(f, "show fib");
	fake_reply(f, IMSG_CTL_SHOW_FIB, &sf, sizeof(sf));
	fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, &e, sizeof(e));
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_non_null(strstr(f->outbuf, "\"kernel_mode\": \"xxxxxxxxxxxxxxx\","));
	memset(want, 0, sizeof(want));
	strlcpy(want, "\"extack\": \"", sizeof(want));
	memset(want + strlen(want), 'e', CTL_FIB_EXTACK_LEN - 1);
	strlcat(want, "\"\n", sizeof(want));
	assert_non_null(strstr(f->outbuf, want));
	check_json_parses(f->outbuf);
}

static void
test_fib_malformed(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;

	fib_init(&sf, 0);
	fake_command(f, "show fib");
	fake_reply(f, IMSG_CTL_SHOW_FIB, &sf, sizeof(sf) - 1);
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* A refusal one byte short, or with no errno, is refused. */
static void
fib_error_refused(struct fake *f, const struct ctl_fib_error *e, size_t len)
{
	struct ctl_show_fib	 sf;

	fib_init(&sf, 1);
	fake_command(f, "show fib");
	fake_reply(f, IMSG_CTL_SHOW_FIB, &sf, sizeof(sf));
	fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, e, len);
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
test_fib_error_short(void **state)
{
	struct ctl_fib_error	 e[2];

	fib_errors_init(e);
	fib_error_refused(*state, &e[0], sizeof(e[0]) - 1);
}

static void
test_fib_error_no_errno(void **state)
{
	struct ctl_fib_error	 e[2];

	fib_errors_init(e);
	e[0].error = 0;
	fib_error_refused(*state, &e[0], sizeof(e[0]));
}

/* The end before every announced refusal, or one too many: refused. */
static void
test_fib_error_count(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;
	struct ctl_fib_error	 e[2];

	fib_init(&sf, 2);
	fib_errors_init(e);
	fake_command(f, "show fib");
	fake_reply(f, IMSG_CTL_SHOW_FIB, &sf, sizeof(sf));
	fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, &e[0], sizeof(e[0]));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
	assert_non_null(strstr(f->outbuf, "End.DT46"));	/* what came */
}

static void
test_fib_error_extra(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_fib	 sf;
	struct ctl_fib_error	 e[2];

	fib_init(&sf, 1);
	fib_errors_init(e);
	fake_command(f, "show fib");
	fake_reply(f, IMSG_CTL_SHOW_FIB, &sf, sizeof(sf));
	fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, &e[0], sizeof(e[0]));
	fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, &e[1], sizeof(e[1]));
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* A refusal before the stats, or to another command: refused. */
static void
test_fib_error_out_of_place(void **state)
{
	struct fake		*f = *state;
	struct ctl_fib_error	 e[2];

	fib_errors_init(e);
	fake_command(f, "show sid");
	fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, &e[0], sizeof(e[0]));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
test_fib_error_before_fib(void **state)
{
	struct fake		*f = *state;
	struct ctl_fib_error	 e[2];

	fib_errors_init(e);
	fake_command(f, "show fib");
	fake_reply(f, IMSG_CTL_SHOW_FIB_ERROR, &e[0], sizeof(e[0]));
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* A show sid reply to show fib is refused. */
static void
test_fib_wrong_reply(void **state)
{
	struct fake		*f = *state;
	struct ctl_show_sid	 s;

	sid_init(&s, "fc00:0:1:e000::", 19, "vrf0", NULL);
	fake_command(f, "show fib");
	fake_reply(f, IMSG_CTL_SHOW_SID, &s, sizeof(s));
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

/* ------------------------------------------------------------------ */
/* neighbor ADDR up | down ["reason"] | clear | refresh                */

static void
test_neighbor_down_reason(void **state)
{
	struct fake	*f = *state;
	uint8_t		 want[sizeof(struct srv6d_addr) + 12];

	fake_command(f, "neighbor 192.0.2.2 down maintenance");
	fake_result(f, CTL_RES_OK, "neighbor 192.0.2.2: going down");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, "neighbor 192.0.2.2: going down\n");
	memcpy(want, &f->res.addr, sizeof(f->res.addr));
	memcpy(want + sizeof(f->res.addr), "maintenance", 12);
	fake_check_request(f, IMSG_CTL_NEIGHBOR_DOWN, want, sizeof(want));
}

static void
test_neighbor_down_plain(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "neighbor 2001:db8::2 down");
	fake_result(f, CTL_RES_OK, "");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 0);
	assert_string_equal(f->outbuf, "");
	fake_check_request(f, IMSG_CTL_NEIGHBOR_DOWN, &f->res.addr,
	    sizeof(f->res.addr));
}

static void
check_neighbor_command(struct fake *f, const char *line, uint32_t type)
{
	fake_command(f, line);
	fake_result(f, CTL_RES_OK, "done");
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 0);
	assert_string_equal(f->outbuf, "{\n  \"result\": \"ok\",\n"
	    "  \"message\": \"done\"\n}\n");
	fake_check_request(f, type, &f->res.addr, sizeof(f->res.addr));
}

static void
test_neighbor_up(void **state)
{
	check_neighbor_command(*state, "neighbor 192.0.2.2 up",
	    IMSG_CTL_NEIGHBOR_UP);
}

static void
test_neighbor_clear(void **state)
{
	check_neighbor_command(*state, "neighbor 192.0.2.2 clear",
	    IMSG_CTL_NEIGHBOR_CLEAR);
}

static void
test_neighbor_refresh(void **state)
{
	check_neighbor_command(*state, "neighbor 2001:db8::2 refresh",
	    IMSG_CTL_NEIGHBOR_REFRESH);
}

static void
test_neighbor_command_nosuch(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "neighbor 192.0.2.99 clear");
	fake_result(f, CTL_RES_NOSUCH, "no such neighbor: 192.0.2.99");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_string_equal(f->outbuf, "");
	assert_string_equal(f->errbuf, "no such neighbor: 192.0.2.99\n");
}

/* A command that changes state expects no data, only a result. */
static void
test_neighbor_command_data(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "neighbor 192.0.2.2 up");
	fake_neighbor(f, "192.0.2.2", 65000, NSTATE_IDLE, 0, "");
	fake_end(f);
	assert_int_equal(fake_run(f, &text_output), 1);
	assert_non_null(strstr(f->errbuf, "malformed reply"));
}

static void
test_neighbor_nosuch_json(void **state)
{
	struct fake	*f = *state;

	fake_command(f, "show neighbor 192.0.2.99");
	fake_result(f, CTL_RES_NOSUCH, "no such neighbor: 192.0.2.99");
	fake_end(f);
	assert_int_equal(fake_run(f, &json_output), 1);
	assert_string_equal(f->outbuf,
	    "{\n"
	    "  \"neighbors\": [],\n"
	    "  \"result\": \"no such object\",\n"
	    "  \"message\": \"no such neighbor: 192.0.2.99\"\n"
	    "}\n");
}

static void
test_durations(void **state)
{
	(void)state;
	assert_string_equal(fmt_duration(0), "00:00:00");
	assert_string_equal(fmt_duration(-5), "00:00:00");
	assert_string_equal(fmt_duration(3723), "01:02:03");
	assert_string_equal(fmt_duration(86399), "23:59:59");
	assert_string_equal(fmt_duration(86400), "1d00h");
	assert_string_equal(fmt_duration(2 * 86400 + 3 * 3600), "2d03h");
	assert_string_equal(fmt_duration(15 * 86400 + 7200), "2w1d02h");
	assert_string_equal(fmt_since(NOW, 0), "never");
	assert_string_equal(fmt_since(NOW, NOW - 61), "00:01:01");
}

/* ------------------------------------------------------------------ */
/* The srv6ctl binary itself: exit statuses and its messages.          */

struct run {
	int	 status;
	char	 out[4096];
	char	 err[4096];
};

static void
slurp(const char *path, char *buf, size_t len)
{
	FILE	*fp;
	size_t	 n;

	assert_non_null(fp = fopen(path, "r"));
	n = fread(buf, 1, len - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	unlink(path);
}

static const char *
srv6ctl_path(void)
{
	static char	path[256];
	const char	*build = getenv("BUILD");

	snprintf(path, sizeof(path), "%s/srv6ctl", build ? build : "build");
	return path;
}

/* Start srv6ctl with argv (NULL-terminated, argv[0] ignored). */
static pid_t
srv6ctl_start(char *argv[], char *outpath, char *errpath)
{
	pid_t	pid;
	int	o, e;

	if (access(srv6ctl_path(), X_OK) == -1)
		skip();
	snprintf(outpath, 64, "/tmp/srv6ctl-test.%d.out", (int)getpid());
	snprintf(errpath, 64, "/tmp/srv6ctl-test.%d.err", (int)getpid());
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		o = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		e = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (o == -1 || e == -1 || dup2(o, 1) == -1 ||
		    dup2(e, 2) == -1)
			_exit(127);
		argv[0] = (char *)srv6ctl_path();
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static void
srv6ctl_wait(pid_t pid, struct run *r, const char *outpath,
    const char *errpath)
{
	int	status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	r->status = WEXITSTATUS(status);
	slurp(outpath, r->out, sizeof(r->out));
	slurp(errpath, r->err, sizeof(r->err));
}

static void
srv6ctl_run(char *argv[], struct run *r)
{
	char	outpath[64], errpath[64];
	pid_t	pid;

	pid = srv6ctl_start(argv, outpath, errpath);
	srv6ctl_wait(pid, r, outpath, errpath);
}

static void
test_binary_usage(void **state)
{
	char		*bad[][5] = {
		{ NULL, NULL },
		{ NULL, "show", NULL },
		{ NULL, "show", "bogus", NULL },
		{ NULL, "show", "neighbor", "1.2.3", NULL },
		{ NULL, "log", "loud", NULL },
		{ NULL, "reload", "now", NULL },
		{ NULL, "-x", "reload", NULL },
	};
	struct run	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		srv6ctl_run(bad[i], &r);
		assert_int_equal(r.status, 2);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "usage: srv6ctl [-j] "
		    "[-s socket] command"));
	}
}

static void
test_binary_no_daemon(void **state)
{
	char		*argv[] = { NULL, "-s", "/nonexistent/srv6d.sock",
	    "show", "summary", NULL };
	char		*jargv[] = { NULL, "-j", "-s",
	    "/nonexistent/srv6d.sock", "show", "summary", NULL };
	struct run	 r;

	(void)state;
	srv6ctl_run(argv, &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "srv6ctl: connect: /nonexistent/srv6d.sock: "
	    "No such file or directory\n");

	srv6ctl_run(jargv, &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "{\n  \"error\": \"connect: "
	    "/nonexistent/srv6d.sock: No such file or directory\"\n}\n");
	check_json_parses(r.out);
}

/* A fake daemon on a real unix socket answering a failed reload. */
static void
test_binary_reload_failed(void **state)
{
	struct fake		*f = *state;
	struct sockaddr_un	 sun;
	char			 outpath[64], errpath[64], path[64];
	char			*argv[] = { NULL, "-s", path, "reload",
	    NULL };
	struct run		 r;
	pid_t			 pid;
	int			 lfd, fd;

	if (access(srv6ctl_path(), X_OK) == -1)
		skip();
	snprintf(path, sizeof(path), "/tmp/srv6ctl-test.%d.sock",
	    (int)getpid());
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	unlink(path);
	assert_true((lfd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 1), 0);

	pid = srv6ctl_start(argv, outpath, errpath);
	assert_true((fd = accept(lfd, NULL, NULL)) != -1);
	close(lfd);
	unlink(path);
	/* answer on the accepted connection instead of the socketpair */
	imsgbuf_clear(&f->daemon);
	imsgbuf_init(&f->daemon, fd);
	fake_result(f, CTL_RES_FAILED, reload_errors);
	fake_end(f);
	fake_check_request(f, IMSG_CTL_RELOAD, NULL, 0);
	srv6ctl_wait(pid, &r, outpath, errpath);
	close(fd);
	imsgbuf_clear(&f->daemon);
	imsgbuf_init(&f->daemon, f->fds[1]);

	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err,
	    "/etc/srv6d.conf:3: unknown keyword \"routerid\"\n"
	    "/etc/srv6d.conf:9: duplicate vrf \"vrf0\"\n"
	    "reload failed: 2 errors, configuration unchanged\n");
}

#define T(f)	cmocka_unit_test_setup_teardown(f, fake_setup, \
		    fake_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_vrf_text),
		T(test_vrf_json),
		T(test_vrf_empty_json),
		T(test_vrf_truncated),
		T(test_vrf_counts_mismatch),
		T(test_result_failed_text),
		T(test_result_failed_json),
		T(test_result_ok),
		T(test_result_denied_json),
		T(test_result_unterminated),
		T(test_closed_early),
		T(test_wrong_reply_type),
		T(test_summary_text),
		T(test_summary_json),
		T(test_neighbor_list_text),
		T(test_neighbor_detail_text),
		T(test_neighbor_full_text),
		T(test_neighbor_full_json),
		T(test_neighbor_idle_json),
		cmocka_unit_test(test_notify_names),
		T(test_neighbor_nosuch_json),
		T(test_rib_text),
		T(test_rib_empty),
		T(test_rib_detail_text),
		T(test_rib_detail_choice),
		T(test_rib_longer_list),
		T(test_rib_json),
		T(test_rib_empty_json),
		T(test_rib_truncated),
		T(test_rib_too_long),
		T(test_rib_counts_mismatch),
		T(test_rib_bad_segment_count),
		T(test_rib_bad_segment_type),
		T(test_rib_bad_prefix),
		T(test_rib_reason_unterminated),
		T(test_vpn_rib_text),
		T(test_vpn_rib_detail),
		T(test_vpn_rib_json),
		T(test_vrf_rib_text),
		T(test_vrf_rib_detail_json),
		T(test_vrf_rib_json),
		T(test_rib_mixed_text),
		cmocka_unit_test(test_behavior_names),
		T(test_sid_text),
		T(test_sid_json),
		T(test_sid_empty_json),
		T(test_sid_malformed),
		T(test_sid_bad_nexthop),
		T(test_vrf_sids_truncated),
		T(test_locator_text),
		T(test_locator_json),
		T(test_locator_bad_prefix),
		T(test_sid_wrong_reply),
		T(test_fib_text),
		T(test_fib_text_all_held),
		T(test_fib_text_no_error),
		T(test_fib_json),
		T(test_fib_json_no_error),
		T(test_fib_unterminated),
		T(test_fib_malformed),
		T(test_fib_error_short),
		T(test_fib_error_no_errno),
		T(test_fib_error_count),
		T(test_fib_error_extra),
		T(test_fib_error_out_of_place),
		T(test_fib_error_before_fib),
		T(test_fib_wrong_reply),
		T(test_neighbor_down_reason),
		T(test_neighbor_down_plain),
		T(test_neighbor_up),
		T(test_neighbor_clear),
		T(test_neighbor_refresh),
		T(test_neighbor_command_nosuch),
		T(test_neighbor_command_data),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_binary_usage),
		cmocka_unit_test(test_binary_no_daemon),
		T(test_binary_reload_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
