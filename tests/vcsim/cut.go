package main

// Cut replies: the call is served, then its reply is cut off after a number of bytes of its body and
// the connection closed — a reply that breaks midway, as a proxy or a network failure leaves it. The
// headers announce the whole body (Content-Length), so the client knows the reply is short.

import (
	"fmt"
	"net/http"
)

type cutRule struct {
	Bytes int `json:"bytes"`
	Count int `json:"count"` // -1: until cleared
}

// hasCut: a cut rule may apply to `method` (its reply is then served through serveCut).
func (d *door) hasCut(method string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, named := d.cuts[method]
	_, star := d.cuts["*"]
	return named || star
}

func (d *door) setCut(method string, rule *cutRule) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if rule == nil || rule.Count == 0 {
		delete(d.cuts, method)
	} else {
		d.cuts[method] = rule
	}
}

// takeCut: the rule for a reply of `size` bytes to `method`; a reply no longer than the rule's bytes
// is served whole and does not count (so that a cut meant for a large reply skips the small ones).
func (d *door) takeCut(method string, size int) *cutRule {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, key := range []string{method, "*"} {
		rule, ok := d.cuts[key]
		if !ok || size <= rule.Bytes {
			continue
		}
		taken := *rule
		if rule.Count > 0 {
			rule.Count--
			if rule.Count == 0 {
				delete(d.cuts, key)
			}
		}
		return &taken
	}
	return nil
}

// serveCut serves the call; a reply the cut rules do not take is written whole, else its status,
// headers and first rule.Bytes bytes go out on the raw connection, which is then closed.
func (d *door) serveCut(w http.ResponseWriter, r *http.Request, call soapCall, body []byte) {
	rec := &bufferedResponse{header: make(http.Header)}
	d.serveAround(rec, r, call, body)
	full := rec.body.Bytes()
	rule := d.takeCut(call.Method, len(full))
	if rule == nil {
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		_, _ = w.Write(full)
		return
	}
	n := rule.Bytes
	d.logf("cutting the reply of %s after %d of %d bytes", call.Method, n, len(full))
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		d.logf("hijack for cut: %v", err)
		panic(http.ErrAbortHandler)
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	contentType := rec.header.Get("Content-Type")
	if contentType == "" {
		contentType = "text/xml; charset=utf-8"
	}
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", status,
		http.StatusText(status), contentType, len(full))
	_, _ = buf.Write(full[:n])
	_ = buf.Flush()
	closeRaw(conn)
}
