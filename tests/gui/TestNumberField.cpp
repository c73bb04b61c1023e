// The number field keeps what was typed: a value beyond the range is neither dropped key by key nor
// clamped when the field loses focus or by setValue(); text that is no number is named as such; the
// arrows stay within the range; a value that would need more places than the field shows keeps them.
#include "ui/NumberField.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>

using namespace dcm;

class TestNumberField final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QWidget> m_window;
    NumberField* m_field = nullptr;
    QLineEdit* m_other = nullptr;

    void typeInto(const QString& text)
    {
        m_field->setFocus();
        m_field->selectAll();
        QTest::keyClick(m_field, Qt::Key_Backspace);
        QTest::keyClicks(m_field, text);
        m_other->setFocus(); // leaving the field is when QSpinBox would correct it
        QTRY_VERIFY(!m_field->hasFocus());
    }

private Q_SLOTS:
    void init()
    {
        QLocale::setDefault(QLocale::c());
        m_window = std::make_unique<QWidget>();
        auto* layout = new QVBoxLayout(m_window.get());
        m_field = new NumberField;
        m_field->setRange(0, 24576);
        m_field->setDecimals(2);
        m_field->setSuffix(QStringLiteral(" GiB"));
        m_other = new QLineEdit;
        layout->addWidget(m_field);
        layout->addWidget(m_other);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanup() { m_window.reset(); }

    void aValueBeyondTheRangeIsKeptAsTyped()
    {
        QSignalSpy changed(m_field, &NumberField::valueChanged);
        typeInto(QStringLiteral("99999"));
        QCOMPARE(m_field->text(), QStringLiteral("99999"));
        QCOMPARE(m_field->value(), std::optional<double>(99999));
        QCOMPARE(m_field->problem(), QString()); // out of range is the domain's to say, in its words
        QVERIFY(changed.count() >= 5);
        m_field->setValue(123456.5);
        QCOMPARE(m_field->text(), QStringLiteral("123456.50 GiB"));
        QCOMPARE(m_field->value(), std::optional<double>(123456.5));
    }

    void textThatIsNoNumberIsNamed_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("problem");
        QTest::newRow("letters") << "four"
                                 << "\"four\" is not a number.";
        QTest::newRow("empty") << ""
                               << "Enter a number.";
        QTest::newRow("exponent") << "1e3"
                                  << "\"1e3\" is not a number.";
        QTest::newRow("too many places") << "1.255"
                                         << "Use at most 2 decimal places.";
        QTest::newRow("beyond the limits") << "2000000000000"
                                           << "At most 1000000000000.00 GiB can be entered here.";
    }
    void textThatIsNoNumberIsNamed()
    {
        QFETCH(QString, typed);
        QFETCH(QString, problem);
        typeInto(typed);
        QCOMPARE(m_field->text(), typed);
        QCOMPARE(m_field->problem(), problem);
        QVERIFY(!m_field->value());
    }

    void theUnitMayBeTypedOrLeftOut()
    {
        typeInto(QStringLiteral("16 GiB"));
        QCOMPARE(m_field->value(), std::optional<double>(16));
        typeInto(QStringLiteral(" 8.5 "));
        QCOMPARE(m_field->value(), std::optional<double>(8.5));
    }

    // Shown with the field's places when exact; with all the places it needs when not (never rounded).
    void setValueNeverRounds()
    {
        m_field->setValue(4);
        QCOMPARE(m_field->text(), QStringLiteral("4.00 GiB"));
        m_field->setValue(1023.0 / 1024.0);
        QCOMPARE(m_field->text(), QStringLiteral("0.9990234375 GiB"));
        QCOMPARE(m_field->value(), std::nullopt);
        QCOMPARE(m_field->problem(), QStringLiteral("Use at most 2 decimal places."));
    }

    void arrowsStayWithinTheRange()
    {
        m_field->setValue(24575.5);
        m_field->stepUp();
        QCOMPARE(m_field->value(), std::optional<double>(24576));
        m_field->stepUp();
        QCOMPARE(m_field->value(), std::optional<double>(24576));
        m_field->setValue(0.5);
        m_field->stepDown();
        QCOMPARE(m_field->value(), std::optional<double>(0));
        typeInto(QStringLiteral("x"));
        m_field->stepUp(); // from the bottom of the range
        QCOMPARE(m_field->value(), std::optional<double>(1));
        QTest::keyClick(m_field, Qt::Key_Up);
        QCOMPARE(m_field->value(), std::optional<double>(2));
    }
};

QTEST_MAIN(TestNumberField)
#include "TestNumberField.moc"
