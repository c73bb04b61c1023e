#pragma once

#include "VimOperation.h"

#include <functional>

namespace dcm::vsphere {

// A VimOperation that ends with a Result<T>, exactly once.
template <class T> class TypedOperation : public VimOperation
{
public:
    using Done = std::function<void(Result<T>)>;

    TypedOperation(VimSession& session, Done done) : VimOperation(session), m_done(std::move(done)) {}

protected:
    void succeed(T value) { end(Result<T>(std::move(value))); }
    void fail(Error error) { end(Result<T>(std::move(error))); }
    void end(Result<T> result)
    {
        if (finished())
            return;
        markFinished();
        Done done = std::move(m_done);
        done(std::move(result));
    }
    void onCancelWhileIdle() override { fail(cancelledError()); }

private:
    Done m_done;
};

template <> class TypedOperation<void> : public VimOperation
{
public:
    using Done = std::function<void(Result<void>)>;

    TypedOperation(VimSession& session, Done done) : VimOperation(session), m_done(std::move(done)) {}

protected:
    void succeed() { end(Result<void>()); }
    void fail(Error error) { end(Result<void>(std::move(error))); }
    void end(Result<void> result)
    {
        if (finished())
            return;
        markFinished();
        Done done = std::move(m_done);
        done(std::move(result));
    }
    void onCancelWhileIdle() override { fail(cancelledError()); }

private:
    Done m_done;
};

} // namespace dcm::vsphere
