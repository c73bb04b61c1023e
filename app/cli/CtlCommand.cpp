#include "CtlCommand.h"

#include "AboutCommand.h"
#include "BreakerCommand.h"
#include "InventoryCommand.h"
#include "LoginCommand.h"
#include "OperationCommand.h"
#include "RequestActionCommand.h"
#include "RequestsCommand.h"
#include "ServeCommand.h"
#include "SubmitCommand.h"

#include <QCoreApplication>

namespace dcm::ctl {

CtlCommand::CtlCommand(CtlContext context, QObject* parent)
    : QObject(parent), m_connection(std::move(context)), m_out(m_connection.options().json)
{}

CtlCommand::~CtlCommand() = default;

void CtlCommand::interrupt()
{
    fail(Error::make(ErrorKind::Cancelled, QStringLiteral("interrupted"), QStringLiteral("interrupted")));
}

void CtlCommand::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    QCoreApplication::exit(exitCode);
}

int CtlCommand::fail(const Error& error)
{
    const int code = m_out.fail(error);
    finish(code);
    return code;
}

namespace {

template <class Command> CtlCommandEntry entry(const char* name)
{
    return {name, [](CtlContext c) -> std::unique_ptr<CtlCommand> { return std::make_unique<Command>(std::move(c)); }};
}

} // namespace

const QList<CtlCommandEntry>& ctlCommands()
{
    static const QList<CtlCommandEntry> table{
        entry<AboutCommand>("about"),
        entry<InventoryCommand>("inventory"),
        entry<SubmitCommand>("submit"),
        entry<RequestsCommand>("requests"),
        entry<BreakerCommand>("breaker"),
        entry<ServeCommand>("serve"),
        entry<CancelCommand>("cancel"),
        entry<RetryCommand>("retry"),
        entry<LoginCommand>("login"),
        {"power",
         [](CtlContext c) -> std::unique_ptr<CtlCommand> {
             return std::make_unique<OperationCommand>(std::move(c), false);
         }},
        {"decommission",
         [](CtlContext c) -> std::unique_ptr<CtlCommand> {
             return std::make_unique<OperationCommand>(std::move(c), true);
         }},
    };
    return table;
}

std::unique_ptr<CtlCommand> makeCtlCommand(const QString& name, CtlContext context)
{
    for (const CtlCommandEntry& e : ctlCommands())
        if (name == QLatin1String(e.name))
            return e.make(std::move(context));
    return nullptr;
}

} // namespace dcm::ctl
