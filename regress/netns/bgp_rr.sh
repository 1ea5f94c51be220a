#!/bin/bash
# srv6d <-> srv6d through an srv6d route reflector (RFC 4456), all in
# AS 65001.  RR has two clients (C1, C2) and two plain iBGP neighbors
# (N1, N2).  Routes of a client reach everyone, with ORIGINATOR_ID and
# CLUSTER_LIST set; routes of a non-client reach the clients only; the
# originator does not take its own route back.
#
#   C1 10.0.6.2 --- 10.0.6.1          10.0.8.1 --- 10.0.8.2 N1
#                            [ RR ]
#   C2 10.0.7.2 --- 10.0.7.1          10.0.9.1 --- 10.0.9.2 N2
#   RR: cluster-id 10.255.0.1, forwards; the others route 10.0/16 via RR,
#   so every next hop is reachable.
. "$(dirname "$0")/lib.sh"

CLUSTER=10.255.0.1
declare -A net=([rr]=10.60.0.0/24 [c1]=10.61.0.0/24 [c2]=10.62.0.0/24
    [n1]=10.63.0.0/24 [n2]=10.64.0.0/24)
declare -A id=([rr]=10.0.6.1 [c1]=10.0.6.2 [c2]=10.0.7.2 [n1]=10.0.8.2
    [n2]=10.0.9.2)
declare -A rrside=([c1]=10.0.6.1 [c2]=10.0.7.1 [n1]=10.0.8.1 [n2]=10.0.9.1)
declare -A ns

setup() {
	local n
	netns_new ns[rr] || return 1
	ip netns exec "${ns[rr]}" sysctl -qw net.ipv4.ip_forward=1 || return 1
	for n in c1 c2 n1 n2; do
		netns_new ns[$n] &&
		    link_ns "${ns[rr]}" "rr-$n" "${rrside[$n]}/24" \
			"${ns[$n]}" "$n-rr" "${id[$n]}/24" &&
		    ip -n "${ns[$n]}" route add 10.0.0.0/16 via "${rrside[$n]}" ||
		    return 1
	done
}
setup || { not_ok "create namespaces and links"; tap_done; exit; }

{
	printf 'as 65001\nrouter-id %s\ncluster-id %s\nnetwork %s\n' \
	    "${id[rr]}" "$CLUSTER" "${net[rr]}"
	for n in c1 c2; do
		printf 'neighbor %s {\n\tremote-as 65001\n' "${id[$n]}"
		printf '\troute-reflector-client\n}\n'
	done
	for n in n1 n2; do
		printf 'neighbor %s { remote-as 65001 }\n' "${id[$n]}"
	done
} >"$TMP/rr.conf"
for n in c1 c2 n1 n2; do
	printf 'as 65001\nrouter-id %s\nnetwork %s\n' "${id[$n]}" "${net[$n]}" \
	    >"$TMP/$n.conf"
	printf 'neighbor %s { remote-as 65001 }\n' "${rrside[$n]}" \
	    >>"$TMP/$n.conf"
done

for n in rr c1 c2 n1 n2; do
	check "srv6d $n starts" srv6d_start "$n" "${ns[$n]}" "$TMP/$n.conf"
done
for n in c1 c2 n1 n2; do
	check "RR: session with $n Established" \
	    wait_until 30 srv6d_established rr "${id[$n]}"
	check "$n: session with RR Established" \
	    wait_until 10 srv6d_established "$n" "${rrside[$n]}"
done
check "RR shows route-reflector-client on c1" \
    srv6d_jq rr '.neighbors[0].route_reflector_client == true' \
    show neighbor "${id[c1]}"

# has N FROM: srv6d N has FROM's network, learned from the RR
has() { wait_until 10 srv6d_has_route "$1" "${net[$2]}" "${rrside[$1]}"; }
# path_jq N PREFIX FILTER: FILTER holds on N's path(s) for PREFIX
path_jq() {
	sctl "$1" -j show rib "$2" | jq -e --arg p "$2" \
	    "[.rib[]? | select(.prefix == \$p) | $3] | any" >/dev/null
}

check "RR has c1's route" \
    wait_until 10 srv6d_has_route rr "${net[c1]}" "${id[c1]}"
check "RR has n1's route" \
    wait_until 10 srv6d_has_route rr "${net[n1]}" "${id[n1]}"
for n in c1 c2 n1 n2; do
	check "$n has the RR's own network" has "$n" rr
done
check "client -> client: c2 has c1's route" has c2 c1
check "client -> client: c1 has c2's route" has c1 c2
check "client -> non-client: n1 has c1's route" has n1 c1
check "client -> non-client: n2 has c2's route" has n2 c2
check "non-client -> client: c1 has n1's route" has c1 n1
check "non-client -> client: c2 has n2's route" has c2 n2
sleep 1		# give a wrong reflection the time to arrive
check "non-client -> non-client is not reflected: n2 lacks n1's route" \
    srv6d_no_route n2 "${net[n1]}"
check "non-client -> non-client is not reflected: n1 lacks n2's route" \
    srv6d_no_route n1 "${net[n2]}"

check "RR Adj-RIB-Out toward n2 holds c1's route" \
    srv6d_grep rr "${net[c1]//./\\.}" show rib neighbor "${id[n2]}" out
check "RR Adj-RIB-Out toward n2 lacks n1's route" \
    bash -c "! '$SRV6CTL' -s '$TMP/rr.sock' show rib neighbor ${id[n2]} out |
    grep -q '${net[n1]}'"
check "c2: c1's route has ORIGINATOR_ID ${id[c1]} (JSON)" \
    path_jq c2 "${net[c1]}" ".originator_id == \"${id[c1]}\""
check "c2: c1's route has CLUSTER_LIST [$CLUSTER] (JSON)" \
    path_jq c2 "${net[c1]}" "(.cluster_list | map(tostring)) == [\"$CLUSTER\"]"
check "c2: show rib ${net[c1]} (text) shows the originator ${id[c1]}" \
    srv6d_grep c2 "Originator ID: +${id[c1]//./\\.}" show rib "${net[c1]}"
check "c2: show rib ${net[c1]} (text) shows the cluster list $CLUSTER" \
    srv6d_grep c2 "Cluster list: +${CLUSTER//./\\.}" show rib "${net[c1]}"
check "c2: c1's route keeps c1's next hop ${id[c1]}" \
    path_jq c2 "${net[c1]}" ".nexthop == \"${id[c1]}\""
check "c2: c1's route is best (next hop reachable)" \
    path_jq c2 "${net[c1]}" ".best == true"
check "n1: n1 sees c1's route with ORIGINATOR_ID and CLUSTER_LIST" \
    path_jq n1 "${net[c1]}" ".originator_id == \"${id[c1]}\" and
    (.cluster_list | length) == 1"
check "RR: c1's route has no ORIGINATOR_ID in the RR's own RIB" \
    path_jq rr "${net[c1]}" ".originator_id == null"
check "c1 does not take its own route back (only the local path)" \
    path_jq c1 "${net[c1]}" ".local == true"
check "c1 has exactly one path for its own network" \
    test "$(sctl c1 -j show rib "${net[c1]}" | jq '[.rib[]?] | length')" = 1

# a withdrawal travels through the reflector
printf 'as 65001\nrouter-id %s\nneighbor %s { remote-as 65001 }\n' \
    "${id[c1]}" "${rrside[c1]}" >"$TMP/c1.conf"
check "c1: reload without its network" quiet sctl c1 reload
check "c2 loses c1's route" wait_until 10 srv6d_no_route c2 "${net[c1]}"
check "n1 loses c1's route" wait_until 10 srv6d_no_route n1 "${net[c1]}"
check "c1's session stayed Established" srv6d_established rr "${id[c1]}"

tap_done
