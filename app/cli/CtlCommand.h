#pragma once

#include "CtlConnection.h"
#include "CtlOptions.h"
#include "CtlOutput.h"

#include <QObject>

#include <functional>
#include <memory>

namespace dcm::ctl {

// One dcmctl command, run on the main thread's event loop; it ends with QCoreApplication::exit(code).
// Each command is its own subclass; they share the connection helper (password, service, store) and
// the output (CtlOutput).
class CtlCommand : public QObject
{
    Q_OBJECT

public:
    explicit CtlCommand(CtlContext context, QObject* parent = nullptr);
    ~CtlCommand() override;

    // Starts the command; finish() ends it.
    virtual void start() = 0;
    // SIGINT/SIGTERM. By default the command ends as interrupted; `serve` stops gracefully.
    virtual void interrupt();

protected:
    void finish(int exitCode);
    // Prints the error (one line; with --json also the document) and finishes with its exit code.
    int fail(const Error& error);
    bool isFinished() const { return m_finished; }

    const CtlOptions& options() const { return m_connection.options(); }
    const CtlOutput& out() const { return m_out; }
    CtlConnection& connection() { return m_connection; }

private:
    CtlConnection m_connection;
    CtlOutput m_out;
    bool m_finished = false;
};

// main.cpp's dispatch table: every command by name.
struct CtlCommandEntry
{
    const char* name;
    std::function<std::unique_ptr<CtlCommand>(CtlContext)> make;
};
const QList<CtlCommandEntry>& ctlCommands();
// The command named `name`, or nullptr when there is none.
std::unique_ptr<CtlCommand> makeCtlCommand(const QString& name, CtlContext context);

} // namespace dcm::ctl
