package auth

import (
	"testing"
	"time"
)

// TestWaits holds the rule's numbers: free failures, then a wait doubling
// per failure up to the cap.
func TestWaits(t *testing.T) {
	for n, want := range map[int]time.Duration{0: 0, 1: 0, 2: 0, 3: time.Second, 4: 2 * time.Second, 5: 4 * time.Second,
		12: 512 * time.Second, 13: MaxWait, 100: MaxWait, 1 << 40: MaxWait} {
		if got := AddrWait(n); got != want {
			t.Errorf("AddrWait(%d) = %v, want %v", n, got, want)
		}
	}
	for n, want := range map[int]time.Duration{4: 0, 5: time.Second, 6: 2 * time.Second, 15: MaxWait} {
		if got := NameWait(n); got != want {
			t.Errorf("NameWait(%d) = %v, want %v", n, got, want)
		}
	}
	for n := 3; n < 40; n++ {
		if AddrWait(n) < AddrWait(n-1) {
			t.Errorf("the wait shrinks at failure %d", n)
		}
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7:51234":            "192.0.2.7",
		"192.0.2.7":                  "192.0.2.7",
		"[::ffff:192.0.2.7]:80":      "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":       "2001:db8:1:2::/64",
		"[fe80::1%eth0]:22":          "fe80::/64",
		"":                           "",
		"not an address":             "not an address",
		string(make([]byte, 100)):    string(make([]byte, 64)),
	} {
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
	if NameKey(" admin ") != NameKey("admin") || NameKey("admin") == NameKey("Admin") || len(NameKey("x")) != 64 {
		t.Error("NameKey: trimmed, case kept, a hex SHA-256")
	}
}
