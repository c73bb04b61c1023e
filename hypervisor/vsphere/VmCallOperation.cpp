#include "VmCallOperation.h"

#include "CustomizationSpecBuilder.h"
#include "VimRequests.h"
#include "VimSession.h"

#include <QLoggingCategory>

namespace dcm::vsphere {

namespace {
Q_LOGGING_CATEGORY(lcVmCall, "dcm.hypervisor.vm", QtInfoMsg)
} // namespace

VmCallOperation::VmCallOperation(VimSession& session, const VsphereOptions& options, QString vmRef, Done done)
    : TypedOperation(session, std::move(done)), m_vm{QStringLiteral("VirtualMachine"), std::move(vmRef)},
      m_tracker(
          session, [this](const SoapRequest& r, ObjectContentReader& h, Next n) { retrieve(r, h, std::move(n)); },
          [this](const SoapRequest& r) { fireAndForget(r); }, options)
{}

Error VmCallOperation::classify(Error e, const QString& vmRef)
{
    if (e.vimFault == QLatin1String("ManagedObjectNotFound")) {
        e.code = toString(ErrorCode::VmGone);
        e.message = QStringLiteral("VM %1 no longer exists in vCenter.").arg(vmRef);
    } else if (e.vimFault == QLatin1String("InvalidPowerState")) {
        e.code = toString(ErrorCode::InvalidPowerState);
    } else if (e.vimFault == QLatin1String("ToolsUnavailable")) {
        e.code = toString(ErrorCode::ToolsUnavailable);
    }
    if (!vmRef.isEmpty())
        e.details.insert(QStringLiteral("vmRef"), vmRef);
    return e;
}

void VmCallOperation::onCancelWhileIdle()
{
    if (m_tracking)
        return m_tracker.requestCancel();
    if (!m_sent)
        fail(cancelledError());
}

void VmCallOperation::run(const SoapRequest& request, bool returnsTask)
{
    if (cancelRequested())
        return fail(cancelledError());
    m_sent = true;
    const QByteArray method = request.method;
    call(request, m_reader, [this, returnsTask, method](Result<void> r) {
        if (!r.ok())
            return fail(classify(r.error(), m_vm.value));
        if (!returnsTask) {
            qCInfo(lcVmCall).noquote() << method << "on" << m_vm.value << "accepted";
            return succeed();
        }
        const XmlValue* task = m_reader.first();
        if (!task || task->text.isEmpty())
            return fail(classify(Error::make(ErrorKind::OutcomeUnknown, QStringLiteral("malformed-reply"),
                                             QStringLiteral("%1 returned no task").arg(QString::fromLatin1(method))),
                                 m_vm.value));
        const MoRef taskRef{QStringLiteral("Task"), task->string()};
        m_tracking = true;
        if (cancelRequested())
            m_tracker.requestCancel();
        m_tracker.track(taskRef, {}, [this, method, taskRef](Result<XmlValue> result) {
            m_tracking = false;
            if (!result.ok())
                return fail(classify(result.error(), m_vm.value));
            qCInfo(lcVmCall).noquote() << method << "on" << m_vm.value << "done (" << taskRef.value << ")";
            succeed();
        });
    });
}

const char* OperateOperation::methodOf(VmOperation operation)
{
    switch (operation) {
    case VmOperation::PowerOn:
        return "PowerOnVM_Task";
    case VmOperation::PowerOff:
        return "PowerOffVM_Task";
    case VmOperation::ShutdownGuest:
        return "ShutdownGuest";
    case VmOperation::RebootGuest:
        return "RebootGuest";
    case VmOperation::Reset:
        return "ResetVM_Task";
    case VmOperation::Destroy:
        return "Destroy_Task";
    }
    return "PowerOnVM_Task";
}

bool OperateOperation::returnsTask(VmOperation operation)
{
    return operation != VmOperation::ShutdownGuest && operation != VmOperation::RebootGuest;
}

OperateOperation::OperateOperation(VimSession& session, const VsphereOptions& options, QString vmRef,
                                   VmOperation operation, Done done)
    : VmCallOperation(session, options, std::move(vmRef), std::move(done)), m_operation(operation)
{}

void OperateOperation::start()
{
    if (m_vm.isNull())
        return fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-vm-ref"),
                                QStringLiteral("a VM operation needs the VM's reference")));
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        run(VimRequests::vmMethod(methodOf(m_operation), m_vm), returnsTask(m_operation));
    });
}

CustomizeOperation::CustomizeOperation(VimSession& session, const VsphereOptions& options, QString vmRef, VmSpec spec,
                                       Done done)
    : VmCallOperation(session, options, std::move(vmRef), std::move(done)), m_spec(std::move(spec))
{}

void CustomizeOperation::start()
{
    if (m_vm.isNull())
        return fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("invalid-vm-ref"),
                                QStringLiteral("a customization needs the VM's reference")));
    if (m_spec.customization.isNone())
        return fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("no-customization"),
                                QStringLiteral("the spec asks for no guest customization")));
    ensureSession([this](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        if (m_spec.customization.mode == GuestCustomization::Mode::SavedSpec)
            return readSaved();
        const QByteArray xml = CustomizationSpecBuilder::forLinux(m_spec.customization, int(m_spec.nics.size()));
        run(VimRequests::customizeVmTask(m_vm, xml, xml), true);
    });
}

void CustomizeOperation::readSaved()
{
    const QString name = m_spec.customization.specName;
    const MoRef manager = m_session.content().customizationSpecManager;
    if (manager.isNull())
        return fail(Error::make(ErrorKind::Business, QStringLiteral("customization-unsupported"),
                                QStringLiteral("This server has no customization specification manager.")));
    call(VimRequests::getCustomizationSpec(manager, name), m_specReader, [this, name](Result<void> r) {
        if (!r.ok()) {
            Error e = r.error();
            if (e.vimFault == QLatin1String("NotFound") || e.vimFault == QLatin1String("InvalidArgument")) {
                e.kind = ErrorKind::Business;
                e.code = QStringLiteral("customization-spec-not-found");
                e.message = QStringLiteral("The customization specification '%1' does not exist in vCenter.").arg(name);
                e.details.insert(QStringLiteral("field"), QStringLiteral("customization.specName"));
                e.details.insert(QStringLiteral("value"), name);
            }
            return fail(e);
        }
        const XmlValue* item = m_specReader.first();
        const XmlValue* spec = item ? item->child("spec") : nullptr;
        if (!spec)
            return fail(Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                                    QStringLiteral("GetCustomizationSpec returned no specification")));
        Result<QByteArray> xml = CustomizationSpecBuilder::fromSaved(*spec);
        m_specReader.reset(); // the content stays in the request alone
        if (!xml)
            return fail(xml.error());
        const QByteArray trace = QByteArrayLiteral("<!-- saved specification '") + name.toUtf8().toPercentEncoding() +
                                 QByteArrayLiteral("', not shown -->");
        run(VimRequests::customizeVmTask(m_vm, xml.value(), trace), true);
    });
}

} // namespace dcm::vsphere
