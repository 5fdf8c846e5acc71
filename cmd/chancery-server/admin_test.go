package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chancery/storage/s3test"
)

// tokenPattern finds a printed token.
var tokenPattern = regexp.MustCompile(`chy_[a-z0-9]+_[a-z0-9]+`)

// runCmd runs the command line args and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// meStatus returns the status of GET /v1/me with token.
func meStatus(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestAdminTokenLocal: with the server stopped, admin token on its data
// directory prints a new token once, the restarted server accepts it, and
// the recovery is in the directory's audit trail.
func TestAdminTokenLocal(t *testing.T) {
	const lost = "chy_lost_0123456789abcdefghij"
	dir := t.TempDir()
	first := MustStartMain(t, map[string]string{"CHANCERY_DATA_DIR": dir, "CHANCERY_BOOTSTRAP_TOKEN": lost})

	t.Run("refused while the server holds the directory", func(t *testing.T) {
		code, _, stderr := runCmd(t, "admin", "token", "--user", "secretariat", "--data-dir", dir)
		if code != 1 || !strings.Contains(stderr, "in use") {
			t.Fatalf("exit %d, stderr %q; want 1 saying the directory is in use", code, stderr)
		}
	})
	first.cancel()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCmd(t, "admin", "token", "--user", "secretariat", "--revoke-others", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	tokens := tokenPattern.FindAllString(stdout, -1)
	if len(tokens) != 1 {
		t.Fatalf("stdout = %q, want exactly one token", stdout)
	}
	// The directory's trail holds the bootstrap (the user, its token), then
	// the recovery (event 3) and the revocation it made.
	for _, want := range []string{"shown once", "Revoked the user's other tokens: 1", "audit trail as event 3"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout = %q, want %q", stdout, want)
		}
	}

	m := MustStartMain(t, map[string]string{"CHANCERY_DATA_DIR": dir})
	if got, want := meStatus(t, m.URL(), tokens[0]), 200; got != want {
		t.Errorf("GET /v1/me with the new token = %d, want %d", got, want)
	}
	if got, want := meStatus(t, m.URL(), lost), 401; got != want {
		t.Errorf("GET /v1/me with the revoked token = %d, want %d", got, want)
	}
	m.cancel()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr = runCmd(t, "admin", "events", "--data-dir", dir)
	if code != 0 || !strings.Contains(stdout, `"action":"token.recover"`) || !strings.Contains(stdout, `"action":"token.revoke"`) || !strings.Contains(stdout, "4 events, hash chain intact") {
		t.Errorf("admin events: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if strings.Contains(stdout, tokens[0]) {
		t.Errorf("the audit trail repeats the token")
	}
}

// TestAdminTokenErrors: mistakes are one line, exit 2 for usage and 1 for
// a failure, and an absent data directory is not created.
func TestAdminTokenErrors(t *testing.T) {
	dir := t.TempDir()
	m := MustStartMain(t, map[string]string{"CHANCERY_DATA_DIR": dir})
	m.cancel()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nothing-here")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", []string{"admin"}, 2, "token or events"},
		{"no user", []string{"admin", "token", "--data-dir", dir}, 2, "--user"},
		{"unknown user", []string{"admin", "token", "--user", "nobody", "--data-dir", dir}, 1, `no user "nobody"`},
		{"no data directory", []string{"admin", "token", "--user", "secretariat", "--data-dir", missing}, 1, "no data directory"},
		{"bad storage", []string{"admin", "token", "--user", "secretariat", "--storage", "floppy"}, 2, "unknown storage type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if out := strings.TrimSpace(stderr); strings.Contains(out, "\n") || !strings.Contains(out, tt.want) {
				t.Errorf("stderr = %q, want one line with %q", out, tt.want)
			}
			if tokenPattern.MatchString(stdout) {
				t.Errorf("stdout has a token: %q", stdout)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("admin token created the missing data directory (stat: %v)", err)
	}
}

// TestAdminTokenS3: on S3 the command runs beside a running server, which
// accepts the new token at once.
func TestAdminTokenS3(t *testing.T) {
	srv := s3test.StartMinIO(t)
	env := map[string]string{
		"CHANCERY_STORAGE":       "s3",
		"CHANCERY_S3_ENDPOINT":   srv.Endpoint,
		"CHANCERY_S3_BUCKET":     srv.Bucket,
		"CHANCERY_S3_ACCESS_KEY": srv.AccessKey,
		"CHANCERY_S3_SECRET_KEY": srv.SecretKey,
	}
	m := MustStartMain(t, env)
	code, stdout, stderr := runCmd(t, "admin", "token", "--user", "secretariat", "--storage", "s3",
		"--s3-endpoint", srv.Endpoint, "--s3-bucket", srv.Bucket, "--s3-access-key", srv.AccessKey, "--s3-secret-key", srv.SecretKey)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	token := tokenPattern.FindString(stdout)
	if got, want := meStatus(t, m.URL(), token), 200; got != want {
		t.Errorf("GET /v1/me with the new token = %d, want %d", got, want)
	}
}

// TestBootstrapTokenIgnored: a bootstrap token given to a store that has
// users already is reported as ignored, unless it is the one in place.
func TestBootstrapTokenIgnored(t *testing.T) {
	const first, other = "chy_first_0123456789abcdefghij", "chy_other_0123456789abcdefghij"
	dir := t.TempDir()
	restart := func(token string) (*testMain, string) {
		m := MustStartMain(t, map[string]string{"CHANCERY_DATA_DIR": dir, "CHANCERY_BOOTSTRAP_TOKEN": token})
		m.cancel()
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		return m, m.stderr.String()
	}
	if _, stderr := restart(first); strings.Contains(stderr, "ignored") {
		t.Errorf("first start: stderr mentions ignored: %q", stderr)
	}
	if _, stderr := restart(first); strings.Contains(stderr, "ignored") {
		t.Errorf("restart with the same token: stderr mentions ignored: %q", stderr)
	}
	_, stderr := restart(other)
	if !strings.Contains(stderr, "CHANCERY_BOOTSTRAP_TOKEN ignored") || !strings.Contains(stderr, "chancery admin token --user secretariat") {
		t.Errorf("restart with another token: stderr = %q, want a line saying it was ignored and how to get a token", stderr)
	}
}
