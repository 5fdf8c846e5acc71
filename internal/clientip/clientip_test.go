package clientip_test

import (
	"net"
	"net/http"
	"testing"

	"chancery/internal/clientip"
)

func TestExtractor(t *testing.T) {
	_, proxies, err := net.ParseCIDR("10.1.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		trusted []*net.IPNet
		peer    string
		xff     string
		want    string
	}{
		{"no proxies: the peer, whatever the header says", nil, "203.0.113.7:4000", "198.51.100.1", "203.0.113.7"},
		{"no proxies, a loopback peer", nil, "127.0.0.1:4000", "198.51.100.1", "127.0.0.1"},
		{"through a trusted proxy: the client it names", []*net.IPNet{proxies}, "10.1.2.3:4000", "198.51.100.1", "198.51.100.1"},
		{"from elsewhere: the peer", []*net.IPNet{proxies}, "203.0.113.7:4000", "198.51.100.1", "203.0.113.7"},
		{"loopback is not trusted unless listed", []*net.IPNet{proxies}, "127.0.0.1:4000", "198.51.100.1", "127.0.0.1"},
		{"a private network is not trusted unless listed", []*net.IPNet{proxies}, "192.168.1.5:4000", "198.51.100.1", "192.168.1.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest(http.MethodGet, "/", nil)
			if err != nil {
				t.Fatal(err)
			}
			r.RemoteAddr = tc.peer
			r.Header.Set("X-Forwarded-For", tc.xff)
			if got, want := clientip.Extractor(tc.trusted)(r), tc.want; got != want {
				t.Errorf("address = %q, want %q", got, want)
			}
		})
	}
}
