package web

import (
	"crypto/rand"
	"encoding/base64"
)

// Pages are compressed, and they both carry the CSRF token and show back
// what a request said (a filter, a page's address): together that lets an
// attacker who sees the sizes of responses guess the token a byte at a
// time (BREACH). So a page never carries the token as it is: each
// response masks it with fresh random bytes (the mask, then the token
// XOR the mask), and checkCSRF unmasks what a form sends.

// maskToken masks a CSRF token for one response.
func maskToken(token string) string {
	pad := make([]byte, len(token))
	if _, err := rand.Read(pad); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on Linux
	}
	out := make([]byte, 2*len(token))
	copy(out, pad)
	for i := 0; i < len(token); i++ {
		out[len(token)+i] = token[i] ^ pad[i]
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// unmaskToken returns the token a masked value carries ("" for anything
// else).
func unmaskToken(masked string) string {
	b, err := base64.RawURLEncoding.DecodeString(masked)
	if err != nil || len(b) == 0 || len(b)%2 != 0 || len(b) > 256 {
		return ""
	}
	n := len(b) / 2
	out := make([]byte, n)
	for i := 0; i < n; i++ {
		out[i] = b[n+i] ^ b[i]
	}
	return string(out)
}
