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
	struct ctl_show_sid	*sids;		/* v.n_sids */
};

/*
 * A decoded IMSG_CTL_SHOW_RIB reply: one path and its attributes.  The
 * AS path words were checked: each segment header (type << 16 | count,
 * type 1 to 4) is followed by count ASNs, and the last one ends the path.
 */
struct ctl_rib {
	struct ctl_show_rib	 r;
	uint32_t		*aspath;	/* r.n_aspath words */
	uint32_t		*communities;	/* r.n_communities */
	uint32_t		*large;		/* 3 x r.n_large_communities */
	uint64_t		*ext;		/* r.n_ext_communities */
	uint32_t		*cluster;	/* r.n_cluster */
};

struct output_ctx {
	FILE				*out;	/* stdout */
	FILE				*err;	/* stderr */
	time_t				 now;	/* for durations */
	const struct parse_result	*res;	/* the command */
	unsigned int			 items;	/* replies printed */
	unsigned int			 rows;	/* neighbor table rows */
	/* show fib: its reply seen, the refusals it announced still due */
	int				 fib_seen;
	uint32_t			 fib_errors;
	/* JSON: the document, and the results merged into one */
	struct json			 json;
	int				 has_result;
	uint32_t			 result;
	char				*message;
	char				*error;	/* srv6ctl's own */
	/* text: VPN and VRF paths, held to be printed sorted, by RD */
	struct ctl_rib			*held;
	size_t				 nheld;
	size_t				 held_cap;
};

struct output {
	void	(*head)(struct output_ctx *);
	void	(*summary)(struct output_ctx *,
		    const struct ctl_show_summary *);
	void	(*neighbor)(struct output_ctx *,
		    const struct ctl_show_neighbor *);
	void	(*vrf)(struct output_ctx *, const struct ctl_vrf *);
	void	(*rib)(struct output_ctx *, const struct ctl_rib *);
	void	(*sid)(struct output_ctx *, const struct ctl_show_sid *);
	void	(*locator)(struct output_ctx *,
		    const struct ctl_show_locator *);
	void	(*fib)(struct output_ctx *, const struct ctl_show_fib *);
	void	(*fib_error)(struct output_ctx *,
		    const struct ctl_fib_error *);
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

/* names.c */
const char	*notify_code_name(uint8_t);
const char	*notify_subcode_name(uint8_t, uint8_t);
const char	*fmt_notify(uint8_t, uint8_t);
const char	*capa_name(size_t, uint16_t *);
const char	*msg_type_name(size_t);
const char	*origin_name(uint8_t);
char		 origin_char(uint8_t);
const char	*fmt_community(uint32_t);
const char	*fmt_large_community(const uint32_t *);
const char	*fmt_ext_community(ext_community_t);
const char	*aspath_segment_name(uint16_t);
void		 aspath_print(FILE *, const uint32_t *, size_t);
const char	*fmt_escape(const char *);
const char	*behavior_name(uint16_t);
uint16_t	 behavior_infer(uint16_t, uint8_t);
const char	*fmt_behavior(uint16_t, uint8_t);
const char	*fmt_sid(const struct in6_addr *);
int		 structure_present(const uint8_t *);
const char	*fmt_structure(const uint8_t *);
const char	*sid_af_name(uint8_t);
const char	*errno_name(int);

/* client.c: one request, then its replies through an output */
int	ctl_request(struct imsgbuf *, const struct parse_result *);
int	ctl_replies(struct imsgbuf *, const struct output *,
	    struct output_ctx *);
int	ctl_run(int, const struct output *, struct output_ctx *);
int	ctl_decode_vrf(struct imsg *, struct ctl_vrf *);
void	ctl_vrf_free(struct ctl_vrf *);
int	ctl_decode_rib(struct imsg *, struct ctl_rib *);
int	ctl_rib_dup(struct ctl_rib *, const struct ctl_rib *);
void	ctl_rib_free(struct ctl_rib *);
int	ctl_decode_sid(struct imsg *, struct ctl_show_sid *);
int	ctl_decode_locator(struct imsg *, struct ctl_show_locator *);
int	ctl_decode_fib(struct imsg *, struct ctl_show_fib *);
int	ctl_decode_fib_error(struct imsg *, struct ctl_fib_error *);
void	output_ctx_init(struct output_ctx *, FILE *, FILE *,
	    const struct parse_result *);
void	output_ctx_free(struct output_ctx *);

#endif
