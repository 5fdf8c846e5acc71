package main

import (
	"chancery/internal/cli"
	"errors"
	"io"
	"io/fs"
	"math"
	"runtime/debug"
	"strings"
	"testing"
)

// TestMemoryLimitConfig: --memory-limit-mb and CHANCERY_MEMORY_LIMIT_MB
// give the soft memory limit in MiB, the flag winning; "auto" (the
// default) finds it at start; a mistake names the variable.
func TestMemoryLimitConfig(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		want int
	}{
		{nil, nil, memoryLimitAuto},
		{map[string]string{"CHANCERY_MEMORY_LIMIT_MB": "512"}, nil, 512},
		{map[string]string{"CHANCERY_MEMORY_LIMIT_MB": "512"}, []string{"--memory-limit-mb", "0"}, 0},
		{map[string]string{"CHANCERY_MEMORY_LIMIT_MB": "512"}, []string{"--memory-limit-mb", "auto"}, memoryLimitAuto},
	}
	for _, tt := range tests {
		m := NewMain(io.Discard, io.Discard)
		if err := m.ParseFlags(tt.args, func(k string) string { return tt.env[k] }); err != nil {
			t.Fatal(err)
		}
		if m.Config.MemoryLimitMB != tt.want {
			t.Errorf("env %v args %v: MemoryLimitMB %d, want %d", tt.env, tt.args, m.Config.MemoryLimitMB, tt.want)
		}
	}
	for _, bad := range []string{"lots", "-1", "1.5"} {
		m := NewMain(io.Discard, io.Discard)
		err := m.ParseFlags([]string{"--memory-limit-mb", bad}, func(string) string { return "" })
		var ue *cli.UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "CHANCERY_MEMORY_LIMIT_MB") {
			t.Errorf("--memory-limit-mb %q: %v, want a usage error naming CHANCERY_MEMORY_LIMIT_MB", bad, err)
		}
	}
}

// TestMemoryLimit: the limit set is the configured one; "auto" takes 90%
// of the cgroup's limit (v2 or v1, the process's own cgroup or the
// root a container sees), or without one the default, raised by what
// the cache exceeds its own default by; GOMEMLIMIT wins.
func TestMemoryLimit(t *testing.T) {
	files := func(m map[string]string) func(string) ([]byte, error) {
		return func(name string) ([]byte, error) {
			if s, ok := m[name]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}
	}
	const gib = 1 << 30
	tests := []struct {
		name     string
		mb       int
		cacheMB  int
		gomem    string
		files    map[string]string
		want     int64
		wantFrom string
		wantSet  bool
	}{
		{"configured", 512, 64, "", nil, 512 << 20, "CHANCERY_MEMORY_LIMIT_MB", true},
		{"none", 0, 64, "", nil, 0, "CHANCERY_MEMORY_LIMIT_MB", true},
		{"GOMEMLIMIT wins", 512, 64, "1GiB", nil, 0, "GOMEMLIMIT", false},
		{"auto without a cgroup", memoryLimitAuto, 64, "", nil, DefaultMemoryLimitMB << 20, "default", true},
		{"auto without a cgroup, a larger cache", memoryLimitAuto, 512, "", nil, (DefaultMemoryLimitMB + 448) << 20, "default", true},
		{"auto without a cgroup, no cache", memoryLimitAuto, 0, "", nil, DefaultMemoryLimitMB << 20, "default", true},
		{"auto, a larger cache in a cgroup", memoryLimitAuto, 512, "", map[string]string{
			"/proc/self/cgroup":         "0::/\n",
			"/sys/fs/cgroup/memory.max": "1073741824\n",
		}, gib / 10 * 9, "cgroup", true},
		{"auto, cgroup v2 of the process", memoryLimitAuto, 64, "", map[string]string{
			"/proc/self/cgroup": "0::/app.slice/chancery.service\n",
			"/sys/fs/cgroup/app.slice/chancery.service/memory.max": "2147483648\n",
		}, 2 * gib / 10 * 9, "cgroup", true},
		{"auto, cgroup v2 root in a container", memoryLimitAuto, 64, "", map[string]string{
			"/proc/self/cgroup":         "0::/\n",
			"/sys/fs/cgroup/memory.max": "1073741824\n",
		}, gib / 10 * 9, "cgroup", true},
		{"auto, cgroup v2 without a limit", memoryLimitAuto, 64, "", map[string]string{
			"/proc/self/cgroup":         "0::/\n",
			"/sys/fs/cgroup/memory.max": "max\n",
		}, DefaultMemoryLimitMB << 20, "default", true},
		{"auto, cgroup v1", memoryLimitAuto, 64, "", map[string]string{
			"/proc/self/cgroup":                             "5:devices:/x\n4:memory:/x\n",
			"/sys/fs/cgroup/memory/x/memory.limit_in_bytes": "536870912\n",
		}, 512 << 20 / 10 * 9, "cgroup", true},
		{"auto, cgroup v1 without a limit", memoryLimitAuto, 64, "", map[string]string{
			"/proc/self/cgroup":                           "4:memory:/elsewhere\n",
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
		}, DefaultMemoryLimitMB << 20, "default", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "GOMEMLIMIT" {
					return tt.gomem
				}
				return ""
			}
			limit, from, set := memoryLimit(tt.mb, tt.cacheMB, getenv, files(tt.files))
			if limit != tt.want || from != tt.wantFrom || set != tt.wantSet {
				t.Errorf("memoryLimit = %d, %q, %v; want %d, %q, %v", limit, from, set, tt.want, tt.wantFrom, tt.wantSet)
			}
		})
	}
}

// TestSetMemoryLimit: the runtime's limit is the one configured, none for
// 0, and left as it is when GOMEMLIMIT is set.
func TestSetMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	noEnv := func(string) string { return "" }
	if got, from := setMemoryLimit(300, 64, noEnv); got != 300<<20 || debug.SetMemoryLimit(-1) != 300<<20 || from != "CHANCERY_MEMORY_LIMIT_MB" {
		t.Errorf("300: set %d from %q, runtime has %d", got, from, debug.SetMemoryLimit(-1))
	}
	if got, _ := setMemoryLimit(0, 64, noEnv); got != math.MaxInt64 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Errorf("0: set %d, runtime has %d; want none", got, debug.SetMemoryLimit(-1))
	}
	debug.SetMemoryLimit(123 << 20) // as GOMEMLIMIT=123MiB would at start
	gomem := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "123MiB"
		}
		return ""
	}
	if got, from := setMemoryLimit(300, 64, gomem); got != 123<<20 || debug.SetMemoryLimit(-1) != 123<<20 || from != "GOMEMLIMIT" {
		t.Errorf("GOMEMLIMIT: %d from %q, runtime has %d; want GOMEMLIMIT's 123 MiB kept", got, from, debug.SetMemoryLimit(-1))
	}
}
