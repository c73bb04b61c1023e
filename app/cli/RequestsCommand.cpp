#include "RequestsCommand.h"

#include "CtlInput.h"

#include <QJsonArray>

namespace dcm::ctl {

void RequestsCommand::start()
{
    const QString& idText = options().idFilter;
    std::optional<QUuid> id;
    if (!idText.isEmpty()) {
        id = requestIdFrom(idText);
        if (!id)
            return (void)fail(notARequestId(idText));
    }
    RequestFilter filter;
    if (!options().stateFilter.isEmpty()) {
        auto state = requestStateFromString(options().stateFilter);
        if (!state.ok())
            return (void)fail(state.error());
        filter.states << state.value();
    }
    auto store = connection().openStore();
    if (!store.ok())
        return (void)fail(store.error());
    QList<ProvisioningRequest> found;
    if (id) {
        auto r = store.value()->get(*id);
        if (!r.ok())
            return (void)fail(r.error());
        if (!r.value())
            return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("not-found"),
                                          QStringLiteral("no request with id %1").arg(idText)));
        found << *r.value();
    } else {
        auto all = store.value()->list(filter);
        if (!all.ok())
            return (void)fail(all.error());
        found = all.value();
    }
    QJsonArray arr;
    QString text;
    for (const ProvisioningRequest& r : std::as_const(found)) {
        arr.append(requestJson(r, id.has_value()));
        text += requestLine(r);
    }
    out().document(arr, text);
    finish(ExitOk);
}

} // namespace dcm::ctl
