#include "ApiVersion.h"

#include "XmlValue.h"

#include <QVector>

namespace dcm::vsphere {

QStringList ApiVersion::offered(const XmlValue& namespaces)
{
    QStringList versions;
    for (const XmlValue& ns : namespaces.children) {
        if (ns.name != "namespace" || ns.textAt("name").trimmed() != QLatin1String("urn:vim25"))
            continue;
        const QString current = ns.textAt("version").trimmed();
        if (!current.isEmpty())
            versions << current;
        if (const XmlValue* prior = ns.child("priorVersions")) {
            for (const XmlValue& v : prior->children) {
                if (v.name == "version" && !v.string().trimmed().isEmpty())
                    versions << v.string().trimmed();
            }
        }
    }
    return versions;
}

int ApiVersion::compare(const QString& a, const QString& b)
{
    const QStringList pa = a.split(QLatin1Char('.'));
    const QStringList pb = b.split(QLatin1Char('.'));
    for (qsizetype i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        const int x = i < pa.size() ? pa[i].toInt() : 0;
        const int y = i < pb.size() ? pb[i].toInt() : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

QString ApiVersion::choose(const QStringList& offered)
{
    QString best;
    for (const QString& v : offered) {
        if (compare(v, QLatin1String(kMinimum)) < 0 || compare(v, QLatin1String(kMaximum)) > 0)
            continue;
        if (best.isEmpty() || compare(v, best) > 0)
            best = v;
    }
    return best;
}

} // namespace dcm::vsphere
