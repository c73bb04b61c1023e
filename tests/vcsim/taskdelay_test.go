package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func taskInfo(t *testing.T, c *vim25.Client, ref types.ManagedObjectReference) types.TaskInfo {
	t.Helper()
	var tk mo.Task
	if err := property.DefaultCollector(c).RetrieveOne(context.Background(), ref, []string{"info"}, &tk); err != nil {
		t.Fatal(err)
	}
	return tk.Info
}

// followTask waits for the task to end through WaitForUpdatesEx and returns
// the states it was seen in, in order.
func followTask(t *testing.T, c *vim25.Client, ref types.ManagedObjectReference) []types.TaskInfoState {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var seen []types.TaskInfoState
	err := property.Wait(ctx, property.DefaultCollector(c), ref, []string{"info.state"}, func(changes []types.PropertyChange) bool {
		for _, ch := range changes {
			if s, ok := ch.Val.(types.TaskInfoState); ok {
				seen = append(seen, s)
				return s == types.TaskInfoStateSuccess || s == types.TaskInfoStateError
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("waiting for %v: %v", ref, err)
	}
	return seen
}

func completedTasks(t *testing.T) taskDelayState {
	t.Helper()
	out := control(t, "GET", "/tasks/completed", "")
	b, _ := json.Marshal(out)
	var st taskDelayState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestTaskDelayKeepsTasksRunningUntilUpdated(t *testing.T) {
	ctx := context.Background()
	c := newGovmomi(t)
	folderRef, poolRef := vmFolderAndPool(t)
	folder := object.NewFolder(c, folderRef)
	pool := object.NewResourcePool(c, poolRef)
	defer control(t, "POST", "/reset", "")

	// Without a delay the task has ended before its reply (the plain simulator).
	tk, err := folder.CreateVM(ctx, vmSpec("dcm-delay-0", ""), pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if info := taskInfo(t, c, tk.Reference()); info.State != types.TaskInfoStateSuccess {
		t.Fatalf("no delay: first read %s", info.State)
	}

	control(t, "POST", "/door/task-delay", `{"ms":600}`)
	control(t, "POST", "/tasks/completed/reset", "")
	control(t, "POST", "/stats/reset", "")
	replied := time.Now()
	tk, err = folder.CreateVM(ctx, vmSpec("dcm-delay-1", ""), pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := taskInfo(t, c, tk.Reference())
	if first.State != types.TaskInfoStateRunning || first.CompleteTime != nil || first.Result != nil || first.Error != nil {
		t.Fatalf("first read of a held task: state %s completeTime %v result %v error %v",
			first.State, first.CompleteTime, first.Result, first.Error)
	}
	seen := followTask(t, c, tk.Reference())
	if len(seen) < 2 || seen[0] != types.TaskInfoStateRunning || seen[len(seen)-1] != types.TaskInfoStateSuccess {
		t.Fatalf("states seen through WaitForUpdatesEx: %v", seen)
	}
	final := taskInfo(t, c, tk.Reference())
	vmRef, ok := final.Result.(types.ManagedObjectReference)
	if final.State != types.TaskInfoStateSuccess || !ok || final.CompleteTime == nil || !final.CompleteTime.After(replied) {
		t.Fatalf("final: state %s result %v completeTime %v", final.State, final.Result, final.CompleteTime)
	}
	if vm := findVM("dcm-delay-1"); vm == nil || vm.Moref != vmRef.Value {
		t.Fatalf("the held task's VM: %+v, result %v", vm, vmRef)
	}
	st := completedTasks(t)
	if len(st.Completed) != 1 || st.Pending != 0 {
		t.Fatalf("/tasks/completed: %+v", st)
	}
	done := st.Completed[0]
	if done.Task != tk.Reference().Value || done.Method != "CreateVM_Task" || done.State != "success" ||
		done.Entity != vmRef.Value || done.EntityName != "dcm-delay-1" || !done.CompleteTime.Equal(*final.CompleteTime) {
		t.Fatalf("/tasks/completed entry %+v, task info completeTime %v", done, final.CompleteTime)
	}
	stats := testApp.door.stats()
	if stats.Calls["WaitForUpdatesEx"] < 1 {
		t.Fatalf("no WaitForUpdatesEx: %v", stats.Calls)
	}

	// A task that fails is held too, and ends with its fault.
	tk, err = folder.CreateVM(ctx, vmSpec("dcm-delay-1", ""), pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if info := taskInfo(t, c, tk.Reference()); info.State != types.TaskInfoStateRunning {
		t.Fatalf("failing task, first read: %s", info.State)
	}
	_, err = tk.WaitForResult(ctx)
	var terr task.Error
	if !errors.As(err, &terr) {
		t.Fatalf("held duplicate: want a task error, got %v", err)
	}
	if _, ok := terr.Fault().(*types.DuplicateName); !ok {
		t.Fatalf("held duplicate: fault %#v", terr.Fault())
	}

	// Power-on can be held alone; the other methods are then not.
	control(t, "POST", "/door/task-delay", `{"ms":0}`)
	control(t, "POST", "/door/task-delay", `{"ms":400,"methods":["PowerOnVM_Task"]}`)
	vm := object.NewVirtualMachine(c, vmRef)
	ptk, err := vm.PowerOn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info := taskInfo(t, c, ptk.Reference()); info.State != types.TaskInfoStateRunning {
		t.Fatalf("power-on, first read: %s", info.State)
	}
	if err := ptk.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	otk, err := vm.PowerOff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info := taskInfo(t, c, otk.Reference()); info.State != types.TaskInfoStateSuccess {
		t.Fatalf("power-off is not held, first read: %s", info.State)
	}
}

// A collector that was already listening when the held task was made sees it
// running first and ended last, never ended before running.
func TestTaskDelayListeningCollectorSeesRunningFirst(t *testing.T) {
	ctx := context.Background()
	c := newGovmomi(t)
	folderRef, poolRef := vmFolderAndPool(t)
	defer control(t, "POST", "/reset", "")
	pc, err := property.DefaultCollector(c).Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = pc.Destroy(ctx) }()
	set, err := pc.WaitForUpdates(ctx, "") // listening from now on
	if err != nil {
		t.Fatal(err)
	}
	version := set.Version

	control(t, "POST", "/door/task-delay", `{"ms":600,"methods":["CreateVM_Task"]}`)
	tk, err := object.NewFolder(c, folderRef).CreateVM(ctx, vmSpec("dcm-delay-listened", ""), object.NewResourcePool(c, poolRef), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = pc.CreateFilter(ctx, types.CreateFilter{Spec: types.PropertyFilterSpec{
		PropSet:   []types.PropertySpec{{Type: "Task", PathSet: []string{"info.state"}}},
		ObjectSet: []types.ObjectSpec{{Obj: tk.Reference()}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var seen []types.TaskInfoState
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		set, err := pc.WaitForUpdates(ctx, version)
		if err != nil {
			t.Fatal(err)
		}
		if set == nil {
			continue
		}
		version = set.Version
		ended := false
		for _, fs := range set.FilterSet {
			for _, ou := range fs.ObjectSet {
				for _, ch := range ou.ChangeSet {
					if s, ok := ch.Val.(types.TaskInfoState); ok && ch.Name == "info.state" {
						seen = append(seen, s)
						ended = ended || s == types.TaskInfoStateSuccess || s == types.TaskInfoStateError
					}
				}
			}
		}
		if ended {
			break
		}
	}
	if len(seen) < 2 || seen[0] != types.TaskInfoStateRunning || seen[len(seen)-1] != types.TaskInfoStateSuccess {
		t.Fatalf("states seen by a collector listening since before the task: %v", seen)
	}
	for _, s := range seen[:len(seen)-1] {
		if s != types.TaskInfoStateRunning {
			t.Fatalf("an end before the end: %v", seen)
		}
	}
}

func TestTaskDelayRejectsBadInput(t *testing.T) {
	for body, field := range map[string]string{
		`{}`:                                    "ms",
		`{"ms":-1}`:                             "ms",
		`{"ms":100,"methods":["Destroy_Task"]}`: "methods",
	} {
		req, _ := http.NewRequest("POST", testApp.controlURL+"/door/task-delay", strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]interface{}
		_ = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		msg, _ := out["error"].(string)
		if res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(msg, field) {
			t.Fatalf("%s: %d %v", body, res.StatusCode, out)
		}
	}
	if _, err := parseFlags([]string{"-task-delay-ms", "-5"}, &strings.Builder{}); err == nil {
		t.Fatal("-task-delay-ms -5 accepted")
	}
}
