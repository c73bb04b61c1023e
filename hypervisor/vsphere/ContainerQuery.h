#pragma once

#include "MoRef.h"
#include "ObjectContentReader.h"
#include "PropertySpecDef.h"
#include "ReturnValueReader.h"
#include "SoapRequest.h"

#include "domain/Result.h"

#include <QStringList>

#include <functional>

namespace dcm::vsphere {

class VimSession;
class XmlEventHandler;

// The PropertyCollector over a ContainerView: CreateContainerView, RetrievePropertiesEx with explicit
// pathSets, ContinueRetrievePropertiesEx until the last page, DestroyView. Objects stream to the sink.
class ContainerQuery
{
public:
    using Next = std::function<void(Result<void>)>;
    using Send = std::function<void(const SoapRequest&, XmlEventHandler&, Next)>;
    using FireAndForget = std::function<void(const SoapRequest&)>;

    ContainerQuery(VimSession& session, Send send, FireAndForget fireAndForget, int pageSize);

    // Runs the whole query; `sink` sees every object of every page. Safe to run again after `next`.
    void run(const MoRef& container, const QStringList& types, const QList<PropertySpecDef>& propSet,
             ObjectContentReader::Sink sink, Next next);

    int pages() const { return m_pages; }
    // Called after each page has been read in full (its objects are in the sink), before the next page
    // is asked for: a caller that streams its objects out hands them on page by page.
    void setPageEnd(std::function<void()> pageEnd) { m_pageEnd = std::move(pageEnd); }

private:
    void retrieve(const QList<PropertySpecDef>& propSet);
    void pageDone(Result<void> r);
    void finish(Result<void> r);

    VimSession& m_session;
    Send m_send;
    FireAndForget m_fireAndForget;
    int m_pageSize;
    ReturnValueReader m_viewReader;
    ObjectContentReader m_pageReader;
    ObjectContentReader::Sink m_sink;
    MoRef m_view;
    QString m_token;
    int m_pages = 0;
    Next m_next;
    std::function<void()> m_pageEnd;
};

} // namespace dcm::vsphere
