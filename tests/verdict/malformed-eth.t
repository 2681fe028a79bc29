# SPDX-License-Identifier: GPL-2.0-only
# eth-truncated: a VLAN tag cut short.  (A frame shorter than the 14-byte
# Ethernet header is eth-truncated too, but BPF_PROG_TEST_RUN refuses to
# run one, and a packet socket refuses to send one: no line here.)
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		vlan id 5 drop
	}
}
%%
# 14 bytes: just an Ethernet header, nothing after it
device veth0 ether type 0x88b5 ; accept ; policy
# the tag, its inner type, two bytes of payload
device veth0 vlan id 6 vlan type 0x88b5 meta length 2 ; accept ; policy
device veth0 vlan id 5 vlan type 0x88b5 meta length 2 ; drop ; 8
# (18 bytes, the whole tag and nothing after it, is accepted too; but the
# kernel itself drops such a frame before netdev ingress, so nft-diff.sh
# could not see bpfwall pass it: not here)
# 17, 16, 15, 14 bytes: the tag cut short
device veth0 vlan id 6 vlan type 0x88b5 packet truncate 17 ; drop ; malformed eth-truncated
device veth0 vlan id 6 vlan type 0x88b5 packet truncate 16 ; drop ; malformed eth-truncated
device veth0 vlan id 6 vlan type 0x88b5 packet truncate 15 ; drop ; malformed eth-truncated
device veth0 vlan id 6 vlan type 0x88b5 packet truncate 14 ; drop ; malformed eth-truncated
# the second tag of two cut short
device veth0 vlan id 6 packet vlans 2 packet inner-type 0x88b5 packet truncate 21 ; drop ; malformed eth-truncated # nft: accept nft's netdev chain sees the frame (the kernel took the outer tag off) and no rule matches
device veth0 vlan id 6 packet vlans 2 packet inner-type 0x88b5 meta length 2 ; accept ; policy
