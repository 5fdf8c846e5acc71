package drafts_test

import (
	"net/netip"
	"testing"

	"chancery/drafts"
)

func TestWebhookURL(t *testing.T) {
	strict := drafts.WebhookNetworks{}
	loop := drafts.WebhookNetworks{LoopbackHTTP: true}
	office := drafts.WebhookNetworks{Private: []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}}
	for _, c := range []struct {
		n   drafts.WebhookNetworks
		url string
		ok  bool
	}{
		{strict, "https://portal.example.org/chancery", true},
		{strict, "https://portal.example.org:8443/x?y=1", true},
		{strict, "https://93.184.216.34/x", true},
		{strict, "http://portal.example.org/x", false},
		{strict, "ftp://portal.example.org/x", false},
		{strict, "https://user:pw@portal.example.org/x", false},
		{strict, "https://portal.example.org/x#frag", false},
		{strict, "portal.example.org/x", false},
		{strict, "", false},
		{strict, "https://127.0.0.1/x", false},
		{strict, "https://localhost/x", false},
		{strict, "https://10.0.0.1/x", false},
		{strict, "https://169.254.169.254/latest/meta-data", false},
		{strict, "https://100.64.1.1/x", false},
		{strict, "https://[::1]/x", false},
		{strict, "https://[::ffff:127.0.0.1]/x", false},
		{strict, "https://[fd00::1]/x", false},
		{strict, "https://[fe80::1]/x", false},
		{strict, "https://0.0.0.0/x", false},
		{loop, "http://127.0.0.1:8080/x", true},
		{loop, "http://127.9.9.9/x", true},
		{loop, "http://[::1]:8080/x", true},
		{loop, "http://localhost:8080/x", true},
		{loop, "https://127.0.0.1/x", true},
		{loop, "http://portal.example.org/x", false},
		{loop, "http://10.0.0.1/x", false},
		{loop, "https://10.0.0.1/x", false},
		{office, "https://10.20.3.4/x", true},
		{office, "http://10.20.3.4/x", false},
		{office, "https://10.21.3.4/x", false},
	} {
		err := c.n.CheckURL(c.url)
		if (err == nil) != c.ok {
			t.Errorf("%+v CheckURL(%q) = %v, want ok %v", c.n, c.url, err, c.ok)
		}
		if e := drafts.AsError(err); err != nil && (e.Code != drafts.EINVALID || e.Fields[0].Field != "url") {
			t.Errorf("CheckURL(%q) = %v, want EINVALID naming url", c.url, err)
		}
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "8.8.8.8": true, "2606:4700::1111": true,
		"127.0.0.1": false, "10.1.1.1": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "255.255.255.255": false, "224.0.0.1": false, "198.18.0.1": false,
		"::1": false, "::": false, "fd12::1": false, "fe80::1": false, "::ffff:10.0.0.1": false, "64:ff9b::a00:1": false, "2001:db8::1": false,
	} {
		if got := drafts.PublicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("PublicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}
