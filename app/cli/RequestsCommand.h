#pragma once

#include "CtlCommand.h"

namespace dcm::ctl {

// `dcmctl requests [--state S] [--limit N] [--id ID]`: the requests on this database, newest first,
// streamed page by page (text lines, or one JSON array written as it goes); or one with its history.
class RequestsCommand final : public CtlCommand
{
    Q_OBJECT

public:
    using CtlCommand::CtlCommand;
    void start() override;

    // Rows read from the store at a time.
    static constexpr int pageSize = 500;

private:
    void stream(RequestStorePort& store, RequestFilter filter);
};

} // namespace dcm::ctl
