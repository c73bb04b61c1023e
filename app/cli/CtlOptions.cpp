#include "CtlOptions.h"

#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>

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
        o({QStringLiteral("db")}, QStringLiteral("Request database (env DCM_DB)."), QStringLiteral("FILE")),
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
        o({QStringLiteral("network")}, QStringLiteral("Network or portgroup name."), QStringLiteral("NET")),
        o({QStringLiteral("folder")}, QStringLiteral("VM folder path."), QStringLiteral("PATH")),
        o({QStringLiteral("guest-id")}, QStringLiteral("Guest OS id, e.g. otherLinux64Guest."), QStringLiteral("ID")),
        o({QStringLiteral("annotation")}, QStringLiteral("Free text note stored with the VM."), QStringLiteral("TEXT")),
        o({QStringLiteral("power-on")}, QStringLiteral("Power the VM on once created.")),
        o({QStringLiteral("wait")}, QStringLiteral("submit: drive the request until it ends or SECONDS elapse."),
          QStringLiteral("SECONDS")),
        o({QStringLiteral("state")}, QStringLiteral("requests: only this state."), QStringLiteral("S")),
        o({QStringLiteral("id")}, QStringLiteral("requests: only this request."), QStringLiteral("ID")),
        o({QStringLiteral("v"), QStringLiteral("verbose")}, QStringLiteral("Report progress on stderr.")),
        o({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")),
        o({QStringLiteral("version")}, QStringLiteral("Show the version.")),
    };
}

Result<int> intOption(const QCommandLineParser& p, const QString& name, int fallback, int min, int max)
{
    if (!p.isSet(name))
        return fallback;
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < min || v > max)
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                           QStringLiteral("--%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
    return v;
}

QString valueOrEnv(const QCommandLineParser& p, const QString& name, const char* env)
{
    return p.isSet(name) ? p.value(name) : qEnvironmentVariable(env);
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
        "  inventory [KIND]          datacenters, clusters, pools, hosts, datastores, networks, folders, vms\n"
        "  submit SPEC [--wait S]    validate and store a request; with --wait, drive it until it ends\n"
        "  requests [--state S] [--id ID]\n"
        "                            list requests (with --id: one, with its history)\n"
        "  breaker                   the circuit breaker as last recorded on this database\n"
        "  serve                     drain, probe and reconcile headless until SIGINT/SIGTERM\n"
        "  cancel ID                 cancel a request that has not reached vCenter\n"
        "  retry ID                  queue a failed request again (or a queued one now)\n"
        "  login                     store the password (read from stdin) in the keychain\n"
        "\n"
        "SPEC: --name N --cpus N [--cores-per-socket N] --memory-mib N --disk-gib N [--disk-gib N ...]\n"
        "      [--thin | --thick] --datacenter DC (--cluster C | --pool PATH) [--host H] --datastore DS\n"
        "      --network NET [--folder PATH] [--guest-id ID] [--annotation TEXT] [--power-on]\n"
        "\n"
        "Password: the keychain entry saved by the console or `dcmctl login`, or env DCM_PASSWORD\n"
        "(for automation). Never a command-line flag.\n"
        "\n"
        "Exit codes: 0 done; 1 other failure; 2 invalid input; 3 accepted, not provisioned yet;\n"
        "            4 certificate not trusted or thumbprint mismatch; 5 authentication failed.\n"
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
    const QStringList positional = p.positionalArguments();
    if (!positional.isEmpty()) {
        o.command = positional.first();
        o.arguments = positional.mid(1);
    }
    o.json = p.isSet(QStringLiteral("json"));

    const QString server = valueOrEnv(p, QStringLiteral("server"), "DCM_SERVER");
    if (!server.isEmpty()) {
        QUrl url = QUrl::fromUserInput(server);
        if (!url.isValid() || url.host().isEmpty())
            return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                               QStringLiteral("--server is not a valid URL: %1").arg(server));
        if (url.path().isEmpty() || url.path() == QLatin1String("/"))
            url.setPath(QStringLiteral("/sdk"));
        o.connection.server = url;
    }
    o.connection.user = valueOrEnv(p, QStringLiteral("user"), "DCM_USER");
    o.connection.thumbprint = valueOrEnv(p, QStringLiteral("thumbprint"), "DCM_THUMBPRINT").toUpper();
    o.database = valueOrEnv(p, QStringLiteral("db"), "DCM_DB");
    if (o.database.isEmpty())
        o.database = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                         .filePath(QStringLiteral("requests.sqlite"));

    auto threshold = intOption(p, QStringLiteral("failure-threshold"), 5, 1, 1000);
    auto cooldown = intOption(p, QStringLiteral("cooldown"), 30, 1, 86400);
    auto callTimeout = intOption(p, QStringLiteral("call-timeout"), 30, 1, 3600);
    auto concurrency = intOption(p, QStringLiteral("drain-concurrency"), 4, 1, 64);
    auto wait = intOption(p, QStringLiteral("wait"), -1, 0, 86400 * 7);
    auto lease = intOption(p, QStringLiteral("lease"), 10, 2, 3600);
    for (const auto* r : {&threshold, &cooldown, &callTimeout, &concurrency, &wait, &lease})
        if (!r->ok())
            return r->error();
    o.failureThreshold = threshold.value();
    o.cooldownSeconds = cooldown.value();
    o.connection.callTimeout = std::chrono::seconds(callTimeout.value());
    o.drainConcurrency = concurrency.value();
    o.waitSeconds = wait.value();
    o.leaseSeconds = lease.value();
    o.stateFilter = p.value(QStringLiteral("state"));
    o.idFilter = p.value(QStringLiteral("id"));

    // SPEC: numbers that do not parse are kept as invalid values so that validation names the field.
    const auto number = [&](const QString& name, qint64 fallback) -> qint64 {
        if (!p.isSet(name))
            return fallback;
        bool ok = false;
        const qint64 v = p.value(name).toLongLong(&ok);
        return ok ? v : -1;
    };
    VmSpec& s = o.spec;
    s.name = p.value(QStringLiteral("name"));
    s.cpus = int(number(QStringLiteral("cpus"), 0));
    s.coresPerSocket = int(number(QStringLiteral("cores-per-socket"), 1));
    s.memoryMiB = number(QStringLiteral("memory-mib"), 0);
    const bool thick = p.isSet(QStringLiteral("thick"));
    if (thick && p.isSet(QStringLiteral("thin")))
        return Error::make(ErrorKind::InvalidInput, QStringLiteral("bad-option"),
                           QStringLiteral("--thin and --thick exclude each other"));
    for (const QString& v : p.values(QStringLiteral("disk-gib"))) {
        bool ok = false;
        const double gib = v.toDouble(&ok);
        s.disks.append(DiskSpec{ok ? qint64(gib * 1024) : -1, !thick});
    }
    s.datacenter = p.value(QStringLiteral("datacenter"));
    s.cluster = p.value(QStringLiteral("cluster"));
    s.resourcePool = p.value(QStringLiteral("pool"));
    s.host = p.value(QStringLiteral("host"));
    s.datastore = p.value(QStringLiteral("datastore"));
    s.network = p.value(QStringLiteral("network"));
    s.folder = p.value(QStringLiteral("folder"));
    s.guestId =
        p.isSet(QStringLiteral("guest-id")) ? p.value(QStringLiteral("guest-id")) : QStringLiteral("otherLinux64Guest");
    s.annotation = p.value(QStringLiteral("annotation"));
    s.powerOn = p.isSet(QStringLiteral("power-on"));
    return o;
}

} // namespace dcm::ctl
