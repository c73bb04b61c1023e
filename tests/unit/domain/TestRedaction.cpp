// redactedUrl / redactedText: how a URL may appear in logs, messages and dcmctl's output.
#include "domain/Redaction.h"

#include <QTest>

using namespace dcm;

class TestRedaction final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void urlLosesUserAndPassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("user and password") << QStringLiteral("https://admin:s3cret@vc.example.com/sdk")
                                           << QStringLiteral("https://vc.example.com/sdk");
        QTest::newRow("user only") << QStringLiteral("https://admin@vc.example.com:8443/sdk")
                                   << QStringLiteral("https://vc.example.com:8443/sdk");
        QTest::newRow("encoded @ in the password") << QStringLiteral("https://admin:p%40ss@vc.example.com/sdk")
                                                   << QStringLiteral("https://vc.example.com/sdk");
        QTest::newRow("domain user") << QStringLiteral("https://corp%5Cadmin:pw@vc/sdk")
                                     << QStringLiteral("https://vc/sdk");
        QTest::newRow("nothing to hide") << QStringLiteral("https://vc.example.com/sdk")
                                         << QStringLiteral("https://vc.example.com/sdk");
        QTest::newRow("secret query value") << QStringLiteral("https://vc/sdk?user=a&password=hunter2&x=1")
                                            << QStringLiteral("https://vc/sdk?user=a&password=(redacted)&x=1");
        QTest::newRow("token query value") << QStringLiteral("https://vc/sdk?access_token=abc.def")
                                           << QStringLiteral("https://vc/sdk?access_token=(redacted)");
    }

    void urlLosesUserAndPassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        const QUrl parsed(url);
        QVERIFY(parsed.isValid());
        QCOMPARE(redactedUrl(parsed), expected);
    }

    void emptyUrlIsEmptyText() { QCOMPARE(redactedUrl(QUrl()), QString()); }

    void textLosesEveryUserInfo_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("log line") << QStringLiteral("connected to https://root:toor@vc1/sdk as root")
                                  << QStringLiteral("connected to https://vc1/sdk as root");
        QTest::newRow("two urls") << QStringLiteral("a https://u:p1@h1/sdk b http://u:p2@h2/ c")
                                  << QStringLiteral("a https://h1/sdk b http://h2/ c");
        // As typed on a command line: not even a URL any more, and the password still goes as a whole.
        QTest::newRow("raw @ and / in the password")
            << QStringLiteral("https://u:pa/ss@wo@rd@vc/sdk") << QStringLiteral("https://vc/sdk");
        QTest::newRow("plain text") << QStringLiteral("no URL here: a@b, x=1")
                                    << QStringLiteral("no URL here: a@b, x=1");
        QTest::newRow("empty") << QString() << QString();
    }

    void textLosesEveryUserInfo()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(redactedText(text), expected);
    }

    void theSecretIsGoneWhateverItHolds_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::newRow("letters") << QStringLiteral("Sup3rSecret");
        QTest::newRow("colon") << QStringLiteral("a:b:c");
        QTest::newRow("percent") << QStringLiteral("100%sure");
        QTest::newRow("at") << QStringLiteral("me@home");
    }

    void theSecretIsGoneWhateverItHolds()
    {
        QFETCH(QString, secret);
        QUrl url(QStringLiteral("https://vc.example.com/sdk"));
        url.setUserName(QStringLiteral("administrator@vsphere.local"));
        url.setPassword(secret);
        QVERIFY(url.toString().contains(QUrl::toPercentEncoding(secret, "%")) || url.toString().contains(secret));
        const QString shown = redactedUrl(url);
        QVERIFY2(!shown.contains(secret), qPrintable(shown));
        QVERIFY2(!shown.contains(QString::fromUtf8(QUrl::toPercentEncoding(secret))), qPrintable(shown));
        QCOMPARE(shown, QStringLiteral("https://vc.example.com/sdk"));
        QCOMPARE(redactedText(QStringLiteral("serving ") + url.toString(QUrl::FullyEncoded)),
                 QStringLiteral("serving https://vc.example.com/sdk"));
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "TestRedaction.moc"
