#pragma once

#include "CtlCommand.h"

#include <memory>

namespace dcm::ctl {

// `dcmctl inventory [KIND...]`: name, path, moref and the form's fields of every object of the kinds
// asked for (all kinds without arguments).
class InventoryCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    ~InventoryCommand() override;
    void start() override;

private:
    void print(const InventorySnapshot& snapshot, InventoryKinds wanted);
    // `inventory vms` alone: the VMs as vCenter pages them, each page written out as it arrives (with
    // --json: one document, opened with the first page and closed after the last). Only the fields
    // printed are read; requestId (extraConfig, every option of every VM) only with --request-ids.
    void listVms();
    void writePage(QList<VmInfo>&& page);
    void endListing(Result<int> listed);

    std::unique_ptr<HypervisorPort> m_hypervisor;
    QDateTime m_listStarted;
    bool m_documentOpen = false;
    qint64 m_written = 0;
    QList<std::pair<QString, QString>> m_textLines; // text mode: (path, moref), sorted before printing
};

} // namespace dcm::ctl
