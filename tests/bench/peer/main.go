// Command dcm-bench-peer is the Go side of the adapter benchmark: the same vim25 calls the C++
// adapter makes, through Debian's govmomi, against the same simulator in the same run.
//
//	inventory  ContainerView + RetrievePropertiesEx (+ Continue) with the adapter's PropertySpecs,
//	           decoded by govmomi into mo.* objects (what view.Retrieve does)
//	floor      the same request, reply read and thrown away: the simulator's own cost
//	create     CreateVM_Task + task.Wait, sequential and N at a time
//	vms        a whole govmomi client as a user would write one, for `dcmctl inventory vms --json`: log
//	           in, ContainerView of the VMs, view.Retrieve of the -props paths into mo.VirtualMachine,
//	           every VM printed as one JSON object on stdout (the process is timed from outside)
//	clone      CloneVM_Task of a template + task.Wait, N at a time, with the CloneSpec the adapter sends
//	           for a clone without customization or power-on: the request key in instanceUuid and
//	           extraConfig dcm.requestId, CPUs/cores/memory, the template's NICs reconnected in order
//	           to the network (same connectable, addressType generated), powered off
//
// Output: one JSON object per line.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

type propSpec struct {
	Type    string   `json:"type"`
	PathSet []string `json:"pathSet"`
}

type specFile struct {
	Types    []string   `json:"types"`
	PropSet  []propSpec `json:"propSet"`
	PageSize int32      `json:"pageSize"`
}

func emit(v map[string]interface{}) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "dcm-bench-peer:", err)
	os.Exit(1)
}

// peakRSSMiB reads the process's high-water resident set (VmHWM).
func peakRSSMiB() float64 {
	b, err := ioutil.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuMs is this process's CPU time (all threads), in ms.
func cpuMs() float64 {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return float64(u.Utime.Nano()+u.Stime.Nano()) / 1e6
}

func median(ms []float64) float64 {
	s := append([]float64(nil), ms...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func retrieveRequest(c *vim25.Client, view types.ManagedObjectReference, spec specFile) types.RetrievePropertiesEx {
	var props []types.PropertySpec
	for _, p := range spec.PropSet {
		props = append(props, types.PropertySpec{Type: p.Type, PathSet: p.PathSet})
	}
	return types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet: props,
			ObjectSet: []types.ObjectSpec{{
				Obj:  view,
				Skip: types.NewBool(true),
				SelectSet: []types.BaseSelectionSpec{&types.TraversalSpec{
					SelectionSpec: types.SelectionSpec{Name: "traverseView"},
					Type:          "ContainerView",
					Path:          "view",
					Skip:          types.NewBool(false),
				}},
			}},
		}},
		Options: types.RetrieveOptions{MaxObjects: spec.PageSize},
	}
}

func createView(ctx context.Context, c *vim25.Client, spec specFile) types.ManagedObjectReference {
	res, err := methods.CreateContainerView(ctx, c, &types.CreateContainerView{
		This: *c.ServiceContent.ViewManager, Container: c.ServiceContent.RootFolder, Type: spec.Types, Recursive: true,
	})
	if err != nil {
		fail(err)
	}
	return res.Returnval
}

func destroyView(ctx context.Context, c *vim25.Client, view types.ManagedObjectReference) {
	_, _ = methods.DestroyView(ctx, c, &types.DestroyView{This: view})
}

// inventory: decoded, as govmomi's view.Retrieve would.
func inventory(ctx context.Context, c *vim25.Client, spec specFile) (int, int) {
	view := createView(ctx, c, spec)
	defer destroyView(ctx, c, view)
	req := retrieveRequest(c, view, spec)
	res, err := methods.RetrievePropertiesEx(ctx, c, &req)
	if err != nil {
		fail(err)
	}
	objects, vms := 0, 0
	for result := res.Returnval; result != nil; {
		for _, oc := range result.Objects {
			v, err := mo.ObjectContentToType(oc)
			if err != nil {
				fail(err)
			}
			objects++
			if _, ok := v.(mo.VirtualMachine); ok {
				vms++
			}
		}
		if result.Token == "" {
			break
		}
		next, err := methods.ContinueRetrievePropertiesEx(ctx, c, &types.ContinueRetrievePropertiesEx{
			This: c.ServiceContent.PropertyCollector, Token: result.Token})
		if err != nil {
			fail(err)
		}
		result = &next.Returnval
	}
	return objects, vms
}

// floor: the same first request, reply read and discarded.
func floor(ctx context.Context, c *vim25.Client, spec specFile) int64 {
	view := createView(ctx, c, spec)
	defer destroyView(ctx, c, view)
	req := retrieveRequest(c, view, spec)
	body, err := xml.Marshal(soap.Envelope{Body: &methods.RetrievePropertiesExBody{Req: &req}})
	if err != nil {
		fail(err)
	}
	hreq, _ := http.NewRequest("POST", c.URL().String(), io.MultiReader(strings.NewReader(xml.Header), bytes.NewReader(body)))
	hreq.Header.Set("Content-Type", `text/xml; charset="utf-8"`)
	hreq.Header.Set("SOAPAction", "urn:vim25/"+c.Version)
	var n int64
	err = c.Client.Do(ctx, hreq, func(res *http.Response) error {
		var err error
		n, err = io.Copy(ioutil.Discard, res.Body)
		return err
	})
	if err != nil {
		fail(err)
	}
	return n
}

// vmLine is what the peer prints per VM: the fields `dcmctl inventory vms --json` prints, from the same
// property paths (the folder path aside: the peer prints the parent's moref).
type vmLine struct {
	Name         string `json:"name"`
	Moref        string `json:"moref"`
	Parent       string `json:"parent"`
	PowerState   string `json:"powerState"`
	Cpus         int32  `json:"cpus"`
	MemoryMiB    int32  `json:"memoryMiB"`
	GuestID      string `json:"guestId"`
	InstanceUUID string `json:"instanceUuid"`
	RequestID    string `json:"requestId,omitempty"`
}

// listVms: the idiomatic govmomi client (view.Retrieve into mo.VirtualMachine), output on stdout.
func listVms(ctx context.Context, c *vim25.Client, props []string) {
	m := view.NewManager(c)
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		fail(err)
	}
	defer func() { _ = v.Destroy(ctx) }()
	var vms []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, props, &vms); err != nil {
		fail(err)
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	enc := json.NewEncoder(out)
	for _, vm := range vms {
		line := vmLine{Name: vm.Name, Moref: vm.Self.Value, PowerState: string(vm.Runtime.PowerState)}
		if vm.Parent != nil {
			line.Parent = vm.Parent.Value
		}
		if vm.Config != nil {
			line.Cpus = vm.Config.Hardware.NumCPU
			line.MemoryMiB = vm.Config.Hardware.MemoryMB
			line.GuestID = vm.Config.GuestId
			line.InstanceUUID = vm.Config.InstanceUuid
			for _, o := range vm.Config.ExtraConfig {
				if ov := o.GetOptionValue(); ov.Key == "dcm.requestId" {
					line.RequestID, _ = ov.Value.(string)
				}
			}
		}
		if err := enc.Encode(line); err != nil {
			fail(err)
		}
	}
	if err := out.Flush(); err != nil {
		fail(err)
	}
}

type placement struct {
	folder *object.Folder
	pool   *object.ResourcePool
	ds     string
	nic    types.BaseVirtualDeviceBackingInfo
}

func configSpec(name string, p placement) types.VirtualMachineConfigSpec {
	unit := int32(0)
	disk := &types.VirtualDisk{
		VirtualDevice: types.VirtualDevice{
			Key: -1000, ControllerKey: -100, UnitNumber: &unit,
			Backing: &types.VirtualDiskFlatVer2BackingInfo{
				VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[" + p.ds + "]"},
				DiskMode:                     "persistent", ThinProvisioned: types.NewBool(true),
			},
		},
		CapacityInKB: 1024 * 1024,
	}
	return types.VirtualMachineConfigSpec{
		Name: name, GuestId: "otherGuest64", NumCPUs: 1, NumCoresPerSocket: 1, MemoryMB: 512,
		Files: &types.VirtualMachineFileInfo{VmPathName: "[" + p.ds + "]"},
		DeviceChange: []types.BaseVirtualDeviceConfigSpec{
			&types.VirtualDeviceConfigSpec{Operation: "add", Device: &types.ParaVirtualSCSIController{
				VirtualSCSIController: types.VirtualSCSIController{
					VirtualController: types.VirtualController{VirtualDevice: types.VirtualDevice{Key: -100}},
					SharedBus:         types.VirtualSCSISharingNoSharing}}},
			&types.VirtualDeviceConfigSpec{Operation: "add", FileOperation: "create", Device: disk},
			&types.VirtualDeviceConfigSpec{Operation: "add", Device: &types.VirtualVmxnet3{
				VirtualVmxnet: types.VirtualVmxnet{VirtualEthernetCard: types.VirtualEthernetCard{
					VirtualDevice: types.VirtualDevice{Key: -300, Backing: p.nic}}}}},
		},
	}
}

func createOne(ctx context.Context, p placement, name string) {
	task, err := p.folder.CreateVM(ctx, configSpec(name, p), p.pool, nil)
	if err != nil {
		fail(err)
	}
	if err := task.Wait(ctx); err != nil {
		fail(err)
	}
}

// source is what a clone needs from the template: the template itself and its NICs (read once, as a
// govmomi program cloning many VMs from one template would; -lookup-each reads them per clone, as the
// adapter does for every request).
type source struct {
	vm   *object.VirtualMachine
	nics object.VirtualDeviceList
}

func findSource(ctx context.Context, finder *find.Finder, name string) source {
	vm, err := finder.VirtualMachine(ctx, name)
	if err != nil {
		fail(err)
	}
	devices, err := vm.Device(ctx)
	if err != nil {
		fail(err)
	}
	return source{vm: vm, nics: devices.SelectByType((*types.VirtualEthernetCard)(nil))}
}

// cloneSpec is the adapter's CloneSpecBuilder output for a spec with CPUs, memory and one NIC per
// template NIC, no disks, no disk format, no customization, no power-on.
func cloneSpec(key string, p placement, dsRef, poolRef types.ManagedObjectReference, src source,
	cpus int32, memoryMiB int64) types.VirtualMachineCloneSpec {
	var changes []types.BaseVirtualDeviceConfigSpec
	for _, d := range src.nics {
		card := d.(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
		// Only what the adapter writes into its edit: key, deviceInfo, backing, connectable, controller,
		// unit and addressType.
		edited := types.VirtualEthernetCard{VirtualDevice: types.VirtualDevice{
			Key: card.Key, DeviceInfo: card.DeviceInfo, Backing: p.nic,
			Connectable: &types.VirtualDeviceConnectInfo{StartConnected: true, AllowGuestControl: true,
				Connected: false},
			ControllerKey: card.ControllerKey, UnitNumber: card.UnitNumber,
		}, AddressType: "generated"}
		// The device keeps its own type (vmxnet3 in the simulator's templates): only its card is edited.
		dev := d
		if v, ok := d.(*types.VirtualVmxnet3); ok {
			c := *v
			c.VirtualEthernetCard = edited
			dev = &c
		} else if v, ok := d.(*types.VirtualE1000); ok {
			c := *v
			c.VirtualEthernetCard = edited
			dev = &c
		} else {
			fail(fmt.Errorf("template NIC of type %T not handled", d))
		}
		changes = append(changes, &types.VirtualDeviceConfigSpec{Operation: "edit", Device: dev})
	}
	return types.VirtualMachineCloneSpec{
		Location: types.VirtualMachineRelocateSpec{Datastore: &dsRef, Pool: &poolRef},
		Template: false,
		Config: &types.VirtualMachineConfigSpec{
			InstanceUuid: key, NumCPUs: cpus, NumCoresPerSocket: 1, MemoryMB: memoryMiB,
			DeviceChange: changes,
			ExtraConfig:  []types.BaseOptionValue{&types.OptionValue{Key: "dcm.requestId", Value: key}},
		},
		PowerOn: false,
	}
}

func main() {
	rawURL := flag.String("url", "", "SDK URL")
	user := flag.String("user", "", "user")
	password := flag.String("password", "", "password (default: $DCM_PEER_PASSWORD, which keeps it off the command line)")
	caFile := flag.String("cafile", "", "PEM certificate to trust")
	specPath := flag.String("specs", "", "property specs written by bench_vsphere_inventory")
	mode := flag.String("mode", "inventory", "inventory | floor | create | clone")
	runs := flag.Int("runs", 3, "inventory/floor runs")
	count := flag.Int("count", 100, "VMs to create")
	parallel := flag.Int("parallel", 1, "creations at a time")
	network := flag.String("network", "DC0_DVPG0", "network for created VMs")
	templateName := flag.String("template", "DC0_TMPL0", "clone: the template")
	prefix := flag.String("prefix", "", "clone: name prefix of the clones (NAME-0 ...)")
	cpus := flag.Int("cpus", 1, "clone: numCPUs")
	memoryMiB := flag.Int64("memory", 512, "clone: memoryMB")
	lookupEach := flag.Bool("lookup-each", false, "clone: find the template and read its devices for every clone")
	props := flag.String("props", "name,parent,runtime.powerState,config.hardware.numCPU,config.hardware.memoryMB,"+
		"config.guestId,config.instanceUuid", "vms: the VirtualMachine property paths read (comma-separated)")
	flag.Parse()
	if *password == "" {
		*password = os.Getenv("DCM_PEER_PASSWORD")
	}

	ctx := context.Background()
	u, err := url.Parse(*rawURL)
	if err != nil {
		fail(err)
	}
	sc := soap.NewClient(u, false)
	if *caFile != "" {
		if err := sc.SetRootCAs(*caFile); err != nil {
			fail(err)
		}
	}
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		fail(err)
	}
	if err := session.NewManager(c).Login(ctx, url.UserPassword(*user, *password)); err != nil {
		fail(err)
	}

	switch *mode {
	case "vms":
		listVms(ctx, c, strings.Split(*props, ","))
	case "inventory", "floor":
		b, err := ioutil.ReadFile(*specPath)
		if err != nil {
			fail(err)
		}
		var spec specFile
		if err := json.Unmarshal(b, &spec); err != nil {
			fail(err)
		}
		var times, cpu []float64
		objects, vms := 0, 0
		var bytes int64
		for i := 0; i < *runs+1; i++ { // the first run warms up, as in the C++ side
			start := time.Now()
			cpuStart := cpuMs()
			if *mode == "inventory" {
				objects, vms = inventory(ctx, c, spec)
			} else {
				bytes = floor(ctx, c, spec)
			}
			if i > 0 {
				times = append(times, float64(time.Since(start).Microseconds())/1000)
				cpu = append(cpu, cpuMs()-cpuStart)
			}
		}
		emit(map[string]interface{}{"client": "govmomi", "case": *mode, "objects": objects, "vms": vms,
			"replyBytes": bytes, "ms": times, "medianMs": median(times), "cpuMs": median(cpu),
			"peakRssMiB": peakRSSMiB()})
	case "create":
		finder := find.NewFinder(c, true)
		dc, err := finder.Datacenter(ctx, "DC0")
		if err != nil {
			fail(err)
		}
		finder.SetDatacenter(dc)
		folders, err := dc.Folders(ctx)
		if err != nil {
			fail(err)
		}
		pool, err := finder.ResourcePool(ctx, "/DC0/host/DC0_C0/Resources")
		if err != nil {
			fail(err)
		}
		net, err := finder.Network(ctx, *network)
		if err != nil {
			fail(err)
		}
		nic, err := net.EthernetCardBackingInfo(ctx)
		if err != nil {
			fail(err)
		}
		p := placement{folder: folders.VmFolder, pool: pool, ds: "LocalDS_0", nic: nic}
		prefix := fmt.Sprintf("peer-%d-%d", os.Getpid(), *parallel)
		start := time.Now()
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < *parallel; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					createOne(ctx, p, fmt.Sprintf("%s-%d", prefix, i))
				}
			}()
		}
		for i := 0; i < *count; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		ms := float64(time.Since(start).Microseconds()) / 1000
		emit(map[string]interface{}{"client": "govmomi", "case": "create", "count": *count, "parallel": *parallel,
			"ms": ms, "perSecond": float64(*count) / (ms / 1000)})
	case "clone":
		// Looked up before the clock starts: the placement and the template, once.
		finder := find.NewFinder(c, true)
		dc, err := finder.Datacenter(ctx, "DC0")
		if err != nil {
			fail(err)
		}
		finder.SetDatacenter(dc)
		folders, err := dc.Folders(ctx)
		if err != nil {
			fail(err)
		}
		pool, err := finder.ResourcePool(ctx, "/DC0/host/DC0_C0/Resources")
		if err != nil {
			fail(err)
		}
		ds, err := finder.Datastore(ctx, "LocalDS_0")
		if err != nil {
			fail(err)
		}
		net, err := finder.Network(ctx, *network)
		if err != nil {
			fail(err)
		}
		nic, err := net.EthernetCardBackingInfo(ctx)
		if err != nil {
			fail(err)
		}
		p := placement{folder: folders.VmFolder, pool: pool, ds: "LocalDS_0", nic: nic}
		src := findSource(ctx, finder, *templateName)
		if *prefix == "" {
			*prefix = fmt.Sprintf("peer-clone-%d-%d", os.Getpid(), *parallel)
		}
		latencies := make([]float64, *count)
		start := time.Now()
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < *parallel; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					t0 := time.Now()
					s := src
					if *lookupEach {
						s = findSource(ctx, finder, *templateName)
					}
					spec := cloneSpec(uuid.New().String(), p, ds.Reference(), pool.Reference(), s, int32(*cpus),
						*memoryMiB)
					task, err := s.vm.Clone(ctx, p.folder, fmt.Sprintf("%s-%d", *prefix, i), spec)
					if err != nil {
						fail(err)
					}
					info, err := task.WaitForResult(ctx, nil)
					if err != nil {
						fail(err)
					}
					if info.Result == nil {
						fail(fmt.Errorf("CloneVM_Task %s succeeded without a VM", task.Reference().Value))
					}
					latencies[i] = float64(time.Since(t0).Microseconds()) / 1000
				}
			}()
		}
		for i := 0; i < *count; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		ms := float64(time.Since(start).Microseconds()) / 1000
		sorted := append([]float64(nil), latencies...)
		sort.Float64s(sorted)
		emit(map[string]interface{}{"client": "govmomi", "case": "clone", "count": *count, "parallel": *parallel,
			"prefix": *prefix, "lookupEach": *lookupEach, "ms": ms, "perSecond": float64(*count) / (ms / 1000),
			"cloneMedianMs": median(latencies), "cloneMaxMs": sorted[len(sorted)-1]})
	default:
		fail(fmt.Errorf("unknown mode %q", *mode))
	}
}
