#pragma once

#include "SoapRequest.h"
#include "SoapTransport.h"

#include "domain/Result.h"

#include <functional>
#include <memory>

namespace dcm::vsphere {

class VimSession;
class XmlEventHandler;

// One port call in progress: a chain of vim25 calls with one transparent re-login on NotAuthenticated
// for the whole chain, cancellation, and callbacks that become no-ops once the operation is gone.
class VimOperation
{
public:
    using Next = std::function<void(Result<void>)>;

    explicit VimOperation(VimSession& session) : m_session(session) {}
    virtual ~VimOperation() = default;
    VimOperation(const VimOperation&) = delete;
    VimOperation& operator=(const VimOperation&) = delete;

    virtual void start() = 0;
    // Best effort; the operation then ends with ErrorKind::Cancelled unless it is too late.
    void cancel();
    bool finished() const { return m_finished; }

protected:
    // Logs in first if needed.
    void ensureSession(Next next);
    // One SOAP call. On NotAuthenticated (and the budget unspent): re-login, reset the reader, resend.
    // A NotAuthenticated fault is a definitive refusal, so even a non-idempotent call is safe to resend.
    void call(const SoapRequest& request, XmlEventHandler& reader, Next next);
    // A step of several calls that must start over after a re-login (paging tokens and views are
    // per-session): `attempt` runs the whole step and reports once.
    void withRelogin(std::function<void(Next)> attempt, Next next);
    // One SOAP call, no re-login (for use inside a withRelogin step).
    void send(const SoapRequest& request, XmlEventHandler& reader, Next next);
    // RetrievePropertiesEx on given objects (one page), with the re-login also for a session reported
    // lost through missingSet.
    void retrieve(const SoapRequest& request, class ObjectContentReader& reader, Next next);
    // A call whose result nobody waits for (DestroyView, CancelRetrievePropertiesEx).
    void fireAndForget(const SoapRequest& request);

    // Wraps a callback so that it does nothing once this operation is destroyed.
    template <class F> auto guarded(F f)
    {
        return [weak = std::weak_ptr<int>(m_life), f = std::move(f)](auto&&... args) mutable {
            if (!weak.expired())
                f(std::forward<decltype(args)>(args)...);
        };
    }

    // Called on cancel() while no vim call is in flight (waiting on a timer, a login): end now.
    virtual void onCancelWhileIdle() = 0;
    // True (default): cancel() aborts the call in flight and refuses further calls. Operations that
    // must see a call through (CreateVM_Task, task tracking) return false in those stages and look at
    // cancelRequested() themselves.
    virtual bool stopsOnCancel() const { return true; }
    void markFinished() { m_finished = true; }
    bool cancelRequested() const { return m_cancelled; }
    static Error cancelledError();

    VimSession& m_session;

private:
    std::shared_ptr<int> m_life = std::make_shared<int>(0);
    SoapTransport::Id m_inFlight = 0;
    bool m_cancelled = false;
    bool m_reloginUsed = false;
    bool m_finished = false;
};

} // namespace dcm::vsphere
