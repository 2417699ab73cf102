package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// Who sent a request, and how: behind a TLS-terminating proxy the peer is
// the proxy, and the client's address and scheme come in X-Forwarded-For
// and X-Forwarded-Proto. Those headers are believed only from the proxies
// the deployment names (Server.TrustedProxies); from anyone else they are
// whatever the sender chose to write, and are ignored.

// client is what the server knows of a request's sender.
type client struct {
	// addr is the client's IP address (without the port): the peer's, or
	// the one a trusted proxy forwarded. Sign-in failures are counted
	// under it, sessions and token uses record it, and the log names it.
	addr string
	// https is whether the client's request came over TLS: to this server
	// (-tls-cert) or to a trusted proxy that said so.
	https bool
	// local is whether the client is this machine (a loopback address),
	// where a password in clear never crosses a network.
	local bool
}

// clientOf works out the sender of r.
func (s *Server) clientOf(r *http.Request) client {
	peer, ok := parseAddr(r.RemoteAddr)
	c := client{addr: r.RemoteAddr, https: r.TLS != nil}
	if !ok {
		return c
	}
	c.addr, c.local = peer.String(), peer.IsLoopback()
	if !s.trusted(peer) {
		if r.Header.Get("X-Forwarded-For") != "" {
			s.untrustedOnce.Do(func() {
				// Most likely a proxy the deployment forgot to name: then
				// every client looks like it, and shares its sign-in waits.
				s.Log.Warn("X-Forwarded-For from an address not trusted, ignored: if it is your proxy, name it in -trusted-proxy",
					"peer", c.addr)
			})
		}
		return c
	}
	if ip, ok := s.forwardedFor(r.Header.Values("X-Forwarded-For")); ok {
		c.addr, c.local = ip.String(), ip.IsLoopback()
	}
	if proto := lastListed(r.Header.Values("X-Forwarded-Proto")); proto != "" {
		c.https = strings.EqualFold(proto, "https")
	}
	return c
}

// trusted reports whether ip is one of the deployment's proxies.
func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedFor finds the client in X-Forwarded-For, which each proxy
// extends by the address it heard from: read from the right, the first
// address that is not a trusted proxy is the client (anything to its left
// was written by the client and proves nothing). When every address is a
// trusted proxy, the leftmost is the client.
func (s *Server) forwardedFor(headers []string) (netip.Addr, bool) {
	var list []string
	for _, h := range headers {
		list = append(list, strings.Split(h, ",")...)
	}
	var last netip.Addr
	for i := len(list) - 1; i >= 0; i-- {
		ip, ok := parseAddr(strings.TrimSpace(list[i]))
		if !ok {
			// A malformed entry: nothing further left can be believed.
			break
		}
		last = ip
		if !s.trusted(ip) {
			return ip, true
		}
	}
	return last, last.IsValid()
}

// lastListed returns the last value of a header that may list several,
// comma-separated or repeated: the one the nearest proxy wrote.
func lastListed(headers []string) string {
	if len(headers) == 0 {
		return ""
	}
	h := headers[len(headers)-1]
	if i := strings.LastIndexByte(h, ','); i >= 0 {
		h = h[i+1:]
	}
	return strings.TrimSpace(h)
}

// parseAddr reads "ip", "ip:port" or "[ipv6]:port".
func parseAddr(s string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(s); err == nil {
		return ip.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// ParseTrustedProxies reads the -trusted-proxy setting: networks and
// addresses separated by commas ("10.0.0.0/8,192.0.2.1"). It returns the
// first entry that is neither, if any.
func ParseTrustedProxies(s string) ([]netip.Prefix, string) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(part)
		if err != nil {
			return nil, part
		}
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, ""
}
