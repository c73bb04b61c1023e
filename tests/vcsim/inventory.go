package main

// In-process additions to the simulator's inventory: a VM folder type that
// rejects duplicate names like real vCenter, read-back of VMs, removal of
// datastores / networks, inventory counts and session termination.

import (
	"context"
	"fmt"
	"log"
	"sort"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// vmFolder replaces the simulator's Folder for folders that hold VMs. It
// embeds simulator.Folder by value (the PropertyCollector digs the mo type
// out of the first field; a pointer would break that).
type vmFolder struct {
	simulator.Folder
}

// folderOf returns the mo.Folder inside a registry object, if it is a folder.
func folderOf(obj mo.Reference) *mo.Folder {
	switch f := obj.(type) {
	case *simulator.Folder:
		return &f.Folder
	case *vmFolder:
		return &f.Folder.Folder
	}
	return nil
}

func hasChildType(f *mo.Folder, kind string) bool {
	for _, t := range f.ChildType {
		if t == kind {
			return true
		}
	}
	return false
}

// childNamed returns the child entity of f called name (caller holds f's lock).
func childNamed(f *mo.Folder, name string) mo.Entity {
	for _, ref := range f.ChildEntity {
		if e, ok := simulator.Map.Get(ref).(mo.Entity); ok && e.Entity().Name == name {
			return e
		}
	}
	return nil
}

// wrapVMFolders replaces every plain simulator folder that can hold VMs by a
// vmFolder. Returns how many were wrapped.
func wrapVMFolders() int {
	n := 0
	for _, e := range simulator.Map.All("Folder") {
		f, ok := e.(*simulator.Folder)
		if !ok || !hasChildType(&f.Folder, "VirtualMachine") {
			continue
		}
		simulator.Map.WithLock(f, func() {
			simulator.Map.Put(&vmFolder{Folder: *f})
		})
		n++
	}
	return n
}

// CreateVMTask: real vCenter ends the task with DuplicateName when the
// folder already holds an entity of that name; the simulator (0.24.2) does
// not. It also checks that the datastores and networks the spec names exist
// (the simulator panics half-way through otherwise, e.g. after
// /datastore/remove), and turns any other panic into a failed task.
func (f *vmFolder) CreateVMTask(ctx *simulator.Context, req *types.CreateVM_Task) (res soap.HasFault) {
	name := req.Config.Name
	var dup mo.Entity
	if name != "" {
		// no-op when this is the SOAP call on f (already locked); locks f for
		// internal callers such as VirtualMachine.CloneVMTask.
		ctx.WithLock(f, func() { dup = childNamed(&f.Folder.Folder, name) })
	}
	if dup != nil {
		return failedCreateVM(f, &types.DuplicateName{Name: name, Object: dup.Reference()})
	}
	if fault := checkPlacement(f, &req.Config); fault != nil {
		return failedCreateVM(f, fault)
	}

	var before []types.ManagedObjectReference
	ctx.WithLock(f, func() { before = append(before, f.ChildEntity...) })
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		log.Printf("CreateVM_Task %q: simulator panic: %v", name, p)
		// remove the half-built VM the simulator registered before panicking
		ctx.WithLock(f, func() {
			for _, ref := range append([]types.ManagedObjectReference(nil), f.ChildEntity...) {
				if ref.Type == "VirtualMachine" && simulator.FindReference(before, ref) == nil {
					simulator.RemoveReference(&f.ChildEntity, ref)
					simulator.Map.Remove(ref)
				}
			}
		})
		res = failedCreateVM(f, &types.SystemError{Reason: fmt.Sprintf("vcsim: %v", p)})
	}()
	return f.Folder.CreateVMTask(ctx, req)
}

func failedCreateVM(f *vmFolder, fault types.BaseMethodFault) soap.HasFault {
	task := simulator.CreateTask(f, "createVm", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		return nil, fault
	})
	return &methods.CreateVM_TaskBody{
		Res: &types.CreateVM_TaskResponse{Returnval: task.Run()},
	}
}

// datacenterOf walks up the parents of an entity to its datacenter.
func datacenterOf(e mo.Entity) *simulator.Datacenter {
	for i := 0; e != nil && i < 64; i++ {
		if dc, ok := e.(*simulator.Datacenter); ok {
			return dc
		}
		p := e.Entity().Parent
		if p == nil {
			return nil
		}
		e, _ = simulator.Map.Get(*p).(mo.Entity)
	}
	return nil
}

// namesOf returns the names of the entities refs point to.
func namesOf(refs []types.ManagedObjectReference) map[string]bool {
	names := make(map[string]bool, len(refs))
	for _, ref := range refs {
		if e, ok := simulator.Map.Get(ref).(mo.Entity); ok {
			names[e.Entity().Name] = true
		}
	}
	return names
}

// checkPlacement verifies that the datastores and networks a VM config spec
// names exist in the folder's datacenter.
func checkPlacement(f *vmFolder, spec *types.VirtualMachineConfigSpec) types.BaseMethodFault {
	dc := datacenterOf(f)
	if dc == nil {
		return nil
	}
	var dsRefs, netRefs []types.ManagedObjectReference
	simulator.Map.WithLock(dc, func() {
		dsRefs = append(dsRefs, dc.Datastore...)
		netRefs = append(netRefs, dc.Network...)
	})
	datastores, networks := namesOf(dsRefs), namesOf(netRefs)
	badPath := func(p string) types.BaseMethodFault {
		ds := datastoreOfPath(p)
		if ds == "" || datastores[ds] {
			return nil
		}
		return &types.InvalidDatastorePath{InvalidDatastore: types.InvalidDatastore{Name: ds}, DatastorePath: p}
	}
	if spec.Files != nil {
		if fault := badPath(spec.Files.VmPathName); fault != nil {
			return fault
		}
	}
	badBacking := func(i int) types.BaseMethodFault {
		return &types.InvalidDeviceBacking{InvalidDeviceSpec: types.InvalidDeviceSpec{
			InvalidVmConfig: types.InvalidVmConfig{Property: "virtualDeviceSpec.device.backing"},
			DeviceIndex:     int32(i),
		}}
	}
	for i, dcs := range spec.DeviceChange {
		ds := dcs.GetVirtualDeviceConfigSpec()
		if ds == nil || ds.Device == nil || ds.Operation == types.VirtualDeviceConfigSpecOperationRemove {
			continue
		}
		switch b := ds.Device.GetVirtualDevice().Backing.(type) {
		case types.BaseVirtualDeviceFileBackingInfo:
			fb := b.GetVirtualDeviceFileBackingInfo()
			if fault := badPath(fb.FileName); fault != nil {
				return fault
			}
			if fb.Datastore != nil && simulator.Map.Get(*fb.Datastore) == nil {
				return &types.InvalidDatastore{Datastore: fb.Datastore}
			}
		case *types.VirtualEthernetCardNetworkBackingInfo:
			if b.DeviceName != "" && !networks[b.DeviceName] {
				return badBacking(i)
			}
		case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
			if b.Port.PortgroupKey != "" && simulator.Map.Get(types.ManagedObjectReference{
				Type: "DistributedVirtualPortgroup", Value: b.Port.PortgroupKey}) == nil {
				return badBacking(i)
			}
		}
	}
	return nil
}

// CreateFolder creates sub-folders of our own type (so that they, too,
// reject duplicate VM names and can be destroyed / moved).
func (f *vmFolder) CreateFolder(ctx *simulator.Context, req *types.CreateFolder) soap.HasFault {
	body := new(methods.CreateFolderBody)
	if !hasChildType(&f.Folder.Folder, "Folder") {
		body.Fault_ = simulator.Fault(fmt.Sprintf("%s supports types: %#v", f.Self, f.ChildType), &types.NotSupported{})
		return body
	}
	if dup := childNamed(&f.Folder.Folder, req.Name); dup != nil {
		body.Fault_ = simulator.Fault("", &types.DuplicateName{Name: req.Name, Object: dup.Reference()})
		return body
	}
	child := &vmFolder{}
	child.Self.Type = "Folder"
	child.Name = req.Name
	child.ChildType = append([]string(nil), f.ChildType...)
	simulator.Map.NewEntity(child)
	ctx.WithLock(f, func() {
		f.ChildEntity = append(f.ChildEntity, child.Self) // before Put, as the simulator does
		simulator.Map.PutEntity(f, child)
	})
	body.Res = &types.CreateFolderResponse{Returnval: child.Self}
	return body
}

// MoveIntoFolderTask: the simulator's version only accepts entities whose
// parent is a plain *simulator.Folder.
func (f *vmFolder) MoveIntoFolderTask(ctx *simulator.Context, req *types.MoveIntoFolder_Task) soap.HasFault {
	task := simulator.CreateTask(f, "moveIntoFolder", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		for _, ref := range req.List {
			obj, ok := simulator.Map.Get(ref).(mo.Entity)
			if !ok {
				return nil, &types.ManagedObjectNotFound{Obj: ref}
			}
			if !hasChildType(&f.Folder.Folder, ref.Type) || obj.Entity().Parent == nil {
				return nil, &types.NotSupported{}
			}
			parent := simulator.Map.Get(*obj.Entity().Parent)
			pf := folderOf(parent)
			if pf == nil {
				return nil, &types.NotSupported{}
			}
			if pf.Self == f.Self {
				continue
			}
			if dup := childNamed(&f.Folder.Folder, obj.Entity().Name); dup != nil {
				return nil, &types.DuplicateName{Name: obj.Entity().Name, Object: dup.Reference()}
			}
			simulator.Map.Remove(ref)
			ctx.WithLock(parent, func() { simulator.RemoveReference(&pf.ChildEntity, ref) })
			ctx.WithLock(f, func() {
				f.ChildEntity = append(f.ChildEntity, ref)
				simulator.Map.PutEntity(f, obj)
			})
		}
		return nil, nil
	})
	return &methods.MoveIntoFolder_TaskBody{
		Res: &types.MoveIntoFolder_TaskResponse{Returnval: task.Run()},
	}
}

// DestroyTask: only empty VM folders can be destroyed here (ResourceInUse
// otherwise); the simulator's version cannot handle our parent type.
func (f *vmFolder) DestroyTask(ctx *simulator.Context, req *types.Destroy_Task) soap.HasFault {
	task := simulator.CreateTask(f, "destroy", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		if len(f.ChildEntity) != 0 {
			return nil, &types.ResourceInUse{Type: "Folder", Name: f.Name}
		}
		if f.Parent == nil {
			return nil, &types.NotSupported{}
		}
		parent := simulator.Map.Get(*f.Parent)
		pf := folderOf(parent)
		if pf == nil {
			return nil, &types.NotSupported{}
		}
		simulator.Map.Remove(f.Self)
		ctx.WithLock(parent, func() { simulator.RemoveReference(&pf.ChildEntity, f.Self) })
		return nil, nil
	})
	return &methods.Destroy_TaskBody{
		Res: &types.Destroy_TaskResponse{Returnval: task.Run()},
	}
}

// ---- /vms ----

type vmDisk struct {
	Label       string `json:"label"`
	CapacityKiB int64  `json:"capacityKiB"`
	Thin        bool   `json:"thin"`
	Datastore   string `json:"datastore"`
	FileName    string `json:"fileName"`
}

type vmInfo struct {
	Name           string            `json:"name"`
	Moref          string            `json:"moref"`
	Folder         string            `json:"folder"`
	ResourcePool   string            `json:"resourcePool"`
	Host           string            `json:"host"`
	InstanceUUID   string            `json:"instanceUuid"`
	UUID           string            `json:"uuid"`
	CPUs           int32             `json:"cpus"`
	CoresPerSocket int32             `json:"coresPerSocket"`
	MemoryMiB      int32             `json:"memoryMiB"`
	GuestID        string            `json:"guestId"`
	Annotation     string            `json:"annotation"`
	PowerState     string            `json:"powerState"`
	VMPathName     string            `json:"vmPathName"`
	Disks          []vmDisk          `json:"disks"`
	Networks       []string          `json:"networks"`
	ExtraConfig    map[string]string `json:"extraConfig"`
	Template       bool              `json:"template"`
	// config.tools.pendingCustomization: non-empty while a customization
	// waits for the next power-on.
	PendingCustomization string `json:"pendingCustomization"`
	// CustomizeVM_Task calls that left a pending customization, and power-ons
	// that applied one (counted by the door, see templates.go).
	CustomizationsAccepted int      `json:"customizationsAccepted"`
	CustomizationsApplied  int      `json:"customizationsApplied"`
	GuestHostName          string   `json:"guestHostName"`
	GuestIPAddress         string   `json:"guestIpAddress"`
	GuestNicAddresses      []string `json:"guestNicAddresses"` // guest.net[i]'s first address ("" when none), in NIC order
	ToolsRunningStatus     string   `json:"toolsRunningStatus"`
}

// datastoreOfPath returns "ds" for "[ds] dir/file.vmdk".
func datastoreOfPath(p string) string {
	if strings.HasPrefix(p, "[") {
		if i := strings.Index(p, "]"); i > 0 {
			return p[1:i]
		}
	}
	return ""
}

func refValue(r *types.ManagedObjectReference) string {
	if r == nil {
		return ""
	}
	return r.Value
}

// entityName reads the name of a registry object (empty if it is gone).
func entityName(ref types.ManagedObjectReference) string {
	if e, ok := simulator.Map.Get(ref).(mo.Entity); ok {
		var name string
		simulator.Map.WithLock(e, func() { name = e.Entity().Name })
		return name
	}
	return ""
}

type nicRef struct {
	name string                        // known name
	ref  *types.ManagedObjectReference // else look this up
	key  string                        // or this raw key
}

func listVMs(custom *customizationCounts) []vmInfo {
	vms := simulator.Map.All("VirtualMachine")
	out := make([]vmInfo, 0, len(vms))
	for _, e := range vms {
		vm, ok := e.(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		var info vmInfo
		var nics []nicRef
		simulator.Map.WithLock(vm, func() {
			info, nics = snapshotVM(vm)
		})
		// resolve network names outside the VM lock
		for _, n := range nics {
			switch {
			case n.name != "":
				info.Networks = append(info.Networks, n.name)
			case n.ref != nil:
				name := entityName(*n.ref)
				if name == "" {
					name = n.key
				}
				info.Networks = append(info.Networks, name)
			default:
				info.Networks = append(info.Networks, n.key)
			}
		}
		info.CustomizationsAccepted, info.CustomizationsApplied = custom.get(info.Moref)
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Moref < out[j].Moref
	})
	return out
}

// snapshotVM copies what /vms reports; the caller holds the VM's lock.
func snapshotVM(vm *simulator.VirtualMachine) (vmInfo, []nicRef) {
	info := vmInfo{
		Name:         vm.Name,
		Moref:        vm.Self.Value,
		Folder:       refValue(vm.Parent),
		ResourcePool: refValue(vm.ResourcePool),
		Host:         refValue(vm.Runtime.Host),
		PowerState:   string(vm.Runtime.PowerState),
		Disks:        []vmDisk{},
		Networks:     []string{},
		ExtraConfig:  map[string]string{},

		GuestNicAddresses: []string{},
	}
	if g := vm.Guest; g != nil {
		info.GuestHostName = g.HostName
		info.GuestIPAddress = g.IpAddress
		info.ToolsRunningStatus = g.ToolsRunningStatus
		for _, n := range g.Net {
			addr := ""
			if len(n.IpAddress) > 0 {
				addr = n.IpAddress[0]
			}
			info.GuestNicAddresses = append(info.GuestNicAddresses, addr)
		}
	}
	var nics []nicRef
	cfg := vm.Config
	if cfg == nil {
		return info, nics
	}
	info.InstanceUUID = cfg.InstanceUuid
	info.Template = cfg.Template
	if cfg.Tools != nil {
		info.PendingCustomization = cfg.Tools.PendingCustomization
	}
	info.UUID = cfg.Uuid
	info.CPUs = cfg.Hardware.NumCPU
	info.CoresPerSocket = cfg.Hardware.NumCoresPerSocket
	info.MemoryMiB = cfg.Hardware.MemoryMB
	info.GuestID = cfg.GuestId
	info.Annotation = cfg.Annotation
	info.VMPathName = cfg.Files.VmPathName
	for _, ov := range cfg.ExtraConfig {
		if o := ov.GetOptionValue(); o != nil {
			info.ExtraConfig[o.Key] = fmt.Sprint(o.Value)
		}
	}
	for _, dev := range cfg.Hardware.Device {
		switch d := dev.(type) {
		case *types.VirtualDisk:
			disk := vmDisk{CapacityKiB: d.CapacityInKB}
			if d.CapacityInBytes > 0 {
				disk.CapacityKiB = d.CapacityInBytes / 1024
			}
			if d.DeviceInfo != nil {
				disk.Label = d.DeviceInfo.GetDescription().Label
			}
			if fb, ok := d.Backing.(types.BaseVirtualDeviceFileBackingInfo); ok {
				disk.FileName = fb.GetVirtualDeviceFileBackingInfo().FileName
				disk.Datastore = datastoreOfPath(disk.FileName)
			}
			if b, ok := d.Backing.(*types.VirtualDiskFlatVer2BackingInfo); ok && b.ThinProvisioned != nil {
				disk.Thin = *b.ThinProvisioned
			}
			info.Disks = append(info.Disks, disk)
		case types.BaseVirtualEthernetCard:
			switch b := d.GetVirtualEthernetCard().Backing.(type) {
			case *types.VirtualEthernetCardNetworkBackingInfo:
				n := nicRef{name: b.DeviceName}
				if n.name == "" && b.Network != nil {
					n.ref, n.key = b.Network, b.Network.Value
				}
				nics = append(nics, n)
			case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
				key := b.Port.PortgroupKey
				nics = append(nics, nicRef{ref: &types.ManagedObjectReference{Type: "DistributedVirtualPortgroup", Value: key}, key: key})
			case *types.VirtualEthernetCardOpaqueNetworkBackingInfo:
				nics = append(nics, nicRef{key: b.OpaqueNetworkId})
			default:
				nics = append(nics, nicRef{key: fmt.Sprintf("%T", b)})
			}
		}
	}
	return info, nics
}

// ---- inventory counts ----

type inventoryCounts struct {
	Datacenters   int `json:"datacenters"`
	Clusters      int `json:"clusters"`
	Hosts         int `json:"hosts"`
	VMs           int `json:"vms"`
	Templates     int `json:"templates"`
	Datastores    int `json:"datastores"`
	Networks      int `json:"networks"`
	Portgroups    int `json:"portgroups"`
	ResourcePools int `json:"resourcePools"`
	Folders       int `json:"folders"`
	VApps         int `json:"vapps"`
}

func countInventory() inventoryCounts {
	var c inventoryCounts
	c.Datacenters = len(simulator.Map.All("Datacenter"))
	c.Clusters = len(simulator.Map.All("ClusterComputeResource"))
	c.Hosts = len(simulator.Map.All("HostSystem"))
	for _, e := range simulator.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok {
			tmpl := false
			simulator.Map.WithLock(vm, func() { tmpl = vm.Config != nil && vm.Config.Template })
			if tmpl {
				c.Templates++
				continue
			}
		}
		c.VMs++
	}
	c.Datastores = len(simulator.Map.All("Datastore"))
	c.Networks = len(simulator.Map.All("Network")) + len(simulator.Map.All("OpaqueNetwork"))
	c.Portgroups = len(simulator.Map.All("DistributedVirtualPortgroup"))
	c.ResourcePools = len(simulator.Map.All("ResourcePool"))
	c.Folders = len(simulator.Map.All("Folder"))
	c.VApps = len(simulator.Map.All("VirtualApp"))
	return c
}

// ---- removal of datastores and networks ----

// without returns a copy of refs without ref (never modifies the shared
// backing array: the simulator shares network slices between objects).
func without(refs []types.ManagedObjectReference, ref types.ManagedObjectReference) ([]types.ManagedObjectReference, bool) {
	out := make([]types.ManagedObjectReference, 0, len(refs))
	found := false
	for _, r := range refs {
		if r == ref {
			found = true
			continue
		}
		out = append(out, r)
	}
	return out, found
}

// dropRef removes ref from the named []ManagedObjectReference property of
// obj through Map.Update, so that PropertyCollector clients see the change.
func dropRef(obj mo.Reference, prop string, get func() []types.ManagedObjectReference, ref types.ManagedObjectReference) {
	simulator.Map.WithLock(obj, func() {
		if refs, found := without(get(), ref); found {
			simulator.Map.Update(obj, []types.PropertyChange{{Name: prop, Val: refs}})
		}
	})
}

// entitiesNamed finds entities of the given types by name (or moref value).
func entitiesNamed(name string, kinds ...string) []mo.Entity {
	var out []mo.Entity
	for _, kind := range kinds {
		for _, e := range simulator.Map.All(kind) {
			var n string
			simulator.Map.WithLock(e, func() { n = e.Entity().Name })
			if n == name || e.Reference().Value == name {
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reference().Value < out[j].Reference().Value })
	return out
}

// removeFromContainers drops ref from hosts, compute resources, datacenters
// and its parent folder (prop is "datastore" or "network").
func removeFromContainers(e mo.Entity, prop string) {
	ref := e.Reference()
	for _, h := range simulator.Map.All("HostSystem") {
		host := h.(*simulator.HostSystem)
		if prop == "datastore" {
			dropRef(host, prop, func() []types.ManagedObjectReference { return host.Datastore }, ref)
		} else {
			dropRef(host, prop, func() []types.ManagedObjectReference { return host.Network }, ref)
		}
	}
	for _, kind := range []string{"ComputeResource", "ClusterComputeResource"} {
		for _, c := range simulator.Map.All(kind) {
			var cr *mo.ComputeResource
			switch x := c.(type) {
			case *mo.ComputeResource:
				cr = x
			case *simulator.ClusterComputeResource:
				cr = &x.ClusterComputeResource.ComputeResource
			default:
				continue
			}
			if prop == "datastore" {
				dropRef(c, prop, func() []types.ManagedObjectReference { return cr.Datastore }, ref)
			} else {
				dropRef(c, prop, func() []types.ManagedObjectReference { return cr.Network }, ref)
			}
		}
	}
	for _, d := range simulator.Map.All("Datacenter") {
		dc := d.(*simulator.Datacenter)
		if prop == "datastore" {
			dropRef(dc, prop, func() []types.ManagedObjectReference { return dc.Datastore }, ref)
		} else {
			dropRef(dc, prop, func() []types.ManagedObjectReference { return dc.Network }, ref)
		}
	}
	if p := e.Entity().Parent; p != nil {
		parent := simulator.Map.Get(*p)
		switch x := parent.(type) {
		case *simulator.StoragePod:
			dropRef(x, "childEntity", func() []types.ManagedObjectReference { return x.ChildEntity }, ref)
		default:
			if pf := folderOf(parent); pf != nil {
				dropRef(parent, "childEntity", func() []types.ManagedObjectReference { return pf.ChildEntity }, ref)
			}
		}
	}
}

// removeDatastores makes the named datastore(s) vanish, even when VMs still
// use them (the simulator's Destroy_Task refuses that: ResourceInUse).
// VMs keep their now dangling references, as after a storage outage.
func removeDatastores(name string) []string {
	var removed []string
	for _, e := range entitiesNamed(name, "Datastore") {
		removeFromContainers(e, "datastore")
		simulator.Map.Remove(e.Reference())
		removed = append(removed, e.Reference().Value)
	}
	return removed
}

// removeNetworks makes the named standard network / DV portgroup / opaque
// network vanish.
func removeNetworks(name string) []string {
	var removed []string
	for _, e := range entitiesNamed(name, "Network", "DistributedVirtualPortgroup", "OpaqueNetwork") {
		ref := e.Reference()
		if pg, ok := e.(*simulator.DistributedVirtualPortgroup); ok {
			var sw types.ManagedObjectReference
			simulator.Map.WithLock(pg, func() {
				if pg.Config.DistributedVirtualSwitch != nil {
					sw = *pg.Config.DistributedVirtualSwitch
				}
			})
			if dvs, ok := simulator.Map.Get(sw).(*simulator.DistributedVirtualSwitch); ok {
				pgName := pg.Name
				simulator.Map.WithLock(dvs, func() {
					refs, _ := without(dvs.Portgroup, ref)
					names := make([]string, 0, len(dvs.Summary.PortgroupName))
					for _, n := range dvs.Summary.PortgroupName {
						if n != pgName {
							names = append(names, n)
						}
					}
					simulator.Map.Update(dvs, []types.PropertyChange{
						{Name: "portgroup", Val: refs},
						{Name: "summary.portgroupName", Val: names},
					})
				})
			}
		}
		removeFromContainers(e, "network")
		simulator.Map.Remove(ref)
		removed = append(removed, ref.Value)
	}
	return removed
}

// ---- sessions ----

// killSessions terminates the given SOAP sessions through the simulator's
// own SessionManager.TerminateSession (via the in-process client). Unknown
// keys (already logged out) are ignored. Returns how many were terminated.
func killSessions(ctx context.Context, c *vim25.Client, keys []string) int {
	n := 0
	for _, key := range keys {
		_, err := methods.TerminateSession(ctx, c, &types.TerminateSession{
			This:      *c.ServiceContent.SessionManager,
			SessionId: []string{key},
		})
		if err == nil {
			n++
		}
	}
	return n
}
