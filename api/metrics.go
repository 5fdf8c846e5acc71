package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"chancery/drafts"
)

// Metrics holds the Prometheus collectors of one server, in a registry of
// its own (no global registry).
type Metrics struct {
	Registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	storeOps  *prometheus.HistogramVec
	storeErrs *prometheus.CounterVec
}

// NewMetrics returns the collectors, registered.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chancery_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "chancery_http_request_duration_seconds", Help: "HTTP request latency by method, route and status.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route", "status"}),
		storeOps: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "chancery_storage_operation_duration_seconds", Help: "Object storage operation latency by operation.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"operation"}),
		storeErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chancery_storage_errors_total", Help: "Object storage operations that failed, by operation and error code.",
		}, []string{"operation", "code"}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.storeOps, m.storeErrs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) observeRequest(method, route string, status int, d time.Duration) {
	st := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, st).Inc()
	m.latency.WithLabelValues(method, route, st).Observe(d.Seconds())
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// ObserveCache publishes the counts of a service's cache of immutable
// objects: chancery_cache_hits_total, chancery_cache_misses_total and
// chancery_cache_bytes. Observing a second service on the same Metrics
// does nothing.
func (m *Metrics) ObserveCache(stats func() drafts.CacheStats) {
	for _, c := range []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "chancery_cache_hits_total", Help: "Reads of immutable objects (versions, summaries, events, listed records at the ETag listed) served from memory."},
			func() float64 { return float64(stats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "chancery_cache_misses_total", Help: "Reads of immutable objects that went to storage."},
			func() float64 { return float64(stats().Misses) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "chancery_cache_bytes", Help: "Stored size of the immutable objects held in memory."},
			func() float64 { return float64(stats().Bytes) }),
	} {
		_ = m.Registry.Register(c) // AlreadyRegisteredError: one service per Metrics
	}
}

// InstrumentStore wraps an object store so that each operation's latency
// and failures are measured.
func (m *Metrics) InstrumentStore(s drafts.ObjectStore) drafts.ObjectStore {
	is := &instrumentedStore{next: s, m: m, ops: map[string]prometheus.Observer{}}
	// Each operation's histogram is looked up once here rather than by
	// its label on every call: an authenticated request makes three.
	for _, op := range []string{"get", "create", "update", "delete", "list", "ping"} {
		is.ops[op] = m.storeOps.WithLabelValues(op)
	}
	return is
}

type instrumentedStore struct {
	next drafts.ObjectStore
	m    *Metrics
	ops  map[string]prometheus.Observer // by operation, never written after InstrumentStore
}

var _ drafts.CachingStore = (*instrumentedStore)(nil)

// Uncached counts the reads of the wrapped store's uncached view (see
// drafts.Uncached) like any other.
func (s *instrumentedStore) Uncached() drafts.ObjectStore {
	c, ok := s.next.(drafts.CachingStore)
	if !ok {
		return s
	}
	return &instrumentedStore{next: c.Uncached(), m: s.m, ops: s.ops}
}

func (s *instrumentedStore) observe(op string, start time.Time, err error) {
	s.ops[op].Observe(time.Since(start).Seconds())
	// Not found and lost races are answers, not failures.
	if code := drafts.ErrorCode(err); code != "" && code != drafts.ENOTFOUND && code != drafts.ECONFLICT && code != drafts.EPRECONDITION {
		s.m.storeErrs.WithLabelValues(op, code).Inc()
	}
}

func (s *instrumentedStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	start := time.Now()
	o, err := s.next.Get(ctx, key)
	s.observe("get", start, err)
	return o, err
}

func (s *instrumentedStore) Create(ctx context.Context, key string, data []byte) (etag string, err error) {
	start := time.Now()
	etag, err = s.next.Create(ctx, key, data)
	s.observe("create", start, err)
	return etag, err
}

func (s *instrumentedStore) Update(ctx context.Context, key string, data []byte, ifMatch string) (etag string, err error) {
	start := time.Now()
	etag, err = s.next.Update(ctx, key, data, ifMatch)
	s.observe("update", start, err)
	return etag, err
}

func (s *instrumentedStore) Delete(ctx context.Context, key, ifMatch string) error {
	start := time.Now()
	err := s.next.Delete(ctx, key, ifMatch)
	s.observe("delete", start, err)
	return err
}

func (s *instrumentedStore) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	start := time.Now()
	objs, next, err := s.next.List(ctx, prefix, after, limit)
	s.observe("list", start, err)
	return objs, next, err
}

func (s *instrumentedStore) Ping(ctx context.Context) error {
	start := time.Now()
	err := s.next.Ping(ctx)
	s.observe("ping", start, err)
	return err
}

func slogLevel(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
