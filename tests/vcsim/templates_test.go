package main

import (
	"context"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// templateForTest builds (once) DC0_TMPL0 and returns its reference.
func templateForTest(t *testing.T) types.ManagedObjectReference {
	t.Helper()
	if refs := vmsNamed(templateName("DC0", 0)); len(refs) == 1 {
		return refs[0]
	}
	made, err := createTemplates(context.Background(), testApp.client, 1)
	if err != nil || len(made) != 1 {
		t.Fatalf("createTemplates: %v %v", made, err)
	}
	refs := vmsNamed(templateName("DC0", 0))
	if len(refs) != 1 {
		t.Fatalf("template not found")
	}
	return refs[0]
}

func TestTemplatesAreTemplates(t *testing.T) {
	templateForTest(t)
	vm := findVM("DC0_TMPL0")
	if vm == nil || !vm.Template || vm.PowerState != "poweredOff" || vm.CPUs != 2 || vm.MemoryMiB != 2048 ||
		len(vm.Disks) != 1 || !vm.Disks[0].Thin || len(vm.Networks) != 1 || vm.Networks[0] != "VM Network" {
		t.Fatalf("template: %+v", vm)
	}
}

// A clone through the door gets spec.config's CPUs and memory and the disk
// format of spec.location.disk, and a customization it is given through
// CustomizeVM_Task is applied by the next power-on and counted.
func TestCloneIsCompletedAndCustomizationCounted(t *testing.T) {
	tmpl := templateForTest(t)
	ctx := context.Background()
	c := newGovmomi(t)
	folder, pool := vmFolderAndPool(t)
	var diskKey int32
	var ds types.ManagedObjectReference
	tv := vmByRef(tmpl)
	simulator.Map.WithLock(tv, func() {
		for _, d := range tv.Config.Hardware.Device {
			if disk, ok := d.(*types.VirtualDisk); ok {
				diskKey = disk.Key
			}
		}
		ds = tv.Datastore[0]
	})
	spec := types.VirtualMachineCloneSpec{
		Location: types.VirtualMachineRelocateSpec{
			Pool: &pool, Datastore: &ds,
			Disk: []types.VirtualMachineRelocateSpecDiskLocator{{
				DiskId: diskKey, Datastore: ds,
				DiskBackingInfo: &types.VirtualDiskFlatVer2BackingInfo{DiskMode: "persistent", ThinProvisioned: types.NewBool(false)},
			}},
		},
		Config: &types.VirtualMachineConfigSpec{
			InstanceUuid: "6d5a9a66-0000-4000-8000-000000000001",
			NumCPUs:      4, NumCoresPerSocket: 2, MemoryMB: 4096,
			ExtraConfig: []types.BaseOptionValue{&types.OptionValue{Key: "dcm.requestId", Value: "clone-1"}},
		},
	}
	task, err := object.NewVirtualMachine(c, tmpl).Clone(ctx, object.NewFolder(c, folder), "clone-1", spec)
	if err != nil {
		t.Fatal(err)
	}
	info, err := task.WaitForResult(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	vm := findVM("clone-1")
	if vm == nil || vm.CPUs != 4 || vm.CoresPerSocket != 2 || vm.MemoryMiB != 4096 || vm.Template ||
		len(vm.Disks) != 1 || vm.Disks[0].Thin || vm.ExtraConfig["dcm.requestId"] != "clone-1" {
		t.Fatalf("clone: %+v", vm)
	}
	if tv := findVM("DC0_TMPL0"); !tv.Disks[0].Thin || tv.CPUs != 2 {
		t.Fatalf("the template changed with its clone: %+v", tv)
	}

	clone := object.NewVirtualMachine(c, info.Result.(types.ManagedObjectReference))
	cspec := types.CustomizationSpec{
		Identity: &types.CustomizationLinuxPrep{HostName: &types.CustomizationFixedName{Name: "clone-host"}, Domain: "example.test"},
		NicSettingMap: []types.CustomizationAdapterMapping{{Adapter: types.CustomizationIPSettings{
			Ip: &types.CustomizationFixedIp{IpAddress: "10.9.0.3"}, SubnetMask: "255.255.0.0"}}},
	}
	if task, err = clone.Customize(ctx, cspec); err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	if vm = findVM("clone-1"); vm.PendingCustomization == "" || vm.CustomizationsAccepted != 1 || vm.CustomizationsApplied != 0 {
		t.Fatalf("after customize: %+v", vm)
	}
	if task, err = clone.PowerOn(ctx); err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	vm = findVM("clone-1")
	if vm.PendingCustomization != "" || vm.GuestHostName != "clone-host" || vm.GuestIPAddress != "10.9.0.3" ||
		vm.CustomizationsApplied != 1 || len(vm.GuestNicAddresses) != 1 || vm.GuestNicAddresses[0] != "10.9.0.3" {
		t.Fatalf("after power-on: %+v", vm)
	}
}
