package main

// Control API: plain HTTP on loopback, JSON in and out.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

type controlAPI struct {
	app *app
	mux *http.ServeMux
}

type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...interface{}) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

type handlerFunc func(r *http.Request) (interface{}, error)

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (c *controlAPI) route(method, path string, h handlerFunc) {
	c.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeJSON(w, http.StatusMethodNotAllowed, map[string]interface{}{
				"ok": false, "error": fmt.Sprintf("%s %s: use %s", r.Method, path, method)})
			return
		}
		res, err := h(r)
		if err != nil {
			status := http.StatusInternalServerError
			if ae, ok := err.(*apiError); ok {
				status = ae.status
			}
			writeJSON(w, status, map[string]interface{}{"ok": false, "error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
}

// decode reads an optional JSON body into v (an empty body leaves v as is).
func decode(r *http.Request, v interface{}) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return badRequest("reading body: %v", err)
	}
	if len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return badRequest("invalid JSON body: %v", err)
	}
	return nil
}

func ok(extra map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{"ok": true}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func newControlAPI(a *app) *controlAPI {
	c := &controlAPI{app: a, mux: http.NewServeMux()}
	d := a.door

	doorReply := func() (interface{}, error) {
		return ok(map[string]interface{}{"door": d.state()}), nil
	}

	c.route(http.MethodGet, "/health", func(*http.Request) (interface{}, error) {
		return map[string]bool{"ok": true}, nil
	})
	c.route(http.MethodGet, "/door", func(*http.Request) (interface{}, error) { return doorReply() })
	c.route(http.MethodPost, "/door/down", func(*http.Request) (interface{}, error) {
		d.down()
		return doorReply()
	})
	c.route(http.MethodPost, "/door/up", func(*http.Request) (interface{}, error) {
		if err := d.up(); err != nil {
			return nil, err
		}
		return doorReply()
	})
	c.route(http.MethodPost, "/door/hang", func(*http.Request) (interface{}, error) {
		d.setMode(modeHang, 0)
		return doorReply()
	})
	c.route(http.MethodPost, "/door/http", func(r *http.Request) (interface{}, error) {
		req := struct {
			Status int `json:"status"`
		}{Status: http.StatusServiceUnavailable}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.Status < 200 || req.Status > 599 {
			return nil, badRequest("status must be 200..599")
		}
		d.setMode(modeHTTP, req.Status)
		return doorReply()
	})
	c.route(http.MethodPost, "/door/normal", func(*http.Request) (interface{}, error) {
		d.setMode(modeNormal, 0)
		return doorReply()
	})
	c.route(http.MethodPost, "/delay", func(r *http.Request) (interface{}, error) {
		var req struct {
			Method string `json:"method"`
			MS     int    `json:"ms"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.Method == "" {
			return nil, badRequest("method is required (a SOAP method name or \"*\")")
		}
		d.setDelay(req.Method, req.MS)
		return doorReply()
	})
	// Task delay: {"ms": N, "methods": [...]} keeps the named task methods
	// (default CreateVM_Task, CloneVM_Task, PowerOnVM_Task) running N ms
	// before they end; ms 0 ends them at once again.
	c.route(http.MethodPost, "/door/task-delay", func(r *http.Request) (interface{}, error) {
		var req struct {
			MS      *int     `json:"ms"`
			Methods []string `json:"methods"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.MS == nil {
			return nil, badRequest("ms is required (0 ends tasks at once)")
		}
		if *req.MS < 0 || *req.MS > 3600000 {
			return nil, badRequest("ms must be 0..3600000")
		}
		for _, m := range req.Methods {
			if !validTaskMethod(m) {
				return nil, badRequest("methods: %q is not one of %v", m, delayableTasks)
			}
		}
		d.tasks.set(time.Duration(*req.MS)*time.Millisecond, req.Methods)
		return ok(map[string]interface{}{"taskDelay": d.tasks.state(false)}), nil
	})
	// The held tasks that ended (oldest first, with the completeTime each
	// ended with) and how many are still held.
	c.route(http.MethodGet, "/tasks/completed", func(*http.Request) (interface{}, error) {
		return d.tasks.state(true), nil
	})
	c.route(http.MethodPost, "/tasks/completed/reset", func(*http.Request) (interface{}, error) {
		d.tasks.clearCompleted()
		return d.tasks.state(false), nil
	})
	c.route(http.MethodPost, "/fault", func(r *http.Request) (interface{}, error) {
		var req struct {
			Method  string            `json:"method"`
			Fault   string            `json:"fault"`
			Message *string           `json:"message"`
			Count   *int              `json:"count"`
			Props   map[string]string `json:"props"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.Method == "" {
			return nil, badRequest("method is required (a SOAP method name or \"*\")")
		}
		count := 1
		if req.Count != nil {
			count = *req.Count
		}
		if count == 0 {
			d.setFault(req.Method, nil)
			return doorReply()
		}
		if count < -1 {
			return nil, badRequest("count must be -1 (until cleared), 0 (clear) or positive")
		}
		if !validFaultName(req.Fault) {
			return nil, badRequest("fault must be a vim fault type name such as SystemError")
		}
		msg := "Injected fault: " + req.Fault
		if req.Message != nil {
			msg = *req.Message
		}
		d.setFault(req.Method, &faultRule{Fault: req.Fault, Message: msg, Count: count, Props: req.Props})
		return doorReply()
	})
	c.route(http.MethodPost, "/drop", func(r *http.Request) (interface{}, error) {
		var req struct {
			Method string `json:"method"`
			Count  *int   `json:"count"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.Method == "" {
			return nil, badRequest("method is required (a SOAP method name or \"*\")")
		}
		count := 1
		if req.Count != nil {
			count = *req.Count
		}
		if count < -1 {
			return nil, badRequest("count must be -1 (until cleared), 0 (clear) or positive")
		}
		d.setDrop(req.Method, count)
		return doorReply()
	})
	c.route(http.MethodPost, "/cut", func(r *http.Request) (interface{}, error) {
		var req struct {
			Method string `json:"method"`
			Bytes  int    `json:"bytes"`
			Count  *int   `json:"count"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.Method == "" {
			return nil, badRequest("method is required (a SOAP method name or \"*\")")
		}
		if req.Bytes < 0 {
			return nil, badRequest("bytes must not be negative")
		}
		count := 1
		if req.Count != nil {
			count = *req.Count
		}
		if count < -1 {
			return nil, badRequest("count must be -1 (until cleared), 0 (clear) or positive")
		}
		d.setCut(req.Method, &cutRule{Bytes: req.Bytes, Count: count})
		return doorReply()
	})
	c.route(http.MethodPost, "/reset", func(*http.Request) (interface{}, error) {
		if err := d.reset(); err != nil {
			return nil, err
		}
		return doorReply()
	})
	c.route(http.MethodPost, "/cert/rotate", func(*http.Request) (interface{}, error) {
		sc, err := a.certs.install(nil)
		if err != nil {
			return nil, err
		}
		a.logf("certificate rotated: %s", sc.thumbprint)
		return ok(map[string]interface{}{"thumbprint": sc.thumbprint, "certFile": sc.certFile}), nil
	})
	c.route(http.MethodPost, "/session/kill", func(r *http.Request) (interface{}, error) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		keys := d.takeSessions()
		n := killSessions(ctx, a.client, keys)
		return ok(map[string]interface{}{"killed": n}), nil
	})
	// Session expiry: {"on": true} ends every session (in the simulator too) and
	// from then on answers NotAuthenticated to any call that needs a session and
	// does not carry the cookie of a Login made since; {"on": false} stops that.
	c.route(http.MethodPost, "/session/expire", func(r *http.Request) (interface{}, error) {
		var req struct {
			On *bool `json:"on"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		on := req.On == nil || *req.On
		keys := d.setExpiry(on)
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		n := killSessions(ctx, a.client, keys)
		return ok(map[string]interface{}{"expiry": on, "killed": n}), nil
	})
	c.route(http.MethodGet, "/vms", func(*http.Request) (interface{}, error) {
		return listVMs(a.custom), nil
	})
	// Marks the VM of that name as a template (powering it off first).
	c.route(http.MethodPost, "/templates", func(r *http.Request) (interface{}, error) {
		var req struct {
			Name string `json:"name"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		refs := vmsNamed(req.Name)
		if len(refs) != 1 {
			return nil, &apiError{http.StatusNotFound, fmt.Sprintf("%d VMs named %q (need exactly one)", len(refs), req.Name)}
		}
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		if err := markTemplate(ctx, a.client, refs[0]); err != nil {
			return nil, err
		}
		return ok(map[string]interface{}{"template": refs[0].Value}), nil
	})
	// Powers off and destroys every VM or template of that name, as an
	// administrator in the vSphere Client would.
	c.route(http.MethodPost, "/vm/destroy", func(r *http.Request) (interface{}, error) {
		var req struct {
			Name string `json:"name"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.Name == "" {
			return nil, badRequest("name is required")
		}
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		removed, err := destroyVMs(ctx, a.client, req.Name)
		if err != nil {
			return nil, err
		}
		if len(removed) == 0 {
			return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no VM named %q", req.Name)}
		}
		return ok(map[string]interface{}{"removed": removed}), nil
	})
	c.route(http.MethodPost, "/vm/rename", func(r *http.Request) (interface{}, error) {
		var req struct {
			Name    string `json:"name"`
			NewName string `json:"newName"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		if req.Name == "" || req.NewName == "" {
			return nil, badRequest("name and newName are required")
		}
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		renamed, err := renameVM(ctx, a.client, req.Name, req.NewName)
		if err != nil {
			return nil, err
		}
		if renamed == "" {
			return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no single VM named %q", req.Name)}
		}
		return ok(map[string]interface{}{"renamed": renamed}), nil
	})
	c.route(http.MethodGet, "/inventory", func(*http.Request) (interface{}, error) {
		return countInventory(), nil
	})
	c.route(http.MethodGet, "/stats", func(*http.Request) (interface{}, error) {
		return d.stats(), nil
	})
	c.route(http.MethodPost, "/stats/reset", func(*http.Request) (interface{}, error) {
		d.resetStats()
		return d.stats(), nil
	})
	remove := func(kind string, f func(string) []string) handlerFunc {
		return func(r *http.Request) (interface{}, error) {
			var req struct {
				Name string `json:"name"`
			}
			if err := decode(r, &req); err != nil {
				return nil, err
			}
			if req.Name == "" {
				return nil, badRequest("name is required")
			}
			removed := f(req.Name)
			if len(removed) == 0 {
				return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no %s named %q", kind, req.Name)}
			}
			a.logf("removed %s %q: %v", kind, req.Name, removed)
			return ok(map[string]interface{}{"removed": removed}), nil
		}
	}
	c.route(http.MethodPost, "/datastore/remove", remove("datastore", removeDatastores))
	c.route(http.MethodPost, "/network/remove", remove("network", removeNetworks))

	c.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]interface{}{"ok": false, "error": "unknown endpoint " + r.URL.Path})
	})
	return c
}
