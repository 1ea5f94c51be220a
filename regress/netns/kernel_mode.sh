#!/bin/bash
# Kernel mode detection (DESIGN.md "Kernel modes"): srv6d probes whether
# the kernel has VRF devices, logs the mode in one line, shows it in
# `srv6ctl show summary', removes its probe device, and takes the
# SRV6D_KERNEL_MODE override (vrf, table, auto; anything else: no start).
. "$(dirname "$0")/lib.sh"

netns_new ns || { not_ok "create namespace"; tap_done; exit; }
conf=$TMP/srv6d.conf
cat >"$conf" <<-EOC
as 65001
router-id 192.0.2.1
srv6 {
	locator main prefix fc00:0:1::/48 block-length 32 node-length 16 function-length 16
}
vrf vrf0 {
	table 10
	rd 65001:10
	import-target 65000:10
	export-target 65001:10
	sid auto
}
EOC

# What this kernel can do, asked the same way srv6d asks it.
if ip -n "$ns" link add srv6t-kmprobe type vrf table 4242 2>/dev/null; then
	ip -n "$ns" link del srv6t-kmprobe
	want=vrf
else
	want=table
fi
diag "this kernel: expecting kernel mode $want"

# run NAME [ENV=VALUE]: start instance NAME with an optional override.
run() {
	local name=$1
	if [ -n "${2:-}" ]; then
		export SRV6D_KERNEL_MODE=${2#*=}
	else
		unset SRV6D_KERNEL_MODE
	fi
	srv6d_start "$name" "$ns" "$conf"
	local rc=$?
	unset SRV6D_KERNEL_MODE
	return $rc
}
# stop NAME: SIGTERM and wait; true if it exited 0.
stop() {
	local p
	p=$(srv6d_pid "$1")
	kill -TERM "$p" 2>/dev/null
	wait "$p"
}
summary_mode() { sctl "$1" -j show summary | jq -r '.summary.kernel_mode'; }
log_has() { grep -q -- "$2" "$TMP/$1.log"; }

# --- probed -------------------------------------------------------------
check "srv6d starts (mode probed)" run auto
case $want in
table) line='kernel mode: table (no VRF devices: IPv4 decapsulation with End.DX4 per CE, IPv6 with End.DT6 table' ;;
vrf) line='kernel mode: vrf (VRF devices, End.DT4/DT6/DT46 vrftable)' ;;
esac
check "the log says '$line'" log_has auto "parent: $line"
check "exactly one kernel mode line" \
    test "$(grep -c 'kernel mode: ' "$TMP/auto.log")" -eq 1
if [ "$want" = table ]; then
	check "the log gives the probe's errno" \
	    log_has auto 'VRF device probe: Operation not supported'
	check "an unsupported link kind is no warning" \
	    bash -c "! grep -q 'kernel mode probe failed' '$TMP/auto.log'"
else
	skip "the log gives the probe's errno" "this kernel has VRF devices"
	skip "an unsupported link kind is no warning" "this kernel has VRF devices"
fi
check "show summary -j: kernel_mode is $want" test "$(summary_mode auto)" = "$want"
check "show summary (text): Kernel mode: $want" \
    srv6d_grep auto "^Kernel mode: +$want\$" show summary
if [ "$want" = vrf ]; then
	check "the probe device is gone" \
	    bash -c "! ip -n '$ns' -o link show | grep -q 'srv6d-p'"
else
	skip "the probe device is gone" "this kernel makes no VRF device"
fi
check "srv6d stops cleanly" stop auto

# --- overrides ----------------------------------------------------------
check "SRV6D_KERNEL_MODE=vrf: srv6d starts" run forced SRV6D_KERNEL_MODE=vrf
check "SRV6D_KERNEL_MODE=vrf: logged as set, not probed" \
    log_has forced 'kernel mode: vrf (VRF devices, End.DT4/DT6/DT46 vrftable; set by SRV6D_KERNEL_MODE, not probed)'
check "SRV6D_KERNEL_MODE=vrf: show summary says vrf" \
    test "$(summary_mode forced)" = vrf
check "srv6d stops cleanly" stop forced

check "SRV6D_KERNEL_MODE=table: srv6d starts" run table SRV6D_KERNEL_MODE=table
check "SRV6D_KERNEL_MODE=table: show summary says table" \
    test "$(summary_mode table)" = table
check "SRV6D_KERNEL_MODE=table: logged as set" \
    log_has table 'kernel mode: table (.*set by SRV6D_KERNEL_MODE'
check "srv6d stops cleanly" stop table

SRV6D_KERNEL_MODE=bogus ip netns exec "$ns" "$SRV6D" -d -f "$conf" \
    -s "$TMP/bad.sock" -S "$TMP/bad.rsock" >"$TMP/bad.log" 2>&1 &
p=$!
track_pid "$p"
wait "$p"
rc=$?
check "SRV6D_KERNEL_MODE=bogus: srv6d exits 1" test "$rc" -eq 1
check "SRV6D_KERNEL_MODE=bogus: the error names the variable and value" \
    grep -q 'SRV6D_KERNEL_MODE: expected vrf, table or auto, not "bogus"' \
    "$TMP/bad.log"
check "SRV6D_KERNEL_MODE=bogus: no control socket left" \
    test ! -e "$TMP/bad.sock"

tap_done
