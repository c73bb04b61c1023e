#include "domain/FaultSentence.h"

#include <algorithm>
#include <initializer_list>

#include <QStringList>

namespace dcm {

namespace {

// vCenter's fault type without a namespace prefix ("vim25:InvalidLogin", "vim.fault.InvalidLogin") and,
// for a SOAP detail element, without its "Fault" suffix when the shorter name is the one listed.
QString faultName(const QString& vimFault, std::initializer_list<const char*> listed)
{
    QString name = vimFault.trimmed();
    const qsizetype cut = std::max(name.lastIndexOf(QLatin1Char(':')), name.lastIndexOf(QLatin1Char('.')));
    if (cut >= 0)
        name = name.mid(cut + 1);
    const auto isListed = [&](const QString& n) {
        return std::any_of(listed.begin(), listed.end(), [&](const char* l) { return n == QLatin1String(l); });
    };
    if (!isListed(name) && name.endsWith(QLatin1String("Fault")) && isListed(name.chopped(5)))
        name.chop(5);
    return isListed(name) ? name : QString();
}

bool isFault(const Error& e, std::initializer_list<const char*> names)
{
    return !faultName(e.vimFault, names).isEmpty();
}

// The configuration faults vCenter raises for a VM it will not create as specified (InvalidVmConfig
// and the faults of the same family FaultTaxonomy lists): the same spec meets the same answer.
constexpr std::initializer_list<const char*> configFaults = {
    "InvalidVmConfig",
    "VmConfigFault",
    "GenericVmConfigFault",
    "InvalidDeviceSpec",
    "InvalidController",
    "DeviceUnsupportedForVmVersion",
    "CpuIncompatible",
    "MemorySizeNotSupported",
    "NumVirtualCpusNotSupported",
    "VirtualHardwareVersionNotSupported",
};

// A sentence from a fragment: one final full stop. The first word stays as written: it may be a name
// ("vCenter", an account, a moref) that must not change case.
QString sentence(QString text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return text;
    if (!text.endsWith(QLatin1Char('.')) && !text.endsWith(QLatin1Char('!')) && !text.endsWith(QLatin1Char('?')))
        text += QLatin1Char('.');
    return text;
}

QString sentences(const QStringList& parts)
{
    QStringList out;
    for (const QString& p : parts)
        if (const QString s = sentence(p); !s.isEmpty())
            out << s;
    return out.join(QLatin1Char(' '));
}

QString detail(const Error& e, const char* key)
{
    return e.details.value(QLatin1String(key)).toString().trimmed();
}

QString firstOf(const QString& a, const QString& b)
{
    return a.isEmpty() ? b : a;
}

QString leafName(const QString& path)
{
    QString p = path.trimmed();
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    const qsizetype slash = p.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? p : p.mid(slash + 1);
}

// vCenter's message in parentheses after our sentence, when it says more than the fault's name.
QString withMessage(const QString& text, const Error& e)
{
    const QString message = e.message.trimmed();
    if (message.isEmpty() || message == e.vimFault)
        return text;
    return QStringLiteral("%1 (vCenter: %2)").arg(text, message);
}

QString account(const Error& e, const FaultContext& c)
{
    return firstOf(detail(e, "user"), c.user);
}

QString server(const Error& e, const FaultContext& c)
{
    return firstOf(detail(e, "host"), c.server);
}

QString describeGaveUp(const Error& e, const FaultContext& c)
{
    const int attempts = e.details.value(QStringLiteral("attempts")).toInt();
    const QString lead = attempts == 1  ? QStringLiteral("Gave up after 1 attempt.")
                         : attempts > 1 ? QStringLiteral("Gave up after %1 attempts.").arg(attempts)
                                        : QStringLiteral("Gave up.");
    return lead + QLatin1Char(' ') + FaultSentence::of(FaultSentence::underlying(e), c);
}

} // namespace

FaultContext FaultContext::of(const VmSpec& spec)
{
    FaultContext c;
    c.vmName = spec.name;
    c.folder = spec.folder;
    c.datastore = spec.datastore;
    return c;
}

QString FaultSentence::of(const Error& e, const FaultContext& c)
{
    if (e.is(ErrorCode::GaveUp))
        return describeGaveUp(e, c);

    if (e.is(ErrorCode::DuplicateName) || isFault(e, {"DuplicateName"})) {
        const QString name = firstOf(detail(e, "name"), c.vmName);
        const QString folder = c.folder.isEmpty() ? QStringLiteral("vm") : leafName(c.folder);
        return sentences({name.isEmpty()
                              ? QStringLiteral("A VM of that name already exists in folder %1").arg(folder)
                              : QStringLiteral("A VM named %1 already exists in folder %2").arg(name, folder),
                          QStringLiteral("Choose another name or folder")});
    }

    if (isFault(e, {"PasswordExpired"})) {
        const QString user = account(e, c);
        return sentences({user.isEmpty() ? QStringLiteral("The password of the vCenter account has expired")
                                         : QStringLiteral("The password of %1 has expired").arg(user),
                          QStringLiteral("Change it in vCenter, then enter the new one here")});
    }
    if (isFault(e, {"InvalidLogin"}) ||
        (e.kind == ErrorKind::Authentication && e.is(ErrorCode::LoginRefused) && !isFault(e, {"NoPermission"}))) {
        const QString user = account(e, c);
        const QString host = server(e, c);
        QString text = QStringLiteral("vCenter refused the user name or password");
        if (!user.isEmpty() && !host.isEmpty())
            text = QStringLiteral("vCenter at %1 refused the password of %2").arg(host, user);
        else if (!user.isEmpty())
            text = QStringLiteral("vCenter refused the password of %1").arg(user);
        return sentences({text, QStringLiteral("Enter the right password; no other login is tried until then")});
    }
    if (isFault(e, {"NoPermission"}) || e.kind == ErrorKind::Permission) {
        const QString user = account(e, c);
        const QString privilege = detail(e, "privilegeId");
        const QString object = detail(e, "object");
        const QString who = user.isEmpty() ? QStringLiteral("The vCenter account") : user;
        QString text;
        if (!privilege.isEmpty() && !object.isEmpty())
            text = QStringLiteral("%1 lacks the privilege %2 on %3").arg(who, privilege, object);
        else if (!privilege.isEmpty())
            text = QStringLiteral("%1 lacks the privilege %2").arg(who, privilege);
        else
            text = withMessage(QStringLiteral("%1 lacks a permission this needs").arg(who), e);
        return sentences({text, QStringLiteral("A vCenter administrator must grant it")});
    }

    if (isFault(e, {"InsufficientMemoryResourcesFault"}))
        return sentences({withMessage(QStringLiteral("Not enough memory is free where the VM is placed"), e),
                          QStringLiteral("Choose less memory or another cluster or host")});
    if (isFault(e, {"InsufficientCpuResourcesFault"}))
        return sentences({withMessage(QStringLiteral("Not enough CPU is free where the VM is placed"), e),
                          QStringLiteral("Choose fewer vCPUs or another cluster or host")});
    if (isFault(e, {"InsufficientStorageSpace", "NoDiskSpace"})) {
        const QString ds = leafName(c.datastore);
        return sentences({withMessage(ds.isEmpty() ? QStringLiteral("The datastore has not enough free space")
                                                   : QStringLiteral("Datastore %1 has not enough free space").arg(ds),
                                      e),
                          QStringLiteral("Choose smaller or thin disks, or another datastore")});
    }
    if (isFault(e, {"InsufficientResourcesFault", "InsufficientHostCapacityFault", "NoCompatibleHost"}))
        return sentences(
            {withMessage(QStringLiteral("The cluster or host has not enough free resources for this VM"), e),
             QStringLiteral("Choose a smaller VM or another cluster or host")});

    if (isFault(e, configFaults)) {
        const QString property = detail(e, "property");
        return sentences(
            {withMessage(property.isEmpty()
                             ? QStringLiteral("vCenter rejected the VM's configuration")
                             : QStringLiteral("vCenter rejected the VM's configuration of %1").arg(property),
                         e),
             QStringLiteral("Edit the request")});
    }
    if (isFault(e, {"InvalidArgument"})) {
        const QString property = detail(e, "invalidProperty");
        return sentences(
            {withMessage(property.isEmpty() ? QStringLiteral("vCenter rejected a value of the request")
                                            : QStringLiteral("vCenter rejected the value of %1").arg(property),
                         e),
             QStringLiteral("Edit the request")});
    }
    if (isFault(e, {"ManagedObjectNotFound", "NotFound"})) {
        const QString object = detail(e, "obj");
        return sentences(
            {withMessage(object.isEmpty() ? QStringLiteral("Something the request names no longer exists in vCenter")
                                          : QStringLiteral("%1 no longer exists in vCenter").arg(object),
                         e),
             QStringLiteral("It was deleted or moved: refresh the inventory and edit the request")});
    }

    if (e.is(ErrorCode::Timeout)) {
        QStringList parts{QStringLiteral("vCenter did not answer in time")};
        if (e.kind == ErrorKind::OutcomeUnknown)
            parts << QStringLiteral("The request may have reached it: the VM is looked for by the request's key "
                                    "before anything is sent again");
        return sentences(parts);
    }
    if (e.is(ErrorCode::ConnectionRefused)) {
        const QString host = server(e, c);
        return sentences({host.isEmpty() ? QStringLiteral("vCenter refused the connection")
                                         : QStringLiteral("vCenter at %1 refused the connection").arg(host),
                          QStringLiteral("It is down or restarting, or a firewall blocks it; waiting requests are "
                                         "sent when it answers again")});
    }
    if (e.kind == ErrorKind::OutcomeUnknown)
        return sentences({e.message, QStringLiteral("The request may have reached vCenter: the VM is looked for by "
                                                    "the request's key before anything is sent again")});
    // vCenter's or the service's own words; a first word that is all lower case starts the sentence.
    QString text =
        e.message.trimmed().isEmpty() ? firstOf(e.vimFault, firstOf(e.code, toString(e.kind))) : e.message.trimmed();
    const QString firstWord = text.section(QLatin1Char(' '), 0, 0);
    if (firstWord == firstWord.toLower())
        text[0] = text[0].toUpper();
    return sentence(text);
}

QString FaultSentence::raw(const Error& e)
{
    QStringList lines{QStringLiteral("kind: %1").arg(toString(e.kind))};
    if (!e.code.isEmpty())
        lines << QStringLiteral("code: %1").arg(e.code);
    if (!e.vimFault.isEmpty())
        lines << QStringLiteral("vimFault: %1").arg(e.vimFault);
    if (!e.message.isEmpty())
        lines << QStringLiteral("message: %1").arg(e.message);
    if (!e.details.isEmpty()) {
        QStringList pairs;
        for (auto it = e.details.cbegin(); it != e.details.cend(); ++it) // QVariantMap: sorted by key
            pairs << QStringLiteral("%1=%2").arg(it.key(), it.value().toString());
        lines << QStringLiteral("details: %1").arg(pairs.join(QStringLiteral(", ")));
    }
    return lines.join(QLatin1Char('\n'));
}

Error FaultSentence::underlying(const Error& e)
{
    if (!e.is(ErrorCode::GaveUp))
        return e;
    Error base = e;
    base.code = detail(e, "lastCode");
    base.details.remove(QStringLiteral("lastCode"));
    base.details.remove(QStringLiteral("attempts"));
    // RetryPolicy::gaveUpMessage: "gave up after N attempts: " then the cause, led by its vim fault.
    const qsizetype colon = e.message.indexOf(QStringLiteral(": "));
    QString cause = colon < 0 ? QString() : e.message.mid(colon + 2);
    if (!e.vimFault.isEmpty() && cause.startsWith(e.vimFault + QStringLiteral(": ")))
        cause = cause.mid(e.vimFault.size() + 2);
    base.message = cause;
    return base;
}

bool FaultSentence::sameFault(const Error& a, const Error& b)
{
    return a.kind == b.kind && a.code == b.code && a.vimFault == b.vimFault && a.message == b.message;
}

std::optional<QString> FaultSentence::whyRetryRepeats(const Error& error)
{
    const Error e = underlying(error);
    // The adapter gives DuplicateName its own listed code; vim faults without one are known by name.
    if (e.is(ErrorCode::DuplicateName))
        return QStringLiteral("A VM of that name already exists in that folder: sent again unchanged, the request "
                              "meets the same answer. Edit and resubmit instead.");
    if (isFault(e, configFaults) || isFault(e, {"InvalidArgument"}))
        return QStringLiteral("vCenter rejected what the request asks for: sent again unchanged, it is rejected "
                              "again. Edit and resubmit instead.");
    if (e.kind == ErrorKind::InvalidInput)
        return QStringLiteral("The request's spec is invalid: sent again unchanged, it fails again. Edit and "
                              "resubmit instead.");
    return std::nullopt;
}

} // namespace dcm
