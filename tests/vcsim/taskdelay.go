package main

// Task delay: govmomi's simulator runs a task to its end inside the call that
// starts it, so a client never sees a CreateVM_Task, CloneVM_Task or
// PowerOnVM_Task running, and following a task by updates cannot be tried
// against it. With a task delay the door holds the task's outcome back: the
// work is done as before (the VM exists when the reply leaves), but before the
// reply is sent the task is put back to "running" (no completeTime, result or
// error; progress 0) through the simulator's own property updates, and its
// real outcome (with a fresh completeTime) is applied the same way once the
// delay has passed, with progress 50 half-way and 100 at a success. RetrievePropertiesEx and
// WaitForUpdatesEx both see the task as vCenter shows a slow one.

import (
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
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
	wg        sync.WaitGroup
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

// hold puts the task a reply names back to running and schedules its real
// outcome d from now. It must run before the reply is sent, so that the
// client's first read already sees the task running.
func (h *taskHolder) hold(method string, reply []byte, d time.Duration) {
	m := taskReturnval.FindSubmatch(reply)
	if m == nil {
		return // a fault: no task to hold
	}
	ref := types.ManagedObjectReference{Type: "Task", Value: string(m[1])}
	task, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok {
		return
	}
	var outcome types.TaskInfo
	simulator.Map.WithLock(task, func() {
		outcome = task.Info
		simulator.Map.Update(task, []types.PropertyChange{
			{Name: "info.state", Val: types.TaskInfoStateRunning},
			{Name: "info.progress", Val: int32(0)},
			{Name: "info.completeTime", Val: nil},
			{Name: "info.result", Val: nil},
			{Name: "info.error", Val: nil},
		})
	})
	h.mu.Lock()
	h.pending++
	h.mu.Unlock()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
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
}
