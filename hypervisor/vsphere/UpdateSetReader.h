#pragma once

#include "MoRef.h"
#include "VimFault.h"
#include "XmlEventHandler.h"
#include "XmlValue.h"
#include "XmlValueBuilder.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace dcm::vsphere {

// One PropertyChange of an ObjectUpdate. partialUpdates is always false on our filters, so `val` is
// the property's whole new value (absent for remove and for a property that became unset).
struct PropertyChange
{
    enum class Op
    {
        Assign,
        Add,
        Remove,
        IndirectRemove,
    };
    QByteArray name;
    Op op = Op::Assign;
    XmlValue val;
    bool hasVal = false;
};

// One ObjectUpdate of a PropertyFilterUpdate: an object entering the filter (with all its asked-for
// properties), changing, or leaving it.
struct ObjectUpdate
{
    enum class Kind
    {
        Enter,
        Modify,
        Leave,
    };
    QString filter; // the PropertyFilter's moref value
    Kind kind = Kind::Modify;
    MoRef obj;
    std::vector<PropertyChange> changes;
    std::vector<std::pair<QByteArray, VimFault>> missing;

    const PropertyChange* change(std::string_view name) const
    {
        for (const PropertyChange& c : changes) {
            if (std::string_view(c.name.constData(), size_t(c.name.size())) == name)
                return &c;
        }
        return nullptr;
    }
};

// Streams the UpdateSet of a WaitForUpdatesEx reply: each ObjectUpdate goes to the sink as soon as its
// element closes and is dropped. Only the version, the truncated flag and the filters' missing
// objects are kept. A reply without returnval means "nothing changed within maxWaitSeconds". Anything
// that is not an UpdateSet as the WSDL has it (an unknown kind or op, an object without reference, an
// objectSet before its filter, no version) refuses the whole reply with a reason naming the element.
class UpdateSetReader final : public XmlEventHandler
{
public:
    using Sink = std::function<bool(ObjectUpdate&&)>; // false: refuse the reply

    explicit UpdateSetReader(Sink sink) : m_sink(std::move(sink)) {}

    bool startElement(const XmlStartTag& tag) override;
    bool characters(std::string_view text) override;
    bool endElement() override;
    QString rejection() const override { return m_rejection; }
    void reset() override;

    bool hasUpdateSet() const { return m_hasReturn; }
    QString version() const { return m_version; }
    bool truncated() const { return m_truncated; }
    int objectUpdates() const { return m_updates; }
    // PropertyFilterUpdate.missingSet: objects a filter names that vCenter could not find (any more).
    const std::vector<MoRef>& missingObjects() const { return m_missingObjects; }

private:
    enum class Field
    {
        None,
        Version,
        Truncated,
        Filter,
        Kind,
        Obj,
        ChangeName,
        ChangeOp,
        MissingPath,
        MissingObj,
    };
    bool reject(QString why);
    void beginText(Field f);

    Sink m_sink;
    XmlValueBuilder m_value;
    int m_depth = 0;
    bool m_hasReturn = false;
    bool m_hasVersion = false;
    bool m_inFilterSet = false;
    bool m_inObjectSet = false;
    bool m_inChange = false;
    bool m_inObjectMissing = false;
    bool m_inFilterMissing = false;
    bool m_valueIsFault = false;
    Field m_field = Field::None;
    QByteArray m_text;
    QByteArray m_kindText;
    QByteArray m_opText;
    QString m_filter;
    QString m_objType;
    ObjectUpdate m_current;
    PropertyChange m_change;
    QByteArray m_missingPath;
    VimFault m_missingFault;
    MoRef m_missingObj;
    QString m_version;
    bool m_truncated = false;
    int m_updates = 0;
    std::vector<MoRef> m_missingObjects;
    QString m_rejection;
};

} // namespace dcm::vsphere
