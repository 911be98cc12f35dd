package app

import (
	"net/netip"
	"strings"
	"testing"
)

func TestRightmostUntrusted(t *testing.T) {
	trusted, err := parseProxies(defaultTrustedProxies)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, peer, xff, want string
	}{
		{"no header", "10.0.0.2", "", "10.0.0.2"},
		{"untrusted peer: header ignored", "203.0.113.1", "198.51.100.9", "203.0.113.1"},
		{"one proxy", "127.0.0.1", "198.51.100.9", "198.51.100.9"},
		{"client-forged left entries", "127.0.0.1", "1.2.3.4, 5.6.7.8, 198.51.100.9", "198.51.100.9"},
		{"two proxies", "10.0.0.2", "198.51.100.9, 192.168.1.4", "198.51.100.9"},
		{"all trusted: left-most", "10.0.0.2", "10.1.1.1, 192.168.1.4", "10.1.1.1"},
		{"garbage after a trusted hop", "10.0.0.2", "198.51.100.9, nonsense", "10.0.0.2"},
		{"IPv6 client", "::1", "2001:db8::7", "2001:db8::7"},
		{"IPv4-mapped peer", "::ffff:127.0.0.1", "198.51.100.9", "198.51.100.9"},
	} {
		var hops []string
		if tc.xff != "" {
			hops = strings.Split(tc.xff, ",")
		}
		got := rightmostUntrusted(netip.MustParseAddr(tc.peer).Unmap(), hops, trusted)
		if got.String() != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestTrustedProxiesConfig(t *testing.T) {
	t.Setenv("STRIKELINE_TRUST_PROXY", "1")
	t.Setenv("STRIKELINE_TRUSTED_PROXIES", "10.1.0.0/16, 192.0.2.7 2001:db8::/32")
	c, err := ConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "10.1.0.0/16 192.0.2.7/32 2001:db8::/32" || !c.TrustProxy {
		t.Errorf("trusted proxies %v (trust %v)", got, c.TrustProxy)
	}
	t.Setenv("STRIKELINE_TRUSTED_PROXIES", "10.1.0.0/16,not-a-cidr")
	if _, err := ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), "not-a-cidr") {
		t.Errorf("bad CIDR: %v", err)
	}
	t.Setenv("STRIKELINE_TRUSTED_PROXIES", "")
	c, err = ConfigFromEnv()
	if err != nil || len(c.TrustedProxies) != 6 {
		t.Errorf("default trusted proxies: %v %v", c.TrustedProxies, err)
	}
}
