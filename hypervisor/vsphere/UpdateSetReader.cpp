#include "UpdateSetReader.h"

#include "VimFaultParser.h"

namespace dcm::vsphere {

namespace {

constexpr qsizetype kMaxFieldBytes = 1024 * 1024;

bool parseKind(const QByteArray& text, ObjectUpdate::Kind& kind)
{
    if (text == "enter")
        kind = ObjectUpdate::Kind::Enter;
    else if (text == "modify")
        kind = ObjectUpdate::Kind::Modify;
    else if (text == "leave")
        kind = ObjectUpdate::Kind::Leave;
    else
        return false;
    return true;
}

bool parseOp(const QByteArray& text, PropertyChange::Op& op)
{
    if (text == "assign")
        op = PropertyChange::Op::Assign;
    else if (text == "add")
        op = PropertyChange::Op::Add;
    else if (text == "remove")
        op = PropertyChange::Op::Remove;
    else if (text == "indirectRemove")
        op = PropertyChange::Op::IndirectRemove;
    else
        return false;
    return true;
}

QString shown(const QByteArray& text)
{
    return QString::fromUtf8(text.left(64));
}

} // namespace

void UpdateSetReader::reset()
{
    m_value.clear();
    m_depth = 0;
    m_hasReturn = m_hasVersion = m_inFilterSet = m_inObjectSet = m_inChange = false;
    m_inObjectMissing = m_inFilterMissing = m_valueIsFault = false;
    m_field = Field::None;
    m_text.clear();
    m_kindText.clear();
    m_opText.clear();
    m_filter.clear();
    m_objType.clear();
    m_current = ObjectUpdate();
    m_change = PropertyChange();
    m_missingPath.clear();
    m_missingFault = VimFault();
    m_missingObj = MoRef();
    m_version.clear();
    m_truncated = false;
    m_updates = 0;
    m_missingObjects.clear();
    m_rejection.clear();
}

bool UpdateSetReader::reject(QString why)
{
    m_rejection = QStringLiteral("UpdateSet: %1").arg(why);
    return false;
}

void UpdateSetReader::beginText(Field f)
{
    m_field = f;
    m_text.clear();
}

bool UpdateSetReader::startElement(const XmlStartTag& tag)
{
    ++m_depth;
    if (m_value.active()) {
        if (!m_value.startElement(tag)) {
            m_rejection = m_value.rejection();
            return false;
        }
        return true;
    }
    if (m_field != Field::None)
        return reject(QStringLiteral("element <%1> inside a text field")
                          .arg(QString::fromUtf8(tag.localName.data(), qsizetype(tag.localName.size()))));
    const std::string_view name = tag.localName;
    // Depth 1: returnval; 2: version | filterSet | truncated; 3: filter | objectSet | missingSet;
    // 4: kind | obj | changeSet | missingSet (of an object) or obj | fault (of a filter's missingSet);
    // 5: name | op | val (of a change) or path | fault (of an object's missingSet).
    switch (m_depth) {
    case 1:
        if (name == "returnval")
            m_hasReturn = true;
        break;
    case 2:
        if (name == "version")
            beginText(Field::Version);
        else if (name == "truncated")
            beginText(Field::Truncated);
        else if (name == "filterSet") {
            m_inFilterSet = true;
            m_filter.clear();
        }
        break;
    case 3:
        if (!m_inFilterSet)
            break;
        if (name == "filter") {
            beginText(Field::Filter);
        } else if (name == "objectSet") {
            if (m_filter.isEmpty())
                return reject(QStringLiteral("an objectSet comes before its filter"));
            m_inObjectSet = true;
            m_current = ObjectUpdate();
            m_current.filter = m_filter;
            m_kindText.clear();
        } else if (name == "missingSet") {
            m_inFilterMissing = true;
            m_missingObj = MoRef();
        }
        break;
    case 4:
        if (m_inObjectSet) {
            if (name == "kind") {
                beginText(Field::Kind);
            } else if (name == "obj") {
                beginText(Field::Obj);
                m_objType = QString::fromUtf8(tag.typeAttribute.data(), qsizetype(tag.typeAttribute.size()));
            } else if (name == "changeSet") {
                m_inChange = true;
                m_change = PropertyChange();
                m_opText.clear();
            } else if (name == "missingSet") {
                m_inObjectMissing = true;
                m_missingPath.clear();
                m_missingFault = VimFault();
            }
        } else if (m_inFilterMissing) {
            if (name == "obj") {
                beginText(Field::MissingObj);
                m_objType = QString::fromUtf8(tag.typeAttribute.data(), qsizetype(tag.typeAttribute.size()));
            } else if (name == "fault") {
                m_valueIsFault = true;
                m_value.begin(tag);
            }
        }
        break;
    case 5:
        if (m_inChange) {
            if (name == "name")
                beginText(Field::ChangeName);
            else if (name == "op")
                beginText(Field::ChangeOp);
            else if (name == "val") {
                m_valueIsFault = false;
                m_value.begin(tag);
            }
        } else if (m_inObjectMissing) {
            if (name == "path")
                beginText(Field::MissingPath);
            else if (name == "fault") {
                m_valueIsFault = true;
                m_value.begin(tag);
            }
        }
        break;
    default:
        break;
    }
    return true;
}

bool UpdateSetReader::characters(std::string_view text)
{
    if (m_value.active()) {
        if (!m_value.characters(text)) {
            m_rejection = m_value.rejection();
            return false;
        }
        return true;
    }
    if (m_field == Field::None)
        return true;
    if (m_text.size() + qsizetype(text.size()) > kMaxFieldBytes)
        return reject(QStringLiteral("a name, reference or version is too long"));
    m_text.append(text.data(), qsizetype(text.size()));
    return true;
}

bool UpdateSetReader::endElement()
{
    const int depth = m_depth--;
    if (m_value.active()) {
        if (m_value.endElement()) {
            XmlValue v = m_value.take();
            if (m_valueIsFault) {
                m_missingFault = VimFaultParser::fromLocalizedMethodFault(v);
            } else {
                m_change.val = std::move(v);
                m_change.hasVal = true;
            }
        }
        return true;
    }
    if (m_field != Field::None) {
        const QByteArray text = m_text.trimmed();
        switch (m_field) {
        case Field::Version:
            m_version = QString::fromUtf8(text);
            m_hasVersion = true;
            break;
        case Field::Truncated:
            if (text != "true" && text != "false" && text != "1" && text != "0")
                return reject(QStringLiteral("truncated is '%1', not a boolean").arg(shown(text)));
            m_truncated = text == "true" || text == "1";
            break;
        case Field::Filter:
            m_filter = QString::fromUtf8(text);
            if (m_filter.isEmpty())
                return reject(QStringLiteral("a filterSet names no filter"));
            break;
        case Field::Kind:
            m_kindText = text;
            break;
        case Field::Obj:
            m_current.obj = MoRef{m_objType, QString::fromUtf8(text)};
            break;
        case Field::ChangeName:
            m_change.name = text;
            break;
        case Field::ChangeOp:
            m_opText = text;
            break;
        case Field::MissingPath:
            m_missingPath = text;
            break;
        case Field::MissingObj:
            m_missingObj = MoRef{m_objType, QString::fromUtf8(text)};
            break;
        case Field::None:
            break;
        }
        m_field = Field::None;
        return true;
    }
    switch (depth) {
    case 1:
        if (m_hasReturn && !m_hasVersion)
            return reject(QStringLiteral("the UpdateSet has no version"));
        break;
    case 2:
        if (m_inFilterSet)
            m_inFilterSet = false;
        break;
    case 3:
        if (m_inObjectSet) {
            m_inObjectSet = false;
            if (m_current.obj.isNull())
                return reject(QStringLiteral("an objectSet has no obj"));
            if (!parseKind(m_kindText, m_current.kind))
                return reject(QStringLiteral("objectSet kind '%1' of %2 is not enter, modify or leave")
                                  .arg(shown(m_kindText), m_current.obj.value));
            ++m_updates;
            const QString ref = m_current.obj.value;
            if (!m_sink(std::move(m_current)))
                return reject(QStringLiteral("the update of %1 was refused").arg(ref));
            m_current = ObjectUpdate();
        } else if (m_inFilterMissing) {
            m_inFilterMissing = false;
            if (m_missingObj.isNull())
                return reject(QStringLiteral("a filter's missingSet has no obj"));
            if (m_missingObjects.size() < 10000)
                m_missingObjects.push_back(m_missingObj);
        }
        break;
    case 4:
        if (m_inChange) {
            m_inChange = false;
            if (m_change.name.isEmpty())
                return reject(QStringLiteral("a changeSet of %1 has no name").arg(m_current.obj.value));
            if (!parseOp(m_opText, m_change.op))
                return reject(QStringLiteral("changeSet op '%1' of %2 is not assign, add, remove or indirectRemove")
                                  .arg(shown(m_opText), QString::fromUtf8(m_change.name)));
            m_current.changes.push_back(std::move(m_change));
            m_change = PropertyChange();
        } else if (m_inObjectMissing) {
            m_inObjectMissing = false;
            if (m_missingPath.isEmpty())
                return reject(QStringLiteral("a missingSet of %1 has no path").arg(m_current.obj.value));
            m_current.missing.emplace_back(m_missingPath, std::move(m_missingFault));
            m_missingFault = VimFault();
        }
        break;
    default:
        break;
    }
    return true;
}

} // namespace dcm::vsphere
