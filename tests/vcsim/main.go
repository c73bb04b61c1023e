// Command dcm-vcsim runs govmomi's vCenter simulator (VPX model) in-process
// behind a "fault door": an HTTPS listener of our own with a fresh RSA-2048
// certificate, plus a loopback control API that can take the door down, make
// it hang, answer HTTP errors, delay / fault / drop chosen SOAP methods,
// rotate the certificate, kill sessions and read back the inventory.
//
// On start it prints exactly one JSON line to stdout:
//
//	{"url":"https://127.0.0.1:PORT/sdk","thumbprint":"AB:..","username":"..",
//	 "password":"..","control":"http://127.0.0.1:CPORT","pid":N,"certFile":".."}
//
// Logs go to stderr (-v for more). SIGTERM / SIGINT exit 0.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
)

const defaultUser = "dcm-operator@vsphere.local"

type config struct {
	Datacenter, Cluster, ClusterHost, Standalone int
	Machine, Datastore, Pool, Folder             int
	Portgroup, App, Pod                          int
	Templates                                    int
	Autostart                                    bool

	Listen, Control    string
	Username, Password string
	CertDir            string
	Verbose, Trace     bool
	LaxAuth            bool
	CPUProfile         string
	TmpDir             string
	TaskDelayMS        int
}

func parseFlags(args []string, errOut io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("dcm-vcsim", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.IntVar(&c.Datacenter, "dc", 1, "number of datacenters")
	fs.IntVar(&c.Cluster, "cluster", 1, "clusters per datacenter")
	fs.IntVar(&c.ClusterHost, "host", 3, "hosts per cluster")
	fs.IntVar(&c.Standalone, "standalone", 1, "standalone hosts per datacenter")
	fs.IntVar(&c.Machine, "vm", 2, "VMs per cluster root resource pool, per standalone host and per vApp")
	fs.IntVar(&c.Datastore, "ds", 1, "datastores per datacenter (LocalDS_N, mounted on every host)")
	fs.IntVar(&c.Pool, "pool", 0, "child resource pools per cluster (they hold no VMs)")
	fs.IntVar(&c.Folder, "folder", 0, "number of datacenters placed in a folder (with F0 sub-folders for vm/host/datastore/network)")
	fs.IntVar(&c.Portgroup, "pg", 1, "DV portgroups per datacenter (when >0, VM NICs use DC0_DVPG0)")
	fs.IntVar(&c.App, "app", 0, "vApps per cluster")
	fs.IntVar(&c.Pod, "pod", 0, "datastore clusters (StoragePod) per datacenter")
	fs.IntVar(&c.Templates, "templates", 0, "templates per datacenter (DCn_TMPLi: ubuntu64Guest, 2 CPUs, 2 GiB, one 10 GiB thin disk, one vmxnet3 NIC on VM Network)")
	fs.BoolVar(&c.Autostart, "autostart", true, "power on the model's VMs")
	fs.StringVar(&c.Listen, "listen", "127.0.0.1:0", "SDK (fault door, HTTPS) listen address; port 0 = pick a free one")
	fs.StringVar(&c.Control, "control", "127.0.0.1:0", "control API (plain HTTP) listen address")
	fs.StringVar(&c.Username, "username", defaultUser, "the only user name Login accepts")
	fs.StringVar(&c.Password, "password", "", "the only password Login accepts (default: random per run)")
	fs.StringVar(&c.CertDir, "cert-dir", "", "directory for cert-N.pem / key-N.pem (default: a temporary directory, removed on exit)")
	fs.BoolVar(&c.Verbose, "v", false, "verbose logging to stderr")
	fs.BoolVar(&c.Trace, "trace", false, "log SOAP traffic to stderr (simulator trace)")
	fs.BoolVar(&c.LaxAuth, "lax-auth", false, "let RetrieveProperties(Ex)/Fetch/List through without a session, as the plain simulator does")
	fs.StringVar(&c.TmpDir, "tmp", "", "parent of the private scratch directory (datastore contents, default certificates); default /dev/shm when writable (much faster VM creation), else $TMPDIR or /tmp")
	fs.IntVar(&c.TaskDelayMS, "task-delay-ms", 0, "keep CreateVM_Task, CloneVM_Task and PowerOnVM_Task running this long before they end (0: they end before the reply, as in the plain simulator); POST /door/task-delay changes it")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the start-up (inventory build) to this file")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for name, v := range map[string]int{"dc": c.Datacenter, "cluster": c.Cluster, "host": c.ClusterHost,
		"standalone": c.Standalone, "vm": c.Machine, "ds": c.Datastore, "pool": c.Pool, "folder": c.Folder,
		"pg": c.Portgroup, "app": c.App, "pod": c.Pod, "templates": c.Templates, "task-delay-ms": c.TaskDelayMS} {
		if v < 0 {
			return c, fmt.Errorf("-%s must not be negative", name)
		}
	}
	if c.Datastore == 0 && (c.Machine > 0 || c.Templates > 0) {
		if c.Templates > 0 && c.Machine == 0 {
			return c, errors.New("-templates > 0 needs -ds >= 1")
		}
		return c, errors.New("-vm > 0 needs -ds >= 1 (the model puts VMs on LocalDS_0)")
	}
	if c.Password == "" {
		c.Password = randomPassword(20)
	}
	return c, nil
}

func randomPassword(n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	var b strings.Builder
	max := big.NewInt(int64(len(alphabet)))
	for i := 0; i < n; i++ {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b.WriteByte(alphabet[k.Int64()])
	}
	return b.String()
}

type readyLine struct {
	URL        string `json:"url"`
	Thumbprint string `json:"thumbprint"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	Control    string `json:"control"`
	PID        int    `json:"pid"`
	CertFile   string `json:"certFile"`
}

type app struct {
	cfg        config
	model      *simulator.Model
	certs      *certStore
	door       *door
	client     *vim25.Client // in-process (no HTTP) client of the simulator
	custom     *customizationCounts
	control    *http.Server
	controlURL string
	tempCerts  bool
	dsDirs     []string
	logf       func(string, ...interface{})
	closeOnce  sync.Once
}

// start builds the inventory and opens the door and the control API.
func start(cfg config, stderr io.Writer) (*app, error) {
	a := &app{cfg: cfg, custom: newCustomizationCounts()}
	verboseOut := io.Discard
	if cfg.Verbose || cfg.Trace {
		verboseOut = stderr
	}
	vlog := log.New(verboseOut, "dcm-vcsim: ", log.LstdFlags|log.Lmicroseconds)
	a.logf = vlog.Printf
	log.SetOutput(verboseOut) // the simulator logs through the standard logger
	log.SetPrefix("vcsim: ")
	simulator.Trace = cfg.Trace
	simulator.TraceFile = os.Stderr

	t0 := time.Now()
	certDir := cfg.CertDir
	if certDir == "" {
		dir, err := os.MkdirTemp("", "dcm-vcsim-certs-")
		if err != nil {
			return nil, err
		}
		certDir, a.tempCerts = dir, true
	} else if err := os.MkdirAll(certDir, 0o755); err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(certDir); err == nil {
		certDir = abs
	}
	a.certs = newCertStore(certDir)

	type keyResult struct {
		cert *servedCert
		err  error
	}
	keyCh := make(chan keyResult, 1)
	go func() { // RSA key generation overlaps with building the inventory
		sc, err := a.certs.install(nil)
		keyCh <- keyResult{sc, err}
	}()

	m := simulator.VPX()
	m.Datacenter = cfg.Datacenter
	m.Cluster = cfg.Cluster
	m.ClusterHost = cfg.ClusterHost
	m.Host = cfg.Standalone
	m.Machine = cfg.Machine
	m.Datastore = cfg.Datastore
	m.Pool = cfg.Pool
	m.Folder = cfg.Folder
	m.Portgroup = cfg.Portgroup
	m.App = cfg.App
	m.Pod = cfg.Pod
	m.Autostart = cfg.Autostart
	a.model = m
	if err := m.Create(); err != nil {
		kr := <-keyCh
		_ = kr
		a.cleanupFiles()
		return nil, fmt.Errorf("building the inventory: %w", err)
	}
	for _, e := range simulator.Map.All("Datastore") {
		if ds, ok := e.(*simulator.Datastore); ok {
			a.dsDirs = append(a.dsDirs, ds.Info.GetDatastoreInfo().Url)
		}
	}
	nwrapped := wrapVMFolders()
	a.logf("inventory built in %v (%d VM folders wrapped)", time.Since(t0), nwrapped)

	svc := m.Service
	svc.Listen = &url.URL{Scheme: "http", Host: "127.0.0.1:0", User: url.UserPassword(cfg.Username, cfg.Password)}
	internal := svc.NewServer() // registers the SDK handlers on svc.ServeMux
	internal.Close()            // we serve the mux ourselves, through the door

	kr := <-keyCh
	if kr.err != nil {
		a.cleanupFiles()
		return nil, fmt.Errorf("generating the certificate: %w", kr.err)
	}

	errLog := log.New(verboseOut, "dcm-vcsim door: ", log.LstdFlags)
	a.door = newDoor(svc.ServeMux, a.certs, errLog, a.logf)
	a.door.strict = !cfg.LaxAuth
	a.door.around = a.aroundCall
	a.door.tasks = newTaskHolder(a.logf)
	a.door.startTaskDelay = time.Duration(cfg.TaskDelayMS) * time.Millisecond
	a.door.tasks.set(a.door.startTaskDelay, nil)
	a.door.afterCall = func(method string, status int) {
		if method == "CreateDatacenter" && status == http.StatusOK {
			wrapVMFolders() // the new datacenter's vm folder
		}
	}
	if err := a.door.listen(cfg.Listen); err != nil {
		a.cleanupFiles()
		return nil, fmt.Errorf("SDK listener: %w", err)
	}
	a.pointSimulatorAtDoor()

	client, err := vim25.NewClient(context.Background(), svc)
	if err != nil {
		a.close()
		return nil, fmt.Errorf("in-process client: %w", err)
	}
	a.client = client
	if cfg.Templates > 0 {
		made, err := createTemplates(context.Background(), client, cfg.Templates)
		if err != nil {
			a.close()
			return nil, fmt.Errorf("building templates: %w", err)
		}
		a.logf("templates: %v", made)
	}

	cln, err := net.Listen("tcp", cfg.Control)
	if err != nil {
		a.close()
		return nil, fmt.Errorf("control listener: %w", err)
	}
	a.controlURL = "http://" + cln.Addr().String()
	a.control = &http.Server{Handler: newControlAPI(a).mux, ErrorLog: errLog}
	go func() { _ = a.control.Serve(cln) }()

	a.logf("ready in %v: %s, control %s", time.Since(t0), a.sdkURL(), a.controlURL)
	return a, nil
}

func (a *app) sdkURL() string {
	return "https://" + a.door.state().URLHost() + "/sdk"
}

// URLHost returns the door's host:port.
func (s doorState) URLHost() string {
	return strings.TrimSuffix(strings.TrimPrefix(s.URL, "https://"), "/sdk")
}

// pointSimulatorAtDoor makes the URLs the simulator hands out (service
// tickets, OptionManager "*.uri" / vcsim.server.url) name the door.
func (a *app) pointSimulatorAtDoor() {
	host := a.door.state().URLHost()
	sm := simulator.Map.SessionManager()
	simulator.Map.WithLock(sm, func() { sm.ServiceHostName = host })
	om := simulator.Map.OptionManager()
	simulator.Map.WithLock(om, func() {
		for _, s := range om.Setting {
			o := s.GetOptionValue()
			if o.Key != "vcsim.server.url" && !strings.HasSuffix(o.Key, ".uri") {
				continue
			}
			str, ok := o.Value.(string)
			if !ok {
				continue
			}
			if u, err := url.Parse(str); err == nil && u.Host != "" {
				u.Scheme, u.Host = "https", host
				o.Value = u.String()
			}
		}
	})
}

func (a *app) ready() readyLine {
	sc := a.certs.get()
	return readyLine{
		URL:        a.sdkURL(),
		Thumbprint: sc.thumbprint,
		Username:   a.cfg.Username,
		Password:   a.cfg.Password,
		Control:    a.controlURL,
		PID:        os.Getpid(),
		CertFile:   sc.certFile,
	}
}

// close stops listening and removes the temporary files.
func (a *app) close() {
	a.closeOnce.Do(func() {
		if a.door != nil {
			a.door.shutdown()
		}
		if a.control != nil {
			_ = a.control.Close()
		}
		a.cleanupFiles()
	})
}

func (a *app) cleanupFiles() {
	tmp := filepath.Clean(os.TempDir()) + string(filepath.Separator)
	for _, dir := range a.dsDirs {
		if strings.HasPrefix(filepath.Clean(dir), tmp+"govcsim-") {
			_ = os.RemoveAll(dir)
		}
	}
	if a.tempCerts && a.certs != nil {
		_ = os.RemoveAll(a.certs.dir)
	}
}

// scratchParent picks where the private scratch directory goes: the -tmp
// flag, else /dev/shm (tmpfs: creating the model's VM files there is about
// four times faster than on a disk), else the usual temporary directory.
func scratchParent(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if f, err := os.CreateTemp("/dev/shm", ".dcm-vcsim-probe-"); err == nil {
			name := f.Name()
			_ = f.Close()
			_ = os.Remove(name)
			return "/dev/shm"
		}
	}
	return os.TempDir()
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "dcm-vcsim:", err)
		os.Exit(2)
	}

	// Everything temporary (the simulator's datastore directories, the
	// default certificate directory) goes below one private directory that
	// is removed on exit, even when a signal arrives while the inventory is
	// still being built.
	privTmp, err := os.MkdirTemp(scratchParent(cfg.TmpDir), fmt.Sprintf("dcm-vcsim-%d-", os.Getpid()))
	if err != nil {
		fmt.Fprintln(os.Stderr, "dcm-vcsim:", err)
		os.Exit(1)
	}
	_ = os.Setenv("TMPDIR", privTmp)

	var mu sync.Mutex
	var running *app
	exit := func(code int) {
		mu.Lock() // never released: we are leaving
		if running != nil {
			running.close()
		}
		_ = os.RemoveAll(privTmp)
		os.Exit(code)
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	signal.Ignore(syscall.SIGPIPE, syscall.SIGHUP)
	go func() {
		sig := <-sigs
		if cfg.Verbose {
			fmt.Fprintf(os.Stderr, "dcm-vcsim: received %v, shutting down\n", sig)
		}
		exit(0)
	}()

	var prof *os.File
	if cfg.CPUProfile != "" {
		if prof, err = os.Create(cfg.CPUProfile); err == nil {
			err = pprof.StartCPUProfile(prof)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "dcm-vcsim: cpu profile:", err)
			exit(1)
		}
	}
	a, err := start(cfg, os.Stderr)
	if prof != nil {
		pprof.StopCPUProfile()
		_ = prof.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dcm-vcsim:", err)
		exit(1)
	}
	mu.Lock()
	running = a
	mu.Unlock()

	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err = enc.Encode(a.ready()) // one line, newline-terminated
	line := []byte(buf.String())
	if err != nil {
		fmt.Fprintln(os.Stderr, "dcm-vcsim:", err)
		exit(1)
	}
	if _, err := os.Stdout.Write(line); err != nil {
		fmt.Fprintln(os.Stderr, "dcm-vcsim: writing the ready line:", err)
	}
	_ = os.Stdout.Sync()

	select {} // until a signal
}
