package web

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.org/jiti"
)

// metrics holds the server's counters in the Prometheus text format's
// terms: requests by route and status, and a latency histogram by route.
// A few dozen routes make a few hundred series, small enough for a map
// under one lock.
type metrics struct {
	mu       sync.Mutex
	started  time.Time
	requests map[routeStatus]uint64
	latency  map[string]*histogram
}

type routeStatus struct {
	route  string
	status int
}

// buckets are the latency bounds in seconds: the pages' target is 100 ms at
// the 95th percentile, so the buckets are finest around it.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []uint64 // per bucket, cumulative when written
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{started: time.Now(), requests: map[routeStatus]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[routeStatus{route, status}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.latency[route] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
		}
	}
	h.sum += sec
	h.n++
}

// serveMetrics answers /metrics on the main address: to the bearer of
// MetricsToken, and to nobody when none is set. Anyone else is told the
// page is not there, as for any address the server does not have: the
// counters name every route and its traffic, which is nobody's business
// but the operator's.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if !s.metricsAllowed(r) {
		s.fail(w, r, jiti.ErrNotFound)
		return
	}
	s.writeMetrics(w)
}

// metricsAllowed reports whether r bears the metrics token (compared in
// constant time).
func (s *Server) metricsAllowed(r *http.Request) bool {
	if s.MetricsToken == "" {
		return false
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return strings.EqualFold(scheme, "Bearer") &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.MetricsToken)) == 1
}

// MetricsHandler serves /metrics alone, for a listener of its own
// (-metrics-addr) that only the monitoring can reach; with a MetricsToken
// set, it asks for the token there too.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if s.MetricsToken != "" && !s.metricsAllowed(r) {
			http.NotFound(w, r)
			return
		}
		s.writeMetrics(w)
	})
	return mux
}

// writeMetrics writes the counters in the Prometheus text format (0.0.4).
func (s *Server) writeMetrics(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w)
}

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	keys := make([]routeStatus, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b routeStatus) int {
		if a.route != b.route {
			if a.route < b.route {
				return -1
			}
			return 1
		}
		return a.status - b.status
	})
	fmt.Fprintln(w, "# HELP jiti_http_requests_total HTTP requests by route pattern and status.")
	fmt.Fprintln(w, "# TYPE jiti_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "jiti_http_requests_total{route=%s,code=\"%d\"} %d\n", strconv.Quote(k.route), k.status, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	fmt.Fprintln(w, "# HELP jiti_http_request_duration_seconds Time to answer a request, by route pattern.")
	fmt.Fprintln(w, "# TYPE jiti_http_request_duration_seconds histogram")
	for _, route := range routes {
		h := m.latency[route]
		q := strconv.Quote(route)
		for i, b := range buckets {
			fmt.Fprintf(w, "jiti_http_request_duration_seconds_bucket{route=%s,le=\"%g\"} %d\n", q, b, h.counts[i])
		}
		fmt.Fprintf(w, "jiti_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", q, h.n)
		fmt.Fprintf(w, "jiti_http_request_duration_seconds_sum{route=%s} %g\n", q, h.sum)
		fmt.Fprintf(w, "jiti_http_request_duration_seconds_count{route=%s} %d\n", q, h.n)
	}
	started := m.started
	m.mu.Unlock()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintln(w, "# HELP jiti_uptime_seconds Seconds since the server started.")
	fmt.Fprintln(w, "# TYPE jiti_uptime_seconds gauge")
	fmt.Fprintf(w, "jiti_uptime_seconds %g\n", time.Since(started).Seconds())
	fmt.Fprintln(w, "# HELP go_goroutines Goroutines that currently exist.")
	fmt.Fprintln(w, "# TYPE go_goroutines gauge")
	fmt.Fprintf(w, "go_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintln(w, "# HELP go_memstats_heap_inuse_bytes Bytes in in-use heap spans.")
	fmt.Fprintln(w, "# TYPE go_memstats_heap_inuse_bytes gauge")
	fmt.Fprintf(w, "go_memstats_heap_inuse_bytes %d\n", ms.HeapInuse)
	if rss, ok := residentMemory(); ok {
		fmt.Fprintln(w, "# HELP process_resident_memory_bytes Resident memory size in bytes.")
		fmt.Fprintln(w, "# TYPE process_resident_memory_bytes gauge")
		fmt.Fprintf(w, "process_resident_memory_bytes %d\n", rss)
	}
	fmt.Fprintln(w, "# HELP go_memstats_sys_bytes Bytes of memory obtained from the operating system.")
	fmt.Fprintln(w, "# TYPE go_memstats_sys_bytes gauge")
	fmt.Fprintf(w, "go_memstats_sys_bytes %d\n", ms.Sys)
	if cpu, ok := processCPU(); ok {
		fmt.Fprintln(w, "# HELP process_cpu_seconds_total Processor time used by the process, user and system, in seconds.")
		fmt.Fprintln(w, "# TYPE process_cpu_seconds_total counter")
		fmt.Fprintf(w, "process_cpu_seconds_total %g\n", cpu)
	}
}

// processCPU reads the processor time the process has used, user and
// system, from /proc (Linux only; elsewhere the metric is left out): a
// load test divides it by the requests served, a figure of the work a
// request costs that a busy machine does not inflate as it does latency.
func processCPU() (float64, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// Fields follow the command's name in parentheses, which may hold
	// spaces; utime and stime are the 14th and 15th, in clock ticks of
	// 1/100 s on Linux.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return float64(user+sys) / 100, true
}

// residentMemory reads the process's resident set size from /proc (Linux
// only; elsewhere the metric is left out).
func residentMemory() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
