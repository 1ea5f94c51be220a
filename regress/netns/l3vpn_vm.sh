#!/bin/bash
# The reference scenario of issue 6 with VRF devices, in the srv6 test VM
# (../shared/vm: Debian's 6.1 kernel and FRR 8.4 under QEMU), because this
# kernel may have no VRF devices: regress/vm/check.sh runs
# regress/vm/l3vpn-frr.sh (srv6d in VRF mode <-> FRR 8.4: reload adds a VRF,
# End.DT46, VRF device, FRR's VRF routes, pings v4/v6 decoded on the core,
# CE2 untouched, VRF 1 added and removed, stop) and regress/vm/l3vpn-srv6d.sh
# (srv6d <-> srv6d, End.DT46).  Their PASS/FAIL lines become TAP here.
# Where the kernel has VRF devices and FRR is installed, the same scripts
# run natively instead.  Skipped, with the reason, when the VM cannot run
# (no harness, no QEMU and no way to build the image).  About 1.5 minutes (TCG); one VM at a time
# (SRV6VM_LOCK, default /tmp/cpu-heavy.lock).
. "$(dirname "$0")/lib.sh"

# the harness beside the checkout (../shared/vm), or where the
# development machines keep it (a clone elsewhere, as CI makes)
VM=${SRV6VM_DIR:-$TOP/../shared/vm}
[ -x "$VM/run-vm" ] || [ -n "${SRV6VM_DIR:-}" ] || VM=/work/shared/vm
name="SRv6 L3VPN in VRF mode with FRR 8.4 (VM)"
out=$TMP/vm-out
mkdir -p "$out"

# tap_lines FILE: the scenarios' PASS/FAIL lines as TAP
tap_lines() {
	local scen='' line
	while IFS= read -r line; do
		case $line in
		"=== scenario "*) scen=${line#=== scenario } ;;
		"PASS: "*) ok "$scen: ${line#PASS: }" ;;
		"FAIL: "*) not_ok "$scen: ${line#FAIL: }" ;;
		esac
	done <"$1"
}

# A kernel with VRF devices runs the scenarios here (SRV6_TEST_VM=1: in
# the VM anyway), in namespaces named after this test.
native() {
	local ns rc
	[ -z "${SRV6_TEST_VM:-}" ] && [ -x /usr/lib/frr/bgpd ] &&
	    id frr >/dev/null 2>&1 || return 1
	netns_new ns || return 1
	ip -n "$ns" link add probe type vrf table 4242 2>/dev/null
	rc=$?
	ip netns del "$ns"
	return $rc
}
if native; then
	diag "this kernel has VRF devices: the scenarios run natively"
	SRV6D=$SRV6D SRV6CTL=$SRV6CTL NSP=${SRV6T_PREFIX:-srv6t-$$}-vm- \
	    SRV6VM_OUT=$out timeout 420 "$TOP/regress/vm/check.sh" \
	    >"$TMP/vm.log" 2>&1
	rc=$?
	tap_lines "$TMP/vm.log"
	if [ "$rc" -ne 0 ] || [ "$_tap_n" -eq 0 ]; then
		[ "$_tap_failed" -gt 0 ] || not_ok "$name: ended with status $rc"
		tail -n 60 "$TMP/vm.log" | sed 's/^/# /'
	fi
	tap_done; exit
fi

if [ ! -x "$VM/run-vm" ]; then
	skip "$name" "no VM harness at $VM (run-vm)"
	tap_done; exit
fi
cache=${SRV6VM_CACHE:-/var/tmp/srv6-vm}
if ! command -v qemu-system-x86_64 >/dev/null && [ ! -f "$cache/initramfs.img" ] &&
    ! command -v apt-get >/dev/null; then
	skip "$name" "no qemu-system-x86_64, no image in $cache and no apt-get to build one"
	tap_done; exit
fi

BUILD=$BUILD timeout 420 "$TOP/regress/vm/run" -t 300 -o "$out" \
    "$TOP/regress/vm/check.sh" >"$TMP/vm.log" 2>&1
rc=$?
tap_lines "$TMP/vm.log"
if [ "$rc" -eq 125 ] && [ "$_tap_n" -eq 0 ]; then
	# the VM never ran the script: the image could not be built or booted
	skip "$name" "the VM did not run: $(grep -v '^$' "$TMP/vm.log" | tail -n 3 | tr '\n' ' ')"
elif [ "$rc" -ne 0 ] || [ "$_tap_n" -eq 0 ]; then
	[ "$_tap_failed" -gt 0 ] || not_ok "$name: the VM run ended with status $rc"
	diag "VM output (last lines):"
	tail -n 60 "$TMP/vm.log" | sed 's/^/# /'
	for f in "$out"/srv6d-*.log; do
		[ -f "$f" ] && { diag "--- $f (tail)"; tail -n 25 "$f" | sed 's/^/# /'; }
	done
fi
grep '^run-vm:' "$TMP/vm.log" | sed 's/^/# /'
tap_done
