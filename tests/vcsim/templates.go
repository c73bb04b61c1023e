package main

// Templates and guest customization: -templates N builds templates of our
// own; the door's around-hook completes what this simulator version leaves
// out of CloneVM_Task (the CPUs, memory and annotation of spec.config, and
// the disk format of spec.location.disk — real vCenter applies both) and
// counts, per VM, the customizations CustomizeVM_Task accepted and the ones
// a power-on applied. The simulator itself applies a customization given
// through CustomizeVM_Task at the next power-on (guest.hostName,
// guest.ipAddress, guest.net); it ignores spec.customization of a clone.

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

// customizationCounts: per VM moref, what happened to customizations.
type customizationCounts struct {
	mu       sync.Mutex
	accepted map[string]int // CustomizeVM_Task calls that left a pending customization
	applied  map[string]int // power-ons that consumed a pending customization
}

func newCustomizationCounts() *customizationCounts {
	return &customizationCounts{accepted: map[string]int{}, applied: map[string]int{}}
}

func (c *customizationCounts) get(moref string) (accepted, applied int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.accepted[moref], c.applied[moref]
}

func (c *customizationCounts) add(m map[string]int, moref string) {
	c.mu.Lock()
	m[moref]++
	c.mu.Unlock()
}

// vmByRef returns the simulator's VM for a moref, or nil.
func vmByRef(ref types.ManagedObjectReference) *simulator.VirtualMachine {
	if ref.Type != "VirtualMachine" {
		return nil
	}
	vm, _ := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	return vm
}

func pendingCustomization(ref types.ManagedObjectReference) string {
	vm := vmByRef(ref)
	if vm == nil {
		return ""
	}
	var pending string
	simulator.Map.WithLock(vm, func() {
		if vm.Config != nil && vm.Config.Tools != nil {
			pending = vm.Config.Tools.PendingCustomization
		}
	})
	return pending
}

// aroundCall is the door's hook around every SOAP call.
func (a *app) aroundCall(call soapCall, body []byte, serve func() int) {
	switch call.Method {
	case "PowerOnVM_Task", "ResetVM_Task":
		before := pendingCustomization(call.This)
		if serve() == 200 && before != "" && pendingCustomization(call.This) == "" {
			a.custom.add(a.custom.applied, call.This.Value)
		}
	case "CustomizeVM_Task":
		before := pendingCustomization(call.This)
		if serve() == 200 {
			if after := pendingCustomization(call.This); after != "" && after != before {
				a.custom.add(a.custom.accepted, call.This.Value)
			}
		}
	case "CloneVM_Task":
		// The simulator hands the source's own device objects to the clone
		// (and blanks the source's disk file names on the way): the source
		// gets copies back, the clone keeps the originals.
		source := vmByRef(call.This)
		var devices []types.BaseVirtualDevice
		if source != nil {
			simulator.Map.WithLock(source, func() { devices = copyDevices(source.Config.Hardware.Device) })
		}
		status := serve()
		if source != nil && devices != nil {
			simulator.Map.WithLock(source, func() { source.Config.Hardware.Device = devices })
		}
		if status == 200 {
			completeClone(body, a.logf)
		}
	case "DestroyPropertyCollector":
		if serve() == 200 {
			forgetCollector(call.This)
		}
	default:
		serve()
	}
}

// completeClone applies what the simulator's CloneVM_Task drops from the
// clone spec to the VM the clone made, as vCenter does: spec.config's
// numCPUs, numCoresPerSocket, memoryMB and annotation, and the
// thin/thick backing asked for each source disk in spec.location.disk.
func completeClone(body []byte, logf func(string, ...interface{})) {
	m, err := simulator.UnmarshalBody(types.TypeFunc(), body)
	if err != nil {
		logf("CloneVM_Task: cannot decode the request: %v", err)
		return
	}
	req, ok := m.Body.(*types.CloneVM_Task)
	if !ok {
		return
	}
	folder, _ := simulator.Map.Get(req.Folder).(mo.Reference)
	f := folderOf(folder)
	if f == nil {
		return
	}
	var clone *simulator.VirtualMachine
	simulator.Map.WithLock(folder, func() {
		if e := childNamed(f, req.Name); e != nil {
			clone, _ = e.(*simulator.VirtualMachine)
		}
	})
	if clone == nil {
		return // the clone failed (its task says why)
	}
	simulator.Map.WithLock(clone, func() {
		var changes []types.PropertyChange
		if c := req.Spec.Config; c != nil {
			if c.NumCPUs > 0 {
				changes = append(changes,
					types.PropertyChange{Name: "config.hardware.numCPU", Val: c.NumCPUs},
					types.PropertyChange{Name: "summary.config.numCpu", Val: c.NumCPUs})
			}
			if c.NumCoresPerSocket > 0 {
				changes = append(changes, types.PropertyChange{Name: "config.hardware.numCoresPerSocket", Val: c.NumCoresPerSocket})
			}
			if c.MemoryMB > 0 {
				changes = append(changes,
					types.PropertyChange{Name: "config.hardware.memoryMB", Val: int32(c.MemoryMB)},
					types.PropertyChange{Name: "summary.config.memorySizeMB", Val: int32(c.MemoryMB)})
			}
			if c.Annotation != "" {
				changes = append(changes,
					types.PropertyChange{Name: "config.annotation", Val: c.Annotation},
					types.PropertyChange{Name: "summary.config.annotation", Val: c.Annotation})
			}
		}
		if len(changes) > 0 {
			simulator.Map.Update(clone, changes)
		}
		for _, locator := range req.Spec.Location.Disk {
			b, ok := locator.DiskBackingInfo.(*types.VirtualDiskFlatVer2BackingInfo)
			if !ok || b.ThinProvisioned == nil {
				continue
			}
			for _, dev := range clone.Config.Hardware.Device {
				if d, ok := dev.(*types.VirtualDisk); ok && d.Key == locator.DiskId {
					if cb, ok := d.Backing.(*types.VirtualDiskFlatVer2BackingInfo); ok {
						cb.ThinProvisioned = types.NewBool(*b.ThinProvisioned)
						cb.EagerlyScrub = b.EagerlyScrub
					}
				}
			}
		}
	})
}

// copyDevices deep-copies a device list through its XML form, the way the
// simulator copies objects itself.
func copyDevices(devices []types.BaseVirtualDevice) []types.BaseVirtualDevice {
	b, err := xml.Marshal(types.ArrayOfVirtualDevice{VirtualDevice: devices})
	if err != nil {
		return nil
	}
	var out types.ArrayOfVirtualDevice
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.TypeFunc = types.TypeFunc()
	if err := dec.Decode(&out); err != nil {
		return nil
	}
	return out.VirtualDevice
}

// templateName is the name of template i of a datacenter.
func templateName(dc string, i int) string { return fmt.Sprintf("%s_TMPL%d", dc, i) }

// createTemplates builds n templates in every datacenter's VM folder: Ubuntu
// 64-bit, 2 CPUs, 2 GiB, one 10 GiB thin disk on a paravirtual SCSI
// controller and one vmxnet3 NIC on "VM Network"; placed on the first
// cluster's (else standalone host's) root pool and the first datastore.
func createTemplates(ctx context.Context, c *vim25.Client, n int) ([]string, error) {
	var made []string
	for _, e := range simulator.Map.All("Datacenter") {
		dc, ok := e.(*simulator.Datacenter)
		if !ok {
			continue
		}
		var pool *types.ManagedObjectReference
		var dsName string
		var vmFolder types.ManagedObjectReference
		var hostFolder types.ManagedObjectReference
		simulator.Map.WithLock(dc, func() {
			vmFolder, hostFolder = dc.VmFolder, dc.HostFolder
			if len(dc.Datastore) > 0 {
				if ds, ok := simulator.Map.Get(dc.Datastore[0]).(*simulator.Datastore); ok {
					dsName = ds.Name
				}
			}
		})
		pool = firstPool(hostFolder)
		if pool == nil || dsName == "" {
			return made, fmt.Errorf("datacenter %s has no pool or datastore for templates", dc.Name)
		}
		for i := 0; i < n; i++ {
			name := templateName(dc.Name, i)
			if err := createTemplate(ctx, c, vmFolder, *pool, dsName, name); err != nil {
				return made, fmt.Errorf("template %s: %w", name, err)
			}
			made = append(made, name)
		}
	}
	return made, nil
}

// firstPool finds the root resource pool of the first compute resource below
// a host folder (depth-first, folders in order).
func firstPool(folderRef types.ManagedObjectReference) *types.ManagedObjectReference {
	f := folderOf(simulator.Map.Get(folderRef))
	if f == nil {
		return nil
	}
	var children []types.ManagedObjectReference
	simulator.Map.WithLock(simulator.Map.Get(folderRef), func() { children = append(children, f.ChildEntity...) })
	var standalone *types.ManagedObjectReference
	for _, ref := range children {
		switch cr := simulator.Map.Get(ref).(type) {
		case *simulator.ClusterComputeResource:
			return cr.ResourcePool
		case *mo.ComputeResource:
			if standalone == nil {
				standalone = cr.ResourcePool
			}
		case *simulator.Folder, *vmFolder:
			if p := firstPool(ref); p != nil {
				return p
			}
		}
	}
	return standalone
}

func createTemplate(ctx context.Context, c *vim25.Client, folder, pool types.ManagedObjectReference, ds, name string) error {
	unit := int32(0)
	spec := types.VirtualMachineConfigSpec{
		Name:              name,
		GuestId:           "ubuntu64Guest",
		Files:             &types.VirtualMachineFileInfo{VmPathName: "[" + ds + "]"},
		NumCPUs:           2,
		NumCoresPerSocket: 1,
		MemoryMB:          2048,
		DeviceChange: []types.BaseVirtualDeviceConfigSpec{
			&types.VirtualDeviceConfigSpec{
				Operation: types.VirtualDeviceConfigSpecOperationAdd,
				Device: &types.ParaVirtualSCSIController{VirtualSCSIController: types.VirtualSCSIController{
					SharedBus:         types.VirtualSCSISharingNoSharing,
					VirtualController: types.VirtualController{BusNumber: 0, VirtualDevice: types.VirtualDevice{Key: -100}},
				}},
			},
			&types.VirtualDeviceConfigSpec{
				Operation:     types.VirtualDeviceConfigSpecOperationAdd,
				FileOperation: types.VirtualDeviceConfigSpecFileOperationCreate,
				Device: &types.VirtualDisk{
					VirtualDevice: types.VirtualDevice{
						Key: -1000, ControllerKey: -100, UnitNumber: &unit,
						Backing: &types.VirtualDiskFlatVer2BackingInfo{
							VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[" + ds + "]"},
							DiskMode:                     string(types.VirtualDiskModePersistent),
							ThinProvisioned:              types.NewBool(true),
						},
					},
					CapacityInKB: 10 * 1024 * 1024,
				},
			},
			&types.VirtualDeviceConfigSpec{
				Operation: types.VirtualDeviceConfigSpecOperationAdd,
				Device: &types.VirtualVmxnet3{VirtualVmxnet: types.VirtualVmxnet{VirtualEthernetCard: types.VirtualEthernetCard{
					VirtualDevice: types.VirtualDevice{
						Key:     -300,
						Backing: &types.VirtualEthernetCardNetworkBackingInfo{VirtualDeviceDeviceBackingInfo: types.VirtualDeviceDeviceBackingInfo{DeviceName: "VM Network"}},
					},
					AddressType: string(types.VirtualEthernetCardMacTypeGenerated),
				}}},
			},
		},
	}
	task, err := object.NewFolder(c, folder).CreateVM(ctx, spec, object.NewResourcePool(c, pool), nil)
	if err != nil {
		return err
	}
	info, err := task.WaitForResult(ctx, nil)
	if err != nil {
		return err
	}
	ref, ok := info.Result.(types.ManagedObjectReference)
	if !ok {
		return fmt.Errorf("CreateVM_Task returned %T", info.Result)
	}
	return markTemplate(ctx, c, ref)
}

// markTemplate powers a VM off if needed and marks it as a template.
func markTemplate(ctx context.Context, c *vim25.Client, ref types.ManagedObjectReference) error {
	vm := object.NewVirtualMachine(c, ref)
	if v := vmByRef(ref); v != nil {
		var state types.VirtualMachinePowerState
		simulator.Map.WithLock(v, func() { state = v.Runtime.PowerState })
		if state != types.VirtualMachinePowerStatePoweredOff {
			task, err := vm.PowerOff(ctx)
			if err != nil {
				return err
			}
			if err := task.Wait(ctx); err != nil {
				return err
			}
		}
	}
	return vm.MarkAsTemplate(ctx)
}

// vmsNamed returns the VMs (and templates) of that name.
func vmsNamed(name string) []types.ManagedObjectReference {
	var out []types.ManagedObjectReference
	for _, e := range simulator.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok && vm.Name == name {
			out = append(out, vm.Self)
		}
	}
	return out
}

// destroyVMs powers off and destroys every VM or template of that name.
func destroyVMs(ctx context.Context, c *vim25.Client, name string) ([]string, error) {
	var removed []string
	for _, ref := range vmsNamed(name) {
		vm := object.NewVirtualMachine(c, ref)
		if v := vmByRef(ref); v != nil {
			var state types.VirtualMachinePowerState
			simulator.Map.WithLock(v, func() { state = v.Runtime.PowerState })
			if state == types.VirtualMachinePowerStatePoweredOn {
				if task, err := vm.PowerOff(ctx); err == nil {
					_ = task.Wait(ctx)
				}
			}
		}
		task, err := vm.Destroy(ctx)
		if err != nil {
			return removed, err
		}
		if err := task.Wait(ctx); err != nil {
			return removed, err
		}
		removed = append(removed, ref.Value)
	}
	return removed, nil
}

// renameVM renames the one VM or template of that name (Rename_Task, as an
// administrator would elsewhere): its moref, "" if there is not exactly one.
func renameVM(ctx context.Context, c *vim25.Client, name, newName string) (string, error) {
	refs := vmsNamed(name)
	if len(refs) != 1 {
		return "", nil
	}
	task, err := object.NewVirtualMachine(c, refs[0]).Rename(ctx, newName)
	if err != nil {
		return "", err
	}
	if err := task.Wait(ctx); err != nil {
		return "", err
	}
	return refs[0].Value, nil
}
