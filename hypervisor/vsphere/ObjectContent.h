#pragma once

#include "MoRef.h"
#include "VimFault.h"
#include "XmlValue.h"

#include <QByteArray>

#include <string_view>
#include <utility>
#include <vector>

namespace dcm::vsphere {

// One object of a RetrieveResult: its reference, the properties asked for, and those that could not
// be read (missingSet).
struct ObjectContent
{
    MoRef obj;
    std::vector<std::pair<QByteArray, XmlValue>> props;
    std::vector<std::pair<QByteArray, VimFault>> missing;

    const XmlValue* prop(std::string_view name) const
    {
        for (const auto& [n, v] : props) {
            if (std::string_view(n.constData(), size_t(n.size())) == name)
                return &v;
        }
        return nullptr;
    }
    QString text(std::string_view name) const
    {
        const XmlValue* v = prop(name);
        return v ? v->string() : QString();
    }
    qint64 number(std::string_view name) const
    {
        const XmlValue* v = prop(name);
        return v ? v->toLong() : 0;
    }
    MoRef ref(std::string_view name) const
    {
        const XmlValue* v = prop(name);
        return v ? MoRef{QString::fromUtf8(v->typeAttr), v->string()} : MoRef{};
    }
};

} // namespace dcm::vsphere
