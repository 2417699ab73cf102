package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strings"
	"time"
)

// The rule against guessing passwords. A lock of the name after a few
// wrong passwords would let anyone lock anyone out (the county
// administrator, by typing wrong passwords at the sign-in page), so
// nothing is locked. Instead every refused sign-in counts once against
// the client address it came from and once against the name typed, and a
// count past its free failures makes its address or name wait before the
// next try, a wait that doubles with every further failure:
//
//   - an address waits from its AddrFreeFailures+1st failure: FirstWait,
//     then twice as long per failure, at most MaxWait. A flood from one
//     address is slowed to a try per MaxWait.
//   - a name waits from its NameFreeFailures+1st failure (from all
//     addresses together) the same way; but only addresses that have
//     failed themselves wait for it. An address without failures is
//     always heard, so the right password from a clean address signs in
//     whatever a distributed attack on the name is doing, and every
//     attacking address, once it has failed, waits for the name too.
//   - a count is forgotten ForgetAfter its last failure; a right password
//     clears its name's count (never its address's, or an attacker with
//     an account of their own could clear theirs between guesses).
//
// An address is an IPv4 address or an IPv6 /64 network, which one
// subscriber usually holds whole. A name is counted whether a user has it
// or not, so waits tell nobody which names exist.
const (
	AddrFreeFailures = 2
	NameFreeFailures = 4
	FirstWait        = time.Second
	MaxWait          = 15 * time.Minute
	ForgetAfter      = time.Hour
)

// AddrWait is how long an address waits after its n-th failure in a row.
func AddrWait(n int) time.Duration { return doubling(n - AddrFreeFailures) }

// NameWait is how long the failing addresses wait for a name after its
// n-th failure.
func NameWait(n int) time.Duration { return doubling(n - NameFreeFailures) }

// doubling is FirstWait doubled k-1 times, at most MaxWait; nothing for
// k < 1.
func doubling(k int) time.Duration {
	switch {
	case k < 1:
		return 0
	case k > 30: // beyond any cap, and clear of overflow
		return MaxWait
	}
	return min(FirstWait<<(k-1), MaxWait)
}

// ClientKey is what failures of a client address are counted under: the
// address of "host:port" or a bare address, an IPv6 address as its /64
// network. Anything else (no address, as from the command line) is kept
// as it is, cut to 64 bytes.
func ClientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		ap, err := netip.ParseAddrPort(addr)
		if err != nil {
			if len(addr) > 64 {
				addr = addr[:64]
			}
			return addr
		}
		a = ap.Addr()
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// NameKey is what failures of a name are counted under: the SHA-256 of the
// name as typed (trimmed), so the count does not keep what people type
// into the name field (a password, sometimes).
func NameKey(name string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(name)))
	return hex.EncodeToString(sum[:])
}
