#include "RequestsCommand.h"

#include "CtlInput.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace dcm::ctl {

namespace {

void write(const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

// One element of the streamed array, indented as QJsonDocument indents an array's elements, so that
// the streamed document reads exactly like the one built in memory before.
QByteArray arrayElement(const QJsonObject& object)
{
    const QByteArray document = QJsonDocument(object).toJson(QJsonDocument::Indented);
    QByteArray element;
    element.reserve(document.size() + document.size() / 8);
    // Four more spaces at the start of every line (one pass: QByteArray::replace searched each time).
    qsizetype start = 0;
    while (start < document.size()) {
        qsizetype end = document.indexOf('\n', start);
        if (end < 0)
            end = document.size();
        element.append("    ").append(document.constData() + start, end - start);
        if (end + 1 < document.size())
            element.append('\n');
        start = end + 1;
    }
    return element;
}

} // namespace

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
    if (id) {
        auto r = store.value()->get(*id);
        if (!r.ok())
            return (void)fail(r.error());
        if (!r.value())
            return (void)fail(Error::make(ErrorKind::InvalidInput, QStringLiteral("not-found"),
                                          QStringLiteral("no request with id %1").arg(idText)));
        out().document(QJsonArray{requestJson(*r.value(), true)}, requestLine(*r.value()));
        return finish(ExitOk);
    }
    stream(*store.value(), filter);
}

void RequestsCommand::stream(RequestStorePort& store, RequestFilter filter)
{
    // Page by page (by key, newest first), each page written before the next is read: memory stays
    // that of one page whatever the history's size, and the first lines come at once.
    const int wanted = options().requestLimit;
    const bool json = out().json();
    int written = 0;
    bool started = false;
    std::optional<Error> failed;
    while (wanted <= 0 || written < wanted) {
        filter.limit = wanted > 0 ? std::min(pageSize, wanted - written) : pageSize;
        auto page = store.list(filter);
        if (!page.ok()) {
            failed = page.error();
            break;
        }
        const QList<ProvisioningRequest>& rows = page.value();
        if (rows.isEmpty())
            break;
        QByteArray chunk;
        for (const ProvisioningRequest& r : rows) {
            if (json) {
                chunk += (started ? ",\n" : "[\n") + arrayElement(requestJson(r, false));
                started = true;
            } else {
                chunk += requestLine(r).toUtf8();
            }
        }
        write(chunk);
        written += int(rows.size());
        if (rows.size() < filter.limit)
            break;
        filter.olderThan = RequestCursor{rows.constLast().createdAt(), rows.constLast().id()};
    }
    if (failed && !started)
        return (void)fail(*failed);
    if (json)
        write(started ? "\n]\n" : "[\n]\n");
    std::fflush(stdout);
    if (failed) {
        // The array is closed so that what was written stays valid JSON; the error goes to stderr only
        // (a second document on stdout would not be).
        std::fprintf(stderr, "dcmctl: %s\n", qPrintable(failed->message));
        return finish(exitCodeFor(*failed));
    }
    finish(ExitOk);
}

} // namespace dcm::ctl
