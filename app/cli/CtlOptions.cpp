#include "CtlOptions.h"

#include "CtlInput.h"

#include "domain/Redaction.h"

#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>

#include <limits>

namespace dcm::ctl {

namespace {

QList<QCommandLineOption> allOptions()
{
    const auto o = [](const QStringList& names, const QString& help, const QString& value = {}) {
        return QCommandLineOption(names, help, value);
    };
    return {
        o({QStringLiteral("server")},
          QStringLiteral("vCenter SDK URL, e.g. https://vc.example.com/sdk (env DCM_SERVER)."), QStringLiteral("URL")),
        o({QStringLiteral("user")}, QStringLiteral("vCenter user name (env DCM_USER)."), QStringLiteral("NAME")),
        o({QStringLiteral("thumbprint")},
          QStringLiteral("Pinned SHA-256 thumbprint of the server certificate, colon-separated hex (env "
                         "DCM_THUMBPRINT). Without it the system CA store decides."),
          QStringLiteral("HEX")),
        o({QStringLiteral("db")},
          QStringLiteral("Request database (env DCM_DB): a SQLite file, or a team database as "
                         "postgresql://[user@]host[:port]/dbname[?sslmode=...]."),
          QStringLiteral("FILE|URI")),
        o({QStringLiteral("json")}, QStringLiteral("Print one JSON document on stdout.")),
        o({QStringLiteral("failure-threshold")}, QStringLiteral("Counted failures in a row that open the breaker (5)."),
          QStringLiteral("N")),
        o({QStringLiteral("cooldown")}, QStringLiteral("Seconds the breaker stays open before a scout (30)."),
          QStringLiteral("SECONDS")),
        o({QStringLiteral("call-timeout")}, QStringLiteral("Seconds before one vCenter call is abandoned (30)."),
          QStringLiteral("SECONDS")),
        o({QStringLiteral("drain-concurrency")}, QStringLiteral("Queued requests provisioned at once (4)."),
          QStringLiteral("N")),
        o({QStringLiteral("lease")},
          QStringLiteral("Seconds a service's claim on a request lasts unless renewed; a stopped service's "
                         "requests are taken over after this (10)."),
          QStringLiteral("SECONDS")),
        // SPEC
        o({QStringLiteral("name")}, QStringLiteral("VM name."), QStringLiteral("N")),
        o({QStringLiteral("cpus")}, QStringLiteral("Virtual CPUs."), QStringLiteral("N")),
        o({QStringLiteral("cores-per-socket")}, QStringLiteral("Cores per socket (1)."), QStringLiteral("N")),
        o({QStringLiteral("memory-mib")}, QStringLiteral("Memory in MiB."), QStringLiteral("N")),
        o({QStringLiteral("disk-gib")}, QStringLiteral("A disk of this size in GiB; repeat for more disks."),
          QStringLiteral("N")),
        o({QStringLiteral("thin")}, QStringLiteral("Thin-provisioned disks (default).")),
        o({QStringLiteral("thick")}, QStringLiteral("Thick-provisioned disks.")),
        o({QStringLiteral("datacenter")}, QStringLiteral("Datacenter name."), QStringLiteral("DC")),
        o({QStringLiteral("cluster")}, QStringLiteral("Cluster name."), QStringLiteral("C")),
        o({QStringLiteral("pool")}, QStringLiteral("Resource pool path."), QStringLiteral("PATH")),
        o({QStringLiteral("host")}, QStringLiteral("Host (optional)."), QStringLiteral("H")),
        o({QStringLiteral("datastore")}, QStringLiteral("Datastore name."), QStringLiteral("DS")),
        o({QStringLiteral("network")},
          QStringLiteral("Network or portgroup name; repeat for more NICs (one per NIC, in order)."),
          QStringLiteral("NET")),
        o({QStringLiteral("nic-type")},
          QStringLiteral("vmxnet3 (default) or e1000e: once for every NIC, or once per --network in order."),
          QStringLiteral("TYPE")),
        o({QStringLiteral("template")},
          QStringLiteral("Clone this template (name or path); --cpus and --memory-mib then default to the "
                         "template's and --disk-gib adds data disks."),
          QStringLiteral("NAME")),
        o({QStringLiteral("clone-disks")},
          QStringLiteral("thin or thick: convert the clone's disks (default: as the "
                         "template)."),
          QStringLiteral("FORMAT")),
        o({QStringLiteral("customization-spec")},
          QStringLiteral("Customize the clone's guest with this specification saved in vCenter."),
          QStringLiteral("NAME")),
        o({QStringLiteral("hostname")}, QStringLiteral("Customize the clone's Linux guest: its host name."),
          QStringLiteral("H")),
        o({QStringLiteral("domain")}, QStringLiteral("Linux guest: its domain."), QStringLiteral("D")),
        o({QStringLiteral("time-zone")}, QStringLiteral("Linux guest: tz name, e.g. Europe/Berlin."),
          QStringLiteral("TZ")),
        o({QStringLiteral("ip")},
          QStringLiteral("Linux guest, per NIC in order: a static ADDR/PREFIX (with --count: the first VM's; "
                         "the next VMs take the following addresses)."),
          QStringLiteral("ADDR/PREFIX")),
        o({QStringLiteral("dhcp")}, QStringLiteral("Linux guest, per NIC in order: DHCP.")),
        o({QStringLiteral("gateway")}, QStringLiteral("Linux guest: the gateway of the NIC whose --ip it follows."),
          QStringLiteral("G")),
        o({QStringLiteral("dns")}, QStringLiteral("Linux guest: DNS servers, comma-separated (repeatable)."),
          QStringLiteral("A[,B]")),
        o({QStringLiteral("dns-suffix")}, QStringLiteral("Linux guest: a DNS search suffix (repeatable)."),
          QStringLiteral("S")),
        o({QStringLiteral("count")},
          QStringLiteral("submit: N VMs from the spec (1..100); {n}, {nn} or {nnn} in --name numbers them."),
          QStringLiteral("N")),
        o({QStringLiteral("folder")}, QStringLiteral("VM folder path."), QStringLiteral("PATH")),
        o({QStringLiteral("guest-id")}, QStringLiteral("Guest OS id, e.g. otherLinux64Guest."), QStringLiteral("ID")),
        o({QStringLiteral("annotation")}, QStringLiteral("Free text note stored with the VM."), QStringLiteral("TEXT")),
        o({QStringLiteral("power-on")}, QStringLiteral("Power the VM on once created.")),
        o({QStringLiteral("wait")}, QStringLiteral("submit: drive the request until it ends or SECONDS elapse."),
          QStringLiteral("SECONDS")),
        o({QStringLiteral("yes")}, QStringLiteral("decommission: confirm that the VM is to be destroyed.")),
        o({QStringLiteral("vm")},
          QStringLiteral("power, decommission (with --admin): a VM this product did not provision, by name or "
                         "moref."),
          QStringLiteral("NAME")),
        o({QStringLiteral("admin")}, QStringLiteral("power, decommission: admin mode, for a VM named with --vm.")),
        o({QStringLiteral("reason")}, QStringLiteral("power, decommission in admin mode: why (recorded)."),
          QStringLiteral("TEXT")),
        o({QStringLiteral("guest-timeout")},
          QStringLiteral("power off, decommission: seconds the guest gets to shut down before a hard power-off "
                         "(120)."),
          QStringLiteral("SECONDS")),
        o({QStringLiteral("state")}, QStringLiteral("requests: only this state."), QStringLiteral("S")),
        o({QStringLiteral("id")}, QStringLiteral("requests: only this request."), QStringLiteral("ID")),
        o({QStringLiteral("request-ids")},
          QStringLiteral("inventory vms: also each VM's requestId (reads every VM's extraConfig: slower).")),
        o({QStringLiteral("limit")}, QStringLiteral("requests: only the newest N (default: all)."),
          QStringLiteral("N")),
        o({QStringLiteral("for-db")},
          QStringLiteral("login: store the password of the team database (--db/DCM_DB), not vCenter's.")),
        o({QStringLiteral("v"), QStringLiteral("verbose")}, QStringLiteral("Report progress on stderr.")),
        o({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")),
        o({QStringLiteral("version")}, QStringLiteral("Show the version.")),
    };
}

// The vCenter SDK URL as given; /sdk is added when no path is given. A user name or password in it is
// refused, never stripped and used: passwords belong in DCM_PASSWORD or the keychain, and a URL is
// echoed in messages and logs.
Result<QUrl> serverUrl(const QString& text, const QString& source)
{
    // Judged on the text as typed, before any parsing: a password with a raw "/" or "@" in it makes a
    // URL whose host or path holds the rest of the password. No vCenter SDK URL needs an "@".
    if (text.contains(QLatin1Char('@'))) {
        const QString shown = redactedText(text);
        return Error::make(
            ErrorKind::InvalidInput, QStringLiteral("credentials-in-url"),
            QStringLiteral("%1 must not carry a user name or password%2: give the user with --user or "
                           "DCM_USER, and the password in DCM_PASSWORD or the keychain (`dcmctl login`)")
                .arg(source, shown.contains(QLatin1Char('@')) ? QString() : QStringLiteral(" (%1)").arg(shown)));
    }
    QUrl url = QUrl::fromUserInput(text);
    if (!url.isValid() || url.host().isEmpty())
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                           QStringLiteral("%1 is not a valid URL: %2").arg(source, quotedInput(text)));
    if (url.path().isEmpty() || url.path() == QLatin1String("/"))
        url.setPath(QStringLiteral("/sdk"));
    return url;
}

QString valueOrEnv(const QCommandLineParser& p, const QString& name, const char* env)
{
    return p.isSet(name) ? p.value(name) : qEnvironmentVariable(env);
}

// --ip, --dhcp and --gateway in the order typed: QCommandLineParser keeps each option's values in order
// but not how different options interleave, and the NIC an address belongs to is its position among
// --ip and --dhcp. "--gateway" belongs to the --ip just before it.
Result<QList<NicAddress>> nicAddressesInOrder(const QStringList& argv)
{
    QList<NicAddress> nics;
    QList<FieldProblem> problems;
    const auto valueOf = [&](qsizetype& i, const QString& token, const QString& name) -> std::optional<QString> {
        for (const QString& prefix : {QStringLiteral("--"), QStringLiteral("-")}) {
            if (token == prefix + name)
                return i + 1 < argv.size() ? std::optional<QString>(argv.at(++i)) : std::nullopt;
            if (token.startsWith(prefix + name + u'='))
                return token.mid(prefix.size() + name.size() + 1);
        }
        return std::nullopt;
    };
    for (qsizetype i = 1; i < argv.size(); ++i) {
        const QString token = argv.at(i);
        if (token == QLatin1String("--"))
            break;
        if (token == QLatin1String("--dhcp") || token == QLatin1String("-dhcp")) {
            nics.append(NicAddress{});
            continue;
        }
        if (const auto ip = valueOf(i, token, QStringLiteral("ip"))) {
            NicAddress nic;
            nic.dhcp = false;
            const QStringList parts = ip->split(u'/');
            bool prefixOk = false;
            const int prefix = parts.size() == 2 ? parts.at(1).toInt(&prefixOk) : 0;
            if (parts.size() != 2 || !prefixOk || parts.at(1).isEmpty() ||
                !std::all_of(parts.at(1).cbegin(), parts.at(1).cend(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
                problems.append(FieldProblem{
                    QStringLiteral("--ip"),
                    QStringLiteral("expected ADDR/PREFIX like 10.0.0.11/24, got %1").arg(quotedInput(*ip))});
            nic.address = parts.at(0);
            nic.prefixLength = prefixOk ? prefix : 0;
            nics.append(nic);
            continue;
        }
        if (const auto gateway = valueOf(i, token, QStringLiteral("gateway"))) {
            if (nics.isEmpty() || nics.back().dhcp || !nics.back().gateway.isEmpty())
                problems.append(FieldProblem{QStringLiteral("--gateway"),
                                             QStringLiteral("%1 must follow the --ip of its NIC (one gateway per NIC)")
                                                 .arg(quotedInput(*gateway))});
            else
                nics.back().gateway = *gateway;
        }
    }
    if (!problems.isEmpty())
        return toError(problems, QStringLiteral("bad-option"));
    return nics;
}

} // namespace

QString ctlHelpText()
{
    QString text = QStringLiteral(
        "Usage: dcmctl [options] COMMAND [arguments]\n"
        "\n"
        "The command line front of the DCM Operator Console's provisioning service.\n"
        "\n"
        "Commands:\n"
        "  about                     vCenter product, version, API version, instance UUID\n"
        "  inventory [KIND]          datacenters, clusters, pools, hosts, datastores, networks, folders, vms,\n"
        "                            templates, customization-specs (`inventory vms` alone streams, page by\n"
        "                            page; --request-ids adds each VM's requestId)\n"
        "  submit SPEC [--wait S]    validate and store a request; with --wait, drive it until it ends\n"
        "  requests [--state S] [--id ID]\n"
        "                            list requests (with --id: one, with its history)\n"
        "  breaker                   the circuit breaker as last recorded on this database\n"
        "  serve                     drain, probe and reconcile headless until SIGINT/SIGTERM\n"
        "  cancel ID                 cancel a request that has not reached vCenter\n"
        "  retry ID                  queue a failed request again (or a queued one now)\n"
        "  login                     store the password (read from stdin) in the keychain\n"
        "                            (--for-db: the team database's, for --db postgresql://...)\n"
        "  power ID on|off|restart [--wait S] [--guest-timeout S]\n"
        "                            power operation on the VM of provisioning request ID\n"
        "  decommission ID --yes [--wait S] [--guest-timeout S]\n"
        "                            power the VM of request ID off, then destroy it\n"
        "  power|decommission --vm NAME --admin --reason TEXT ...\n"
        "                            the same on a VM this product did not provision (admin mode)\n"
        "\n"
        "SPEC: --name N --cpus N [--cores-per-socket N] --memory-mib N --disk-gib N [--disk-gib N ...]\n"
        "      [--thin | --thick] --datacenter DC (--cluster C | --pool PATH) [--host H] --datastore DS\n"
        "      --network NET [--network NET ...] [--nic-type vmxnet3|e1000e ...] [--folder PATH]\n"
        "      [--guest-id ID] [--annotation TEXT] [--power-on]\n"
        "  from a template: --template NAME [--clone-disks thin|thick] (then --cpus, --memory-mib and\n"
        "      --disk-gib are optional; --disk-gib adds data disks) and either\n"
        "      --customization-spec NAME, or --hostname H [--domain D] [--time-zone TZ] with, per NIC in\n"
        "      order, --ip ADDR/PREFIX [--gateway G] or --dhcp, and [--dns A[,B]] [--dns-suffix S ...]\n"
        "  submit --count N: N VMs, named by {n}/{nn}/{nnn} in --name, static addresses consecutive\n"
        "\n"
        "Password: the keychain entry saved by the console or `dcmctl login`, or env DCM_PASSWORD\n"
        "(for automation; removed from the environment once read). Never a command-line flag, never\n"
        "in the server URL. A team database's password: env PGPASSWORD, else the keychain entry saved by\n"
        "`dcmctl login --for-db`, else PGPASSFILE (~/.pgpass); never in the URI.\n"
        "\n"
        "Numbers are whole, non-negative and as typed (--disk-gib takes fractions that come to whole MiB);\n"
        "request ids are UUIDs exactly as `dcmctl requests` lists them (braces optional).\n"
        "\n"
        "Exit codes: 0 done; 1 other failure; 2 invalid input; 3 accepted, not provisioned (or done) yet;\n"
        "            4 certificate not trusted or thumbprint mismatch; 5 authentication failed, or vCenter\n"
        "            refused the credentials (serve, submit --wait: the queue is kept).\n"
        "\n"
        "Options:\n");
    for (const QCommandLineOption& o : allOptions()) {
        QStringList names;
        for (const QString& n : o.names())
            names << (n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n;
        QString left = names.join(QStringLiteral(", "));
        if (!o.valueName().isEmpty())
            left += QLatin1Char(' ') + o.valueName();
        text += QStringLiteral("  %1 %2\n").arg(left, -28).arg(o.description());
    }
    return text;
}

Result<CtlOptions> parseCtlOptions(const QStringList& argv)
{
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    p.addOptions(allOptions());
    if (!p.parse(argv))
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"), p.errorText());

    CtlOptions o;
    o.helpRequested = p.isSet(QStringLiteral("help"));
    o.versionRequested = p.isSet(QStringLiteral("version"));
    o.verbose = p.isSet(QStringLiteral("verbose"));
    o.forDatabase = p.isSet(QStringLiteral("for-db"));
    const QStringList positional = p.positionalArguments();
    if (!positional.isEmpty()) {
        o.command = positional.first();
        o.arguments = positional.mid(1);
    }
    o.json = p.isSet(QStringLiteral("json"));

    const bool serverFromOption = p.isSet(QStringLiteral("server"));
    const QString server = valueOrEnv(p, QStringLiteral("server"), "DCM_SERVER");
    if (!server.isEmpty()) {
        auto url = serverUrl(server, serverFromOption ? QStringLiteral("--server") : QStringLiteral("DCM_SERVER"));
        if (!url.ok())
            return url.error();
        o.connection.server = url.value();
    }
    o.connection.user = valueOrEnv(p, QStringLiteral("user"), "DCM_USER");
    o.connection.thumbprint = valueOrEnv(p, QStringLiteral("thumbprint"), "DCM_THUMBPRINT").toUpper();
    o.database = valueOrEnv(p, QStringLiteral("db"), "DCM_DB");
    if (o.database.isEmpty())
        o.database = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                         .filePath(QStringLiteral("requests.sqlite"));
    o.databaseShown = o.database;

    NumberOptions numbers;
    const auto tuning = [&](const char* name, int fallback, int min, int max) {
        const QString option = QLatin1String(name);
        if (!p.isSet(option))
            return fallback;
        return int(numbers.whole(option, p.value(option), min, max, true).value_or(fallback));
    };
    o.failureThreshold = tuning("failure-threshold", 5, 1, 1000);
    o.cooldownSeconds = tuning("cooldown", 30, 1, 86400);
    o.connection.callTimeout = std::chrono::seconds(tuning("call-timeout", 30, 1, 3600));
    o.drainConcurrency = tuning("drain-concurrency", 4, 1, 64);
    o.waitSeconds = tuning("wait", -1, 0, 86400 * 7);
    // The batch bound itself is expandBatch's ("count" names it); here only what is not a number.
    o.count = int(
        p.isSet(QStringLiteral("count"))
            ? numbers.whole(QStringLiteral("count"), p.value(QStringLiteral("count")), 0, 1000000, false).value_or(0)
            : 0);
    o.leaseSeconds = tuning("lease", 10, 2, 3600);
    o.stateFilter = p.value(QStringLiteral("state"));
    o.idFilter = p.value(QStringLiteral("id"));
    o.requestLimit = tuning("limit", 0, 1, 100000000);
    o.confirmed = p.isSet(QStringLiteral("yes"));
    o.vm = p.value(QStringLiteral("vm"));
    o.admin = p.isSet(QStringLiteral("admin"));
    o.reason = p.value(QStringLiteral("reason"));
    o.requestIds = p.isSet(QStringLiteral("request-ids"));
    o.guestTimeoutSeconds = tuning("guest-timeout", OperationTarget::defaultGuestTimeoutSeconds, 1,
                                   OperationTarget::maxGuestTimeoutSeconds);

    // SPEC: each number must fit its field as typed; whether it makes sense is VmSpec::validate()'s
    // business (so that `--cpus 0` is named by the same rule as the console's form).
    const auto number = [&](const char* name, qint64 fallback, qint64 max) {
        const QString option = QLatin1String(name);
        if (!p.isSet(option))
            return fallback;
        return numbers.whole(option, p.value(option), 0, max, false).value_or(fallback);
    };
    constexpr qint64 intMax = std::numeric_limits<int>::max();
    VmSpec& s = o.spec;
    s.name = p.value(QStringLiteral("name"));
    s.cpus = int(number("cpus", 0, intMax));
    s.coresPerSocket = int(number("cores-per-socket", 1, intMax));
    s.memoryMiB = number("memory-mib", 0, std::numeric_limits<qint64>::max());
    const bool thick = p.isSet(QStringLiteral("thick"));
    if (thick && p.isSet(QStringLiteral("thin")))
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                           QStringLiteral("--thin and --thick exclude each other"));
    for (const QString& v : p.values(QStringLiteral("disk-gib")))
        if (const auto mib = numbers.gibAsMib(QStringLiteral("disk-gib"), v))
            s.disks.append(DiskSpec{*mib, !thick});
    if (!numbers.ok())
        return numbers.error();
    s.datacenter = p.value(QStringLiteral("datacenter"));
    s.cluster = p.value(QStringLiteral("cluster"));
    s.resourcePool = p.value(QStringLiteral("pool"));
    s.host = p.value(QStringLiteral("host"));
    s.datastore = p.value(QStringLiteral("datastore"));
    const QStringList networks = p.values(QStringLiteral("network"));
    const QStringList nicTypes = p.values(QStringLiteral("nic-type"));
    if (!nicTypes.isEmpty() && nicTypes.size() != 1 && nicTypes.size() != networks.size())
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                           QStringLiteral("give --nic-type once for every NIC, or once per --network (%1 given for "
                                          "%2 networks)")
                               .arg(nicTypes.size())
                               .arg(networks.size()));
    s.nics.clear();
    for (qsizetype i = 0; i < std::max<qsizetype>(1, networks.size()); ++i) {
        NicSpec nic{networks.value(i)};
        if (!nicTypes.isEmpty())
            nic.adapterType = nicTypes.size() == 1 ? nicTypes.front() : nicTypes.at(i);
        s.nics.append(nic);
    }
    s.templateName = p.value(QStringLiteral("template"));
    s.cloneDiskFormat = p.value(QStringLiteral("clone-disks"));

    GuestCustomization& c = s.customization;
    const bool saved = p.isSet(QStringLiteral("customization-spec"));
    const bool linux = p.isSet(QStringLiteral("hostname")) || p.isSet(QStringLiteral("domain")) ||
                       p.isSet(QStringLiteral("time-zone")) || p.isSet(QStringLiteral("ip")) ||
                       p.isSet(QStringLiteral("dhcp")) || p.isSet(QStringLiteral("gateway")) ||
                       p.isSet(QStringLiteral("dns")) || p.isSet(QStringLiteral("dns-suffix"));
    if (saved && linux)
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                           QStringLiteral("--customization-spec excludes the typed Linux settings (--hostname, "
                                          "--domain, --time-zone, --ip, --dhcp, --gateway, --dns, --dns-suffix)"));
    if (saved) {
        c.mode = GuestCustomization::Mode::SavedSpec;
        c.specName = p.value(QStringLiteral("customization-spec"));
    } else if (linux) {
        c.mode = GuestCustomization::Mode::Linux;
        c.hostName = p.value(QStringLiteral("hostname"));
        c.domain = p.value(QStringLiteral("domain"));
        c.timeZone = p.value(QStringLiteral("time-zone"));
        auto addresses = nicAddressesInOrder(argv);
        if (!addresses.ok())
            return addresses.error();
        c.nics = addresses.value();
        for (const QString& list : p.values(QStringLiteral("dns")))
            for (const QString& dns : list.split(u','))
                c.dnsServers.append(dns.trimmed());
        c.dnsSuffixes = p.values(QStringLiteral("dns-suffix"));
    }
    s.folder = p.value(QStringLiteral("folder"));
    // A clone keeps its template's guest OS unless told otherwise.
    s.guestId = p.isSet(QStringLiteral("guest-id")) ? p.value(QStringLiteral("guest-id"))
                : s.isClone()                       ? QString()
                                                    : QStringLiteral("otherLinux64Guest");
    s.annotation = p.value(QStringLiteral("annotation"));
    s.powerOn = p.isSet(QStringLiteral("power-on"));
    return o;
}

} // namespace dcm::ctl
