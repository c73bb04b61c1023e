package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// One simulator per test binary (the simulator's registry is global).
var testApp *app

func TestMain(m *testing.M) {
	cfg, err := parseFlags(nil, io.Discard)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	testApp, err = start(cfg, io.Discard)
	if err != nil {
		fmt.Fprintln(os.Stderr, "start:", err)
		os.Exit(1)
	}
	code := m.Run()
	testApp.close()
	os.Exit(code)
}

// ---- helpers ----

func insecureHTTP() *http.Client {
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}
}

func envelope(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>` +
		body + `</soapenv:Body></soapenv:Envelope>`
}

func loginBody(user, pass string) string {
	return `<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>` + user +
		`</userName><password>` + pass + `</password></Login>`
}

const serviceContentBody = `<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>`

func postSOAP(t *testing.T, c *http.Client, body string, cookie string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, testApp.sdkURL(), strings.NewReader(envelope(body)))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: soap.SessionCookieName, Value: cookie})
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}

func control(t *testing.T, method, path, body string) map[string]interface{} {
	t.Helper()
	req, _ := http.NewRequest(method, testApp.controlURL+path, strings.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var out map[string]interface{}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: reply is not a JSON object: %v", method, path, err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, out)
	}
	return out
}

func newGovmomi(t *testing.T) *vim25.Client {
	t.Helper()
	ctx := context.Background()
	u, _ := url.Parse(testApp.sdkURL())
	sc := soap.NewClient(u, true)
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	if err := session.NewManager(c).Login(ctx, url.UserPassword(testApp.cfg.Username, testApp.cfg.Password)); err != nil {
		t.Fatal(err)
	}
	return c
}

func findVM(name string) *vmInfo {
	for _, vm := range listVMs(testApp.custom) {
		if vm.Name == name {
			v := vm
			return &v
		}
	}
	return nil
}

// vmFolderAndPool returns DC0's vm folder and the cluster's root pool.
func vmFolderAndPool(t *testing.T) (types.ManagedObjectReference, types.ManagedObjectReference) {
	t.Helper()
	dc := simulator.Map.Any("Datacenter").(*simulator.Datacenter)
	cl := simulator.Map.Any("ClusterComputeResource").(*simulator.ClusterComputeResource)
	return dc.VmFolder, *cl.ResourcePool
}

func vmSpec(name, instanceUUID string) types.VirtualMachineConfigSpec {
	return types.VirtualMachineConfigSpec{
		Name:              name,
		GuestId:           "otherGuest64",
		Annotation:        "made by TestCreateVM",
		InstanceUuid:      instanceUUID,
		NumCPUs:           2,
		NumCoresPerSocket: 2,
		MemoryMB:          1024,
		Files:             &types.VirtualMachineFileInfo{VmPathName: "[LocalDS_0]"},
		ExtraConfig:       []types.BaseOptionValue{&types.OptionValue{Key: "dcm.requestId", Value: "req-" + name}},
	}
}

// ---- unit tests ----

func TestParseSOAPCall(t *testing.T) {
	for _, tc := range []struct {
		in     string
		method string
		this   types.ManagedObjectReference
		ok     bool
	}{
		{envelope(serviceContentBody), "RetrieveServiceContent", types.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}, true},
		{envelope(`<ns:CreateVM_Task xmlns:ns="urn:vim25"><ns:_this type="Folder"> group-v3 </ns:_this><config><name>x</name></config></ns:CreateVM_Task>`),
			"CreateVM_Task", types.ManagedObjectReference{Type: "Folder", Value: "group-v3"}, true},
		{envelope(`<Foo xmlns="urn:vim25"><a><_this type="X">nested</_this></a></Foo>`), "Foo", types.ManagedObjectReference{}, true},
		{`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><h/></soapenv:Header><soapenv:Body><Logout><_this type="SessionManager">SessionManager</_this></Logout></soapenv:Body></soapenv:Envelope>`,
			"Logout", types.ManagedObjectReference{Type: "SessionManager", Value: "SessionManager"}, true},
		{envelope(""), "", types.ManagedObjectReference{}, false},
		{"not xml", "", types.ManagedObjectReference{}, false},
	} {
		call, ok := parseSOAPCall([]byte(tc.in))
		if ok != tc.ok || call.Method != tc.method || call.This != tc.this {
			t.Errorf("parseSOAPCall(%q) = %+v, %v; want %s %+v %v", tc.in, call, ok, tc.method, tc.this, tc.ok)
		}
	}
}

func TestThumbprintFormat(t *testing.T) {
	sc := testApp.certs.get()
	sum := sha256.Sum256(sc.der)
	want := strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf("% x", sum[:]), " ", ":")))
	if sc.thumbprint != want {
		t.Fatalf("thumbprint %s, want %s", sc.thumbprint, want)
	}
	if len(sc.thumbprint) != 32*3-1 {
		t.Fatalf("thumbprint length %d", len(sc.thumbprint))
	}
	if bits := sc.tls.Leaf.PublicKey; bits == nil {
		t.Fatal("no public key")
	}
}

func TestValidFaultName(t *testing.T) {
	for name, want := range map[string]bool{"SystemError": true, "Foo_Bar1": true, "": false, "a b": false, "<x>": false, "1abc": false} {
		if validFaultName(name) != want {
			t.Errorf("validFaultName(%q) != %v", name, want)
		}
	}
}

// ---- through the door ----

func TestServedCertificateVerifiesAndMatchesThumbprint(t *testing.T) {
	ready := testApp.ready()
	pem, err := os.ReadFile(ready.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("bad PEM")
	}
	host := strings.TrimSuffix(strings.TrimPrefix(ready.URL, "https://"), "/sdk")
	for _, name := range []string{"127.0.0.1", "localhost"} {
		conn, err := tls.Dial("tcp", host, &tls.Config{RootCAs: pool, ServerName: name})
		if err != nil {
			t.Fatalf("verify as %s: %v", name, err)
		}
		got := thumbprintSHA256(conn.ConnectionState().PeerCertificates[0].Raw)
		conn.Close()
		if got != ready.Thumbprint {
			t.Fatalf("served %s, ready line says %s", got, ready.Thumbprint)
		}
		if k := conn.ConnectionState().PeerCertificates[0].PublicKey; k == nil {
			t.Fatal("no key")
		}
	}
}

func TestLoginOnlyWithConfiguredCredentials(t *testing.T) {
	c := insecureHTTP()
	status, body := postSOAP(t, c, loginBody(testApp.cfg.Username, "wrong"), "")
	if status != 500 || !strings.Contains(body, `xsi:type="InvalidLogin"`) {
		t.Fatalf("wrong password: %d %s", status, body)
	}
	status, body = postSOAP(t, c, loginBody("someone@else", testApp.cfg.Password), "")
	if status != 500 || !strings.Contains(body, `xsi:type="InvalidLogin"`) {
		t.Fatalf("wrong user: %d %s", status, body)
	}
	status, body = postSOAP(t, c, loginBody(testApp.cfg.Username, testApp.cfg.Password), "")
	if status != 200 || !strings.Contains(body, "<LoginResponse") {
		t.Fatalf("login: %d %s", status, body)
	}
}

// An injected fault is byte-for-byte what the simulator itself sends.
func TestInjectedFaultMatchesSimulator(t *testing.T) {
	c := insecureHTTP()
	_, native := postSOAP(t, c, loginBody(testApp.cfg.Username, "wrong"), "")
	control(t, "POST", "/fault", `{"method":"Login","fault":"InvalidLogin","message":"Login failure","count":1}`)
	status, injected := postSOAP(t, c, loginBody(testApp.cfg.Username, testApp.cfg.Password), "")
	if status != 500 || injected != native {
		t.Fatalf("injected (%d):\n%s\nnative:\n%s", status, injected, native)
	}
	// count exhausted: login works again
	if status, _ := postSOAP(t, c, loginBody(testApp.cfg.Username, testApp.cfg.Password), ""); status != 200 {
		t.Fatalf("after the injected fault: %d", status)
	}
}

func TestInjectedFaultKinds(t *testing.T) {
	c := insecureHTTP()
	defer control(t, "POST", "/fault", `{"method":"RetrieveServiceContent","count":0}`)
	for _, kind := range []string{"SystemError", "HostCommunication", "NotAuthenticated", "InvalidLogin", "NoPermission",
		"InvalidArgument", "DuplicateName", "NotFound", "InsufficientResourcesFault", "TaskInProgress",
		"RequestCanceled", "MethodDisabled", "InvalidVmConfig", "SomethingNew"} {
		control(t, "POST", "/fault", fmt.Sprintf(`{"method":"RetrieveServiceContent","fault":%q,"message":"injected","count":1}`, kind))
		status, body := postSOAP(t, c, serviceContentBody, "")
		want := fmt.Sprintf(`<detail><%sFault xmlns="urn:vim25" xsi:type="%s">`, kind, kind)
		if status != 500 || !strings.Contains(body, want) ||
			!strings.Contains(body, "<faultcode>ServerFaultCode</faultcode><faultstring>injected</faultstring>") {
			t.Errorf("%s: %d %s", kind, status, body)
		}
	}
	// until cleared
	control(t, "POST", "/fault", `{"method":"RetrieveServiceContent","fault":"SystemError","count":-1}`)
	for i := 0; i < 3; i++ {
		if status, _ := postSOAP(t, c, serviceContentBody, ""); status != 500 {
			t.Fatalf("count -1, call %d: %d", i, status)
		}
	}
	control(t, "POST", "/fault", `{"method":"RetrieveServiceContent","count":0}`)
	if status, _ := postSOAP(t, c, serviceContentBody, ""); status != 200 {
		t.Fatalf("after clearing: %d", status)
	}
}

func TestCreateVMDuplicateNameAndReadBack(t *testing.T) {
	ctx := context.Background()
	c := newGovmomi(t)
	folderRef, poolRef := vmFolderAndPool(t)
	folder := object.NewFolder(c, folderRef)
	pool := object.NewResourcePool(c, poolRef)
	const iuuid = "5011aaaa-bbbb-cccc-dddd-eeeeffff0001"

	tk, err := folder.CreateVM(ctx, vmSpec("dcm-test-1", iuuid), pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	info, err := tk.WaitForResult(ctx)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	vmRef := info.Result.(types.ManagedObjectReference)

	vm := findVM("dcm-test-1")
	if vm == nil {
		t.Fatal("/vms does not list dcm-test-1")
	}
	if vm.Moref != vmRef.Value || vm.Folder != folderRef.Value || vm.InstanceUUID != iuuid || vm.CPUs != 2 ||
		vm.CoresPerSocket != 2 || vm.MemoryMiB != 1024 || vm.GuestID != "otherGuest64" ||
		vm.Annotation != "made by TestCreateVM" || vm.ExtraConfig["dcm.requestId"] != "req-dcm-test-1" ||
		vm.PowerState != "poweredOff" || vm.UUID == "" {
		t.Fatalf("read-back: %+v", vm)
	}

	// second VM of the same name in the same folder: DuplicateName task error
	tk, err = folder.CreateVM(ctx, vmSpec("dcm-test-1", ""), pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tk.WaitForResult(ctx)
	var terr task.Error
	if !errors.As(err, &terr) {
		t.Fatalf("duplicate create: want a task error, got %v", err)
	}
	dn, ok := terr.Fault().(*types.DuplicateName)
	if !ok || dn.Name != "dcm-test-1" || dn.Object != vmRef {
		t.Fatalf("duplicate create: fault %#v", terr.Fault())
	}

	// clones are checked too
	src := object.NewVirtualMachine(c, vmRef)
	tk, err = src.Clone(ctx, folder, "dcm-test-1", types.VirtualMachineCloneSpec{Location: types.VirtualMachineRelocateSpec{Pool: &poolRef}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = tk.WaitForResult(ctx); !errors.As(err, &terr) {
		t.Fatalf("duplicate clone: %v", err)
	} else if _, ok := terr.Fault().(*types.DuplicateName); !ok {
		t.Fatalf("duplicate clone: fault %#v", terr.Fault())
	}

	// sub-folders are ours too: same name allowed there, then move fails
	sub, err := folder.CreateFolder(ctx, "dcm-sub")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := folder.CreateFolder(ctx, "dcm-sub"); !isFault(err, &types.DuplicateName{}) {
		t.Fatalf("duplicate folder: %v", err)
	}
	tk, err = sub.CreateVM(ctx, vmSpec("dcm-test-1", ""), pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tk.WaitForResult(ctx); err != nil {
		t.Fatalf("same name in a sub-folder: %v", err)
	}
	tk, err = sub.MoveInto(ctx, []types.ManagedObjectReference{vmRef})
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Wait(ctx); err == nil {
		t.Fatal("moving onto an existing name succeeded")
	}
	sub2, err := folder.CreateFolder(ctx, "dcm-sub2")
	if err != nil {
		t.Fatal(err)
	}
	tk, _ = sub2.MoveInto(ctx, []types.ManagedObjectReference{vmRef})
	if err := tk.Wait(ctx); err != nil {
		t.Fatalf("move: %v", err)
	}
	if vm := findVM("dcm-test-1"); vm == nil {
		t.Fatal("lost the VM")
	}
	for _, v := range listVMs(newCustomizationCounts()) {
		if v.Moref == vmRef.Value && v.Folder != sub2.Reference().Value {
			t.Fatalf("moved VM is in %s", v.Folder)
		}
	}
	empty, _ := folder.CreateFolder(ctx, "dcm-empty")
	tk, _ = empty.Destroy(ctx)
	if err := tk.Wait(ctx); err != nil {
		t.Fatalf("destroy empty folder: %v", err)
	}
}

// A datacenter created at run time gets our VM folder type too.
func TestCreateDatacenterWrapsVMFolder(t *testing.T) {
	ctx := context.Background()
	c := newGovmomi(t)
	root := object.NewFolder(c, c.ServiceContent.RootFolder)
	dc, err := root.CreateDatacenter(ctx, "DCX")
	if err != nil {
		t.Fatal(err)
	}
	folders, err := dc.Folders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := simulator.Map.Get(folders.VmFolder.Reference()).(*vmFolder); !ok {
		t.Fatalf("vm folder of a new datacenter is %T", simulator.Map.Get(folders.VmFolder.Reference()))
	}
}

func isFault(err error, want types.BaseMethodFault) bool {
	if err == nil || !soap.IsSoapFault(err) {
		return false
	}
	got := strings.TrimPrefix(fmt.Sprintf("%T", soap.ToSoapFault(err).VimFault()), "*")
	return got == strings.TrimPrefix(fmt.Sprintf("%T", want), "*")
}

func TestSessionKill(t *testing.T) {
	ctx := context.Background()
	c := newGovmomi(t)
	if _, err := methods.GetCurrentTime(ctx, c); err != nil {
		t.Fatal(err)
	}
	out := control(t, "POST", "/session/kill", "")
	if out["killed"].(float64) < 1 {
		t.Fatalf("killed: %v", out)
	}
	if _, err := methods.GetCurrentTime(ctx, c); !isFault(err, &types.NotAuthenticated{}) {
		t.Fatalf("CurrentTime after kill: %v", err)
	}
	// the simulator lets RetrieveProperties through without a session; the door does not
	req := types.RetrievePropertiesEx{This: c.ServiceContent.PropertyCollector, SpecSet: []types.PropertyFilterSpec{{
		PropSet:   []types.PropertySpec{{Type: "Folder", PathSet: []string{"name"}}},
		ObjectSet: []types.ObjectSpec{{Obj: c.ServiceContent.RootFolder}},
	}}}
	if _, err := methods.RetrievePropertiesEx(ctx, c, &req); !isFault(err, &types.NotAuthenticated{}) {
		t.Fatalf("RetrievePropertiesEx after kill: %v", err)
	}
}

func TestDelayDropAndStats(t *testing.T) {
	c := insecureHTTP()
	control(t, "POST", "/stats/reset", "")
	control(t, "POST", "/delay", `{"method":"RetrieveServiceContent","ms":300}`)
	t0 := time.Now()
	if status, _ := postSOAP(t, c, serviceContentBody, ""); status != 200 || time.Since(t0) < 300*time.Millisecond {
		t.Fatalf("delay: %d after %v", status, time.Since(t0))
	}
	control(t, "POST", "/delay", `{"method":"RetrieveServiceContent","ms":0}`)

	control(t, "POST", "/drop", `{"method":"RetrieveServiceContent","count":1}`)
	req, _ := http.NewRequest(http.MethodPost, testApp.sdkURL(), strings.NewReader(envelope(serviceContentBody)))
	if res, err := c.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("drop: got a reply %d", res.StatusCode)
	}
	if status, _ := postSOAP(t, c, serviceContentBody, ""); status != 200 {
		t.Fatalf("after drop: %d", status)
	}
	st := testApp.door.stats()
	if st.Calls["RetrieveServiceContent"] != 3 || st.Total != 3 || st.Connections < 1 {
		t.Fatalf("stats: %+v", st)
	}
	// Three request bodies in; two replies written through the door (the dropped one was not).
	if st.BytesIn < 3*int64(len(envelope(serviceContentBody))) || st.BytesOut < 2000 {
		t.Fatalf("byte counts: %+v", st)
	}
}

func TestRenameVM(t *testing.T) {
	vms := listVMs(testApp.custom)
	if len(vms) == 0 {
		t.Fatal("no VM in the model")
	}
	name := vms[0].Name
	out := control(t, "POST", "/vm/rename", `{"name":"`+name+`","newName":"renamed-by-test"}`)
	if out["renamed"] != vms[0].Moref {
		t.Fatalf("renamed: %v, want %s", out, vms[0].Moref)
	}
	if got := vmsNamed("renamed-by-test"); len(got) != 1 || got[0].Value != vms[0].Moref {
		t.Fatalf("after rename: %v", got)
	}
	control(t, "POST", "/vm/rename", `{"name":"renamed-by-test","newName":"`+name+`"}`)
}

func TestDoorModes(t *testing.T) {
	c := insecureHTTP()
	defer control(t, "POST", "/reset", "")
	host := strings.TrimSuffix(strings.TrimPrefix(testApp.sdkURL(), "https://"), "/sdk")

	control(t, "POST", "/door/down", "")
	if conn, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		conn.Close()
		t.Fatal("door down: connection accepted")
	}
	control(t, "POST", "/door/up", "")
	if status, _ := postSOAP(t, c, serviceContentBody, ""); status != 200 {
		t.Fatalf("door up: %d", status)
	}

	control(t, "POST", "/door/http", `{"status":503}`)
	if status, _ := postSOAP(t, c, serviceContentBody, ""); status != 503 {
		t.Fatalf("http 503: %d", status)
	}

	control(t, "POST", "/door/hang", "")
	hc := insecureHTTP()
	hc.Timeout = 300 * time.Millisecond
	req, _ := http.NewRequest(http.MethodPost, testApp.sdkURL(), strings.NewReader(envelope(serviceContentBody)))
	if res, err := hc.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("hang: got %d", res.StatusCode)
	}
	control(t, "POST", "/door/normal", "")
	if status, _ := postSOAP(t, c, serviceContentBody, ""); status != 200 {
		t.Fatalf("normal: %d", status)
	}
}

func TestCertRotate(t *testing.T) {
	old := testApp.ready().Thumbprint
	out := control(t, "POST", "/cert/rotate", "")
	tp, _ := out["thumbprint"].(string)
	if tp == "" || tp == old {
		t.Fatalf("rotate: %v", out)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(testApp.sdkURL(), "https://"), "/sdk")
	conn, err := tls.Dial("tcp", host, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := thumbprintSHA256(conn.ConnectionState().PeerCertificates[0].Raw); got != tp {
		t.Fatalf("served %s after rotation to %s", got, tp)
	}
	if pem, err := os.ReadFile(out["certFile"].(string)); err != nil || !bytes.Contains(pem, []byte("CERTIFICATE")) {
		t.Fatalf("certFile: %v", err)
	}
}

// Runs last: removes the datastore and network the other tests use.
func TestZRemoveDatastoreAndNetwork(t *testing.T) {
	ctx := context.Background()
	c := newGovmomi(t)
	folderRef, poolRef := vmFolderAndPool(t)
	dc := simulator.Map.Any("Datacenter").(*simulator.Datacenter)

	control(t, "POST", "/network/remove", `{"name":"VM Network"}`)
	control(t, "POST", "/datastore/remove", `{"name":"LocalDS_0"}`)
	for _, ref := range dc.Datastore {
		if simulator.Map.Get(ref) == nil {
			t.Fatalf("datacenter still lists %v", ref)
		}
	}
	tk, err := object.NewFolder(c, folderRef).CreateVM(ctx, vmSpec("dcm-no-ds", ""), object.NewResourcePool(c, poolRef), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tk.WaitForResult(ctx)
	var terr task.Error
	if !errors.As(err, &terr) {
		t.Fatalf("create on a removed datastore: %v", err)
	}
	if _, ok := terr.Fault().(*types.InvalidDatastorePath); !ok {
		t.Fatalf("fault %#v", terr.Fault())
	}
	if findVM("dcm-no-ds") != nil || findVM("") != nil {
		t.Fatal("a half-built VM was left behind")
	}
}
