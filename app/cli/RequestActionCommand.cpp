#include "RequestActionCommand.h"

#include "CtlInput.h"

namespace dcm::ctl {

RequestActionCommand::~RequestActionCommand() = default;

void RequestActionCommand::start()
{
    if (options().arguments.size() != 1)
        return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("missing-id"),
                                      QStringLiteral("%1 takes one request id").arg(name())));
    const QString& text = options().arguments.constFirst();
    const std::optional<QUuid> id = requestIdFrom(text);
    if (!id)
        return (void)fail(notARequestId(text));
    m_service = connection().makeService(false);
    m_service->initialize();
    if (!m_service->isInitialized())
        return (void)fail(
            Error::make(ErrorKind::Storage, QStringLiteral("store"),
                        QStringLiteral("cannot open the request database %1").arg(options().databaseShown)));
    if (const std::optional<Error> refused = act(*m_service, *id))
        return (void)fail(*refused);
    auto store = connection().openStore();
    if (store.ok()) {
        if (auto r = store.value()->get(*id); r.ok() && r.value()) {
            out().document(requestJson(*r.value(), false), requestLine(*r.value()));
            return finish(ExitOk);
        }
    }
    finish(ExitOk);
}

} // namespace dcm::ctl
