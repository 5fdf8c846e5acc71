package service

import (
	"testing"
	"time"
)

// TestDays: durations in error messages read as words, not as Go's 72h0m0s.
func TestDays(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{72 * time.Hour, "3 days"},
		{24 * time.Hour, "1 day"},
		{90 * 24 * time.Hour, "90 days"},
		{36 * time.Hour, "36 hours"},
		{time.Hour, "1 hour"},
		{90 * time.Minute, "90 minutes"},
		{1500 * time.Millisecond, "1.5s"},
	} {
		if got := days(c.d); got != c.want {
			t.Errorf("days(%s) = %q, want %q", c.d, got, c.want)
		}
	}
}
