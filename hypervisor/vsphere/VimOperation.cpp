#include "VimOperation.h"

#include "ObjectContentReader.h"
#include "ReturnValueReader.h"
#include "VimSession.h"

namespace dcm::vsphere {

Error VimOperation::cancelledError()
{
    return Error::make(ErrorKind::Cancelled, QStringLiteral("cancelled"), QStringLiteral("cancelled"));
}

void VimOperation::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    if (m_inFlight) {
        if (stopsOnCancel())
            m_session.transport().cancel(m_inFlight); // its completion ends the operation
        return;
    }
    onCancelWhileIdle();
}

void VimOperation::ensureSession(Next next)
{
    m_session.ensureLoggedIn(guarded([this, next = std::move(next)](Result<void> r) {
        if (m_cancelled && stopsOnCancel() && r.ok())
            return next(cancelledError());
        next(std::move(r));
    }));
}

void VimOperation::send(const SoapRequest& request, XmlEventHandler& reader, Next next)
{
    if (m_cancelled && stopsOnCancel())
        return next(cancelledError());
    m_inFlight = m_session.transport().post(request, reader, guarded([this, next = std::move(next)](Result<void> r) {
                                                m_inFlight = 0;
                                                next(std::move(r));
                                            }));
}

void VimOperation::call(const SoapRequest& request, XmlEventHandler& reader, Next next)
{
    withRelogin([this, request, &reader](Next n) { send(request, reader, std::move(n)); }, std::move(next));
}

void VimOperation::withRelogin(std::function<void(Next)> attempt, Next next)
{
    if (m_cancelled && stopsOnCancel())
        return next(cancelledError());
    const quint64 epoch = m_session.epoch();
    attempt(guarded([this, attempt, epoch, next = std::move(next)](Result<void> r) mutable {
        if (!r.ok() && r.error().kind == ErrorKind::SessionExpired && !m_reloginUsed &&
            !(m_cancelled && stopsOnCancel())) {
            m_reloginUsed = true;
            m_session.relogin(epoch, guarded([this, attempt, next = std::move(next)](Result<void> lr) mutable {
                                  if (!lr.ok())
                                      return next(lr.error());
                                  if (m_cancelled && stopsOnCancel())
                                      return next(cancelledError());
                                  attempt(std::move(next));
                              }));
            return;
        }
        next(std::move(r));
    }));
}

void VimOperation::retrieve(const SoapRequest& request, ObjectContentReader& reader, Next next)
{
    withRelogin(
        [this, request, &reader](Next n) {
            send(request, reader, [&reader, n = std::move(n)](Result<void> r) {
                if (r.ok() && reader.sessionLost())
                    r = Error::make(ErrorKind::SessionExpired, QStringLiteral("vim-fault"),
                                    QStringLiteral("the session is no longer authenticated"),
                                    QStringLiteral("NotAuthenticated"));
                n(std::move(r));
            });
        },
        std::move(next));
}

void VimOperation::fireAndForget(const SoapRequest& request)
{
    auto reader = std::make_shared<ReturnValueReader>();
    m_session.transport().post(request, *reader, [reader](Result<void>) {});
}

} // namespace dcm::vsphere
