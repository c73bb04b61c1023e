package main

// The fault door: our own HTTPS listener in front of the simulator's
// http.Handler. It serves the simulator's replies unchanged in normal mode
// and can be closed, made to hang, answer an HTTP status, delay or fault
// chosen SOAP methods, or drop the reply after the work was done.

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type doorMode string

const (
	modeNormal doorMode = "normal"
	modeHang   doorMode = "hang"
	modeHTTP   doorMode = "http"
)

type faultRule struct {
	Fault   string            `json:"fault"`
	Message string            `json:"message"`
	Count   int               `json:"count"` // remaining; -1 = until cleared
	Props   map[string]string `json:"props,omitempty"`
}

// methods the simulator lets through without a session, but real vCenter
// does not (it answers NotAuthenticated).
// sessionless are the calls vCenter answers without a session: the rest get
// NotAuthenticated from the door while session expiry is switched on and the
// caller's cookie is not one a Login issued since.
var sessionless = map[string]bool{
	"RetrieveServiceContent": true,
	"Login":                  true,
	"LoginByToken":           true,
	"CurrentTime":            true,
}

var sessionlessInSimulatorOnly = map[string]bool{
	"RetrieveProperties":   true,
	"RetrievePropertiesEx": true,
	"Fetch":                true,
	"List":                 true,
}

type door struct {
	sim     http.Handler // the simulator's ServeMux
	certs   *certStore
	logf    func(format string, args ...interface{})
	srv     *http.Server
	tlsConf *tls.Config
	strict  bool // NotAuthenticated for RetrieveProperties* etc. without a live session
	// expiry: every call that needs a session gets NotAuthenticated unless its
	// cookie came from a Login made after expiry was switched on (old cookies
	// stay dead). Switched by /session/expire, off again by /reset.
	expiry bool

	mu          sync.Mutex
	addr        string // host:port, fixed after the first listen
	ln          *trackListener
	conns       map[*trackedConn]struct{}
	mode        doorMode
	status      int
	changed     chan struct{} // closed (and replaced) whenever the door state changes
	delays      map[string]int
	faults      map[string]*faultRule
	drops       map[string]int
	cuts        map[string]*cutRule
	calls       map[string]int64
	total       int64
	connections int64
	requests    int64
	bytesIn     int64               // SOAP request bodies
	bytesOut    int64               // response bodies written through the door
	sessions    map[string]struct{} // session cookies handed out and not logged out / killed
	closed      bool

	// afterCall runs after the simulator served a SOAP call (outside d.mu).
	afterCall func(method string, status int)
	// around, when set, wraps serving one SOAP call (outside d.mu): it must
	// call serve exactly once, which returns the HTTP status. It runs for
	// dropped replies too: the call takes effect, only its reply is lost.
	around func(call soapCall, body []byte, serve func() int)
	// tasks holds back the outcome of the task methods given a task delay
	// (nil: never); startTaskDelay is what /reset goes back to.
	tasks          *taskHolder
	startTaskDelay time.Duration
}

func newDoor(sim http.Handler, certs *certStore, errLog *log.Logger, logf func(string, ...interface{})) *door {
	d := &door{
		sim:      sim,
		certs:    certs,
		logf:     logf,
		conns:    make(map[*trackedConn]struct{}),
		mode:     modeNormal,
		changed:  make(chan struct{}),
		delays:   make(map[string]int),
		faults:   make(map[string]*faultRule),
		drops:    make(map[string]int),
		cuts:     make(map[string]*cutRule),
		calls:    make(map[string]int64),
		sessions: make(map[string]struct{}),
		strict:   true,
	}
	d.tlsConf = certs.tlsConfig()
	d.srv = &http.Server{
		Handler:  d,
		ErrorLog: errLog,
	}
	return d
}

// ---- listener and connection tracking ----

type trackListener struct {
	net.Listener
	d *door
}

type trackedConn struct {
	net.Conn
	d    *door
	once sync.Once
}

func (l *trackListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		tc := &trackedConn{Conn: c, d: l.d}
		l.d.mu.Lock()
		current := l.d.ln == l && !l.d.closed
		if current {
			l.d.conns[tc] = struct{}{}
			l.d.connections++
		}
		l.d.mu.Unlock()
		if current {
			return tc, nil
		}
		_ = c.Close() // accepted while the door was being closed
	}
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.d.mu.Lock()
		delete(c.d.conns, c)
		c.d.mu.Unlock()
	})
	return c.Conn.Close()
}

// listen opens the SDK listener (the first time on addr, later on the same
// host:port again).
func (d *door) listen(addr string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errors.New("door is shut down")
	}
	if d.ln != nil {
		return nil
	}
	if d.addr != "" {
		addr = d.addr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	d.addr = ln.Addr().String()
	tl := &trackListener{Listener: ln, d: d}
	d.ln = tl
	d.signalLocked()
	bound := d.addr
	go func() {
		err := d.srv.Serve(tls.NewListener(tl, d.tlsConf))
		d.logf("door listener %s stopped: %v", bound, err)
	}()
	return nil
}

// closeLocked closes the listener and every connection it accepted.
func (d *door) closeLocked() {
	if d.ln != nil {
		_ = d.ln.Listener.Close()
		d.ln = nil
	}
	for c := range d.conns {
		_ = c.Conn.Close() // the raw socket: also ends hijacked (hanging) connections
		delete(d.conns, c)
	}
	d.signalLocked()
}

func (d *door) down() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closeLocked()
}

func (d *door) up() error { return d.listen("") }

// shutdown closes the door for good.
func (d *door) shutdown() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closeLocked()
	d.closed = true
}

func (d *door) signalLocked() {
	close(d.changed)
	d.changed = make(chan struct{})
}

// setMode switches between normal, hang and http; held (hanging) requests are
// released (their connections closed) whenever the mode actually changes.
func (d *door) setMode(mode doorMode, status int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mode == mode && d.status == status {
		return
	}
	d.mode, d.status = mode, status
	d.signalLocked()
}

type doorState struct {
	Up     bool                 `json:"up"`
	URL    string               `json:"url"`
	Mode   doorMode             `json:"mode"`
	Status int                  `json:"status,omitempty"`
	Open   int                  `json:"openConnections"`
	Delays map[string]int       `json:"delays"`
	Faults map[string]faultRule `json:"faults"`
	Drops  map[string]int       `json:"drops"`
}

func (d *door) state() doorState {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := doorState{
		Up:     d.ln != nil,
		URL:    "https://" + d.addr + "/sdk",
		Mode:   d.mode,
		Status: d.status,
		Open:   len(d.conns),
		Delays: make(map[string]int),
		Faults: make(map[string]faultRule),
		Drops:  make(map[string]int),
	}
	for k, v := range d.delays {
		st.Delays[k] = v
	}
	for k, v := range d.faults {
		st.Faults[k] = *v
	}
	for k, v := range d.drops {
		st.Drops[k] = v
	}
	return st
}

func (d *door) setDelay(method string, ms int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ms <= 0 {
		delete(d.delays, method)
	} else {
		d.delays[method] = ms
	}
}

func (d *door) setFault(method string, rule *faultRule) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if rule == nil || rule.Count == 0 {
		delete(d.faults, method)
	} else {
		d.faults[method] = rule
	}
}

func (d *door) setDrop(method string, count int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if count == 0 {
		delete(d.drops, method)
	} else {
		d.drops[method] = count
	}
}

// reset: door normal and up, no delays, faults or drops.
func (d *door) reset() error {
	d.mu.Lock()
	d.delays = make(map[string]int)
	d.faults = make(map[string]*faultRule)
	d.drops = make(map[string]int)
	d.cuts = make(map[string]*cutRule)
	d.mode, d.status = modeNormal, 0
	d.expiry = false
	d.signalLocked()
	d.mu.Unlock()
	if d.tasks != nil {
		d.tasks.set(0, nil)
		d.tasks.set(d.startTaskDelay, nil)
	}
	return d.up()
}

type doorStats struct {
	Calls       map[string]int64 `json:"calls"`
	Total       int64            `json:"total"`
	Connections int64            `json:"connections"`
	Requests    int64            `json:"requests"`
	BytesIn     int64            `json:"bytesIn"`
	BytesOut    int64            `json:"bytesOut"`
}

func (d *door) stats() doorStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := doorStats{Calls: make(map[string]int64, len(d.calls)), Total: d.total,
		Connections: d.connections, Requests: d.requests, BytesIn: d.bytesIn, BytesOut: d.bytesOut}
	for k, v := range d.calls {
		st.Calls[k] = v
	}
	return st
}

func (d *door) resetStats() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = make(map[string]int64)
	d.total, d.connections, d.requests, d.bytesIn, d.bytesOut = 0, 0, 0, 0, 0
}

// setExpiry switches session expiry on (every session known so far is
// forgotten, so its cookie stays dead) or off.
func (d *door) setExpiry(on bool) []string {
	var keys []string
	if on {
		keys = d.takeSessions()
	}
	d.mu.Lock()
	d.expiry = on
	d.mu.Unlock()
	return keys
}

// takeSessions forgets (and returns) every session cookie the door has seen.
func (d *door) takeSessions() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	keys := make([]string, 0, len(d.sessions))
	for k := range d.sessions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d.sessions = make(map[string]struct{})
	return keys
}

// ---- request handling ----

func (d *door) delayFor(method string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ms, ok := d.delays[method]; ok {
		return ms
	}
	return d.delays["*"]
}

// takeRule consumes one use of the method's (or "*") fault rule.
func (d *door) takeFault(method string) *faultRule {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, key := range []string{method, "*"} {
		r, ok := d.faults[key]
		if !ok {
			continue
		}
		rule := *r
		if r.Count > 0 {
			r.Count--
			if r.Count == 0 {
				delete(d.faults, key)
			}
		}
		return &rule
	}
	return nil
}

func (d *door) takeDrop(method string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, key := range []string{method, "*"} {
		n, ok := d.drops[key]
		if !ok {
			continue
		}
		if n > 0 {
			n--
			if n == 0 {
				delete(d.drops, key)
			} else {
				d.drops[key] = n
			}
		}
		return true
	}
	return false
}

func sessionCookie(r *http.Request) string {
	if c, err := r.Cookie(soap.SessionCookieName); err == nil {
		return c.Value
	}
	return ""
}

// countingWriter counts the body bytes a reply writes (for the stats' bytesOut).
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return c.ResponseWriter.(http.Hijacker).Hijack()
}

func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (d *door) ServeHTTP(raw http.ResponseWriter, r *http.Request) {
	w := &countingWriter{ResponseWriter: raw}
	defer func() {
		d.mu.Lock()
		d.bytesOut += w.n
		d.mu.Unlock()
	}()
	var body []byte
	var call soapCall
	isSOAP := false
	if r.Method == http.MethodPost && (r.URL.Path == "/sdk" || strings.HasPrefix(r.URL.Path, "/sdk/")) {
		var err error
		body, err = io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			d.logf("reading request body: %v", err)
			return
		}
		call, isSOAP = parseSOAPCall(body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}

	d.mu.Lock()
	d.requests++
	if isSOAP {
		d.calls[call.Method]++
		d.total++
		d.bytesIn += int64(len(body))
	}
	mode, status, changed := d.mode, d.status, d.changed
	d.mu.Unlock()

	switch mode {
	case modeHang:
		d.hold(w, changed)
		return
	case modeHTTP:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "%d %s (dcm-vcsim fault door)\n", status, http.StatusText(status))
		return
	}

	if !isSOAP {
		d.serveSim(w, r, "")
		return
	}

	if ms := d.delayFor(call.Method); ms > 0 {
		d.logf("delaying %s by %d ms", call.Method, ms)
		time.Sleep(time.Duration(ms) * time.Millisecond) // the call is served afterwards even if the client left
	}

	if rule := d.takeFault(call.Method); rule != nil {
		d.logf("injecting %s into %s", rule.Fault, call.Method)
		fault := newVimFault(rule.Fault, rule.Message, call.This, rule.Props)
		writeSOAPFault(w, rule.Fault, rule.Message, fault, d.logf)
		return
	}

	d.mu.Lock()
	expiry := d.expiry
	d.mu.Unlock()
	if expiry && !sessionless[call.Method] {
		key := sessionCookie(r)
		d.mu.Lock()
		_, live := d.sessions[key]
		d.mu.Unlock()
		if !live {
			fault := &types.NotAuthenticated{NoPermission: types.NoPermission{Object: call.This, PrivilegeId: "System.View"}}
			writeSOAPFault(w, "", "", fault, d.logf)
			return
		}
	}

	if d.strict && sessionlessInSimulatorOnly[call.Method] {
		key := sessionCookie(r)
		d.mu.Lock()
		_, live := d.sessions[key]
		d.mu.Unlock()
		if !live {
			fault := &types.NotAuthenticated{NoPermission: types.NoPermission{Object: call.This, PrivilegeId: "System.View"}}
			writeSOAPFault(w, "", "", fault, d.logf)
			return
		}
	}

	if d.hasCut(call.Method) {
		d.serveCut(w, r, call, body)
		return
	}

	if d.takeDrop(call.Method) {
		d.logf("dropping the reply of %s", call.Method)
		rec := &bufferedResponse{header: make(http.Header)}
		d.serveAround(rec, r, call, body)
		conn, _, err := w.Hijack()
		if err != nil {
			d.logf("hijack for drop: %v", err)
			panic(http.ErrAbortHandler)
		}
		closeRaw(conn)
		return
	}

	d.serveAround(w, r, call, body)
}

func (d *door) serveAround(w http.ResponseWriter, r *http.Request, call soapCall, body []byte) {
	if hold := d.tasks.delayFor(call.Method); hold > 0 {
		// The reply waits until the task has been put back to running.
		rec := &bufferedResponse{header: make(http.Header)}
		d.serveAround0(rec, r, call, body)
		reply := rec.body.Bytes()
		if rec.status == http.StatusOK {
			reply = d.tasks.hold(call.Method, reply, hold)
		}
		for k, v := range rec.header {
			if k != "Content-Length" { // the reply may now name a task of another length
				w.Header()[k] = v
			}
		}
		if rec.status != 0 {
			w.WriteHeader(rec.status)
		}
		_, _ = w.Write(reply)
		return
	}
	d.serveAround0(w, r, call, body)
}

func (d *door) serveAround0(w http.ResponseWriter, r *http.Request, call soapCall, body []byte) {
	if d.around == nil {
		d.serveSim(w, r, call.Method)
		return
	}
	d.around(call, body, func() int { return d.serveSim(w, r, call.Method) })
}

// serveSim passes the request to the simulator, records session cookies,
// and turns a panic inside the simulator into a SystemError fault.
func (d *door) serveSim(w http.ResponseWriter, r *http.Request, method string) (served int) {
	sw := &statusWriter{ResponseWriter: w}
	var out http.ResponseWriter = sw
	if method == "" {
		out = w // non-SOAP paths keep the original writer (Hijacker, Flusher, ...)
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			log.Printf("simulator panic serving %s %s: %v", r.URL.Path, method, p)
			if method != "" && !sw.wrote {
				writeSOAPFault(w, "SystemError", fmt.Sprintf("vcsim internal error in %s: %v", method, p),
					&types.SystemError{Reason: fmt.Sprint(p)}, d.logf)
				served = http.StatusInternalServerError
				return
			}
			panic(http.ErrAbortHandler)
		}
	}()
	d.sim.ServeHTTP(out, r)
	if method == "" {
		return 0
	}
	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	d.observe(r, w.Header(), method, status)
	if d.afterCall != nil {
		d.afterCall(method, status)
	}
	return status
}

// observe tracks live sessions: cookies set by successful logins, removed
// by a successful Logout.
func (d *door) observe(r *http.Request, h http.Header, method string, status int) {
	if status != http.StatusOK {
		return
	}
	var set []string
	for _, line := range h.Values("Set-Cookie") {
		resp := http.Response{Header: http.Header{"Set-Cookie": {line}}}
		for _, c := range resp.Cookies() {
			if c.Name == soap.SessionCookieName && c.Value != "" {
				set = append(set, c.Value)
			}
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, k := range set {
		d.sessions[k] = struct{}{}
	}
	if method == "Logout" {
		delete(d.sessions, sessionCookie(r))
	}
}

// hold keeps a request unanswered until the door state changes, then closes
// its connection.
func (d *door) hold(w http.ResponseWriter, changed <-chan struct{}) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		<-changed
		panic(http.ErrAbortHandler)
	}
	<-changed
	closeRaw(conn)
}

// closeRaw closes the TCP connection under a TLS connection without a
// close_notify alert: the client just sees the connection end.
func closeRaw(conn net.Conn) {
	if tc, ok := conn.(*tls.Conn); ok {
		_ = tc.NetConn().Close()
		return
	}
	_ = conn.Close()
}

func writeSOAPFault(w http.ResponseWriter, kind, message string, fault types.BaseMethodFault, logf func(string, ...interface{})) {
	out, err := encodeSOAPFault(kind, message, fault)
	if err != nil {
		logf("%v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(out)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if !s.wrote {
		s.status, s.wrote = http.StatusOK, true
	}
	return s.ResponseWriter.Write(b)
}

// bufferedResponse collects a reply that will never be sent (drop mode).
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
