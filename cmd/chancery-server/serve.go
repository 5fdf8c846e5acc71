package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"chancery/api"
	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/cli"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
	"chancery/web"
)

// Config is the server's configuration, from flags and the environment.
type Config struct {
	Addr        string
	MetricsAddr string
	Storage     storage.Config
	PolicyModel string
	PolicyFile  string
	SilenceMin  time.Duration
	// SilenceMax is the furthest deadline a silence procedure may have.
	SilenceMax     time.Duration
	BootstrapToken string
	Demo           bool
	TrustedProxies []*net.IPNet
	MaxTextBytes   int
	// CacheMB bounds the in-process cache of immutable objects; 0 for none.
	CacheMB  int
	LogLevel slog.Level
	// FallbackFont is a TrueType file for characters the document fonts
	// lack.
	FallbackFont string
	// ForumName is printed in the header of every PDF page; empty for the
	// forum's name in the document's language.
	ForumName string
	// AuditSweep is how often every audit trail is completed from the
	// stored changes (besides at start); 0 for never.
	AuditSweep time.Duration
	// Live configures the event streams and webhooks.
	Live liveConfig
	// MemoryLimitMB is the Go runtime's soft memory limit that Run sets,
	// in MiB: 0 for none, memoryLimitAuto to find it (see memoryLimit).
	MemoryLimitMB int
}

// Main runs the server: ParseFlags, Run, Close.
type Main struct {
	Config Config

	stdout, stderr io.Writer
	log            *slog.Logger
	bucket         storage.Bucket
	svc            *service.Service
	server         *api.Server
	httpSrv        *http.Server
	ln             net.Listener
	metricsSrv     *http.Server
	metricsLn      net.Listener
	// apiLn is the API listener, claimed before storage is opened and
	// handed to the server once it is built.
	apiLn net.Listener

	// ready is closed once the server listens (for tests).
	ready chan struct{}
}

// visitDelay is how long after a page its visit is stored
// (service.VisitDelay).
const visitDelay = 5 * time.Second

// NewMain returns a Main writing logs to stderr.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{stdout: stdout, stderr: stderr, ready: make(chan struct{})}
}

// ParseFlags reads flags, with defaults from the environment (getenv).
// A mistake is a usage error naming the flag and its variable.
func (m *Main) ParseFlags(args []string, getenv func(string) string) error {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("chancery serve", flag.ContinueOnError)
	fs.SetOutput(m.stderr)
	c := &m.Config
	fs.StringVar(&c.Addr, "addr", env("CHANCERY_ADDR", "127.0.0.1:8080"), "listen address (CHANCERY_ADDR)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("CHANCERY_METRICS_ADDR", "127.0.0.1:9464"), "Prometheus /metrics listen address, \"off\" to disable (CHANCERY_METRICS_ADDR)")
	checkStorage := storageFlags(fs, env, &c.Storage)
	checkLive := liveFlags(fs, env, &c.Live)
	checkMemory := memoryLimitFlag(fs, env, &c.MemoryLimitMB)
	fs.StringVar(&c.PolicyModel, "policy-model", env("CHANCERY_POLICY_MODEL", ""), "casbin model file; empty for the embedded default (CHANCERY_POLICY_MODEL)")
	fs.StringVar(&c.PolicyFile, "policy", env("CHANCERY_POLICY", ""), "casbin policy file; empty for the embedded default (CHANCERY_POLICY)")
	silence := fs.String("silence-min", env("CHANCERY_SILENCE_MIN", "72h"), "shortest silence procedure (CHANCERY_SILENCE_MIN)")
	silenceMax := fs.String("silence-max", env("CHANCERY_SILENCE_MAX", "90d"), "longest silence procedure, e.g. 90d or 720h (CHANCERY_SILENCE_MAX)")
	fs.StringVar(&c.BootstrapToken, "bootstrap-token", env("CHANCERY_BOOTSTRAP_TOKEN", ""), "token of the first secretariat user (CHANCERY_BOOTSTRAP_TOKEN)")
	fs.BoolVar(&c.Demo, "demo", false, "load demo delegations, users and a document, and print their tokens")
	proxies := fs.String("trusted-proxies", env("CHANCERY_TRUSTED_PROXIES", ""), "comma-separated CIDRs whose X-Forwarded-For is trusted (CHANCERY_TRUSTED_PROXIES)")
	maxText := fs.String("max-text-bytes", env("CHANCERY_MAX_TEXT_BYTES", strconv.Itoa(drafts.DefaultMaxTextBytes)), "largest text accepted (CHANCERY_MAX_TEXT_BYTES)")
	fs.StringVar(&c.FallbackFont, "pdf-fallback-font", env("CHANCERY_PDF_FALLBACK_FONT", ""), "TrueType font for characters the built-in fonts lack, e.g. CJK (CHANCERY_PDF_FALLBACK_FONT)")
	fs.StringVar(&c.ForumName, "forum-name", env("CHANCERY_FORUM_NAME", ""), "forum name in the header of PDF pages; empty for \""+render.DefaultForum+"\" in the document's language (CHANCERY_FORUM_NAME)")
	cacheMB := fs.String("cache-mb", env("CHANCERY_CACHE_MB", strconv.Itoa(service.DefaultCacheBytes>>20)), "megabytes of immutable objects (versions, events, and listed records at the ETag listed) kept in memory; 0 for none (CHANCERY_CACHE_MB)")
	level := fs.String("log-level", env("CHANCERY_LOG_LEVEL", "info"), "debug, info, warn or error (CHANCERY_LOG_LEVEL)")
	sweep := fs.String("audit-sweep", env("CHANCERY_AUDIT_SWEEP", "1h"), "how often to write the audit events that changes stored by a replica that died still owe, e.g. 1h; 0 for only at start (CHANCERY_AUDIT_SWEEP)")
	if err := cli.ParseFlags(fs, args, m.stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := checkStorage(); err != nil {
		return err
	}
	if err := checkLive(); err != nil {
		return err
	}
	if err := checkMemory(); err != nil {
		return err
	}
	var err error
	if c.SilenceMin, err = time.ParseDuration(*silence); err != nil || c.SilenceMin < 0 {
		return cli.Usagef("CHANCERY_SILENCE_MIN / --silence-min: %q is not a duration such as 72h", *silence)
	}
	if c.SilenceMax, err = parseDays(*silenceMax); err != nil || c.SilenceMax <= 0 {
		return cli.Usagef("CHANCERY_SILENCE_MAX / --silence-max: %q is not a duration such as 90d or 720h", *silenceMax)
	}
	if c.SilenceMax < c.SilenceMin {
		return cli.Usagef("CHANCERY_SILENCE_MAX / --silence-max: %s is shorter than the shortest silence procedure (%s)", *silenceMax, *silence)
	}
	if c.MaxTextBytes, err = strconv.Atoi(*maxText); err != nil || c.MaxTextBytes < 1 {
		return cli.Usagef("CHANCERY_MAX_TEXT_BYTES / --max-text-bytes: %q is not a positive number", *maxText)
	}
	if c.CacheMB, err = strconv.Atoi(*cacheMB); err != nil || c.CacheMB < 0 {
		return cli.Usagef("CHANCERY_CACHE_MB / --cache-mb: %q is not a number of megabytes", *cacheMB)
	}
	if c.AuditSweep, err = time.ParseDuration(*sweep); err != nil || c.AuditSweep < 0 {
		return cli.Usagef("CHANCERY_AUDIT_SWEEP / --audit-sweep: %q is not a duration such as 1h", *sweep)
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return cli.Usagef("CHANCERY_LOG_LEVEL / --log-level: %q is not debug, info, warn or error", *level)
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return cli.Usagef("CHANCERY_TRUSTED_PROXIES / --trusted-proxies: %q is not a CIDR such as 10.0.0.0/8", p)
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	return checkAddrs(c)
}

// checkAddrs checks the listen addresses.
func checkAddrs(c *Config) error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return cli.Usagef("CHANCERY_ADDR / --addr: %q is not host:port", c.Addr)
	}
	if c.MetricsAddr != "off" && c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return cli.Usagef("CHANCERY_METRICS_ADDR / --metrics-addr: %q is not host:port", c.MetricsAddr)
		}
	}
	return nil
}

// Open wires the server and starts listening; Run calls it.
func (m *Main) Open(ctx context.Context) error {
	c := m.Config
	m.log = slog.New(slog.NewJSONHandler(m.stderr, &slog.HandlerOptions{Level: c.LogLevel}))
	// Claim the addresses first: a server that cannot listen must not
	// create a data directory or print a token it will never serve.
	if err := m.listen(); err != nil {
		return err
	}
	metrics := api.NewMetrics()
	svc, enforcer, err := m.openService(ctx, metrics)
	if err != nil {
		return err
	}
	m.svc = svc
	if err := m.bootstrap(ctx, svc); err != nil {
		return err
	}
	renderer, err := newRenderer(c.FallbackFont, "CHANCERY_PDF_FALLBACK_FONT / --pdf-fallback-font", c.ForumName)
	if err != nil {
		return err
	}
	svc.Renderer = renderer
	m.startServers(svc, enforcer, metrics)
	// Silence procedures end by time: every replica looks for due ones.
	go m.settleLoop(ctx, svc, c.AuditSweep)
	go m.webhookLoop(ctx, svc)
	m.log.Info("chancery listening", "addr", m.Addr(), "storage", c.Storage.Type, "metrics", m.MetricsAddr())
	fmt.Fprintf(m.stdout, "Chancery listening on http://%s (storage: %s)\n", m.Addr(), c.Storage.Type)
	close(m.ready)
	return nil
}

// listen claims the API's address and the metrics' (unless off).
func (m *Main) listen() error {
	c := m.Config
	apiLn, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %v", c.Addr, listenError(err))
	}
	m.apiLn = apiLn
	if c.MetricsAddr != "" && c.MetricsAddr != "off" {
		ln, err := net.Listen("tcp", c.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: listen on %s: %v", c.MetricsAddr, listenError(err))
		}
		m.metricsLn = ln
	}
	return nil
}

// openService opens the storage and the policy, and returns the service
// over them, configured, with the policy.
func (m *Main) openService(ctx context.Context, metrics *api.Metrics) (*service.Service, *policy.Enforcer, error) {
	c := m.Config
	bucket, err := storage.Open(ctx, c.Storage)
	if err != nil {
		return nil, nil, fmt.Errorf("storage: %s", drafts.ErrorMessage(err))
	}
	m.bucket = bucket
	enforcer, err := policy.NewFromFiles(c.PolicyModel, c.PolicyFile)
	if err != nil {
		return nil, nil, cli.Usagef("policy: %v", err)
	}
	if c.PolicyModel != "" || c.PolicyFile != "" {
		go enforcer.Watch(ctx, 2*time.Second, func(format string, args ...any) {
			m.log.Warn(fmt.Sprintf(format, args...))
		})
	}
	svc := service.New(metrics.InstrumentStore(bucket), diffing.New(), enforcer)
	svc.SilenceMin = c.SilenceMin
	svc.SilenceMax = c.SilenceMax
	svc.TextLimits = drafts.Limits{MaxBytes: c.MaxTextBytes}
	svc.CacheBytes = int64(c.CacheMB) << 20
	if c.CacheMB == 0 {
		svc.CacheBytes = -1
	}
	svc.Log = m.log
	// A page's visit is stored a few seconds after the page (the whole
	// room opens the document at once); Close stores what is left.
	svc.VisitDelay = visitDelay
	configureLive(svc, c.Live)
	return svc, enforcer, nil
}

// bootstrap creates the first secretariat user of an empty storage,
// printing its token unless the operator gave one, and loads the demo
// if asked.
func (m *Main) bootstrap(ctx context.Context, svc drafts.Service) error {
	c := m.Config
	token, err := svc.Bootstrap(ctx, c.BootstrapToken)
	if err != nil {
		return fmt.Errorf("bootstrap: %s", drafts.ErrorMessage(err))
	}
	if token != "" && c.BootstrapToken == "" {
		fmt.Fprintf(m.stdout, "Created the first secretariat user. Its token, shown once:\n  %s\n", token)
	}
	if token == "" && c.BootstrapToken != "" {
		// The store has users already. A token that still works (the same
		// one given at every start) is in place; any other was ignored.
		if _, err := svc.Authenticate(ctx, c.BootstrapToken); drafts.IsCode(err, drafts.EUNAUTHORIZED) {
			fmt.Fprintln(m.stderr, "chancery: --bootstrap-token / CHANCERY_BOOTSTRAP_TOKEN ignored: the storage has users already and the token is not one of theirs; to get a new secretariat token, run: chancery admin token --user secretariat")
		}
	}
	if c.Demo {
		if err := loadDemo(ctx, svc, m.stdout); err != nil {
			return fmt.Errorf("demo: %s", drafts.ErrorMessage(err))
		}
	}
	return nil
}

// startServers serves the web workspace at / (handing /v1 to the API) on
// the API's listener, and the metrics on theirs.
func (m *Main) startServers(svc *service.Service, enforcer *policy.Enforcer, metrics *api.Metrics) {
	c := m.Config
	m.server = api.NewServer(svc, enforcer, svc.Renderer, m.log)
	m.server.Metrics = metrics
	metrics.ObserveLive(svc.LiveStreams)
	m.server.TrustedProxies = c.TrustedProxies
	m.server.BodyLimit = fmt.Sprintf("%dK", (c.MaxTextBytes*2+1023)/1024+64)
	m.server.Word = docx.New(docx.WithTextLimits(svc.TextLimits), docx.WithLimits(int64(c.MaxTextBytes)*2, 0, 0))
	ws := web.New(svc, enforcer, svc.Renderer, m.log)
	ws.BodyLimit = m.server.BodyLimit
	ws.TrustedProxies = c.TrustedProxies
	ws.API = m.server.Handler()
	m.serve(m.apiLn, ws.Handler())
	// Event streams never go idle: end them first when stopping.
	m.httpSrv.RegisterOnShutdown(m.server.EndStreams)
	m.httpSrv.RegisterOnShutdown(ws.EndStreams)
	m.apiLn = nil // the HTTP server owns it now
	if m.metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("/metrics", metrics.Handler())
		m.metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = m.metricsSrv.Serve(m.metricsLn) }()
	}
}

// settleLoop completes the audit trails at start, then, every second,
// settles due silence procedures and writes the events this process owes,
// and every sweep (if not 0) completes every trail again: a replica that
// died owing events may never start again.
func (m *Main) settleLoop(ctx context.Context, svc drafts.MaintenanceService, sweep time.Duration) {
	complete := func(when string) {
		run := svc.SweepEvents
		if when == "start" {
			run = svc.CompleteAllEvents // past every cache
		}
		if n, err := run(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("completing the audit trails", "when", when, "err", err, "written", n)
		} else if n > 0 {
			m.log.Warn("audit events recorded late", "when", when, "count", n)
		}
	}
	complete("start")
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var sweeps <-chan time.Time
	if sweep > 0 {
		st := time.NewTicker(sweep)
		defer st.Stop()
		sweeps = st.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-sweeps:
			complete("sweep")
		case <-t.C:
			if err := svc.SettleDue(ctx); err != nil && ctx.Err() == nil {
				m.log.Warn("settling silence procedures", "err", err)
			}
			// Events owed since storage failed.
			if svc.PendingEvents() > 0 {
				if err := svc.RetryEvents(ctx); err != nil && ctx.Err() == nil {
					m.log.Warn("audit events still waiting for storage", "trails", svc.PendingEvents(), "err", err)
				}
			}
		}
	}
}

// Run sets the Go runtime's soft memory limit, opens the server and
// serves until ctx is cancelled (SIGINT/SIGTERM), then shuts down,
// finishing requests in flight.
func (m *Main) Run(ctx context.Context) error {
	// The whole process's: set here, not in Open (a test's servers share
	// one process).
	limit, from := setMemoryLimit(m.Config.MemoryLimitMB, m.Config.CacheMB, os.Getenv)
	if err := m.Open(ctx); err != nil {
		return err
	}
	if limit == math.MaxInt64 {
		m.log.Info("no memory limit", "from", from)
	} else {
		m.log.Info("memory limit", "mib", limit>>20, "from", from)
	}
	<-ctx.Done()
	m.log.Info("shutting down")
	return nil
}

// serve serves h (the web workspace, which hands /v1 to the API) on the
// listener Open claimed first, with the API's timeouts.
func (m *Main) serve(ln net.Listener, h http.Handler) {
	m.ln = ln
	m.httpSrv = &http.Server{Handler: h, ReadTimeout: m.server.ReadTimeout, ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout: m.server.WriteTimeout, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := m.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.log.Error("http server stopped", "err", err)
		}
	}()
}

// Addr returns the listen address of the API and the web workspace.
func (m *Main) Addr() string {
	if m.ln == nil {
		return ""
	}
	return m.ln.Addr().String()
}

// MetricsAddr returns the metrics listen address, "" if off.
func (m *Main) MetricsAddr() string {
	if m.metricsLn == nil {
		return ""
	}
	return m.metricsLn.Addr().String()
}

// Close shuts the server down gracefully and releases storage.
func (m *Main) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	if m.httpSrv != nil {
		errs = append(errs, m.httpSrv.Shutdown(ctx))
	}
	if m.metricsSrv != nil {
		errs = append(errs, m.metricsSrv.Shutdown(ctx))
	} else if m.metricsLn != nil {
		m.metricsLn.Close()
	}
	if m.apiLn != nil {
		m.apiLn.Close()
	}
	if m.svc != nil {
		m.svc.Drain() // what requests left to do after answering, before the store closes
		errs = append(errs, m.svc.FlushVisits(ctx))
	}
	if m.bucket != nil {
		errs = append(errs, m.bucket.Close())
	}
	return errors.Join(errs...)
}

// listenError words a listen failure for an operator: the common case is
// another process on the port.
func listenError(err error) string {
	if errors.Is(err, syscall.EADDRINUSE) {
		return "the address is in use by another process (stop it, or choose another address)"
	}
	return err.Error()
}

// parseDays parses a duration as time.ParseDuration does, and also a whole
// number of days ("90d").
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 100000 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}
