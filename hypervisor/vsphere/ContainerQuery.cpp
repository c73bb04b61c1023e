#include "ContainerQuery.h"

#include "VimRequests.h"
#include "VimSession.h"

namespace dcm::vsphere {

ContainerQuery::ContainerQuery(VimSession& session, Send send, FireAndForget fireAndForget, int pageSize)
    : m_session(session), m_send(std::move(send)), m_fireAndForget(std::move(fireAndForget)), m_pageSize(pageSize),
      m_pageReader([this](ObjectContent&& o) { return m_sink(std::move(o)); })
{}

void ContainerQuery::run(const MoRef& container, const QStringList& types, const QList<PropertySpecDef>& propSet,
                         ObjectContentReader::Sink sink, Next next)
{
    m_sink = std::move(sink);
    m_next = std::move(next);
    m_view = MoRef();
    m_token.clear();
    m_pages = 0;
    const ServiceContent& sc = m_session.content();
    m_send(VimRequests::createContainerView(sc.viewManager, container, types, true), m_viewReader,
           [this, propSet](Result<void> r) {
               if (!r.ok())
                   return finish(r);
               const XmlValue* view = m_viewReader.first();
               if (!view || view->text.isEmpty())
                   return finish(Error::make(ErrorKind::Transient, QStringLiteral("malformed-reply"),
                                             QStringLiteral("CreateContainerView returned no view")));
               m_view = MoRef{QString::fromUtf8(view->typeAttr), view->string()};
               if (m_view.type.isEmpty())
                   m_view.type = QStringLiteral("ContainerView");
               retrieve(propSet);
           });
}

void ContainerQuery::retrieve(const QList<PropertySpecDef>& propSet)
{
    const ServiceContent& sc = m_session.content();
    m_send(VimRequests::retrieveFromView(sc.propertyCollector, m_view, propSet, m_pageSize), m_pageReader,
           [this](Result<void> r) { pageDone(std::move(r)); });
}

void ContainerQuery::pageDone(Result<void> r)
{
    if (!r.ok())
        return finish(r);
    if (m_pageReader.sessionLost())
        return finish(Error::make(ErrorKind::SessionExpired, QStringLiteral("vim-fault"),
                                  QStringLiteral("the session is no longer authenticated"),
                                  QStringLiteral("NotAuthenticated")));
    ++m_pages;
    m_token = m_pageReader.token();
    if (m_pageEnd)
        m_pageEnd();
    if (m_token.isEmpty())
        return finish({});
    m_send(VimRequests::continueRetrievePropertiesEx(m_session.content().propertyCollector, m_token), m_pageReader,
           [this](Result<void> r2) { pageDone(std::move(r2)); });
}

void ContainerQuery::finish(Result<void> r)
{
    // Views and paging state live in the session: without one (NotAuthenticated) they are gone already.
    const bool sessionGone = !r.ok() && r.error().kind == ErrorKind::SessionExpired;
    if (!sessionGone) {
        const ServiceContent& sc = m_session.content();
        if (!r.ok() && !m_token.isEmpty())
            m_fireAndForget(VimRequests::cancelRetrievePropertiesEx(sc.propertyCollector, m_token));
        if (!m_view.isNull())
            m_fireAndForget(VimRequests::destroyView(m_view));
    }
    m_view = MoRef();
    m_token.clear();
    Next next = std::move(m_next);
    next(std::move(r));
}

} // namespace dcm::vsphere
