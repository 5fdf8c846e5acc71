// Package clientip decides, for the two HTTP front doors (the API and the
// web workspace), which address a request comes from, so that both count
// failed sign-ins and log requests by the same address.
package clientip

import (
	"net"

	"github.com/labstack/echo/v4"
)

// Extractor returns Echo's IPExtractor: with trusted proxies, the address
// their X-Forwarded-For names for a request that came through one of them
// (and no other network is believed); with none, the peer's address.
func Extractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := make([]echo.TrustOption, 0, len(trusted)+3)
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	return echo.ExtractIPFromXFFHeader(opts...)
}
