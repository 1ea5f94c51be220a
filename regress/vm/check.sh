#!/bin/bash
# Every scenario of regress/vm in one boot of the VM (regress/netns/l3vpn_vm.sh
# runs it through regress/vm/run): each prints "=== NAME" first, then its
# PASS/FAIL lines.  Exit status: nonzero if any scenario failed.
cd "$(dirname "$0")" || exit 1
rc=0
for s in l3vpn-frr l3vpn-srv6d; do
	echo "=== scenario $s"
	bash "./$s.sh" || rc=1
done
exit $rc
