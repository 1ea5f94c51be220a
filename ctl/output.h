/*
 * srv6ctl output: replies are decoded once into these structs and handed
 * to one table of printers, one implementation for people (text) and one
 * for programs (JSON), so both always show the same facts.
 */
#ifndef SRV6CTL_OUTPUT_H
#define SRV6CTL_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "srv6d.h"
#include "json.h"
#include "parser.h"

/* A decoded IMSG_CTL_SHOW_VRF reply: the fixed part and its arrays. */
struct ctl_vrf {
	struct ctl_show_vrf	 v;
	ext_community_t		*import_rt;	/* v.n_import */
	ext_community_t		*export_rt;	/* v.n_export */
	char			(*ifaces)[IFNAMSIZ];	/* v.n_ifaces */
	struct srv6d_prefix	*networks;	/* v.n_networks */
};

struct output_ctx {
	FILE				*out;	/* stdout */
	FILE				*err;	/* stderr */
	time_t				 now;	/* for durations */
	const struct parse_result	*res;	/* the command */
	unsigned int			 items;	/* replies printed */
	/* JSON: the document, and the results merged into one */
	struct json			 json;
	int				 has_result;
	uint32_t			 result;
	char				*message;
	char				*error;	/* srv6ctl's own */
};

struct output {
	void	(*head)(struct output_ctx *);
	void	(*summary)(struct output_ctx *,
		    const struct ctl_show_summary *);
	void	(*neighbor)(struct output_ctx *,
		    const struct ctl_show_neighbor *);
	void	(*vrf)(struct output_ctx *, const struct ctl_vrf *);
	void	(*result)(struct output_ctx *, uint32_t, const char *);
	void	(*error)(struct output_ctx *, const char *); /* ours */
	int	(*tail)(struct output_ctx *);
};

extern const struct output	text_output;
extern const struct output	json_output;

/* output_text.c */
const char	*fmt_duration(time_t);
const char	*fmt_since(time_t, time_t);
const char	*fmt_afs(uint8_t);
const char	*afs_name(size_t, uint8_t *);
const char	*result_name(uint32_t);

/* client.c: one request, then its replies through an output */
int	ctl_request(struct imsgbuf *, const struct parse_result *);
int	ctl_replies(struct imsgbuf *, const struct output *,
	    struct output_ctx *);
int	ctl_run(int, const struct output *, struct output_ctx *);
int	ctl_decode_vrf(struct imsg *, struct ctl_vrf *);
void	ctl_vrf_free(struct ctl_vrf *);
void	output_ctx_init(struct output_ctx *, FILE *, FILE *,
	    const struct parse_result *);
void	output_ctx_free(struct output_ctx *);

#endif
