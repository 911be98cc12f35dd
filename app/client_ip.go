package app

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// defaultTrustedProxies is STRIKELINE_TRUSTED_PROXIES when unset: loopback
// and the private ranges, where a reverse proxy on the same host or network
// connects from.
const defaultTrustedProxies = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"

// parseProxies reads a comma- or space-separated list of CIDRs or single
// addresses.
func parseProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("STRIKELINE_TRUSTED_PROXIES: %q is not an address or CIDR", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("STRIKELINE_TRUSTED_PROXIES: %q is not an address or CIDR", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// clientIP is the address a request is throttled and logged by. Without
// STRIKELINE_TRUST_PROXY it is the peer's. With it, X-Forwarded-For is
// walked from the right, starting at the peer: each hop that is a trusted
// proxy vouches for the one before it, and the first untrusted address is
// the client. Everything left of it was written by the client and could be
// anything, so the left-most entry is never believed merely for being
// there.
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	peer = peer.Unmap()
	if !s.cfg.TrustProxy {
		return peer.String()
	}
	var hops []string
	for _, h := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(h), ",")...)
	}
	return rightmostUntrusted(peer, hops, s.cfg.TrustedProxies).String()
}

// rightmostUntrusted walks hops (X-Forwarded-For, left to right) back from
// peer and returns the first address not in trusted; if every hop is
// trusted, the left-most; if a hop is not an address, the trusted hop that
// passed it on.
func rightmostUntrusted(peer netip.Addr, hops []string, trusted []netip.Prefix) netip.Addr {
	cur := peer
	for i := len(hops) - 1; i >= 0 && isTrusted(cur, trusted); i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return cur
		}
		cur = a.Unmap()
	}
	return cur
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
