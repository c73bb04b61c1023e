#pragma once

#include "ContainerQuery.h"
#include "InventoryBuilder.h"
#include "ObjectContentReader.h"
#include "Placement.h"
#include "PlacementCache.h"
#include "ReturnValueReader.h"
#include "TaskTracker.h"
#include "TemplateHardware.h"
#include "TypedOperation.h"
#include "VsphereOptions.h"

#include "domain/ports/HypervisorPort.h"

namespace dcm::vsphere {

// provision(): resolve the placement, CreateVM_Task with the request's UUID, follow the task, power on
// when asked, and read the new VM back. CreateVM_Task is sent at most once: a lost reply ends the
// operation as OutcomeUnknown (the service then reconciles with findByRequestKey), and a cancel that
// arrives while it is in flight waits for the task to cancel it.
//
// clone(): the same placement, then the source (spec.templateName: a name, unique in the datacenter, or
// an inventory path) is found among the datacenter's VMs and its devices read, and CloneVM_Task makes a
// powered-off, uncustomized copy carrying the request key (CloneSpecBuilder). Same once-only rule.
class ProvisionOperation final : public TypedOperation<ProvisionOutcome>
{
public:
    using Progress = HypervisorPort::ProgressFn;
    enum class Mode
    {
        Create,
        Clone,
    };

    ProvisionOperation(VimSession& session, const VsphereOptions& options, PlacementCache& cache, ProvisionOrder order,
                       Progress progress, Done done, Mode mode = Mode::Create);
    void start() override;

private:
    enum class Stage
    {
        Resolving,
        FindingSource,
        ReadingSource,
        Creating,
        TrackingCreate,
        PoweringOn,
        TrackingPowerOn,
        Reading,
    };

    bool stopsOnCancel() const override
    {
        return m_stage == Stage::Resolving || m_stage == Stage::FindingSource || m_stage == Stage::ReadingSource;
    }
    void onCancelWhileIdle() override;

    void resolve();
    void fetchPlacementInventory();
    void place(const InventorySnapshot& inventory, bool cached);
    void create(const Placement& placement);
    void findSource(const Placement& placement, const InventorySnapshot& inventory);
    void readSource(const Placement& placement, const MoRef& source);
    void cloneFrom(const Placement& placement, const MoRef& source, const TemplateHardware& hardware);
    void track(const char* stage);
    void powerOn();
    void readBack();
    void finishCreated(Result<void> readBack);
    void report(int percent, const char* stage);
    Error withVm(Error e) const;

    Mode m_mode;
    VsphereOptions m_options;
    PlacementCache& m_cache;
    ProvisionOrder m_order;
    Progress m_progress;
    Stage m_stage = Stage::Resolving;
    InventoryBuilder m_inventory;
    ContainerQuery m_query;
    TaskTracker m_tracker;
    ReturnValueReader m_reader;
    ObjectContentReader m_vmReader;
    ObjectContent m_vm;
    MoRef m_createTask;
    MoRef m_powerTask;
    MoRef m_vmRef;
    struct SourceCandidate
    {
        MoRef ref;
        QString name;
        QString path;
    };
    QList<SourceCandidate> m_candidates;
    bool m_poweredOn = false;
};

} // namespace dcm::vsphere
