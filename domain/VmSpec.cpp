#include "domain/VmSpec.h"

#include "domain/CustomizationRules.h"
#include "domain/GuestOsCatalog.h"
#include "domain/JsonReader.h"

#include <QJsonArray>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

namespace dcm {

namespace {

// Counted in characters as an operator sees them (code points), not UTF-16 units: "Zürich-É" is 8.
qsizetype visibleLength(const QString& text)
{
    qsizetype n = 0;
    for (auto it = text.cbegin(); it != text.cend(); ++it) {
        if (!it->isLowSurrogate()) {
            ++n;
        }
    }
    return n;
}

bool isForbiddenControl(QChar c, bool allowLineBreaks)
{
    if (allowLineBreaks && (c == u'\n' || c == u'\r' || c == u'\t')) {
        return false;
    }
    const auto category = c.category();
    return category == QChar::Other_Control || category == QChar::Separator_Line ||
           category == QChar::Separator_Paragraph;
}

bool hasForbiddenControl(const QString& text, bool allowLineBreaks = false)
{
    for (QChar c : text) {
        if (isForbiddenControl(c, allowLineBreaks)) {
            return true;
        }
    }
    return false;
}

bool hasOuterBlank(const QString& text)
{
    return !text.isEmpty() && (text.front().isSpace() || text.back().isSpace());
}

// "1, 2, 3 or 6"
QString listWithOr(const QStringList& items)
{
    if (items.size() <= 1) {
        return items.join(QString());
    }
    return QStringList(items.begin(), items.end() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") +
           items.back();
}

QString divisorsOf(int n)
{
    QStringList divisors;
    for (int d = 1; d <= n && divisors.size() < 8; ++d) {
        if (n % d == 0) {
            divisors.append(QString::number(d));
        }
    }
    return listWithOr(divisors);
}

class ProblemList
{
public:
    void add(const QString& field, const QString& message) { m_problems.append(FieldProblem{field, message}); }
    QList<FieldProblem> take() { return std::move(m_problems); }

private:
    QList<FieldProblem> m_problems;
};

void checkName(const QString& name, ProblemList& problems)
{
    const QString field = QStringLiteral("name");
    if (name.trimmed().isEmpty()) {
        problems.add(field, QStringLiteral("Enter a name for the VM."));
        return;
    }
    const qsizetype length = visibleLength(name);
    if (length > VmSpec::maxNameLength) {
        problems.add(field, QStringLiteral("The name is %1 characters long; at most %2 are allowed.")
                                .arg(length)
                                .arg(VmSpec::maxNameLength));
    }
    if (hasOuterBlank(name)) {
        problems.add(field, QStringLiteral("The name must not begin or end with a space."));
    }
    if (hasForbiddenControl(name)) {
        problems.add(field,
                     QStringLiteral("The name must not contain control characters such as tabs or line breaks."));
    }
    // Rejected rather than escaped: vCenter stores '%', '/' and '\' in entity names as %25, %2f and %5c,
    // so the VM would show up in the vSphere Client (and in every inventory path, search and script)
    // under a name the operator never typed — and a later search for the typed name finds nothing.
    QStringList escaped;
    for (const char16_t c : {u'%', u'/', u'\\'}) {
        if (name.contains(QChar(c))) {
            escaped.append(QStringLiteral("\"%1\"").arg(QChar(c)));
        }
    }
    if (!escaped.isEmpty()) {
        // Concatenated, not arg(): the escapes themselves look like %N placeholders.
        problems.add(field, QStringLiteral("The name must not contain ") + listWithOr(escaped) +
                                QStringLiteral(": vCenter would store it escaped (%, / and \\ become %25, %2f "
                                               "and %5c) and show a different name."));
    }
}

void checkCpus(const VmSpec& spec, ProblemList& problems)
{
    if (spec.isClone() && spec.cpus == 0) {
        return; // as the template
    }
    const bool cpusValid = spec.cpus >= 1 && spec.cpus <= VmSpec::maxCpus;
    if (!cpusValid) {
        problems.add(
            QStringLiteral("cpus"),
            QStringLiteral("Choose between 1 and %1 virtual CPUs (%2 requested).").arg(VmSpec::maxCpus).arg(spec.cpus));
    }
    const QString field = QStringLiteral("coresPerSocket");
    if (spec.coresPerSocket < 1) {
        problems.add(field, QStringLiteral("Cores per socket must be at least 1."));
    } else if (cpusValid && spec.cpus % spec.coresPerSocket != 0) {
        problems.add(field, QStringLiteral("%1 CPUs cannot be split into sockets of %2 cores; choose %3 cores per "
                                           "socket.")
                                .arg(spec.cpus)
                                .arg(spec.coresPerSocket)
                                .arg(divisorsOf(spec.cpus)));
    }
}

void checkMemory(const VmSpec& spec, ProblemList& problems)
{
    const qint64 memoryMiB = spec.memoryMiB;
    if (spec.isClone() && memoryMiB == 0) {
        return; // as the template
    }
    const QString field = QStringLiteral("memoryMiB");
    if (memoryMiB < VmSpec::minMemoryMiB) {
        problems.add(field, QStringLiteral("Memory must be at least %1 MiB.").arg(VmSpec::minMemoryMiB));
    } else if (memoryMiB > VmSpec::maxMemoryMiB) {
        problems.add(field, QStringLiteral("Memory can be at most 24 TiB (%1 MiB).").arg(VmSpec::maxMemoryMiB));
    } else if (memoryMiB % VmSpec::memoryGranuleMiB != 0) {
        const qint64 lower = memoryMiB - memoryMiB % VmSpec::memoryGranuleMiB;
        problems.add(field, QStringLiteral("Memory must be a multiple of %1 MiB: choose %2 or %3 MiB.")
                                .arg(VmSpec::memoryGranuleMiB)
                                .arg(lower)
                                .arg(lower + VmSpec::memoryGranuleMiB));
    }
}

void checkDisks(const VmSpec& spec, ProblemList& problems)
{
    const QList<DiskSpec>& disks = spec.disks;
    if (disks.isEmpty() && !spec.isClone()) {
        problems.add(QStringLiteral("disks"), QStringLiteral("Add at least one disk."));
        return;
    }
    if (disks.size() > VmSpec::maxDisks) {
        problems.add(
            QStringLiteral("disks"),
            QStringLiteral("A VM can have at most %1 disks; this one has %2.").arg(VmSpec::maxDisks).arg(disks.size()));
    }
    for (qsizetype i = 0; i < disks.size(); ++i) {
        const QString field = QStringLiteral("disks[%1].sizeMiB").arg(i);
        const qint64 size = disks[i].sizeMiB;
        if (size < VmSpec::minDiskMiB) {
            problems.add(field, QStringLiteral("Disk %1 must be at least %2 MiB.").arg(i + 1).arg(VmSpec::minDiskMiB));
        } else if (size > VmSpec::maxDiskMiB) {
            problems.add(field,
                         QStringLiteral("Disk %1 can be at most 62 TiB (%2 MiB).").arg(i + 1).arg(VmSpec::maxDiskMiB));
        }
    }
}

// Datacenter, cluster, pool, host, datastore, network: a name or an inventory path as the pickers show
// it. '/' separates path parts here, so only what can never be right is refused.
void checkPlacement(const QString& field, const QString& label, const QString& value, bool required,
                    ProblemList& problems)
{
    if (value.trimmed().isEmpty()) {
        if (required) {
            problems.add(field, QStringLiteral("Choose a %1.").arg(label));
        } else if (!value.isEmpty()) {
            problems.add(field, QStringLiteral("The %1 is blank; clear it or choose one.").arg(label));
        }
        return;
    }
    if (visibleLength(value) > VmSpec::maxPathLength) {
        problems.add(field,
                     QStringLiteral("The %1 is longer than %2 characters.").arg(label).arg(VmSpec::maxPathLength));
    }
    if (hasOuterBlank(value)) {
        problems.add(field, QStringLiteral("The %1 must not begin or end with a space.").arg(label));
    }
    if (hasForbiddenControl(value)) {
        problems.add(field, QStringLiteral("The %1 must not contain control characters.").arg(label));
    }
}

void checkComputePlacement(const VmSpec& spec, ProblemList& problems)
{
    const QString field = QStringLiteral("cluster");
    const bool hasCluster = !spec.cluster.isEmpty();
    const bool hasPool = !spec.resourcePool.isEmpty();
    if (!hasCluster && !hasPool) {
        problems.add(field, QStringLiteral("Choose a cluster or a resource pool."));
    } else if (hasCluster && hasPool) {
        problems.add(field, QStringLiteral("Choose either a cluster or a resource pool, not both."));
    } else if (hasCluster) {
        checkPlacement(field, QStringLiteral("cluster"), spec.cluster, true, problems);
    } else {
        checkPlacement(field, QStringLiteral("resource pool"), spec.resourcePool, true, problems);
    }
}

void checkFolder(const QString& folder, ProblemList& problems)
{
    if (folder.isEmpty()) {
        return; // the datacenter's root VM folder
    }
    const QString field = QStringLiteral("folder");
    if (visibleLength(folder) > VmSpec::maxPathLength) {
        problems.add(field, QStringLiteral("The folder path is longer than %1 characters.").arg(VmSpec::maxPathLength));
        return;
    }
    QString path = folder;
    if (path.startsWith(u'/')) {
        path.remove(0, 1);
    }
    if (path.endsWith(u'/')) {
        path.chop(1);
    }
    const QStringList parts = path.split(u'/');
    bool emptyPart = false;
    bool blankEdges = false;
    bool control = false;
    bool escapedChar = false;
    bool tooLong = false;
    for (const QString& part : parts) {
        emptyPart = emptyPart || part.trimmed().isEmpty();
        blankEdges = blankEdges || hasOuterBlank(part);
        control = control || hasForbiddenControl(part);
        escapedChar = escapedChar || part.contains(u'%') || part.contains(u'\\');
        tooLong = tooLong || visibleLength(part) > VmSpec::maxNameLength;
    }
    if (emptyPart) {
        problems.add(field, QStringLiteral("The folder path has an empty part: write it as Parent/Child, "
                                           "without doubled or blank \"/\" separators."));
    }
    if (blankEdges) {
        problems.add(field, QStringLiteral("Folder names in the path must not begin or end with a space."));
    }
    if (control) {
        problems.add(field, QStringLiteral("The folder path must not contain control characters."));
    }
    if (escapedChar) {
        // Same escaping as VM names: a folder shown as "a%b" is "a%25b" to vCenter, so we could not name
        // it unambiguously.
        problems.add(field, QStringLiteral("Folder names must not contain \"%\" or \"\\\": vCenter stores them "
                                           "escaped."));
    }
    if (tooLong) {
        problems.add(field,
                     QStringLiteral("Each folder name can be at most %1 characters long.").arg(VmSpec::maxNameLength));
    }
}

void checkNics(const VmSpec& spec, ProblemList& problems)
{
    if (spec.nics.isEmpty()) {
        problems.add(QStringLiteral("nics"), QStringLiteral("Add a network adapter and choose its network."));
        return;
    }
    if (spec.nics.size() > VmSpec::maxNics) {
        problems.add(QStringLiteral("nics"), QStringLiteral("A VM can have at most %1 network adapters here; this one "
                                                            "has %2.")
                                                 .arg(VmSpec::maxNics)
                                                 .arg(spec.nics.size()));
    }
    for (qsizetype i = 0; i < spec.nics.size(); ++i) {
        const NicSpec& nic = spec.nics[i];
        checkPlacement(QStringLiteral("nics[%1].network").arg(i),
                       spec.nics.size() == 1 ? QStringLiteral("network")
                                             : QStringLiteral("network for NIC %1").arg(i + 1),
                       nic.network, true, problems);
        if (nic.adapterType != NicSpec::vmxnet3 && nic.adapterType != NicSpec::e1000e) {
            problems.add(QStringLiteral("nics[%1].adapterType").arg(i),
                         QStringLiteral("Unknown adapter type \"%1\"; choose vmxnet3 or e1000e.").arg(nic.adapterType));
        }
    }
}

void checkCloneOptions(const VmSpec& spec, ProblemList& problems)
{
    if (spec.isClone()) {
        checkPlacement(QStringLiteral("templateName"), QStringLiteral("template"), spec.templateName, true, problems);
    } else {
        if (!spec.cloneDiskFormat.isEmpty()) {
            problems.add(QStringLiteral("cloneDiskFormat"),
                         QStringLiteral("A disk format for the clone needs a template to clone."));
        }
        if (!spec.customization.isNone()) {
            problems.add(QStringLiteral("customization"),
                         QStringLiteral("Guest customization needs a template to clone: a blank VM has no guest yet."));
        }
    }
    if (!spec.cloneDiskFormat.isEmpty() && spec.cloneDiskFormat != QLatin1String("thin") &&
        spec.cloneDiskFormat != QLatin1String("thick")) {
        problems.add(QStringLiteral("cloneDiskFormat"),
                     QStringLiteral("Choose \"thin\" or \"thick\" for the clone's disks, or keep the template's."));
    }
}

void checkGuestId(const QString& guestId, ProblemList& problems)
{
    if (guestId.isEmpty() || GuestOsCatalog::isKnown(guestId)) {
        return;
    }
    const QString field = QStringLiteral("guestId");
    if (const auto suggestion = GuestOsCatalog::suggestionFor(guestId)) {
        problems.add(field, QStringLiteral("Unknown guest OS \"%1\"; guest OS ids are case-sensitive: did you mean "
                                           "\"%2\"?")
                                .arg(guestId, *suggestion));
    } else {
        problems.add(field, QStringLiteral("Unknown guest OS \"%1\"; choose one from the list (for example "
                                           "\"otherLinux64Guest\").")
                                .arg(guestId));
    }
}

void checkAnnotation(const QString& annotation, ProblemList& problems)
{
    const QString field = QStringLiteral("annotation");
    const qsizetype length = visibleLength(annotation);
    // Our bound, not vCenter's: notes longer than this are a pasted file, not a note, and every row of
    // the request list carries them.
    if (length > VmSpec::maxAnnotationLength) {
        problems.add(field, QStringLiteral("The annotation is %1 characters long; at most %2 are allowed.")
                                .arg(length)
                                .arg(VmSpec::maxAnnotationLength));
    }
    if (hasForbiddenControl(annotation, true)) {
        problems.add(field,
                     QStringLiteral("The annotation must not contain control characters other than tabs and line "
                                    "breaks."));
    }
}

} // namespace

QList<FieldProblem> VmSpec::validate() const
{
    ProblemList problems;
    checkName(name, problems);
    checkCpus(*this, problems);
    checkMemory(*this, problems);
    checkDisks(*this, problems);
    checkPlacement(QStringLiteral("datacenter"), QStringLiteral("datacenter"), datacenter, true, problems);
    checkComputePlacement(*this, problems);
    checkPlacement(QStringLiteral("host"), QStringLiteral("host"), host, false, problems);
    checkPlacement(QStringLiteral("datastore"), QStringLiteral("datastore"), datastore, true, problems);
    checkNics(*this, problems);
    checkCloneOptions(*this, problems);
    if (isClone()) {
        for (const FieldProblem& p : CustomizationRules::check(*this))
            problems.add(p.field, p.message);
    }
    checkFolder(folder, problems);
    checkGuestId(guestId, problems);
    checkAnnotation(annotation, problems);
    return problems.take();
}

QJsonObject VmSpec::toJson() const
{
    QJsonArray diskArray;
    for (const DiskSpec& disk : disks) {
        diskArray.append(QJsonObject{{QStringLiteral("sizeMiB"), disk.sizeMiB}, {QStringLiteral("thin"), disk.thin}});
    }
    QJsonArray nicArray;
    for (const NicSpec& nic : nics) {
        nicArray.append(
            QJsonObject{{QStringLiteral("network"), nic.network}, {QStringLiteral("adapterType"), nic.adapterType}});
    }
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("templateName"), templateName},
        {QStringLiteral("cloneDiskFormat"), cloneDiskFormat},
        {QStringLiteral("cpus"), cpus},
        {QStringLiteral("coresPerSocket"), coresPerSocket},
        {QStringLiteral("memoryMiB"), memoryMiB},
        {QStringLiteral("disks"), diskArray},
        {QStringLiteral("nics"), nicArray},
        {QStringLiteral("datastore"), datastore},
        {QStringLiteral("folder"), folder},
        {QStringLiteral("datacenter"), datacenter},
        {QStringLiteral("cluster"), cluster},
        {QStringLiteral("resourcePool"), resourcePool},
        {QStringLiteral("host"), host},
        {QStringLiteral("guestId"), guestId},
        {QStringLiteral("annotation"), annotation},
        {QStringLiteral("powerOn"), powerOn},
        {QStringLiteral("customization"), customization.toJson()},
    };
}

Result<VmSpec> VmSpec::fromJson(const QJsonObject& json)
{
    VmSpec spec;
    JsonReader reader;
    // The sets of known keys are built once, not for every spec read (a listing reads one per request).
    static const QSet<QString> s_keys{QStringLiteral("name"),
                                      QStringLiteral("cpus"),
                                      QStringLiteral("coresPerSocket"),
                                      QStringLiteral("memoryMiB"),
                                      QStringLiteral("disks"),
                                      QStringLiteral("network"),
                                      QStringLiteral("datastore"),
                                      QStringLiteral("folder"),
                                      QStringLiteral("datacenter"),
                                      QStringLiteral("cluster"),
                                      QStringLiteral("resourcePool"),
                                      QStringLiteral("host"),
                                      QStringLiteral("guestId"),
                                      QStringLiteral("annotation"),
                                      QStringLiteral("powerOn"),
                                      QStringLiteral("templateName"),
                                      QStringLiteral("cloneDiskFormat"),
                                      QStringLiteral("nics"),
                                      QStringLiteral("customization")};
    static const QSet<QString> s_diskKeys{QStringLiteral("sizeMiB"), QStringLiteral("thin")};
    static const QSet<QString> s_nicKeys{QStringLiteral("network"), QStringLiteral("adapterType")};
    reader.rejectUnknownKeys(json, s_keys);
    reader.readString(json, QStringLiteral("name"), spec.name);
    reader.readInt(json, QStringLiteral("cpus"), spec.cpus);
    reader.readInt(json, QStringLiteral("coresPerSocket"), spec.coresPerSocket);
    reader.readInt64(json, QStringLiteral("memoryMiB"), spec.memoryMiB);
    reader.readString(json, QStringLiteral("templateName"), spec.templateName);
    reader.readString(json, QStringLiteral("cloneDiskFormat"), spec.cloneDiskFormat);
    QString legacyNetwork;
    reader.readString(json, QStringLiteral("network"), legacyNetwork);
    reader.readString(json, QStringLiteral("datastore"), spec.datastore);
    reader.readString(json, QStringLiteral("folder"), spec.folder);
    reader.readString(json, QStringLiteral("datacenter"), spec.datacenter);
    reader.readString(json, QStringLiteral("cluster"), spec.cluster);
    reader.readString(json, QStringLiteral("resourcePool"), spec.resourcePool);
    reader.readString(json, QStringLiteral("host"), spec.host);
    reader.readString(json, QStringLiteral("guestId"), spec.guestId);
    reader.readString(json, QStringLiteral("annotation"), spec.annotation);
    reader.readBool(json, QStringLiteral("powerOn"), spec.powerOn);

    const QJsonValue disks = json.value(QStringLiteral("disks"));
    if (disks.isArray()) {
        const QJsonArray array = disks.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString prefix = QStringLiteral("disks[%1].").arg(i);
            if (!array[i].isObject()) {
                reader.fail(QStringLiteral("disks[%1]").arg(i),
                            QStringLiteral("expected an object like {\"sizeMiB\": 10240, \"thin\": true}, got %1")
                                .arg(JsonReader::describe(array[i])));
                continue;
            }
            const QJsonObject diskJson = array[i].toObject();
            JsonReader diskReader(prefix);
            diskReader.rejectUnknownKeys(diskJson, s_diskKeys);
            DiskSpec disk;
            diskReader.readInt64(diskJson, QStringLiteral("sizeMiB"), disk.sizeMiB);
            diskReader.readBool(diskJson, QStringLiteral("thin"), disk.thin);
            reader.merge(diskReader);
            spec.disks.append(disk);
        }
    } else if (!disks.isUndefined() && !disks.isNull()) {
        reader.fail(QStringLiteral("disks"),
                    QStringLiteral("expected a list of disks, got %1").arg(JsonReader::describe(disks)));
    }

    const QJsonValue nics = json.value(QStringLiteral("nics"));
    if (nics.isArray()) {
        const QJsonArray array = nics.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array[i].isObject()) {
                reader.fail(QStringLiteral("nics[%1]").arg(i),
                            QStringLiteral("expected an object like {\"network\": \"VM Network\"}, got %1")
                                .arg(JsonReader::describe(array[i])));
                continue;
            }
            const QJsonObject nicJson = array[i].toObject();
            JsonReader nicReader(QStringLiteral("nics[%1].").arg(i));
            nicReader.rejectUnknownKeys(nicJson, s_nicKeys);
            NicSpec nic;
            nicReader.readString(nicJson, QStringLiteral("network"), nic.network);
            nicReader.readString(nicJson, QStringLiteral("adapterType"), nic.adapterType);
            reader.merge(nicReader);
            spec.nics.append(nic);
        }
    } else if (!nics.isUndefined() && !nics.isNull()) {
        reader.fail(QStringLiteral("nics"),
                    QStringLiteral("expected a list of network adapters, got %1").arg(JsonReader::describe(nics)));
    }
    if (!legacyNetwork.isEmpty()) {
        if (spec.nics.isEmpty()) {
            spec.nics.append(NicSpec{legacyNetwork});
        } else {
            reader.fail(QStringLiteral("network"), QStringLiteral("give the network in \"nics\" only"));
        }
    }

    const QJsonValue customization = json.value(QStringLiteral("customization"));
    if (customization.isObject()) {
        Result<GuestCustomization> c =
            GuestCustomization::fromJson(customization.toObject(), QStringLiteral("customization."));
        if (c) {
            spec.customization = c.value();
        } else {
            const QVariantList list = c.error().details.value(QStringLiteral("problems")).toList();
            for (const QVariant& v : list) {
                const QVariantMap m = v.toMap();
                reader.fail(m.value(QStringLiteral("field")).toString(), m.value(QStringLiteral("message")).toString());
            }
        }
    } else if (!customization.isUndefined() && !customization.isNull()) {
        reader.fail(QStringLiteral("customization"),
                    QStringLiteral("expected an object like {\"mode\": \"none\"}, got %1")
                        .arg(JsonReader::describe(customization)));
    }

    if (!reader.ok()) {
        return toError(reader.problems(), QStringLiteral("invalid-spec-json"));
    }
    return spec;
}

Error toError(const QList<FieldProblem>& problems, const QString& code)
{
    QStringList lines;
    QVariantList list;
    for (const FieldProblem& p : problems) {
        lines.append(QStringLiteral("%1: %2").arg(p.field, p.message));
        list.append(QVariantMap{{QStringLiteral("field"), p.field}, {QStringLiteral("message"), p.message}});
    }
    Error error = Error::make(ErrorKind::InvalidInput, code, lines.join(QStringLiteral("; ")));
    error.details.insert(QStringLiteral("problems"), list);
    return error;
}

} // namespace dcm
