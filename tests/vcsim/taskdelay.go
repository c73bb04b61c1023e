package main

// Task delay: govmomi's simulator runs a task to its end inside the call that
// starts it, so a client never sees a CreateVM_Task, CloneVM_Task or
// PowerOnVM_Task running, and following a task by updates cannot be tried
// against it. With a task delay the door holds the task's outcome back: the
// work is done as before (the VM exists when the reply leaves), but the reply
// names a new task, running, and the real outcome (with a fresh completeTime)
// is applied to it through the simulator's own property updates once the delay
// has passed, with progress 50 half-way and 100 at a success. RetrievePropertiesEx and
// WaitForUpdatesEx both see the task as vCenter shows a slow one.

import (
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// delayableTasks are the methods a task delay applies to when none are named.
var delayableTasks = []string{"CreateVM_Task", "CloneVM_Task", "PowerOnVM_Task"}

// completedTask is a held task that has ended, for clients that measure how
// long they took to notice.
type completedTask struct {
	Task         string    `json:"task"`
	Method       string    `json:"method"`
	State        string    `json:"state"`
	Entity       string    `json:"entity,omitempty"` // the VM the task made or acted on
	EntityName   string    `json:"entityName,omitempty"`
	CompleteTime time.Time `json:"completeTime"` // the info.completeTime the task ended with
	CompleteMS   int64     `json:"completeMs"`   // the same in milliseconds since the epoch
}

type taskHolder struct {
	logf func(string, ...interface{})

	mu        sync.Mutex
	delays    map[string]time.Duration // per method
	pending   int                      // held tasks not yet ended
	completed []completedTask          // oldest first, at most maxCompleted
}

const maxCompleted = 100000

func newTaskHolder(logf func(string, ...interface{})) *taskHolder {
	return &taskHolder{logf: logf, delays: map[string]time.Duration{}}
}

// set makes the named methods (all delayable ones when none are named) hold
// their outcome for d; d <= 0 stops holding them.
func (h *taskHolder) set(d time.Duration, methods []string) {
	if len(methods) == 0 {
		methods = delayableTasks
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range methods {
		if d <= 0 {
			delete(h.delays, m)
		} else {
			h.delays[m] = d
		}
	}
}

func (h *taskHolder) delayFor(method string) time.Duration {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.delays[method]
}

type taskDelayState struct {
	Delays    map[string]int  `json:"delays"` // ms per method
	Pending   int             `json:"pending"`
	Completed []completedTask `json:"completed"`
}

func (h *taskHolder) state(withCompleted bool) taskDelayState {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := taskDelayState{Delays: map[string]int{}, Pending: h.pending, Completed: []completedTask{}}
	for m, d := range h.delays {
		st.Delays[m] = int(d / time.Millisecond)
	}
	if withCompleted {
		st.Completed = append(st.Completed, h.completed...)
		sort.SliceStable(st.Completed, func(i, j int) bool { return st.Completed[i].CompleteTime.Before(st.Completed[j].CompleteTime) })
	}
	return st
}

func (h *taskHolder) clearCompleted() {
	h.mu.Lock()
	h.completed = nil
	h.mu.Unlock()
}

// validTaskMethod: only the task methods whose hold has been thought through.
func validTaskMethod(m string) bool {
	for _, t := range delayableTasks {
		if t == m {
			return true
		}
	}
	return false
}

var taskReturnval = regexp.MustCompile(`<returnval type="Task">([^<]+)</returnval>`)

// hold replaces the task a reply names by a new task that is running, and
// schedules the first one's outcome on it d from now; it returns the reply
// naming the new task. A new task, not the same one put back to running:
// the simulator queues each property change with its value for every
// collector already listening, so a collector that listened while the task
// ran would still be told "success" before "running". The client never
// learns the first task's reference. It must run before the reply is sent,
// so that the client's first read already sees the task running.
func (h *taskHolder) hold(method string, reply []byte, d time.Duration) []byte {
	m := taskReturnval.FindSubmatchIndex(reply)
	if m == nil {
		return reply // a fault: no task to hold
	}
	ref := types.ManagedObjectReference{Type: "Task", Value: string(reply[m[2]:m[3]])}
	done, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok {
		return reply
	}
	var outcome types.TaskInfo
	simulator.Map.WithLock(done, func() { outcome = done.Info })
	entity := ref
	if outcome.Entity != nil {
		entity = *outcome.Entity
	}
	task := simulator.CreateTask(entity, "held", nil)
	simulator.Map.WithLock(task, func() {
		// Nobody knows this task yet: its description is set as the first one's.
		task.Info.Name = outcome.Name
		task.Info.DescriptionId = outcome.DescriptionId
		task.Info.EntityName = outcome.EntityName
		task.Info.Reason = outcome.Reason
		task.Info.QueueTime = outcome.QueueTime
		simulator.Map.Update(task, []types.PropertyChange{
			{Name: "info.startTime", Val: time.Now()},
			{Name: "info.state", Val: types.TaskInfoStateRunning},
		})
	})
	out := make([]byte, 0, len(reply)+8)
	out = append(out, reply[:m[2]]...)
	out = append(out, task.Self.Value...)
	out = append(out, reply[m[3]:]...)
	ref = task.Self
	h.mu.Lock()
	h.pending++
	h.mu.Unlock()
	go func() {
		time.Sleep(d / 2)
		simulator.Map.WithLock(task, func() {
			simulator.Map.Update(task, []types.PropertyChange{{Name: "info.progress", Val: int32(50)}})
		})
		time.Sleep(d - d/2)
		now := time.Now()
		// As vCenter reports an ended task: progress 100 and the result on success, the fault
		// on error (completeTime is not a followed path, so it does not show in a changeSet).
		changes := []types.PropertyChange{{Name: "info.completeTime", Val: now}}
		if outcome.Error != nil {
			changes = append(changes,
				types.PropertyChange{Name: "info.state", Val: outcome.State},
				types.PropertyChange{Name: "info.error", Val: *outcome.Error})
		} else {
			changes = append(changes,
				types.PropertyChange{Name: "info.progress", Val: int32(100)},
				types.PropertyChange{Name: "info.state", Val: outcome.State})
			if outcome.Result != nil {
				changes = append(changes, types.PropertyChange{Name: "info.result", Val: outcome.Result})
			}
		}
		simulator.Map.WithLock(task, func() { simulator.Map.Update(task, changes) })
		done := completedTask{Task: ref.Value, Method: method, State: string(outcome.State), CompleteTime: now,
			CompleteMS: now.UnixMilli()}
		entity := outcome.Entity
		if r, ok := outcome.Result.(types.ManagedObjectReference); ok {
			entity = &r
		}
		if entity != nil {
			done.Entity = entity.Value
			if vm := vmByRef(*entity); vm != nil {
				simulator.Map.WithLock(vm, func() { done.EntityName = vm.Name })
			}
		}
		h.mu.Lock()
		h.pending--
		if len(h.completed) >= maxCompleted {
			h.completed = h.completed[1:]
		}
		h.completed = append(h.completed, done)
		h.mu.Unlock()
		h.logf("held %s %s ended %s after %v", method, ref.Value, outcome.State, d)
	}()
	return out
}

// collectorHandle names a PropertyCollector to the simulator's registry, which keys its change
// listeners by reference alone.
type collectorHandle struct{ ref types.ManagedObjectReference }

func (c collectorHandle) Reference() types.ManagedObjectReference         { return c.ref }
func (collectorHandle) PutObject(mo.Reference)                            {}
func (collectorHandle) UpdateObject(mo.Reference, []types.PropertyChange) {}
func (collectorHandle) RemoveObject(types.ManagedObjectReference)         {}

// forgetCollector stops the simulator from queueing every later change of any object for a
// PropertyCollector that has been destroyed: this simulator version registers a collector as a
// change listener at its first WaitForUpdatesEx and never removes it, so each destroyed collector
// would keep a growing queue (memory, and garbage collection time for every call after).
func forgetCollector(ref types.ManagedObjectReference) {
	simulator.Map.RemoveHandler(collectorHandle{ref})
}
